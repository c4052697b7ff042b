"""Language of a text: `detect_language`, `detect_languages`.

Evidence, from the cheapest:

1. Script (`locales/scripts.toml`). Greek letters are Greek, hangul Korean, kana Japanese; Han alone is
   Chinese first, Japanese and Cantonese after. Tell-tale letters narrow a shared script down (`ї` is
   Ukrainian, `ў` Belarusian, `پ` never Arabic).
2. Words, for short fields (under 40 letters: dates, headers, bylines). The date engine's vocabulary
   (`vocabulary.stream`) says which languages have each word (month, weekday, relative day, prose such
   as `Publié le`); every word votes for its languages, tell-tale letters vote too, and the language
   with most votes wins, then the one with most speakers, exactly as the date engine picks the
   language of a date (`dates.best_language`); a month or weekday name votes twice, so a field is in its
   date's language whatever the label before it (the seed's `date ... - lunedì 18 novembre 2024` is
   it). When the top languages tie, the n-gram model below adds a vote if it is 90% sure among them.
   A short text with neither a number nor a month, weekday or relative day is a sentence, not a
   field: the model reads it (`Die Polizei sucht`: `die` is a weekday in Albanian).
3. Letters, for longer text or a field the vocabulary cannot read: a naive Bayes model over the text's
   1-, 2- and 3-letter sequences (`locales/ngrams.json`, built from langdetect's profiles by
   `scripts/build_language.py`) for the scripts several of its languages share (Latin, Cyrillic,
   Arabic, Devanagari). Every n-gram is scored once (no random sampling, so no seed), as packed
   integers: one dict lookup and one integer addition per n-gram score every language of the script.

Confidence (the floats of `detect_languages`):
- from votes: weight = speakers ** 0.25 * 0.001 ** (words the language does not explain), normalized;
  one word more outweighs any difference in speakers, and a tie is shared by speakers
  (`novembre` alone: fr 0.33, it 0.23, ht 0.14, ca 0.14, oc 0.10);
- from the n-gram model: the posterior of its languages, each n-gram's evidence divided by 3 (a
  letter sits in three overlapping n-grams, which are not independent).
Languages under 0.01 are left out, at most 5 are listed, best first.

Abstention: fewer than 3 letters (a Han or hangul character counts 2) once URLs, e-mail addresses and
codes (`AB-1234`, `COVID-19`) are removed gives None / []; so does a text of 3-7 letters that is not a
field the vocabulary reads (`Peskov`, `The city`). Only the first 10,000 characters are read.
"""

from __future__ import annotations

import base64
import math
import operator
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count, repeat

from normalize import locale_data, vocabulary
from normalize.dates import best_language, known_languages, language_rank, normalize_languages
from normalize.text import fold

MIN_LETTERS = 3  # below: no answer at all
MODEL_LETTERS = 8  # below: the n-gram model is not asked (a name or an acronym is no evidence)
SHORT = 40  # below: a field, decided by words; from here on: text, decided by letters
MAX_CHARS = 10_000  # read at most this much (langdetect reads 10,000 characters too)
CUE_SHARE = 0.005  # in text, a tell-tale letter counts from this share of the letters on
MISS = 1e-3  # weight factor of a word a language does not explain
OVERLAP = 3  # n-grams per letter: the model's evidence is divided by it
TIE_SURE = 0.9  # the n-gram model breaks a tie of votes only when this sure
SENTENCE_CHARS = 400  # running text up to this long is read by `sentence_language`
SENTENCE_LETTERS = 20  # which needs this many letters in the text's script to say anything
TOP = 5
FLOOR = 0.01
# Width of one language's score in a packed integer. A text gives at most 6 n-grams per letter (one-letter
# words) scoring at most 255 (a byte) each: 255 * 6 * MAX_CHARS < 2**24, so no sum carries from one
# language's bits into the next (a test checks).
_BITS = 24
_MASK = (1 << _BITS) - 1
_SHIFTS = tuple(_BITS * k for k in range(64))
_FIELD_CHARS = 512  # texts up to this length share a bounded result memo

# URLs, e-mail addresses, and codes: a run of capitals, digits and hyphens with both a capital and a
# digit in it (AB-1234, COVID-19, A320). Their letters are not language.
_URL = r"(?:https?://|www\.)\S+"
_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # starts only where a run starts: linear
# A code: a capital or digit here, both a digit and a capital ahead in the run, then the run, possessive.
# (It was `[A-Z\d_-]*[A-Z][A-Z\d_-]*`, whose two stars backtrack over each other when the run is followed
# by a small letter: quadratic, 0.7 s for "A" * 10_000 + "1a". Regex review, issue 7.)
_CODE = r"(?=[A-Z\d_-])(?<![\w-])(?=[A-Z\d_-]*\d)(?=[\d_-]*[A-Z])[A-Z\d_-]++(?![\w-])"
_NOISE = re.compile(f"{_URL}|{_EMAIL}|{_CODE}")
_NOISE_NO_EMAIL = re.compile(f"{_URL}|{_CODE}")  # without an @: the e-mail branch costs half the scan


_DIGIT = re.compile(r"\d")
_DATE_WORDS = "MWXR"  # shapes of a month, weekday (X: either) or relative day (`ieri`) where it stands
_NAMES = {"M": "M", "W": "W", "X": "MW"}  # shape of a token read as a name -> the entry kinds it plays


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity: a key of the word-score memo
class _Model:
    languages: tuple[str, ...]
    grams: dict[str, int]  # n-gram -> every language's score, _BITS bits each (never mutated)
    scale: int  # score units per nat


@dataclass(frozen=True, slots=True)
class _Script:
    name: str
    languages: frozenset[str] | None  # None: shared by many languages, the model and words decide
    weight: int
    absorbs: tuple[int, ...]
    model: _Model | None
    telltale: frozenset[str]  # languages that show other letters too: kana (ja) with Han, ৰ (as)...


@dataclass(frozen=True, slots=True)
class _Cue:
    letters: str
    languages: frozenset[str]
    script: int


@dataclass(frozen=True, slots=True)
class _Tables:
    scripts: tuple[_Script, ...]
    cues: tuple[_Cue, ...]
    runs: re.Pattern[str]  # one group per script: a match is a run of one script's letters
    letters: re.Pattern[str]  # a run of letters of any scripts
    alone: tuple[re.Pattern[str], ...]  # per script: a text of its letters only (fullmatch)
    cued: tuple[re.Pattern[str] | None, ...]  # per script: any of its cues' letters
    fold: dict[int, str]  # the letters langdetect's profiles were counted with (ș -> ş)
    foldable: re.Pattern[str]  # any letter `fold` changes: most texts have none, and skip `translate`
    aliases: dict[str, str]  # langdetect's codes -> ours (zh-cn -> zh, tl -> fil, no -> nb)
    known: frozenset[str]


_lock = threading.Lock()
_state: dict[str, _Tables] = {}


def _tables() -> _Tables:
    tables = _state.get("tables")
    if tables is None:
        with _lock:  # threads racing on first use build the tables once
            tables = _state.get("tables")
            if tables is None:
                tables = _state["tables"] = _build_tables()
    return tables


def _unpack(raw: dict) -> dict[str, int]:
    """The model's n-grams -> one integer each, holding every language's score at its own bits.

    `scores` holds, per n-gram in order, a count and (language index, score) byte pairs.
    """
    blob = base64.b64decode(raw["scores"])
    shift = _SHIFTS.__getitem__
    grams = {}
    pos = 0
    for gram in raw["grams"]:
        end = pos + 1 + 2 * blob[pos]
        pairs = blob[pos + 1 : end]
        grams[gram] = sum(map(operator.lshift, pairs[1::2], map(shift, pairs[::2])))
        pos = end
    return grams


def _build_tables() -> _Tables:
    spec = locale_data.load("scripts.toml")
    data = locale_data.load("ngrams.json")
    names = [s["name"] for s in spec["script"]]
    classes = []
    for s in spec["script"]:
        ranges = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in s["ranges"])
        classes.append(f"([{ranges}]+)")
    # The lookahead: a space or a mark fails once, not once per script (4x faster on prose).
    letter = "".join(c[2:-3] for c in classes)
    runs = re.compile(f"(?=[{letter}])(?:{'|'.join(classes)})")
    alone = tuple(re.compile(c[1:-1]) for c in classes)
    cues = tuple(
        _Cue(cue["letters"], frozenset(cue["languages"]), runs.match(cue["letters"][0]).lastindex - 1)
        for cue in spec["cue"]
    )
    scripts = []
    for k, s in enumerate(spec["script"]):
        raw = data["models"].get(s["name"])
        model = None if raw is None else _Model(tuple(raw["languages"]), _unpack(raw), data["scale"])
        telltale = set().union(*(c.languages for c in cues if c.script == k))
        for other in spec["script"]:
            if s["name"] in other.get("absorbs", ()):
                telltale |= set(other["languages"])
        scripts.append(
            _Script(
                s["name"],
                frozenset(s["languages"]) or None,
                s.get("weight", 1),
                tuple(names.index(n) for n in s.get("absorbs", ())),
                model,
                frozenset(telltale),
            )
        )
    known = set(known_languages())
    for script in scripts:
        known |= script.languages or set()
        known |= set(script.model.languages) if script.model else set()
    cued = tuple(
        re.compile(f"[{re.escape(''.join(c.letters for c in cues if c.script == k))}]")
        if any(c.script == k for c in cues)
        else None
        for k in range(len(scripts))
    )
    return _Tables(
        tuple(scripts),
        tuple(cues),
        runs,
        re.compile(f"[{letter}]+"),
        alone,
        cued,
        str.maketrans(data["fold"]),
        re.compile(f"[{re.escape(''.join(data['fold']))}]"),
        dict(spec["profiles"]),
        frozenset(known),
    )


def _candidates(candidates: object) -> frozenset[str] | None:
    if candidates is None:
        return None
    if not isinstance(candidates, (list, tuple)):
        raise TypeError(
            f"candidates must be a list or tuple of str, or None, not {type(candidates).__name__}"
        )
    if not candidates:
        raise ValueError("candidates is empty: pass None to allow every language")
    for code in candidates:
        if not isinstance(code, str):
            raise TypeError(f"candidates must contain str, not {type(code).__name__}")
    return _codes(tuple(candidates))


@lru_cache(maxsize=256)
def _codes(candidates: tuple[str, ...]) -> frozenset[str]:
    """Candidate codes -> our base codes (a corpus passes the same list on every call: memoized)."""
    tables = _tables()
    out: set[str] = set()
    for code in candidates:
        alias = tables.aliases.get(code.strip().lower())
        if alias is not None:
            out.add(alias)
        elif code.strip().lower() in tables.known:
            out.add(code.strip().lower())
        else:
            out |= normalize_languages([code])[1]  # en-US -> en; raises ValueError naming the code
    return frozenset(out)


# -- ranking -------------------------------------------------------------------------------------


def _prior(lang: str) -> float:
    return (vocabulary.speaker_counts().get(lang, 0) + 1) ** 0.25


def _listing(weights: dict[str, float], first: str | None = None) -> tuple[tuple[str, float], ...]:
    """Normalize weights; best first (then most speakers, then code); drop the long tail."""
    total = math.fsum(weights.values())  # exact, so dict order (hash seed) cannot change a digit
    # Most weight first; a stable sort keeps ties in the order of most speakers, then code.
    order = sorted(_by_rank(frozenset(weights)), key=weights.__getitem__, reverse=True)
    if first is not None and order[0] != first:
        order.remove(first)
        order.insert(0, first)
    out = [(lang, round(weights[lang] / total, 4)) for lang in order[:TOP]]
    return tuple(item for k, item in enumerate(out) if k == 0 or item[1] >= FLOOR)


@lru_cache(maxsize=1024)
def _by_rank(langs: frozenset[str]) -> tuple[str, ...]:
    """Languages, most speakers first, then by code (how `_listing` breaks ties)."""
    rank = language_rank()
    return tuple(sorted(langs, key=lambda lang: (-rank.get(lang, 0), lang)))


def _by_votes(window: list[frozenset[str]]) -> tuple[tuple[str, float], ...]:
    """Rank the languages the window's words vote for; the winner is the date engine's choice."""
    langs = frozenset().union(*window)
    votes: Counter[str] = Counter()
    for voters in window:
        votes.update(voters)
    most = max(votes.values())
    weights = {lang: _prior(lang) * MISS ** (most - votes[lang]) for lang in langs}
    return _listing(weights, best_language(langs, tuple(window)))


def _by_model(
    model: _Model, words: tuple[str, ...], allowed: frozenset[str] | None
) -> tuple[tuple[str, float], ...]:
    """Naive Bayes over the words' n-grams, among the model's languages that are allowed."""
    if words and max(map(len, words)) <= _MAX_SCORED:  # each word's score from the memo, in C
        total = sum(map(_score_memo, repeat(model, len(words)), words))
    else:
        total = sum(map(_word_score, repeat(model, len(words)), words))
    scores = {}
    for k, lang in enumerate(model.languages):
        if allowed is None or lang in allowed:
            scores[lang] = (total >> (_BITS * k)) & _MASK
    if not scores:
        return ()
    best = max(scores.values())
    unit = model.scale * OVERLAP
    return _listing({lang: math.exp((s - best) / unit) for lang, s in scores.items()})


def _word_score(model: _Model, word: str) -> int:
    """Every language's score for one word's 1-3-grams, packed as in `_Model.grams`. Words repeat
    (Zipf): most of a text's words were scored before, and words up to 64 letters are memoized."""
    return _score_memo(model, word) if len(word) <= _MAX_SCORED else _score(model, word)


def _score(model: _Model, word: str) -> int:
    padded = f" {word} "
    n = len(padded)
    get = model.grams.get
    return sum(filter(None, map(get, [padded[i : i + k] for k in (1, 2, 3) for i in range(n - k + 1)])))


_score_memo = lru_cache(maxsize=65536)(_score)
_MAX_SCORED = 64  # longer words are scored each time: a memo of long strings would not be bounded


def _tie_break(window: list[frozenset[str]], model: _Model, words: tuple[str, ...]) -> list[frozenset[str]]:
    """One more vote when words tie and the n-gram model is sure (>= 90%) which tied language it is.

    Only between languages the model knows, at least two of them: `RĪGA, 14. oktobrī (LETA)` is
    Latvian, not Slovenian (`leta`); `novembre` alone stays a tie (the model is 60% French).
    """
    votes: Counter[str] = Counter()
    for voters in window:
        votes.update(voters)
    most = max(votes.values())
    tied = frozenset(lang for lang, n in votes.items() if n == most).intersection(model.languages)
    if len(tied) < 2:
        return []
    ranked = _by_model(model, words, tied)
    return [frozenset((ranked[0][0],))] if ranked[0][1] >= TIE_SURE else []


# -- detection -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Letters:
    """What a text is written with."""

    clean: str  # the text without URLs, e-mail addresses and codes
    low: str  # the same, lower-cased
    counts: tuple[int, ...]  # letters per script
    letters: int  # all of them, a Han or hangul character counting 2
    dom: int  # the script most letters are in (kana taking the kanji of Japanese text)
    words: tuple[str, ...]  # the words in that script, folded as the model's profiles were


def _read(tables: _Tables, text: str) -> _Letters | None:
    text = text[:MAX_CHARS]
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    clean = (_NOISE if "@" in text else _NOISE_NO_EMAIL).sub(" ", text)
    scripts = tables.scripts
    counts = [0] * len(scripts)
    folded = clean.translate(tables.fold) if tables.foldable.search(clean) else clean
    found = tables.letters.findall(folded)
    first = tables.runs.match(found[0]) if found else None
    joined = "".join(found)
    if first is not None and tables.alone[first.lastindex - 1].fullmatch(joined):
        # Letters of one script only (most texts): its runs are the runs of letters, read in C.
        dom = first.lastindex - 1
        counts[dom] = len(joined)
        letters = counts[dom] * scripts[dom].weight
        if letters < MIN_LETTERS:
            return None
        words = found
    else:
        runs: list[tuple[int, str]] = []
        for m in tables.runs.finditer(folded):
            k = m.lastindex - 1
            counts[k] += m.end() - m.start()
            runs.append((k, m.group()))
        weighted = [c * s.weight for c, s in zip(counts, scripts, strict=True)]
        letters = sum(weighted)
        if letters < MIN_LETTERS:
            return None
        for k, script in enumerate(scripts):
            if weighted[k]:
                for a in script.absorbs:
                    weighted[k] += weighted[a]
                    weighted[a] = 0
        dom = max(range(len(scripts)), key=lambda k: (weighted[k], -k))
        words = [w for k, w in runs if k == dom]
    # The profiles keep case (capitals are evidence), but words in capitals are headlines or acronyms:
    # those are read in lower case.
    for k in list(compress(count(), map(str.isupper, words))):
        words[k] = words[k].lower().translate(tables.fold)
    return _Letters(clean, clean.lower(), tuple(counts), letters, dom, tuple(words))


def _datelines():
    # datelines reads dates, which read the vocabulary: imported on first use, not at import.
    from normalize import datelines

    return datelines


def _field_votes(
    tables: _Tables, read: _Letters, candidates: frozenset[str] | None, allowed: frozenset[str] | None
) -> list[frozenset[str]]:
    """The languages each word of a field votes for, or [] when the field is rather a short sentence.

    A field has a number, or a month, weekday or relative day of 4 letters or more (`novembre`, `ieri`)
    and fewer letters in words the vocabulary does not know than in those. Anything else is a short
    sentence, where `die` or `are` are not the weekday names they are somewhere: its letters decide.
    Words in capitals (ANKARA, AFP) are names, neither known nor unknown.
    """
    window, unknown, named = [], 0, 0
    stream = vocabulary.stream(read.clean, candidates)
    for tok, voters, entries, shape in zip(
        stream.toks, stream.voters, stream.entries, stream.shape, strict=True
    ):
        if voters and allowed is not None:
            voters = voters & allowed
        if voters:
            window.append(voters)
            if shape in _DATE_WORDS and len(tok) >= 4:  # `to`, `die`, `are`: abbreviations somewhere
                named += len(tok)
            # A word read as a month or weekday name votes twice: the field's language is its date's,
            # and a label in another language (the seed's English `date` before an Italian date) is
            # not. Read where it stands: 月 after a number is a month marker, not Japanese Monday.
            kinds = _NAMES.get(shape)
            if kinds:
                names = voters.intersection(e.lang for e in entries if e.kind in kinds)
                if names:
                    window.append(names)
        elif not tok.isupper():
            m = tables.runs.match(tok.lower())
            if m is not None and m.lastindex - 1 == read.dom:
                unknown += m.end()
    if tables.scripts[read.dom].model is None or _DIGIT.search(read.clean):
        return window
    return window if named and unknown < max(MODEL_LETTERS, named) else []


def _detect(text: str, candidates: frozenset[str] | None) -> tuple[tuple[str, float], ...]:
    tables = _tables()
    read = _read(tables, text)
    if read is None:
        return ()
    script = tables.scripts[read.dom]
    model = script.model
    allowed = script.languages
    if candidates is not None:
        allowed = candidates if allowed is None else allowed & candidates
        if not allowed:
            return ()
    cued = tables.cued[read.dom]
    cues = []
    if cued is not None and cued.search(read.low) is not None:  # most texts show no tell-tale letter
        counted = [
            (sum(map(read.low.count, c.letters)), c.languages) for c in tables.cues if c.script == read.dom
        ]
        cues = sorted((item for item in counted if item[0]), key=lambda item: -item[0])
    enough = read.counts[read.dom] >= MODEL_LETTERS  # letters for the n-gram model to go by

    if read.letters < SHORT:
        window = _field_votes(tables, read, candidates, allowed)
        if window:
            # A dateline's place and agency vote for the language of their countries its date is in
            # (`BERLIN, 14. Oktober (dpa)`: German, though `Oktober` is also Indonesian).
            local = _datelines().local_language(text)
            if local is not None and (allowed is None or local in allowed):
                window.append(frozenset((local,)))
            for _, langs in cues:  # in a field, any tell-tale letter votes
                voters = langs if allowed is None else langs & allowed
                if voters:
                    window.append(voters)
            if model is not None and enough:
                window += _tie_break(window, model, read.words)
            return _by_votes(window)

    # Text, or a field the vocabulary cannot read. A tell-tale letter narrows the languages when it is
    # frequent enough that no quoted name explains it: the most frequent first, and one that
    # contradicts those before is ignored.
    need = max(2, math.ceil(read.counts[read.dom] * CUE_SHARE))
    named = script.languages  # languages the script or its letters name, if they do
    for n, langs in cues:
        narrowed = langs if allowed is None else langs & allowed
        if n >= need and narrowed:
            allowed = named = narrowed
    if model is None and named is not None and read.letters >= SHORT:
        # In text, a language that would show letters of its own (kana for Japanese, ৰ for Assamese,
        # 嘅 for Cantonese) and shows none is not it: long Han text without kana is Chinese.
        shown = frozenset().union(*(langs for _, langs in cues))
        kept = allowed - (script.telltale - shown)
        if kept:
            allowed = kept
    if model is not None and enough and (allowed is None or not allowed.isdisjoint(model.languages)):
        return _by_model(model, read.words, allowed)
    if named is not None:
        return _by_votes([allowed])  # by speakers: Han alone is zh, then yue, ja
    return ()


def sentence_language(text: str) -> tuple[str, frozenset[str]] | None:
    """(language, the languages the model knows) when running text is sentence-sized and the n-gram
    model is sure (>= 90%) of its language, else None. The date engine asks it before reading a weak
    date word of another language (`des 3/4` in French, where `des` is December in Catalan); longer
    text shows its language in its own date words, and is not read twice."""
    if len(text) > SENTENCE_CHARS:
        return None
    tables = _tables()
    read = _read(tables, text)
    if read is None or read.counts[read.dom] < SENTENCE_LETTERS:
        return None
    model = tables.scripts[read.dom].model
    if model is None:
        return None
    ranked = _by_model(model, read.words, tables.scripts[read.dom].languages)
    if not ranked or ranked[0][1] < TIE_SURE:
        return None
    return ranked[0][0], frozenset(model.languages)


def _unknown_letters(words: list[str] | tuple[str, ...]) -> int:
    """Letters of the words that are in no language's date vocabulary."""
    return sum(sum(map(str.isalpha, w)) for w in words if not vocabulary.lookup(fold(w.strip(_PUNCTUATION))))


_PUNCTUATION = ".,;:!?()[]{}\"'«»“”‘’-–—/"


def tie_language(text: str, tied: frozenset[str]) -> str | None:
    """Which of languages `tied` (a tie of votes for a date's language) a sentence-sized text is in:
    the one its script or tell-tale letters show (kana: Japanese; `گ`: Persian, not Arabic), else the
    one the n-gram model is sure (>= 90%) of among them, when it knows two of them at least and the
    text has words besides the vocabulary's."""
    if len(text) > SENTENCE_CHARS or (text.isascii() and _unknown_letters(text.split()) < MODEL_LETTERS):
        return None  # ASCII shows no script or tell-tale letter, and too few letters for the model
    tables = _tables()
    read = _read(tables, text)
    if read is None:
        return None
    script = tables.scripts[read.dom]
    shown = tied if script.languages is None else tied & script.languages
    cued = tables.cued[read.dom]
    if len(shown) > 1 and cued is not None and cued.search(read.low) is not None:
        cues = [
            c.languages
            for c in tables.cues
            if c.script == read.dom and any(map(read.low.__contains__, c.letters))
        ]
        shown = shown.intersection(*cues) if cues else shown
    if len(shown) == 1:
        return next(iter(shown))
    model = script.model
    # Only letters of words besides the date's own tell more than its tie (`गुरुवार, 19 मार्च`: none).
    if model is None or _unknown_letters(read.words) < MODEL_LETTERS:
        return None
    known = tied.intersection(model.languages)
    if len(known) < 2:
        return None
    ranked = _by_model(model, read.words, known)
    return ranked[0][0] if ranked and ranked[0][1] >= TIE_SURE else None


# Field-sized texts repeat across a corpus (bylines, section headers): a bounded memo of results.
_detect_cached = lru_cache(maxsize=8192)(_detect)


def detect_languages(
    text: str, *, candidates: list[str] | tuple[str, ...] | None = None
) -> list[tuple[str, float]]:
    """Languages `text` may be written in, best first, with confidences (see the module docstring).

    `candidates` restricts the answer to those languages (ISO 639-1 codes as in `locales/`, regional
    forms like `en-US` and langdetect's `zh-cn` accepted). [] when the text has too few letters.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    cands = _candidates(candidates)
    if len(text) <= _FIELD_CHARS:
        return list(_detect_cached(text, cands))
    return list(_detect(text, cands))


def detect_language(text: str, *, candidates: list[str] | tuple[str, ...] | None = None) -> str | None:
    """The most likely language of `text` (ISO 639-1 code as in `locales/`), or None when undetermined."""
    found = detect_languages(text, candidates=candidates)
    return found[0][0] if found else None


def clear_caches() -> None:
    """Drop the loaded tables and the result memo (they reload on next use)."""
    # No lock: locale_data.clear_caches calls this holding its own lock, while a first use holds ours
    # and waits for locale_data's; taking ours here could deadlock. A dict clear is atomic, and a build
    # that finishes after it stores the same tables again.
    _state.clear()
    _detect_cached.cache_clear()
    _score_memo.cache_clear()
    _codes.cache_clear()
    _by_rank.cache_clear()
