"""Language of a text: `detect_language`, `detect_languages`.

Evidence, from the cheapest:

1. Script (`locales/scripts.toml`). Greek letters are Greek, hangul Korean, kana Japanese; Han alone is
   Chinese first, Japanese and Cantonese after. Tell-tale letters narrow a shared script down (`ї` is
   Ukrainian, `ў` Belarusian, `پ` never Arabic).
2. Words, for short fields (under 40 letters: dates, headers, bylines). The date engine's vocabulary
   (`vocabulary.stream`) says which languages have each word (month, weekday, relative day, prose such
   as `Publié le`); every word votes for its languages, tell-tale letters vote too, and the language
   with most votes wins, then the one with most speakers, exactly as the date engine picks the
   language of a date (`dates._best`).
3. Letters, for longer text or a field none of whose words the vocabulary knows: a naive Bayes model
   over the text's 1-, 2- and 3-letter sequences (`locales/ngrams.json`, built from langdetect's
   profiles by `scripts/build_language.py`). Every n-gram is scored once (no random sampling, so no
   seed), as packed integers: one dict lookup and one integer addition per n-gram score every
   language of the script at once.

Confidence (the floats of `detect_languages`):
- from votes: weight = speakers ** 0.25 * 0.001 ** (words the language does not explain), normalized;
  one word more outweighs any difference in speakers, and a tie is shared by speakers
  (`novembre` alone: fr 0.33, it 0.23, ht 0.14, ca 0.14, oc 0.10);
- from the n-gram model: the posterior of its languages, each n-gram's evidence divided by 3 (a
  letter sits in three overlapping n-grams, which are not independent).
Languages under 0.01 are left out, at most 5 are listed, best first.

Abstention: fewer than 3 letters (a Han or hangul character counts 2) once URLs, e-mail addresses and
codes (`AB-1234`, `COVID-19`) are removed gives None / []; so does a field of 3-7 letters none of whose
words is known. Only the first 10,000 characters are read.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from normalize import locale_data, vocabulary
from normalize.dates import _best, _rank, normalize_languages

MIN_LETTERS = 3  # below: no answer at all
MODEL_LETTERS = 8  # below: the n-gram model is not asked (a name or an acronym is no evidence)
SHORT = 40  # below: a field, decided by words; from here on: text, decided by letters
MAX_CHARS = 10_000  # read at most this much (langdetect reads 10,000 characters too)
CUE_SHARE = 0.005  # in text, a tell-tale letter counts from this share of the letters on
MISS = 1e-3  # weight factor of a word a language does not explain
OVERLAP = 3  # n-grams per letter: the model's evidence is divided by it
TOP = 5
FLOOR = 0.01
_BITS = 32  # width of one language's score in a packed integer (no overflow below 16 M n-grams)
_MASK = (1 << _BITS) - 1
_FIELD_CHARS = 512  # texts up to this length share a bounded result memo

# URLs, e-mail addresses, and codes: a run of capitals, digits and hyphens with both a capital and a
# digit in it (AB-1234, COVID-19, A320). Their letters are not language.
_NOISE = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w-])(?=[A-Z\d_-]*\d)[A-Z\d_-]*[A-Z][A-Z\d_-]*(?![\w-])"
)


@dataclass(frozen=True, slots=True)
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
    fold: dict[int, str]  # the letters langdetect's profiles were counted with (ș -> ş)
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


def _pack(values: list[int]) -> int:
    """[index, score, index, score...] -> one integer holding each score at its language's bits."""
    packed = 0
    for k in range(0, len(values), 2):
        packed |= values[k + 1] << (_BITS * values[k])
    return packed


def _build_tables() -> _Tables:
    spec = locale_data.load("scripts.toml")
    data = locale_data.load("ngrams.json")
    names = [s["name"] for s in spec["script"]]
    scripts = []
    for s in spec["script"]:
        raw = data["models"].get(s["name"])
        model = None
        if raw is not None:
            grams = {gram: _pack(values) for gram, values in raw["grams"].items()}
            model = _Model(tuple(raw["languages"]), grams, data["scale"])
        scripts.append(
            _Script(
                s["name"],
                frozenset(s["languages"]) or None,
                s.get("weight", 1),
                tuple(names.index(n) for n in s.get("absorbs", ())),
                model,
            )
        )
    classes = []
    for s in spec["script"]:
        ranges = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in s["ranges"])
        classes.append(f"([{ranges}]+)")
    runs = re.compile("|".join(classes))
    cues = []
    for cue in spec["cue"]:
        home = runs.match(cue["letters"][0])
        cues.append(_Cue(cue["letters"], frozenset(cue["languages"]), home.lastindex - 1))
    known = set(locale_data.load("languages.json")["languages"])
    for script in scripts:
        known |= script.languages or set()
        known |= set(script.model.languages) if script.model else set()
    return _Tables(
        tuple(scripts),
        tuple(cues),
        runs,
        str.maketrans(data["fold"]),
        dict(spec["profiles"]),
        frozenset(known),
    )


def _candidates(candidates: object) -> frozenset[str] | None:
    if candidates is None:
        return None
    if not isinstance(candidates, (list, tuple)):
        raise TypeError(f"candidates must be a list or tuple of str, or None, not {type(candidates).__name__}")
    if not candidates:
        raise ValueError("candidates is empty: pass None to allow every language")
    tables = _tables()
    out: set[str] = set()
    for code in candidates:
        if not isinstance(code, str):
            raise TypeError(f"candidates must contain str, not {type(code).__name__}")
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
    return (vocabulary._speakers().get(lang, 0) + 1) ** 0.25


def _listing(weights: dict[str, float], first: str | None = None) -> tuple[tuple[str, float], ...]:
    """Normalize weights; best first (then most speakers, then code); drop the long tail."""
    total = sum(weights.values())
    rank = _rank()
    order = sorted(weights, key=lambda lang: (-weights[lang], -rank.get(lang, 0), lang))
    if first is not None and order[0] != first:
        order.remove(first)
        order.insert(0, first)
    out = [(lang, round(weights[lang] / total, 4)) for lang in order[:TOP]]
    return tuple(item for k, item in enumerate(out) if k == 0 or item[1] >= FLOOR)


def _by_votes(window: list[frozenset[str]]) -> tuple[tuple[str, float], ...]:
    """Rank the languages the window's words vote for; the winner is the date engine's choice."""
    langs = frozenset().union(*window)
    votes: Counter[str] = Counter()
    for voters in window:
        votes.update(voters)
    most = max(votes.values())
    weights = {lang: _prior(lang) * MISS ** (most - votes[lang]) for lang in langs}
    return _listing(weights, _best(langs, tuple(window)))


def _by_model(model: _Model, words: list[str], allowed: frozenset[str] | None):
    total = 0
    get = model.grams.get
    for word in words:
        padded = f" {word} "
        n = len(padded)
        grams = [padded[i : i + k] for k in (1, 2, 3) for i in range(n - k + 1)]
        total += sum(filter(None, map(get, grams)))
    scores = {}
    for k, lang in enumerate(model.languages):
        if allowed is None or lang in allowed:
            scores[lang] = (total >> (_BITS * k)) & _MASK
    if not scores:
        return ()
    best = max(scores.values())
    unit = model.scale * OVERLAP
    return _listing({lang: math.exp((s - best) / unit) for lang, s in scores.items()})


# -- detection -----------------------------------------------------------------------------------


def _detect(text: str, candidates: frozenset[str] | None) -> tuple[tuple[str, float], ...]:
    tables = _tables()
    text = text[:MAX_CHARS]
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    clean = _NOISE.sub(" ", text)
    low = clean.lower()
    folded = low.translate(tables.fold)

    scripts = tables.scripts
    counts = [0] * len(scripts)
    runs: list[tuple[int, str]] = []
    for m in tables.runs.finditer(folded):
        k = m.lastindex - 1
        word = m.group()
        counts[k] += len(word)
        runs.append((k, word))
    weighted = [c * s.weight for c, s in zip(counts, scripts, strict=True)]
    letters = sum(weighted)
    if letters < MIN_LETTERS:
        return ()
    for k, script in enumerate(scripts):  # kana takes the kanji of Japanese text
        if weighted[k]:
            for a in script.absorbs:
                weighted[k] += weighted[a]
                weighted[a] = 0
    dom = max(range(len(scripts)), key=lambda k: (weighted[k], -k))
    script = scripts[dom]

    allowed = script.languages
    if candidates is not None:
        allowed = candidates if allowed is None else allowed & candidates
        if not allowed:
            return ()

    # Tell-tale letters: in a field any one counts; in text only a share that no quoted name reaches.
    short = letters < SHORT
    need = 1 if short else max(1, math.ceil(counts[dom] * CUE_SHARE))
    fired = [c.languages for c in tables.cues if c.script == dom and sum(map(low.count, c.letters)) >= need]

    if short:
        window = []
        for voters in vocabulary.stream(clean, candidates).voters:
            if voters and allowed is not None:
                voters = voters & allowed
            if voters:
                window.append(voters)
        if window:
            for cue in fired:
                voters = cue if allowed is None else cue & allowed
                if voters:
                    window.append(voters)
            return _by_votes(window)

    for cue in sorted(fired, key=len):
        narrowed = cue if allowed is None else cue & allowed
        if narrowed:
            allowed = narrowed
    model = script.model
    if model is not None and counts[dom] >= MODEL_LETTERS:
        if allowed is None or not allowed.isdisjoint(model.languages):
            return _by_model(model, [w for k, w in runs if k == dom], allowed)
    if allowed is not None:
        return _by_votes([allowed])
    return ()


# Field-sized texts repeat across a corpus (bylines, section headers): a bounded memo of results.
_detect_cached = lru_cache(maxsize=8192)(_detect)


def detect_languages(text: str, *, candidates: list[str] | tuple[str, ...] | None = None) -> list[tuple[str, float]]:
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
    with _lock:
        _state.clear()
    _detect_cached.cache_clear()
