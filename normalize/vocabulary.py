"""The folded vocabulary index across every language, and the token stream the grammar reads.

`locales/index.json` maps a folded word (or the concatenated words of a phrase: `a. m.` -> `am`) to
entries `lang kind value`. Kinds:

  M month  W weekday  A day period  R relative day  F filler  O ordinal suffix  T time marker
  Z zone  Y year marker  K month marker after a number (月)  k month marker before one (tháng)
  D day marker  H hour marker  I minute marker  S second marker  U relative-time word
  C year context  N a word that leads a date and stands between none of its fields (`on`, `Published`)
  + prefix of a longer phrase

A word whose languages write it with different accents also has its accented spelling as a key
(`à`: French, Corsican, Ligurian); a token written so takes that key's readings (`_spelling`), while
its `key` stays the folded one, which relative-time templates and phrases are keyed by.

Each token gets one shape character; the grammar (`dates.py`) is a set of regular expressions over the
shape string, so matching runs in C, once per pattern, whatever the number of languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate, chain, compress, count, pairwise, repeat
from operator import is_
from typing import NamedTuple

from normalize import locale_data, tokens
from normalize.text import fold, has_unspaced, is_unspaced, spelled


class Entry(NamedTuple):
    lang: str
    kind: str
    value: str


_MAX_PHRASE = 4
_PHRASE_GAPS = ("_", ".", "#", "'", "-")  # codes a phrase's words may stand across
_NOBODY: frozenset[str] = frozenset()
_WORD = object()  # not yet in _SHAPES
MEMO_LIMIT = 65536  # entries in each generation of the dict memos below (see tokens.Memo)
_SHAPES = tokens.Memo(MEMO_LIMIT)  # pieces -> shape code (None for words)
_NUMBER = {"n": "n", "i": "n", "y": "y"}  # a number before a word, as the word's shape rules see it
_ONE_DIGIT = str.maketrans("i", "n")
_MAX_SEGMENT = 8  # longest vocabulary word tried when segmenting unspaced scripts


class Stream(NamedTuple):
    """Tokens of one text: texts, start offsets, one shape character each, vocabulary entries.
    (A named tuple: built once per call, it is cheaper to make than a frozen dataclass.)"""

    text: str
    toks: tuple[str, ...]
    starts: tuple[int, ...]
    shape: str
    clock: str  # the shape with one-digit numbers as "i" instead of "n", for the clock grammar
    entries: tuple[tuple[Entry, ...], ...]
    voters: tuple[frozenset[str], ...]  # languages that vote for the text's language at each token
    kinds: tuple[frozenset[str], ...]  # every kind each token has in some language
    langs: tuple[frozenset[str], ...]  # every language that has each token
    keys: tuple[str, ...]  # the index key each word was looked up by ("" for numbers and marks)
    phrases: tuple[int, ...]  # the tokens that are phrases of several words (`a. m.`)

    def end(self, i: int) -> int:
        return self.starts[i] + len(self.toks[i])


def _index() -> dict[str, str]:
    return locale_data.load("index.json")


@lru_cache(maxsize=1)
def relative_index() -> dict[str, str]:
    """Relative-time templates by their words around the number: "vor|tagen" -> "de day -1"."""
    return locale_data.load("relative.json")


class Sides(NamedTuple):
    """The words around the number of the relative-time templates (`il y a {0} jours`)."""

    before: frozenset[str]  # what stands before it (`il y a`)
    after: frozenset[str]  # and after it (`jours`)
    last: frozenset[str]  # single words right before it (`a`)
    first: frozenset[str]  # and right after it (`jours`)
    near: frozenset[str]  # both


@lru_cache(maxsize=1)
def template_sides() -> Sides:
    keys = [key.split("|") for key in relative_index()]
    last = frozenset(pre.split(" ")[-1] for pre, _ in keys if pre)
    first = frozenset(post.split(" ")[0] for _, post in keys if post)
    pres, posts = frozenset(pre for pre, _ in keys), frozenset(post for _, post in keys)
    return Sides(pres, posts, last, first, last | first)


class Counts(NamedTuple):
    """Counts written as words (overlays' [number_words]) and the words that follow them in a
    relative time (`une` `heure`): a count is read only right before its template's next word."""

    words: dict[str, dict[str, int]]  # `une` -> {"fr": 1}
    after: dict[str, frozenset[str]]  # a word (2+ letters) right after a template's number -> languages


@lru_cache(maxsize=1)
def count_words() -> Counts:
    raw = locale_data.load("numbers.json")
    words = {k: {lang: int(n) for lang, n in (x.split(" ") for x in v.split(";"))} for k, v in raw.items()}
    counted = frozenset(lang for langs in words.values() for lang in langs)
    after: dict[str, set[str]] = {}
    for k, entries in relative_index().items():
        post = k.split("|")[1]
        langs = counted.intersection(x.split(" ")[0] for x in entries.split(";"))
        word = post.split(" ")[0]
        if len(word) > 1 and langs:  # `an h ago` is not written; `a` (`hace 1 a`) is common in prose
            after.setdefault(word, set()).update(langs)
    return Counts(words, {w: frozenset(langs) for w, langs in after.items()})


MAX_KEY = 64  # no word or phrase in the index is longer (the longest has 34 characters; a test checks)


def lookup(key: str) -> tuple[Entry, ...]:
    """The index entries of a folded word or phrase."""
    if len(key) > MAX_KEY:
        return ()  # not memoized: a 100 KB run of an unspaced script would sit in the memo
    return _lookup(key)


@lru_cache(maxsize=65536)
def _lookup(key: str) -> tuple[Entry, ...]:
    raw = _index().get(key)
    if not raw:
        return ()
    out = []
    for item in raw.split(";"):
        lang, kind, *value = item.split(" ", 2)
        out.append(Entry(lang, kind, value[0] if value else ""))
    return tuple(out)


def _allowed(entries: tuple[Entry, ...], langs: frozenset[str] | None) -> tuple[Entry, ...]:
    if langs is None or not entries:
        return entries
    return tuple(e for e in entries if e.lang == "*" or e.lang in langs)


@lru_cache(maxsize=1)
def speaker_counts() -> dict[str, int]:
    return {k: v["speakers"] for k, v in locale_data.load("languages.json")["languages"].items()}


_MARKERS = "YKkDHISO"
_NAMES = "MWARZTFN"  # on equal weight, the earlier kind wins (ar `م` is p.m. before it is an era)


def _admissible(kind: str, value: str, prev: str, attached: bool, nxt: int) -> bool:
    """Whether a word can play `kind` where it stands: 年 right after a number, `г.` after a year..."""
    if kind in "MWRFTZN":
        return True
    if kind == "Y":
        return prev == "y"
    if kind in "KDHIS":
        return prev == "n"
    if kind == "O":
        return prev == "n" and attached
    if kind == "k":
        return nxt > 0
    if kind == "A":
        return prev in ("n", "y") or nxt > 0 or value in ("noon", "midnight")
    return False  # U, C: read from the entries by the relative-time and year rules, not the grammar


def _shape_char(entries: tuple[Entry, ...], prev: str = "", attached: bool = False, nxt: int = 0) -> str:
    """One shape character for a word where it stands.

    Kinds the position rules out are dropped, and so is a kind attested only in languages with under 1%
    of the speakers of the word's main reading (`de` is a month in Jola-Fonyi). Markers win; otherwise
    the reading with the most speakers does (`de`: a Spanish filler before a Hungarian `de.` = a.m.).
    """
    speakers = speaker_counts()
    weight: dict[str, int] = {}
    for e in entries:
        if not _admissible(e.kind, e.value, prev, attached, nxt):
            continue
        w = 10**10 if e.lang == "*" else speakers.get(e.lang, 0) + 1
        if w > weight.get(e.kind, 0):
            weight[e.kind] = w
    if not weight:
        return "?"
    top = max(weight.values()) / 100
    kinds = {k for k, w in weight.items() if w >= top}
    if nxt == 2 and "k" in kinds:  # "M01": the marker touching its number wins
        return "k"
    for kind in _MARKERS:
        if kind in kinds:
            return kind
    if "M" in kinds and "W" in kinds:
        return "X"
    if "A" in kinds and ("M" in kinds or "W" in kinds):
        return "P"  # `PM` is also a month somewhere: the grammar lets P serve as either
    return max(kinds, key=lambda k: (weight[k], -_NAMES.index(k)))


def _weight(entries: tuple[Entry, ...]) -> int:
    """Speakers behind a word's grammatical readings (not relative-time words, not universal marks):
    a phrase must be about as common as its first word to swallow it (`de noviembre` is Aragonese)."""
    speakers = speaker_counts()
    grammatical = (speakers.get(e.lang, 0) + 1 for e in entries if e.kind not in "+UC" and e.lang != "*")
    return max(grammatical, default=0)


MINOR = 100_000  # languages with fewer estimated speakers vote, and count in running text, only if named


@lru_cache(maxsize=16384)
def _phrase(key: str, langs: frozenset[str] | None) -> tuple[tuple[Entry, ...], bool, int]:
    """A word or phrase's entries among `langs`, whether it is more than a prefix of longer phrases,
    and the weight of its grammatical readings."""
    entries = _allowed(lookup(key), langs)
    return entries, any(e.kind != "+" for e in entries), _weight(entries)


def _voters(entries: tuple[Entry, ...], hinted: bool) -> frozenset[str]:
    speakers = speaker_counts()
    return frozenset(
        e.lang for e in entries if e.lang != "*" and (hinted or speakers.get(e.lang, 0) >= MINOR)
    )


@lru_cache(maxsize=65536)
def _word(key: str, prev: str, attached: bool, nxt: int) -> tuple:
    """A word's entries in every language, its shape character in that position, voters, kinds, langs."""
    real = tuple(e for e in lookup(key) if e.kind != "+")
    char = _shape_char(real, prev, attached, nxt) if real else "?"
    return real, char, _NOBODY if char == "Z" else _voters(real, False), _kinds(real), _langs(real)


_PLACED = frozenset("YKkDHISOA")  # kinds whose reading depends on the tokens around the word


@lru_cache(maxsize=65536)
def _placeless(key: str) -> tuple | None:
    """`_word` for a word whose shape does not depend on where it stands (no marker or day period
    reading): `the`, `de`, `March`. None for the others."""
    found = lookup(key)
    if not found or any(e.kind in _PLACED for e in found):
        return None
    return _word(key, "", False, 0)


def _kinds(entries: tuple[Entry, ...]) -> frozenset[str]:
    return frozenset(e.kind for e in entries)


def _langs(entries: tuple[Entry, ...]) -> frozenset[str]:
    return frozenset(e.lang for e in entries if e.lang != "*")


def _is_prefix(entries: tuple[Entry, ...]) -> bool:
    return bool(entries) and entries[0].kind == "+"  # "* +" sorts first in the index


def _segment(word: str) -> list[str]:
    """Split a run of an unspaced script (CJK, Thai...) into known words, longest match first."""
    out, i = [], 0
    while i < len(word):
        for j in range(min(len(word), i + _MAX_SEGMENT), i, -1):
            if j - i == 1 or any(e.kind != "+" for e in lookup(fold(word[i:j]))):
                out.append(word[i:j])
                i = j
                break
    return out


def _codes(pieces: list[str]) -> list:
    """Shape code of each piece: "?" for a word in no language's vocabulary, None for the other words
    (the stream classifies them where they stand). Pieces up to MAX_KEY characters are memoized
    (bounded): a corpus repeats its words, and one dict lookup per piece runs in C."""
    codes = list(map(_SHAPES.get, pieces, repeat(_WORD)))
    if _WORD in codes:
        fresh = dict.fromkeys(compress(pieces, map(is_, codes, repeat(_WORD))))  # each new piece once
        for piece in fresh:
            code = tokens.piece_shape(piece)
            # A run of an unspaced script stays None: it may still split into known words.
            if code is None and not _key(piece) and not is_unspaced(piece[0]):
                code = "?"
            fresh[piece] = code
            if len(piece) <= MAX_KEY:
                _SHAPES.keep(piece, code)
        codes = list(map(fresh.get, pieces, codes))  # a memoized piece is not in `fresh`: its code stays
    return codes


_APOSTROPHE = re.compile("['’]")


def _elisions(pieces: list[str], codes: list) -> tuple[list[str], list]:
    """`un'ora` is one piece to the tokenizer (`aujourd'hui` must stay whole). When such a word is in no
    vocabulary, its head is an elided word of some language (`un`, `l`, `d`: the overlays' `elisions`)
    and its tail a word of that language, it is read as the two words and the apostrophe between them;
    so is a word of some language followed by one of its suffixes (Turkish `Kasım'da`: overlays'
    `suffixes`)."""
    at = [k for k, c in enumerate(codes) if c == "?" and _APOSTROPHE.search(pieces[k])]
    if not at:
        return pieces, codes
    heads = locale_data.load("elisions.json")
    tails = locale_data.load("suffixes.json")
    pieces, codes = list(pieces), list(codes)
    for k in reversed(at):  # from the end: splitting a piece moves the ones after it
        word = pieces[k]
        mark = _APOSTROPHE.search(word)
        head, tail = word[: mark.start()], word[mark.end() :]
        langs, word_of = heads.get(fold(head)), tail
        if not langs:
            langs, word_of = tails.get(fold(tail)), head
        _split_if_of(pieces, codes, k, [head, mark.group(), tail], langs, word_of)  # `l'OM`: no
    return pieces, codes


def _split_if_of(pieces: list[str], codes: list, k: int, split: list[str], langs, word: str) -> bool:
    """Piece k read as the pieces `split` when `word` (one of them) is a word of one of `langs`."""
    if langs and (key := _key(word)) and any(e.lang in langs for e in _lookup(key)):
        pieces[k : k + 1] = split
        codes[k : k + 1] = _codes(split)
        return True
    return False


_HANGUL = re.compile("[\uac00-\ud7a3]")
_MAX_PARTICLE = 3


def _particles(pieces: list[str], codes: list) -> tuple[list[str], list]:
    """Korean writes its particles onto the word (`3일에`, `3월부터`): a Hangul word in no vocabulary that
    is a word of a language followed by one of that language's suffixes (overlays' `suffixes`) is read
    as the two words."""
    at = [k for k, c in enumerate(codes) if c == "?" and _HANGUL.match(pieces[k])]
    if not at:
        return pieces, codes
    tails = locale_data.load("suffixes.json")
    pieces, codes = list(pieces), list(codes)
    for k in reversed(at):
        word = pieces[k]
        for cut in range(max(1, len(word) - _MAX_PARTICLE), len(word)):  # the longest suffix first
            head, tail = word[:cut], word[cut:]
            if _split_if_of(pieces, codes, k, [head, tail], tails.get(tail), head):
                break
    return pieces, codes


def _head_key(piece: str) -> str:
    """The key of an elided word's vote: its own, apostrophe kept, in no index (`dell'`)."""
    return fold(piece) + "'"


@lru_cache(maxsize=1)
def _elided_heads() -> dict[str, frozenset[str]]:
    return {head: frozenset(langs.split()) for head, langs in locale_data.load("elisions.json").items()}


def _head_votes(
    pieces: list[str], codes: list, k: int, langs: frozenset[str] | None
) -> frozenset[str] | None:
    """The languages a word in no vocabulary votes for as an elided word, an apostrophe right after it
    (`dell'11`, `nell'agosto` split by `_elisions`): its overlays' (of `langs`, or the widely spoken
    ones, as a word's voters are); None when it is no such word."""
    if k + 1 >= len(codes) or codes[k + 1] != "'":
        return None
    found = _elided_heads().get(fold(pieces[k]))
    if found is None:
        return None
    if langs is not None:
        return found & langs
    speakers = speaker_counts()
    return frozenset(lang for lang in found if speakers.get(lang, 0) >= MINOR)


def _coded(text: str) -> tuple[list[str], list]:
    """The tokenizer's pieces of `text` and their codes, elided words split (`_elisions`)."""
    pieces = tokens.split(text)
    codes = _codes(pieces)
    if "'" in text or "’" in text:
        pieces, codes = _elisions(pieces, codes)
    if _HANGUL.search(text):
        pieces, codes = _particles(pieces, codes)
    return pieces, codes


def _pieces(text: str, langs: frozenset[str] | None) -> tuple[list[str], list[str | None], list[int] | None]:
    """Tokenizer pieces and their codes; runs of unspaced scripts (CJK, Thai) are split into known
    words. Bidi marks (code "") carry no meaning and are dropped: then the pieces' offsets are returned
    too, as the tokens no longer add up to the text."""
    pieces, codes = _coded(text)
    unknown_runs = has_unspaced(text) and [
        i
        for i, c in enumerate(codes)
        if c is None and len(pieces[i]) > 1 and is_unspaced(pieces[i][0])
        if not _allowed(lookup(fold(pieces[i])), langs)
    ]
    if unknown_runs:
        split: list[str] = []
        last = 0
        for i in unknown_runs:
            split += pieces[last:i]
            split += _segment(pieces[i])
            last = i + 1
        pieces = split + pieces[last:]
        codes = _codes(pieces)
    if "" not in codes:
        return pieces, codes, None
    offsets = list(accumulate(map(len, pieces), initial=0))
    keep = [k for k, c in enumerate(codes) if c != ""]
    return [pieces[k] for k in keep], [codes[k] for k in keep], [offsets[k] for k in keep]


_KEYS = tokens.Memo(MEMO_LIMIT)  # word as written -> its index key, "" if in no language


def _key(piece: str) -> str:
    key = fold(piece)
    if key not in _index():
        key = ""
    if len(piece) <= MAX_KEY:
        _KEYS.keep(piece, key)
    return key


def _spelling(piece: str, key: str) -> str:
    """The key whose readings a word takes: its accented spelling's when that has a key (`à` reads
    as French, Corsican and Ligurian), else its folded key (`a` reads in every language writing it)."""
    if piece.isascii():
        return key
    own = spelled(piece)
    return own if own != key and own in _index() else key


def stream(text: str, langs: frozenset[str] | None = None) -> Stream:
    """Tokenize `text` and classify every token against the vocabulary of `langs` (None = all)."""
    if langs is None:
        rows = _rows(text)
        if rows is not None:
            return _stream_of_rows(text, rows)
    pieces, codes, offsets = _pieces(text, langs)
    n = len(pieces)
    entries: list[tuple[Entry, ...]] = [()] * n
    voters = [_NOBODY] * n
    kinds = [_NOBODY] * n
    lang_sets = [_NOBODY] * n
    keys = [""] * n
    phrases: list[tuple[int, int]] = []  # (first, last) piece of each phrase, merged at the end
    # Most words of prose are in no language's date vocabulary: they become "?" at once, and only the
    # others are looked at one by one. `codes` becomes the shape as it goes: a piece's code, or its
    # word's character (every piece of a phrase gets the phrase's).
    words = list(map(is_, codes, repeat(None))) if None in codes else ()  # in C: most pieces are not
    word_pieces = list(compress(count(), words))
    word_keys = list(map(_KEYS.get, compress(pieces, words)))
    if None in word_keys:
        word_keys = [
            key if key is not None else _key(pieces[k]) for k, key in zip(word_pieces, word_keys, strict=True)
        ]
    if "" in word_keys:
        for k, key in zip(word_pieces, word_keys, strict=True):
            if not key:
                codes[k] = "?"  # an unspaced run no split explained
    if "'" in codes:  # an apostrophe standing alone: the word in no language before it may be elided
        for k in [k for k, c in enumerate(codes) if c == "?"]:
            if (votes := _head_votes(pieces, codes, k, langs)) is not None:
                voters[k], keys[k] = votes, _head_key(pieces[k])
    columns = (pieces, codes, codes, entries, voters, kinds, lang_sets, keys)
    done = 0  # pieces before this one are classified
    for i, key in zip(word_pieces, word_keys, strict=True):
        if i >= done and key:  # not inside a phrase, not unknown
            done = _classify(columns, i, key, langs, phrases)
    return _stream(text, pieces, offsets, codes, entries, voters, kinds, lang_sets, keys, phrases=phrases)


def _classify(
    columns: tuple[list, ...], i: int, key: str, langs: frozenset[str] | None, phrases: list[tuple[int, int]]
) -> int:
    """Classify the known word at piece i (and the words of a phrase it opens) in `columns`; return the
    first piece after it. `raw` holds the tokenizer's codes of the pieces after i (words still None or
    "?"), `codes` the shape so far: the same list, unless the rows of a text's chunks gave the others."""
    pieces, raw, codes, entries, voters, kinds, lang_sets, keys = columns
    n = len(pieces)
    found = _allowed(_lookup(key), langs)  # an index key: never longer than MAX_KEY
    if not found:  # known only in languages `langs` leaves out
        codes[i], keys[i] = "?", key
        return i + 1
    end_i = i
    if found[0].kind == "+":  # a prefix of a phrase ("* +" sorts first)
        # Longest phrase: words joined across spaces, dots and apostrophes (`a. m.`, `di mattina`).
        index = _index()
        joined, j, words, phrase_key = key, i + 1, 1, key
        while j < n and words < _MAX_PHRASE:
            following = raw[j]
            if following in _PHRASE_GAPS:
                j += 1
                continue
            if following is not None and following != "?":  # "?": a word unknown on its own
                break
            joined += fold(pieces[j])
            if joined not in index:  # most tries end here: a cheaper test than `lookup`
                break
            more, real, weight = _phrase(joined, langs)
            if not more:
                break
            words += 1
            if real and weight * 100 >= _phrase(phrase_key, langs)[2]:
                found, end_i, phrase_key = more, j, joined
            if not _is_prefix(more):
                break
            j += 1
    phrase = end_i > i
    reading = key  # the key whose readings the word or phrase takes; `keys` keeps the folded one
    if phrase:
        key = reading = phrase_key
    elif (reading := _spelling(pieces[i], key)) != key:
        found = _allowed(_lookup(reading), langs)
        if not found:
            codes[i], keys[i] = "?", key
            return i + 1
    if not phrase and langs is None and (fixed := _placeless(reading)) is not None:  # most words of prose
        entries[i], codes[i], voters[i], kinds[i], lang_sets[i] = fixed
        keys[i] = key
        return i + 1
    # Position: the number right before (and whether it touches), a number right after.
    k = i - 1
    if k > 0 and codes[k] == "." and codes[k - 1] in "nyi":
        k -= 1  # "1.º", "18. d."
    attached = k >= 0 and codes[k] in "nyi"
    while k >= 0 and codes[k] in "_-":
        k -= 1
    prev = _NUMBER.get(codes[k], "") if k >= 0 else ""
    j = end_i + 1
    nxt = 2 if j < n and pieces[j][0].isdecimal() else 0
    if j + 1 < n and pieces[j].isspace() and pieces[j + 1][0].isdecimal():
        nxt = 1
    if langs is None:  # a phrase's entries are its key's, as a word's are
        real, char, voting, kind_set, lang_set = _word(reading, prev, attached, nxt)
    else:
        real = tuple(e for e in found if e.kind != "+")
        char = _shape_char(real, prev, attached, nxt) if real else "?"
        voting, kind_set, lang_set = _voters(real, langs is not None), _kinds(real), _langs(real)
        if char == "Z":
            voting = _NOBODY  # a zone names no language (`CET` is also Thursday in Serbian)
    entries[i], voters[i], kinds[i], lang_sets[i], keys[i] = real, voting, kind_set, lang_set, key
    codes[i] = char
    if phrase:
        codes[i + 1 : end_i + 1] = [char] * (end_i - i)
        phrases.append((i, end_i))
    return end_i + 1


def _stream(
    text: str, pieces: list[str], offsets: list[int] | None, *rest: list, phrases: list[tuple[int, int]]
) -> Stream:
    """The Stream of classified columns (pieces, offsets, codes, entries, voters, kinds, languages,
    keys), each phrase's pieces merged into one token. No offsets: the pieces add up to the text."""
    if offsets is None:
        offsets = list(accumulate(map(len, pieces), initial=0))
        offsets.pop()
    columns = (pieces, offsets, *rest)
    if phrases:
        columns = _merge_phrases(columns, phrases)
    toks, starts, shape, *rest = columns
    clock = "".join(shape)
    cut = accumulate((end - first for first, end in phrases), initial=0)  # tokens cut before each
    merged = tuple(first - before for (first, _), before in zip(phrases, cut))  # noqa: B905 (one longer)
    return Stream(
        text, tuple(toks), tuple(starts), clock.translate(_ONE_DIGIT), clock, *map(tuple, rest), merged
    )


# -- rows: a spaced text's classification from a memo of its chunks ------------------------------------

# A row per piece: the piece, its tokenizer code, and its classification (shape character, entries,
# voters, kinds, languages, key). It is final for non-words, unknown words, and known words that open no
# phrase and read the same wherever they stand (`_placeless`). A word that may open a phrase (`the` of
# `the day before`) or reads differently beside a number (`to`) holds its reading with neither; it is
# classified where it stands (`_classify`, as `stream` does) only when the next word may carry a phrase
# on or a number stands beside it.
ROWS_LIMIT = 8192
_ROWS = tokens.Memo(ROWS_LIMIT)  # chunk -> the rows of its pieces and the space after it, one flat tuple
# A row's last field: 0 final; bits: it may open a phrase; its reading may change beside a number (the
# row holds its reading away from numbers, the same as `_classify` gives there).
_FINAL, _OPENER, _PLACED_ROW = 0, 1, 2
_NUMBERS = frozenset("iknybl")  # shape codes of numbers
_SPACE_ROW = (" ", "_", "_", (), _NOBODY, _NOBODY, _NOBODY, "", _FINAL)
_FIELDS = len(_SPACE_ROW)


def _rows(text: str) -> list | None:
    """The rows of a text cut at lone spaces (as `tokens.split` cuts it), one after the other in one
    list, or None when it is not cut so."""
    if " " not in text or tokens.crowded(text) or has_unspaced(text) or "\u200e" in text or "\u200f" in text:
        return None  # (bidi marks are pieces `stream` drops)
    # A space at either end gives an empty chunk, whose rows are the space's alone: a lone space is a
    # piece wherever it stands (a document's body opens with the space after its dateline).
    rows = list(chain.from_iterable(tokens.memo_map(_ROWS, text.split(" "), _chunk_rows)))
    del rows[-_FIELDS:]  # the space after the last chunk
    return rows


def _chunk_rows(chunk: str) -> tuple:
    pieces, codes = _coded(chunk)
    rows = []
    for k, (piece, code) in enumerate(zip(pieces, codes, strict=True)):
        if code is not None:  # not a word, or a word in no language
            votes = _head_votes(pieces, codes, k, None) if code == "?" else None
            if votes is None:
                rows.append((piece, code, code, (), _NOBODY, _NOBODY, _NOBODY, "", _FINAL))
            else:
                rows.append((piece, code, code, (), votes, _NOBODY, _NOBODY, _head_key(piece), _FINAL))
            continue
        key = _KEYS.get(piece)
        if key is None:
            key = _key(piece)
        if not key:  # a run of an unspaced script no split explained
            rows.append((piece, None, "?", (), _NOBODY, _NOBODY, _NOBODY, "", _FINAL))
            continue
        reading = _spelling(piece, key)
        fixed = _placeless(reading)
        how = _OPENER if _lookup(key)[0].kind == "+" else _FINAL
        if fixed is None:
            fixed = _word(reading, "", False, 0)  # its reading with no number beside it
            how |= _PLACED_ROW
        rows.append((piece, None, fixed[1], fixed[0], *fixed[2:], key, how))
    rows.append(_SPACE_ROW)
    out = tuple(chain.from_iterable(rows))  # flat: a text's rows are one list, cut into columns by stride
    if len(chunk) <= MAX_KEY:
        _ROWS.keep(chunk, out)
    return out


def _stream_of_rows(text: str, rows: list) -> Stream:
    columns = [rows[k::_FIELDS] for k in range(_FIELDS)]
    pieces, raw, codes, entries, voters, kinds, lang_sets, keys, how = columns
    phrases: list[tuple[int, int]] = []
    if any(how):
        classified = tuple(columns[:-1])  # what `_classify` reads and writes
        index = _index()
        n = len(pieces)
        done = 0
        for i in compress(count(), how):
            if i < done:
                continue  # inside a phrase
            # The row stands unless the next word may carry a phrase on, or a number stands beside the
            # word (what `_classify` reads: past a space, a word or a stop; past spaces and hyphens).
            h = how[i]
            if h & _OPENER:
                j = i + 2 if i + 1 < n and raw[i + 1] == "_" else i + 1
                if j < n:
                    following = raw[j]
                    if following is None or following == "?":
                        opens = keys[i] + fold(pieces[j]) in index
                    else:
                        opens = following in _PHRASE_GAPS
                    if opens:
                        done = _classify(classified, i, keys[i], None, phrases)
                        continue
            if h & _PLACED_ROW:
                before = codes[i - 1] if i else ""
                near = before in ("n", "y", "i", ".") or (
                    before in ("_", "-") and i > 1 and codes[i - 2] in ("n", "y", "i", "_", "-")
                )
                after = raw[i + 1] if i + 1 < n else ""
                if near or after in _NUMBERS or (after == "_" and i + 2 < n and raw[i + 2] in _NUMBERS):
                    done = _classify(classified, i, keys[i], None, phrases)
    return _stream(text, pieces, None, codes, entries, voters, kinds, lang_sets, keys, phrases=phrases)


def _merge_phrases(columns: tuple[list, ...], phrases: list[tuple[int, int]]) -> tuple[list, ...]:
    """One token per phrase: its pieces joined, the first piece's start and classification. A text
    has few phrases: their inner pieces are cut out of each column, from the last one back."""
    pieces = columns[0]
    for first, end in reversed(phrases):
        joined = "".join(pieces[first : end + 1])
        for column in columns:
            del column[first + 1 : end + 1]
        pieces[first] = joined
    return columns


# -- chunks: what a long text's space-separated chunks hold, without streaming the whole text ----------

# Each chunk's flag, the first that applies: "d" a number, "r" a relative-day word (or a phrase that may
# be one), "t" a count written as a word before its relative-time word (`a.day`), "h" a first word that
# may follow such a count (`hour`), "o" a last word that may open a relative-day phrase, "u" a word in
# no language, else ".". In the memo, the flag is in capitals (":" for ".") when the chunk's first word
# may carry on such a phrase, or it has no word: only an opener followed by one of those is looked at
# again. `chunks` flags "t" the chunk of a count before an "h" chunk (`an hour ago`).
_CHUNK_LIMIT = 16384
_FLAGS = tokens.Memo(_CHUNK_LIMIT)  # chunk -> its flag
_GOES_ON = str.maketrans("droth.u", "DROTH:U")
_FLAG_OF = str.maketrans("DROTH:U", "droth.u")
_OPENER_THEN_GOES_ON = re.compile("[oOtThH](?=[DROTH:U])")  # their last word may open a phrase too
_COUNTED_WORD = re.compile("[hH]")
_WORDS = tokens.Memo(_CHUNK_LIMIT)  # chunk -> its folded words
_VOTES = tokens.Memo(_CHUNK_LIMIT)  # chunk -> (word, voters) of its words that vote unhinted


@lru_cache(maxsize=1)
def _relative_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Keys with a relative-day reading; their string prefixes (a phrase's key is its words joined);
    and the prefixes that are words opening a phrase of the index (`pasado` of `pasado mañana`)."""
    # Read off the raw entries (`lang kind value;...`, as `_lookup` parses them): parsing all 13,000
    # keys' entries cost 10x more, on the first long text.
    keys = frozenset(k for k, raw in _index().items() if _RELATIVE_ENTRY.search(raw))
    prefixes = frozenset(k[:j] for k in keys for j in range(1, len(k)))
    return keys, prefixes, frozenset(k for k in prefixes if _is_prefix(lookup(k)))


@lru_cache(maxsize=1)
def _goes_on() -> frozenset[str]:
    """Every word that may follow an opener within a relative-day phrase's key (what is left of a
    prefix after an opener it starts with)."""
    _, prefixes, openers = _relative_words()
    return frozenset(p[j:] for p in prefixes for j in range(1, len(p)) if p[:j] in openers)


_RELATIVE_ENTRY = re.compile(r"(?:^|;)[^ ;]+ R(?:[ ;]|$)")  # an entry of kind R in a raw index value


def _chunk(chunk: str) -> tuple[str, tuple]:
    pieces, codes = _coded(chunk)
    digits = relative_word = unknown = False
    words, voters = [], []
    relative, prefixes, openers = _relative_words()
    index = _index()
    for k, (piece, code) in enumerate(zip(pieces, codes, strict=True)):
        if code in ("?", None):
            unknown = unknown or code == "?"
            word = fold(piece)
            if word in relative or (words and words[-1] + word in prefixes):
                relative_word = True
            words.append(word)
            if word in index and (voting := _word(_spelling(piece, word), "", False, 0)[2]):
                voters.append((word, voting))
            elif code == "?" and (voting := _head_votes(pieces, codes, k, None)) is not None:
                voters.append((_head_key(piece), voting))
        elif code and code in "iknybl":
            digits = True
    opens = bool(words) and words[-1] in openers
    counts = count_words()
    if digits or relative_word:
        flag = "d" if digits else "r"
    elif any(_counts(counts, a, b) for a, b in pairwise(words)):
        flag = "t"  # `a.day`: a count and its relative-time word in one chunk
    elif words and words[0] in counts.after:
        flag = "h"
    else:
        flag = "o" if opens else "u" if unknown else "."
    if not words or words[0] in _goes_on():
        flag = flag.translate(_GOES_ON)
    info = (tuple(words), tuple(voters))
    if len(chunk) <= MAX_KEY:
        _FLAGS.keep(chunk, flag)
        _WORDS.keep(chunk, info[0])
        _VOTES.keep(chunk, info[1])
    return flag, info


def _flag_of(chunk: str) -> str:
    return _chunk(chunk)[0]


def _words_of(chunk: str) -> tuple[str, ...]:
    words = _WORDS.get(chunk)
    return words if words is not None else _chunk(chunk)[1][0]


def _votes_of(chunk: str) -> tuple[tuple[str, frozenset[str]], ...]:
    votes = _VOTES.get(chunk)
    return votes if votes is not None else _chunk(chunk)[1][1]


class Chunks(NamedTuple):
    """A text split at single spaces, and each chunk's flag (one character each)."""

    parts: list[str]
    flags: str

    def words(self) -> list[tuple[str, ...]]:
        """Each chunk's folded words."""
        return tokens.memo_map(_WORDS, self.parts, _words_of)

    def votes(self) -> list[tuple]:
        """Each chunk's (word, voters) of its words that vote unhinted."""
        return tokens.memo_map(_VOTES, self.parts, _votes_of)


def chunks(text: str, relative: bool) -> Chunks:
    """With `relative`, a chunk whose last word and the next chunk's first start a relative-day phrase
    (`pasado mañana`) is flagged "r", and one whose last word is a count the next chunk's first word
    may follow in a relative time (`an` `hour`) is flagged "t"."""
    parts = text.split(" ")
    flags = tokens.memo_map(_FLAGS, parts, _flag_of)  # only the new chunks are read
    joined = "".join(flags)
    if relative and any(c in joined for c in "oOtThH"):
        # An opener and the next chunk's first word (past a chunk without words: `a - b`) that start a
        # phrase: only where the next chunk's flag says its first word may carry one on.
        prefixes = _relative_words()[1]
        last = len(parts) - 1
        for i in [m.start() for m in _OPENER_THEN_GOES_ON.finditer(joined)]:
            after = _words_of(parts[i + 1])
            if not after and i + 1 < last:
                after = _words_of(parts[i + 2])
            if after and _words_of(parts[i])[-1] + after[0] in prefixes:
                flags[i] = "r"
        joined = "".join(flags)
    if relative and ("h" in joined or "H" in joined):
        counts = count_words()
        for i in [m.start() for m in _COUNTED_WORD.finditer(joined)]:
            k = i - 1
            while k >= 0 and not (before := _words_of(parts[k])):  # linear: a run is crossed once
                k -= 1
            if k >= 0 and flags[k] not in "dDrR" and _counts(counts, before[-1], _words_of(parts[i])[0]):
                flags[k] = "t"
        joined = "".join(flags)
    joined = joined.translate(_FLAG_OF)
    return Chunks(parts, joined)


def _counts(counts: Counts, word: str, following: str) -> bool:
    """Whether `word` is a count, in a language where `following` may come right after one."""
    langs = counts.words.get(word)
    return langs is not None and not counts.after.get(following, _NOBODY).isdisjoint(langs)


def text_voters(c: Chunks, langs: frozenset[str] | None) -> Iterable[frozenset[str]]:
    """The voters of each distinct word of the text (where a word stands does not change them)."""
    if langs is None:
        return dict(chain.from_iterable(filter(None, c.votes()))).values()  # most chunks have no votes
    out = dict(_hinted_voters(set(chain.from_iterable(c.words())), langs))
    for word, _ in chain.from_iterable(filter(None, c.votes())):
        if word.endswith("'"):  # an elided word's key (`_head_key`): in no index, told by where it stood
            out[word] = _elided_heads()[word[:-1]] & langs
    return out.values()


def stream_voters(s: Stream, langs: frozenset[str] | None) -> Iterable[frozenset[str]]:
    """`text_voters` from a stream of the text: the same words, a phrase's counted one by one."""
    if not s.phrases:  # the words that vote (a word's voters are its key's), each once
        return dict(zip(compress(s.keys, s.voters), compress(s.voters, s.voters), strict=True)).values()
    keys = list(s.keys)
    for i in s.phrases:
        keys[i] = ""
    out = dict(zip(keys, s.voters, strict=True))
    phrases = [s.toks[i] for i in s.phrases]  # read as a chunk is: its words one by one
    if langs is None:
        out.update(chain.from_iterable(map(_votes_of, phrases)))
    else:
        out.update(_hinted_voters(chain.from_iterable(map(_words_of, phrases)), langs))
    return out.values()


def _hinted_voters(words: Iterable[str], langs: frozenset[str]) -> Iterator[tuple[str, frozenset[str]]]:
    index = _index()
    for key in words:
        if key in index:
            yield key, _voters(tuple(e for e in _allowed(lookup(key), langs) if e.kind != "+"), True)


def clear_caches() -> None:
    _ROWS.clear()
    _FLAGS.clear()
    _WORDS.clear()
    _VOTES.clear()
    _relative_words.cache_clear()
    _elided_heads.cache_clear()
    _goes_on.cache_clear()
    relative_index.cache_clear()
    template_sides.cache_clear()
    count_words.cache_clear()
    _SHAPES.clear()
    _KEYS.clear()
    _lookup.cache_clear()
    _word.cache_clear()
    _phrase.cache_clear()
    _placeless.cache_clear()
    speaker_counts.cache_clear()
