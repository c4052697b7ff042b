"""A text cut by lone spaces gets its token stream from a memo of its chunks' rows (`vocabulary._rows`):
only the words whose reading depends on their neighbours are classified where they stand. The stream
must be the very one that classifying the text piece by piece gives (`vocabulary._pieces` and the same
loop): both are compared, every field, on the test corpus's texts, on their words shuffled into new
neighbours (phrases split and joined across chunks, words read by position beside numbers), and on
random strings of the grammar's characters; each text twice, from cold rows and from the memo.
"""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest

from normalize import vocabulary

CASES = Path(__file__).parent / "cases"


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _texts() -> list[str]:
    out = []
    for path in sorted(CASES.glob("*.toml")):
        out += _strings(tomllib.loads(path.read_text(encoding="utf-8")))
    out += (CASES / "news_sentences.txt").read_text(encoding="utf-8").splitlines()
    out += [f" {t}" for t in out[::7]] + [f"{t} " for t in out[3::7]]  # a space at either end
    rng = random.Random(3)
    words = " ".join(out).split(" ")
    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 30)))
        out.append(text.replace(" ", rng.choice([" ", ". ", "-", " - ", ", ", "  "]), rng.randrange(3)))
    pool = [*"abcABC 0123456789.,-:/()年月日 ", "de ", "a. m.", "p.m.", "the day before yesterday"]
    pool += ["vor 2 Tagen", "il y a 3 jours", " Uhr", "h", "г.", "1er", "18.", " 18 ", "nov", "lunedì"]
    pool += ["\u200e", "ago"]
    out += ["".join(rng.choice(pool) for _ in range(rng.randrange(1, 40))) for _ in range(2000)]
    return out


TEXTS = _texts()
BATCHES = 20


@pytest.mark.parametrize("batch", range(BATCHES))
def test_rows_give_the_stream_of_the_pieces(batch, monkeypatch):
    texts = TEXTS[batch::BATCHES]
    if batch == 0:
        vocabulary.clear_caches()  # cold rows once; later batches meet chunks the memo holds
    fast = [vocabulary.stream(t) for t in texts]
    again = [vocabulary.stream(t) for t in texts]
    monkeypatch.setattr(vocabulary, "_rows", lambda text: None)
    slow = [vocabulary.stream(t) for t in texts]
    for text, a, b, c in zip(texts, fast, again, slow, strict=True):
        assert a == c, text
        assert b == c, text


def test_both_ways_are_compared_often():
    """Half the texts are read by rows (the others have no space, crowded spaces or bidi marks)."""
    read = sum(vocabulary._rows(t) is not None for t in TEXTS)
    assert 0.4 * len(TEXTS) < read < 0.9 * len(TEXTS)
