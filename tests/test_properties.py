"""Any str: a result or None, never an exception, in time linear in its length."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from normalize import find_dates, parse_date

DATEISH = st.sampled_from([*list("0123456789 ./-:,年月日TZ+"), "nov", "ноября", "PM", "2024", "ieri"])


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text(text):
    r = parse_date(text)
    assert r is None or text[r.span[0] : r.span[1]] == r.text
    for found in find_dates(text):
        assert text[found.span[0] : found.span[1]] == found.text


@settings(max_examples=300, deadline=None)
@given(st.lists(DATEISH, max_size=8).map("".join))
def test_dateish_text(text):
    r = parse_date(text, reference="2024-11-20")
    if r is not None:
        assert text[r.span[0] : r.span[1]] == r.text
        if r.value is not None and not r.relative:
            again = parse_date(r.iso)
            assert again is not None and again.iso == r.iso
    spans = [f.span for f in find_dates(text)]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_long_inputs_finish():
    for text in ("1" * 100_000, "1/" * 50_000, "-" * 100_000, "18 ноября " * 10_000, "de " * 30_000):
        parse_date(text)
        find_dates(text)
