"""find_dates on hand-written news prose (tests/cases/prose.toml): precision and recall of full dates.

A found date counts as right when its day is one the fixture lists (each listed date matches once),
as a false positive when it is a day-precision result the fixture does not list. Bare years ("in
2019") and month-years ("mars 2020") are dates the fixture leaves unlisted on purpose and are not
scored; relative expressions ("today", "em 12 meses") are flagged `relative=True` and not scored
either. Targets (issue 3): recall >= 90%, at most 1 false positive per 2 KB.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from normalize import find_dates

DOCS = tomllib.loads((Path(__file__).parent / "cases" / "prose.toml").read_text(encoding="utf-8"))["doc"]


def score(doc: dict) -> tuple[int, list[str], list[str]]:
    """(found, missed, false positives) for one document."""
    want = Counter(doc["dates"])
    found, wrong = 0, []
    for r in find_dates(doc["text"], reference=doc["reference"]):
        assert doc["text"][r.span[0] : r.span[1]] == r.text
        if r.precision in ("year", "month") or r.relative:
            continue
        if want[r.iso[:10]] > 0:
            want[r.iso[:10]] -= 1
            found += 1
        else:
            wrong.append(f"{r.text!r} -> {r.iso}")
    return found, sorted(want.elements()), wrong


def test_corpus_is_substantial():
    assert len(DOCS) >= 20
    assert sum(len(d["dates"]) for d in DOCS) >= 80
    assert len({d["language"] for d in DOCS}) >= 6


def test_recall_and_false_positives():
    found = listed = chars = 0
    wrong: list[str] = []
    missed: list[str] = []
    for doc in DOCS:
        f, lost, fps = score(doc)
        found += f
        listed += len(doc["dates"])
        wrong += [f"{doc['language']}: {x}" for x in fps]
        missed += lost
        chars += len(doc["text"])
    recall = found / listed
    fp_per_2kb = len(wrong) / (chars / 2048)
    assert recall >= 0.90, f"recall {recall:.3f}, missed {missed}"
    assert fp_per_2kb <= 1.0, f"{fp_per_2kb:.2f} false positives per 2 KB: {wrong}"


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("près des 3/4 des subventions versées à ces 12 associations", 0),  # `des`: Catalan December
        ("Lima, ranked No. 4 in the world at the end of the season", 0),  # "No": November in Jola-Fonyi
        ("poco più di 1 su 2 aventi diritto", 0),  # `su`: a month in Jola-Fonyi
        ("winds of 10-15 mph. Forecasters give a tropical wave", 0),  # a day is not the end of a range
        ("disse à agência Lusa o poeta", 0),  # Malay: day after tomorrow
        ("the election on Tuesday, Nov. 5, the mood on Capitol Hill", 1),
        ("s'est installée depuis le 9 août, après un mois de juillet", 1),
        ("celebrada el pasado 28 de mayo, el acusado pidió perdón", 1),
        # Languages the letter model lacks keep their own month words (Galician, Basque, Malay).
        ("A reunión celebrouse o 5 de xullo en Santiago", 1),
        ("Bilera uztailaren 5ean egin zen Bilbon", 1),
        ("Mesyuarat itu diadakan pada 5 Julai di Kuala Lumpur", 1),
    ],
)
def test_words_of_other_languages_are_not_months(text, n):
    assert len([r for r in find_dates(text, reference="2024-11-18") if r.precision == "day"]) == n
