"""One-pass tokenizer: text -> pieces (numbers, words, spaces, single punctuation marks).

The pieces cover the input exactly, so spans are cumulative lengths. Each non-word piece gets a one
character "shape" code; words get theirs from the vocabulary (see `vocabulary.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import chain, compress, count, repeat
from operator import is_
from typing import Any, TypeVar

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
    """Every piece of `text`, in order; ''.join(split(t)) == t.

    Text whose spaces all stand alone between two non-blank characters (most prose) is cut at them
    and each chunk's pieces come from a bounded memo: no piece crosses such a space, which is a piece
    of its own, and corpora repeat their chunks (`said,`), so only new chunks meet the regex.
    """
    if len(text) < _SHORT or " " not in text or crowded(text):
        if len(text) > _LONG and text.isascii() and _LETTER.search(text) is None:
            return _WORDLESS.findall(text)  # no word anywhere (no mark either: ASCII): twice as fast
        return _splitter().findall(text)
    # A space at either end gives an empty chunk, whose pieces are that space alone.
    out = list(chain.from_iterable(memo_map(_PIECES, text.split(" "), _chunk_pieces)))  # new chunks only
    out.pop()  # the space after the last chunk
    return out


def crowded(text: str) -> bool:
    """Whether a space of `text` stands beside another blank: then `split` cannot cut it at spaces."""
    return _CROWDED.search(text) is not None


_T = TypeVar("_T")


class Memo(dict):
    """A bounded memo whose lookups are plain dict reads, in C. When full it becomes the elder
    generation and starts again empty; a key it misses that the elder holds is moved back (`recall`),
    so what a corpus keeps using stays while one-off chunks age out. (A memo that stopped growing kept
    the first articles' one-off numbers and names: a corpus that went on to other words ran 1.9x
    slower.) It holds at most 2 x `limit` entries; `clear()` drops both generations."""

    __slots__ = ("elder", "limit")

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        self.elder: dict = {}

    def keep(self, key: str, value: object) -> None:
        if len(self) >= self.limit:
            self.elder = dict(self)  # O(limit) once per `limit` new keys
            dict.clear(self)
        self[key] = value

    def recall(self, key: str) -> Any:
        """The elder's value for a key this generation lacks (None if neither has it), moved back."""
        value = self.elder.get(key)
        if value is not None:
            self.keep(key, value)
        return value

    def clear(self) -> None:
        dict.clear(self)
        self.elder = {}


def memo_map(memo: Memo, keys: list[str], make: Callable[[str], _T]) -> list[_T]:
    """`memo[key]` of each key, looked up in C, and for each key the memo lacks its elder's value or
    `make(key)`, once (new chunks of a text; `make` may memoize them)."""
    found = list(map(memo.get, keys))
    if None in found:
        made: dict[str, _T] = {}  # a key repeated in `keys` is made once
        for k in list(compress(count(), map(is_, found, repeat(None)))):
            key = keys[k]
            value = made.get(key)
            if value is None:
                value = memo.recall(key)
                if value is None:
                    value = make(key)
                made[key] = value
            found[k] = value
    return found


_SHORT = 64  # shorter texts go through the regex at once
_LONG = 4096  # longer texts without a space between words are checked for words at all (hostile input)
_LETTER = re.compile(r"[^\W\d_]")
_WORDLESS = re.compile(r" (?!\s)|\s+|\d+|.", re.DOTALL)  # `_splitter`'s pattern without its words
_CROWDED = re.compile(r" (?:(?=\s)|(?<=\s ))")  # a space beside another blank
PIECES_LIMIT = 16384
_PIECES = Memo(PIECES_LIMIT)  # chunk -> its pieces and a space
_MAX_CHUNK = 64  # longer chunks are split each time: a memo of long strings would not be bounded


def _chunk_pieces(chunk: str) -> tuple[str, ...]:
    """A chunk's pieces and the space after it (one flat list for the text is then one `chain`)."""
    pieces = (*_splitter().findall(chunk), " ")
    if len(chunk) <= _MAX_CHUNK:
        _PIECES.keep(chunk, pieces)
    return pieces


def clear_caches() -> None:
    _PIECES.clear()
    _splitter.cache_clear()  # built from unicode.json


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
    # A percent sign makes its number a quantity: no gap between a date's fields (`5% on Nov. 12`).
    "%": "%",
    "％": "%",
    "٪": "%",
    "‰": "%",
    "|": "|",
    # An apostrophe has its own code: before two digits it may stand for a century (`Nov 18 '24`).
    "'": "'",
    "’": "'",
    "‘": "'",
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
