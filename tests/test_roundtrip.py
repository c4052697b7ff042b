"""Every base locale babel ships: dates formatted by babel parse back to the same day and minute."""

from __future__ import annotations

import collections
from datetime import datetime

import pytest

babel = pytest.importorskip("babel")
from babel import localedata  # noqa: E402
from babel.dates import format_date, format_datetime  # noqa: E402

from normalize import parse_date  # noqa: E402

LOCALES = sorted(i for i in localedata.locale_identifiers() if "_" not in i and i != "root")
MOMENTS = [datetime(2024, 1, 5, 9, 7), datetime(2024, 2, 29, 17, 38), datetime(2024, 11, 18, 12, 30)]
# The 50 languages with curated overlays must round-trip exactly when named.
CURATED = (
    "en de fr it es pt ru uk pl cs sk nl sv da nb fi et lv lt hu ro bg sr hr sl el tr ar fa he hi bn ja zh "
    "ko vi th id ms ca eu gl sq mk be kk az ur sw fil"
).split()


def _score(hinted: bool) -> tuple[collections.Counter, list]:
    stats: collections.Counter = collections.Counter()
    misses = []
    for code in LOCALES:
        for moment in MOMENTS:
            for width in ("full", "long", "medium"):
                for kind, text in (
                    ("date", format_date(moment.date(), width, locale=code)),
                    ("datetime", format_datetime(moment, width, locale=code)),
                ):
                    r = parse_date(text, languages=[code] if hinted else None)
                    ok = r is not None and (r.year, r.month, r.day) == (moment.year, moment.month, moment.day)
                    if ok and kind == "datetime":
                        ok = isinstance(r.value, datetime) and (r.value.hour, r.value.minute) == (
                            moment.hour,
                            moment.minute,
                        )
                    stats[kind, "total"] += 1
                    stats[kind, "ok"] += ok
                    if not ok:
                        misses.append((code, text, r and r.iso))
    return stats, misses


@pytest.fixture(scope="module")
def hinted():
    return _score(hinted=True)


@pytest.fixture(scope="module")
def unhinted():
    return _score(hinted=False)


def test_locale_count():
    assert len(LOCALES) >= 300


@pytest.mark.parametrize(("kind", "floor"), [("date", 0.97), ("datetime", 0.95)])
def test_roundtrip_with_hint(hinted, kind, floor):
    stats, _ = hinted
    assert stats[kind, "ok"] / stats[kind, "total"] >= floor


@pytest.mark.parametrize(("kind", "floor"), [("date", 0.93), ("datetime", 0.92)])
def test_roundtrip_without_hint(unhinted, kind, floor):
    stats, _ = unhinted
    assert stats[kind, "ok"] / stats[kind, "total"] >= floor


def test_curated_languages_roundtrip_exactly(hinted):
    _, misses = hinted
    assert [m for m in misses if m[0] in CURATED] == []
