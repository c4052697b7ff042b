"""One-pass tokenizer: text -> pieces (numbers, words, spaces, single punctuation marks).

The pieces cover the input exactly, so spans are cumulative lengths. Each non-word piece gets a one
character "shape" code; words get theirs from the vocabulary (see `vocabulary.py`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from normalize import locale_data


@lru_cache(maxsize=1)
def _splitter() -> re.Pattern[str]:
    # Marks (Mn/Mc/Me) are not \w in `re`; without them Devanagari or Myanmar words fall apart.
    marks = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in locale_data.load("unicode.json")["marks"])
    # Runs of letters, possessive, then a run of marks, tried only at a non-ASCII character: matching
    # letter by letter against the ~300 ranges of marks took 70% more time on Latin prose.
    letters = f"(?:[^\\W\\d_]++|(?=[^\\x00-\\x7f])[{marks}\u200c\u200d]++)++"
    word = f"{letters}(?:['’]{letters})*"
    # Most frequent first: a lone space (half the pieces of prose), a word, other blanks, a number.
    return re.compile(f" (?!\\s)|{word}|\\s+|\\d+|.", re.DOTALL)


def split(text: str) -> list[str]:
    """Every piece of `text`, in order; ''.join(split(t)) == t."""
    return _splitter().findall(text)


# Shape codes of non-word pieces. Numbers are coded by digit count so the grammar can tell years.
_PUNCT = {
    ":": ":",
    "：": ":",
    ".": ".",
    "。": ".",
    "/": "/",
    "／": "/",
    "-": "-",
    "‐": "-",
    "‑": "-",
    ",": ",",
    "،": ",",
    "，": ",",
    "、": ",",
    "+": "+",
    "−": "-",
    "–": "~",
    "—": "~",
    "(": "(",
    ")": ")",
    "（": "(",
    "）": ")",
    "[": "(",
    "]": ")",
    "°": "o",
    "|": "|",
    "\u200f": "",
    "\u200e": "",
}
# "i" is a one-digit number: the date grammar reads it as "n", the clock grammar needs two-digit minutes
# (so "1.1.1.1" offers no clock times at all, instead of one rejected candidate per number).
_DIGIT_SHAPES = {1: "i", 2: "n", 3: "k", 4: "y", 8: "b"}


def piece_shape(piece: str) -> str | None:
    """Shape code of a number, space or punctuation piece; None for a word."""
    first = piece[0]
    if first.isdecimal():  # what \d matched; "²" is a digit to str.isdigit but not a number here
        return _DIGIT_SHAPES.get(len(piece), "l")
    if first.isspace():
        return "_"
    if len(piece) == 1 and not first.isalpha() and not _is_mark(first):
        return _PUNCT.get(piece, "#")
    return None


def _is_mark(ch: str) -> bool:
    return ch in "\u200c\u200d"
