"""`find_dates` reads long text only around its numbers: it must find exactly what reading the whole
text finds. Each text below is read both ways (`dates._find_in_regions` and the whole-text stream) and
the results compared field by field, on real prose, on texts built to put dates near region edges, and
on hostile input.
"""

from __future__ import annotations

import random
import tomllib
from datetime import date, datetime
from pathlib import Path

import pytest

from normalize import dates, vocabulary

CASES = Path(__file__).parent / "cases"


def _whole(text, hints=(), langs=None, ref=None):
    ctx = dates._Context(vocabulary.stream(text, langs), hints, None, ref, False, running=True, langs=langs)
    return tuple(dates._found(ctx, ref, None))


def _regions(text, hints=(), langs=None, ref=None):
    return dates._find_in_regions(text, vocabulary.chunks(text, ref is not None), hints, langs, ref, None)


def _long_texts() -> list[tuple[str, object]]:
    out = []
    prose = tomllib.loads((CASES / "prose.toml").read_text(encoding="utf-8"))["doc"]
    out += [(d["text"], date.fromisoformat(d["reference"])) for d in prose]
    docs = tomllib.loads((CASES / "documents.toml").read_text(encoding="utf-8"))["document"]
    out += [(d["text"], None) for d in docs]
    sentences = tomllib.loads((CASES / "language_sentences.toml").read_text(encoding="utf-8"))
    for _lang, items in sorted(sentences.items()):
        out.append((" ".join(items), datetime(2024, 11, 18, 12, 0)))
    lines = [
        x
        for x in (CASES / "news_sentences.txt").read_text(encoding="utf-8").splitlines()
        if x and x[0] != "#"
    ]
    out += [(" ".join(lines[k : k + 12]), None) for k in range(0, len(lines), 12)]
    return [(t, ref) for t, ref in out if len(t) > dates._CACHED_TEXT]


LONG = _long_texts()


@pytest.fixture(autouse=True)
def _regions_even_when_dense(monkeypatch, request):
    """Read in regions even text where `find` would read the whole (dense with numbers): the
    comparison is then made on every text."""
    if "dense" not in request.node.name:
        monkeypatch.setattr(dates, "_DENSE", 1.0)
        monkeypatch.setattr(dates, "_SPREAD", 0)


def test_the_corpus_is_long_text_with_dates():
    assert len(LONG) >= 150
    assert sum(bool(_whole(t, ref=ref)) for t, ref in LONG) >= 60


@pytest.mark.parametrize("k", range(0, len(LONG), 1))
def test_regions_find_what_the_whole_text_holds(k):
    text, ref = LONG[k]
    found = _regions(text, ref=ref)
    if found is not None:  # None: a guard failed and `find` reads the whole text
        assert found == _whole(text, ref=ref)
    assert dates._find(text, (), None, ref, None) == _whole(text, ref=ref)


def test_most_long_texts_are_read_in_regions():
    read = [_regions(t, ref=ref) is not None for t, ref in LONG]
    assert sum(read) >= 0.9 * len(read)


def test_dense_text_is_read_whole():
    read = [_regions(t, ref=ref) is not None for t, ref in LONG]
    assert 0.3 * len(read) <= sum(read) < len(read)


def _near_edges(seed: int) -> str:
    """Prose with dates, times, relative days and numbers placed at every distance from one another,
    so that region edges fall next to them."""
    rng = random.Random(seed)
    filler = "the council said that the plan would be put to the vote after a long debate".split()
    pieces = [
        "18 November 2024",
        "November 18",
        "yesterday",
        "on 3/4",
        "at 17:38 GMT",
        "10 a. m.",
        "2024",
        "in 2024",
        "lunedì 18 novembre",
        "the day after tomorrow",
        "pasado mañana",
        "3 days ago",
        "an hour ago",
        "two  days ago",
        "il y a une heure",
        "in a week",
        "vor einer Stunde",
        "Nov. 18, 2024, 5 p.m.",
        "18.11.",
        "-",
        ",",
        "(",
    ]
    words = []
    for _ in range(400):
        words += [rng.choice(pieces)] if rng.random() < 0.12 else [rng.choice(filler)]
        if rng.random() < 0.05:
            words += ["of"] * rng.randrange(1, 30)  # runs of fillers: no unknown word to guard with
    return " ".join(words)


@pytest.mark.parametrize("seed", range(40))
def test_dates_near_region_edges(seed):
    text = _near_edges(seed)
    ref = datetime(2024, 11, 18, 9, 0)
    for hints, langs in (
        ((), None),
        (("en",), frozenset({"en"})),
        (("it", "es"), frozenset({"it", "es", "en"})),
    ):
        for reference in (None, ref):
            found = _regions(text, hints, langs, reference)
            if found is not None:
                assert found == _whole(text, hints, langs, reference)


def test_counts_written_as_words_anchor_regions():
    """`an hour ago` holds no number: its count word is an anchor of its own (chunk flag "t")."""
    ref = datetime(2024, 11, 18, 9, 0)
    read = 0
    for seed in range(40):
        text = _near_edges(seed)
        found = _regions(text, ref=ref)
        if found is not None:
            read += 1
            assert found == _whole(text, ref=ref)
            assert any(d.text in ("an hour ago", "il y a une heure", "vor einer Stunde") for d in found)
    assert read >= 20
    filler = "the council said that the plan would be put to the vote after a long debate zzq " * 12
    for phrase in ("an hour ago", "il y a une heure", "in a week", "two days ago", "un'ora fa", "tra un’ora"):
        text = filler + phrase + " " + filler
        found = _regions(text, ref=ref)
        assert found is not None and [d.text for d in found] == [phrase] and found == _whole(text, ref=ref)


def test_an_elided_word_votes_the_same_in_regions_and_whole():
    """`dell'` votes Italian from where it stands (before its apostrophe): the chunks of a long text
    give the same votes as its stream, with and without a hint, and the region reads as the whole."""
    from collections import Counter
    from itertools import chain

    filler = "la giunta ha detto che il piano sarà votato dopo un lungo dibattito zzq " * 12
    text = f"{filler}La riunione dell'11 novembre 2024 sarà rinviata, nell'attesa. {filler}"
    for langs in (None, frozenset({"it", "fr"}), frozenset({"fr"})):
        c = vocabulary.chunks(text, False)
        by_chunks = Counter(chain.from_iterable(vocabulary.text_voters(c, langs)))
        by_stream = Counter(
            chain.from_iterable(vocabulary.stream_voters(vocabulary.stream(text, langs), langs))
        )
        assert by_chunks == by_stream
    found = _regions(text)
    assert found is not None and found == _whole(text)
    assert [(d.iso, d.language) for d in found] == [("2024-11-11", "it")]


def test_counted_tokens_are_the_count_words_and_guard_the_edges(monkeypatch):
    """The region guards see a count word as an anchor: `_counted_tokens` finds its token in the
    regions' stream, and `_guarded` wants an unknown word between it and an inner edge."""
    seen = []
    real = dates._counted_tokens

    def spy(s, *rest):
        out = real(s, *rest)
        seen.append([s.toks[i] for first, last in out.values() for i in range(first, last + 1)])
        return out

    monkeypatch.setattr(dates, "_counted_tokens", spy)
    filler = "the council said " * 30
    text = f"{filler}zzq it ended an hour ago, and {filler}zzq vor einer Stunde {filler}"
    found = _regions(text, ref=datetime(2024, 11, 18, 9, 0))
    assert [d.text for d in found] == ["an hour ago", "vor einer Stunde"] and seen == [["an", "einer"]]
    # No number in the region: only the count anchors it, so the guard decides by it.
    shape = "_" * 20 + "?" + "_" * 40
    assert dates._guarded(shape, True, False, True)
    assert not dates._guarded(shape, True, False, True, (5, 5), 0)  # no unknown word before it
    assert dates._guarded(shape, True, False, True, (30, 30), 0)
    assert not dates._guarded(shape, False, True, True, (30, 30), 0)  # none after it, far enough in


SEED = (Path(dates.__file__).parent / "samples" / "tass-2024-11-18.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("lead", range(12))
def test_dates_among_the_first_tokens(lead):
    """A date in the text's first tokens votes with its first 33 (the window cannot reach before the
    start): its region must hold them all, though an unknown word follows the date at once."""
    line = next(x for x in SEED.splitlines() if x.startswith("On September 12"))
    text = " ".join(["Kremlin"] * lead + [line])
    ref = date(2024, 11, 18)
    found = _regions(text, ref=ref)
    assert found is not None and found == _whole(text, ref=ref)


@pytest.mark.parametrize(
    "text",
    [
        "1.1. " * 2000,
        "12 " * 5000,
        "word " * 3000 + "18 November 2024",
        "18 November 2024 " + "word " * 3000,
        ("x " * 30 + "17:38 ") * 100,
        "  ".join(["said on 18 November 2024"] * 60),  # double spaces: edges move to clean ones
        "\n".join(["He said on Monday, November 18, that it was so."] * 40),
        "\u200f18 November 2024 \u200e" * 50,
    ],
)
def test_regions_on_hostile_text(text):
    found = _regions(text)
    if found is not None:
        assert found == _whole(text)
    assert dates._find(text, (), None, None, None) == _whole(text)
