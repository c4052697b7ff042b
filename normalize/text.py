"""Text folding: the one place that decides when two spellings count as the same word.

The build script folds vocabulary with these functions and the parser folds input with them, so the
index and the input always agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining diacritics of Latin, Greek and Cyrillic. Marks of other scripts (Devanagari vowel signs,
# Arabic harakat, Hangul jamo) carry meaning and are kept.
_DIACRITICS = {cp: None for cp in range(0x0300, 0x0370)}
_PUNCT_FOLD = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "´": "'", "\u200c": None, "\u200d": None})

# Scripts written without spaces between words: unknown runs in them are segmented against the vocabulary.
_UNSPACED_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
)


# Texts up to this length (words, names) are memoized. Longer ones (a whole line, a 100 KB run of
# letters) are folded each time: the memo is bounded by count, and 65,536 long lines would not be
# bounded in size (found by the bounded-memory review).
_MEMO_CHARS = 64


def fold(text: str) -> str:
    """Case-, width- and accent-insensitive key for a word or phrase."""
    return _fold_memo(text) if len(text) <= _MEMO_CHARS else _fold(text)


def _cased(text: str) -> str:
    """Width, apostrophes and case folded: the steps `fold` and `spelled` share."""
    return unicodedata.normalize("NFKC", text).translate(_PUNCT_FOLD).casefold()


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    text = _cased(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_DIACRITICS))
    return text


_fold_memo = lru_cache(maxsize=65536)(_fold)


def spelled(word: str) -> str:
    """`fold` that keeps the accents: `À` -> `à`. Where languages write a word with different accents
    (French `à`, Spanish `a`), the accent as written tells them apart; its absence tells nothing, as
    scraped text often drops accents."""
    if word.isascii():
        return word.lower()
    return unicodedata.normalize("NFC", _cased(word))


def clear_caches() -> None:
    _fold_memo.cache_clear()


_UNSPACED = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _UNSPACED_RANGES) + "]")


def has_unspaced(text: str) -> bool:
    """True if `text` holds a character of a script written without spaces."""
    return _UNSPACED.search(text) is not None


def is_unspaced(ch: str) -> bool:
    """True for characters of scripts that do not separate words with spaces."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _UNSPACED_RANGES)
