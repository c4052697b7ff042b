"""The tokenizer's chunk path (text cut at lone spaces, each chunk's pieces memoized) gives exactly the
pieces of one regex pass over the whole text."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest

from normalize import tokens

CASES = Path(__file__).parent / "cases"
ALPHABET = [
    "a",
    "Ba",
    " ",
    "  ",
    "\n",
    ".",
    "1",
    "22",
    "é",
    "\u0301",
    "'",
    "’",
    " \n",
    "\xa0",
    "\t",
    "-",
    "日本",
    "\u200f",
]


def _regex(text: str) -> list[str]:
    return tokens._splitter().findall(text)


@pytest.mark.parametrize("seed", range(20))
def test_chunks_give_the_regex_pieces(seed):
    rng = random.Random(seed)
    for _ in range(500):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 300)))
        assert tokens.split(text) == _regex(text), repr(text)


def test_prose_through_chunks():
    docs = tomllib.loads((CASES / "prose.toml").read_text(encoding="utf-8"))["doc"]
    for doc in docs:
        text = doc["text"]
        assert tokens._CROWDED.search(text) is None  # the chunk path is the one taken
        assert tokens.split(text) == _regex(text)
    assert tokens._PIECES  # and its memo holds the chunks


def test_the_result_is_a_fresh_list():
    text = "the council met on 18 November 2024 and said so, again and again and again, to all"
    first = tokens.split(text)
    first.append("x")  # callers edit their pieces (phrases are merged in place)
    assert tokens.split(text) == _regex(text)


@pytest.mark.parametrize("seed", range(5))
def test_long_text_without_words(seed):
    """Long ASCII text with no letter (hostile input: numbers and punctuation) goes through the pattern
    without words; with one letter anywhere, or a character beyond ASCII, through the full one."""
    rng = random.Random(seed)
    blank = ["1", "22", ".", ":", "/", "-", " ", "  ", "\n", "\t", "(", "_", "'"]
    text = "".join(rng.choice(blank) for _ in range(6000))
    assert tokens._LETTER.search(text) is None and text.isascii()
    assert tokens.split(text) == _regex(text)
    for other in ("a", "\u0301", "\u200d", "日", "²", "\xa0"):
        mixed = text[:3000] + other + text[3000:]
        assert tokens.split(mixed) == _regex(mixed)
