"""Grammar and validation: token stream -> DateResult (`parse_date`, `find_dates`).

The grammar is a handful of regular expressions over the stream's shape string (one character per
token, see `vocabulary.py`). Every match is a candidate; validation (calendar, clock, field order,
language) keeps the real ones; overlapping candidates are settled longest first.
"""

from __future__ import annotations

import calendar
import operator
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from itertools import chain, compress, count
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from normalize import locale_data, zones
from normalize.results import DateResult, draft_of, replaced, shifted
from normalize.text import fold, has_unspaced
from normalize.vocabulary import (
    MINOR,
    Chunks,
    Stream,
    chunks,
    count_words,
    lookup,
    relative_index,
    speaker_counts,
    stream,
    stream_voters,
    template_sides,
    text_voters,
)

# -- grammar -------------------------------------------------------------------------------------

_GAP = r"(?:[_,\-/#'()]|F\.?)*"  # between fields: spaces, commas, hyphens, "de", "of", "ta’", "ค.ศ."
_WD = r"(?:(?P<w>[WXP])\.?[_,]*)?"
_WD_AFTER = r"(?:[_,(]*(?P<w2>[WXP])\.?\)?)?"
# An apostrophe opening a word (after a space, comma or bracket) before two digits writes a year
# (`Nov 18 '24`); one after a letter elides a word (`l'11 novembre`), and the number is the day.
_OPENS_WORD = "[_,(]"
_DAY = rf"(?<!{_OPENS_WORD}')(?P<d>n)(?!:n)(?:\.?[Oo]|\.|D)?"  # "1.º", "18.", "1st"; "17:" is an hour
_MONTH = r"(?:(?P<M>[MXP])\.?|(?P<mk>k)_?(?P<mn>n))"
_YEAR = r"(?P<y>y)(?:[_-]?Y\.?)?"
# A year closing a date may be written `'24` (`Nov 18 '24`, `November '24`), but not `'90s`.
_YEAR_LAST = rf"(?:{_YEAR}|(?<={_OPENS_WORD})'(?P<yy>n)(?=$|[_,.)\-~'#|]|:(?![ni])))"
_NOT_AFTER_NUM = r"(?<![nkybl])(?<![nkybl][.\-/:,])"
_NOT_BEFORE_NUM = r"(?![nkybl]|[-/.:,][nkybl])"


def _opening(group: str, char: str) -> str:
    """A form's first token, `char`, not after a number: the lookbehinds follow the character, so the
    pattern opens with a literal, which the regex engine finds by a fast scan (a leading lookahead or
    lookbehind is tried at every position, 6x slower on prose)."""
    return rf"(?P<{group}>{char})(?<![nkybl]{char})(?<![nkybl][.\-/:,]{char})"


# (name, pattern, strong). Weak forms count in parse_date (a whole field) but not in running text.
_DATE_FORMS = (
    ("dmy", f"{_WD}{_NOT_AFTER_NUM}{_DAY}{_GAP}{_MONTH}(?:{_GAP}{_YEAR_LAST})?{_WD_AFTER}", True),
    ("mdy", f"{_WD}{_MONTH}{_GAP}{_DAY}(?:{_GAP}{_YEAR_LAST})?{_WD_AFTER}", True),
    ("ymd", rf"{_WD}{_YEAR}\.?{_GAP}{_MONTH}{_GAP}{_DAY}{_WD_AFTER}", True),
    ("ydm", rf"{_WD}{_YEAR}\.?{_GAP}{_DAY}{_GAP}{_MONTH}{_WD_AFTER}", True),
    ("cjk", rf"(?:(?P<y>y)_?Y_?)?(?P<m>n)_?K_?(?P<d>n)_?D{_WD_AFTER}", True),
    ("cjk_ym", r"(?P<y>y)_?Y_?(?P<m>n)_?K(?!_?n)", True),
    ("iso", rf"{_opening('y', 'y')}(?P<s>[-/.])_?(?P<m>n)(?P=s)_?(?P<d>n)(?![nkybl])\.?", True),
    ("num", rf"{_opening('a', 'n')}(?P<s>[-/.])_?(?P<b>n)(?P=s)_?(?P<c>[yn]){_NOT_BEFORE_NUM}", True),
    ("my", f"{_MONTH}{_GAP}{_YEAR_LAST}", True),
    ("dm_dot", rf"{_opening('d', 'n')}\.(?P<m>n)\.(?![nkybl])", False),
    ("md", rf"{_opening('a', 'n')}/(?P<b>n)(?![nkybl]|[-/.:,][nkybl])", False),
    ("m_y", rf"{_opening('m', 'n')}(?P<s>[/.])(?P<y>y){_NOT_BEFORE_NUM}", False),
    ("compact", r"(?P<c8>b)(?<![nkybl]b)(?![nkybl])", False),
    ("year", r"(?P<y>y)(?<![nkybl]y)(?:_?(?P<ym>Y)\.?)?(?![nkybl]|[-/.:][nkybl])", False),
)
_TIME = (  # over `Stream.clock`: "i" is a one-digit number, which may be an hour but not a minute
    r"(?:(?P<pre>T)_?)?(?:(?P<ap1>[AP])_?)?"
    r"(?P<h>[ni])(?:"
    r"(?P<hs>[:.])(?P<mi>n)(?:(?P=hs)(?P<s>n)(?:[.,](?P<f>[nkybli]))?)?"
    r"|_?(?P<hm>[TH])_?(?P<mi2>[ni])(?:_?I(?:_?(?P<s2>[ni])_?S)?)?"
    r"|_?(?P<hm2>[TH])(?![_]?[nkybli])"
    r"|(?=_?[AP])"
    r")(?:_?(?P<ap2>[AP])\.?)?(?:_?T(?=_?\(?Z))?"
    r"(?:_?\(?(?P<z>Z)\)?(?:(?P<zsign>[+-])(?P<zh>[nyi])(?::(?P<zm>n))?)?"
    r"|_?(?P<osign>[+-])(?P<oh>[nyi])(?::(?P<om>n))?)?"
    r"|(?P<apw>[AP])"
)
_MATCH_ORDER = operator.itemgetter(0, 1, 2)
_START = operator.attrgetter("start")  # longest, earliest, grammar order
_TIME_NEEDS = frozenset(":.THAPI")  # a clock time has one of these, or it is none
_JOIN = frozenset("_,-~()|WXPFNT.?")  # tokens allowed between a date and its time
# In prose a time written only with a dot (`17.38`) may be a number: it joins a date with no word between
# (`18 novembre 2024 17.38`), not across one (`rose 1.25 on March 3`).
_JOIN_WEAK = frozenset("_,-~()|")
_MAX_JOIN = 6
_JOIN_PERIOD = _JOIN | {"A"}  # between a date and a time read as a numeric date (`2024 AM 9.07.00`)


# A form is tried only on shapes that hold, of each group, one of its strings (most texts lack most).
_MONTHS = ("M", "X", "P", "k")
_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "dmy": (_MONTHS,),
    "mdy": (_MONTHS,),
    "ymd": (_MONTHS, ("y",)),
    "ydm": (_MONTHS, ("y",)),
    "my": (_MONTHS, ("y", "'")),
    "cjk": (("K",),),
    "cjk_ym": (("K",),),
    "iso": (("y-", "y/", "y."),),
    "num": (("n-", "n/", "n."),),
    "dm_dot": (("n.n.",),),
    "md": (("n/n",),),
    "m_y": (("n/y", "n.y"),),
    "compact": (("b",),),
    "year": (("y",),),
}


# The characters a match of each form can start with. A leading lookahead lets the regex engine pass
# over every other position at once instead of trying the optional weekday first (2-3x faster on prose).
# (Forms that open with one literal character need none: see `_opening`.)
_FIRST = {"dmy": "WXPn", "mdy": "WXPMk", "ymd": "WXPy", "ydm": "WXPy", "cjk": "yn", "my": "MXPk"}
_FIRST["time"] = "TAPni"


def _compile(name: str, pattern: str) -> re.Pattern[str]:
    first = _FIRST.get(name)
    return re.compile(f"(?=[{first}])(?:{pattern})" if first else pattern)


@lru_cache(maxsize=1)
def _grammar() -> tuple[list[tuple[str, re.Pattern[str], bool, tuple]], re.Pattern[str]]:
    forms = [(name, _compile(name, p), strong, _NEEDS[name]) for name, p, strong in _DATE_FORMS]
    return forms, _compile("time", _TIME)


# -- language data -------------------------------------------------------------------------------


def _languages() -> dict:
    return locale_data.load("languages.json")


@lru_cache(maxsize=1)
def _capitalized() -> frozenset[str]:
    """Languages whose month names CLDR writes with a capital (`March`, `März`; not `mars`)."""
    return frozenset(code for code, info in _languages()["languages"].items() if info.get("capitalized"))


def known_languages() -> dict:
    """The languages the date engine reads (a mapping keyed by code)."""
    return _languages()["languages"]


@lru_cache(maxsize=512)
def _language_table(lang: str) -> dict:
    return locale_data.load(f"cldr/{lang}.json")


def normalize_languages(languages: object) -> tuple[tuple[str, ...], frozenset[str] | None]:
    """`languages=` -> (codes as given, normalized; base languages) or raise."""
    if languages is None:
        return (), None
    if isinstance(languages, str):
        languages = [languages]
    if not isinstance(languages, (list, tuple, set, frozenset)):
        raise TypeError(f"languages must be a list of str or None, not {type(languages).__name__}")
    known = known_languages()
    codes, bases = [], set()
    for code in languages:
        if not isinstance(code, str):
            raise TypeError(f"languages must contain str, not {type(code).__name__}")
        norm = code.strip().replace("-", "_")
        base = norm.split("_")[0].lower()
        if base not in known:
            raise ValueError(f"unknown language: {code!r}")
        codes.append(base if norm.lower() == base else f"{base}_{norm.split('_', 1)[1].upper()}")
        bases.add(base)
    return tuple(codes), frozenset(bases)


def _order_of(code: str) -> str:
    data = _languages()
    return data["regional_orders"].get(code) or data["languages"][code.split("_")[0]]["order"]


# -- candidates ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    start: int  # token indexes, end exclusive
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    micro: int = 0
    tz: tzinfo | None = None
    tz_end: int | None = None  # char offset when an IANA name extends the span
    language: str | None = None
    relative: bool = False
    ambiguous: bool = False
    alternatives: tuple[tuple[int | None, int, int | None], ...] = ()
    offset: tuple[str, int] | None = None  # relative: (unit, signed amount)
    lang_token: tuple[int, str] | None = None  # a word that tells the language if nothing else does
    steps: tuple[str, ...] = ()
    form: str = ""
    weak_time: bool = False
    bare_period: bool = False  # an hour made a time by a day-period word alone (`10 to`, `5 di sera`)
    has_date: bool = True


@lru_cache(maxsize=1)
def language_rank() -> dict[str, int]:
    """Languages by estimated speakers (then code), as integers: the last tie-breaker."""
    speakers = speaker_counts()
    return {lang: i for i, lang in enumerate(sorted(speakers, key=lambda x: (speakers[x], x)), 1)}


@lru_cache(maxsize=16384)
def voted_languages(langs: frozenset[str], window: tuple[frozenset[str], ...]) -> tuple[str, ...]:
    """The language of `langs` most words in the window speak, then the most spoken one; after it, the
    others with as many votes (a tie the letters of a sentence may break), most spoken first."""
    vote: Counter[str] = Counter()
    for voters in window:
        if voters:
            vote.update(voters & langs)
    order = language_rank()
    ranked = sorted(langs, key=lambda lang: -(vote.get(lang, 0) * 4096 + order.get(lang, 0)))
    most = vote.get(ranked[0], 0)
    return tuple(lang for lang in ranked if vote.get(lang, 0) == most)


def best_language(langs: frozenset[str], window: tuple[frozenset[str], ...]) -> str:
    """The language of `langs` most words in the window speak, then the most spoken one."""
    return voted_languages(langs, window)[0]


_WINDOW = 16  # tokens on each side whose languages vote for a date's language
_UNREAD = object()


class _Whole(NamedTuple):
    """A long text whose regions a stream reads: its chunks, and where each region starts in the
    regions' joined text and in this one."""

    text: str
    chunks: Chunks
    regions: tuple[list[int], list[int]]


class _Context:
    """Per-call options, and the memo of the language vote around each reading."""

    def __init__(
        self,
        s: Stream,
        hints: tuple[str, ...],
        order: str | None,
        ref,
        explain: bool,
        running: bool,
        langs: frozenset[str] | None = None,
        whole: _Whole | None = None,
        offset: int = 0,
    ):
        self.s = s
        self.offset = offset  # added to each result's span: the text is a slice starting there
        self.langs = langs  # the languages the stream was read in (None = all)
        self.whole = whole  # the long text `s` reads regions of, if it does not read all of it
        self.hints = hints
        self.hint_bases = [h.split("_")[0] for h in hints]
        self.order = order
        self.ref = ref
        self.explain = explain
        self.running = running  # find_dates: running text, not a date field
        self._votes: dict[int, Counter[str]] = {}
        self._counts: Counter[str] | None = None  # distinct words per language, of the whole text
        self._tally: tuple[int, int, frozenset[str]] = (0, 0, frozenset())  # their sum, top, top languages
        self._text_langs: frozenset[str] = frozenset()
        self._ties: dict[tuple[str, ...], str | None] = {}
        self._said: object = _UNREAD

    @property
    def text(self) -> str:
        """The whole text read (the stream may read only regions of it)."""
        return self.s.text if self.whole is None else self.whole.text

    def major(self, lang: str) -> bool:
        return lang in self.hint_bases or speaker_counts().get(lang, 0) >= MINOR

    def window(self, at: int) -> tuple[frozenset[str], ...]:
        lo = max(0, at - _WINDOW) if len(self.s.shape) > 2 * _WINDOW else 0
        return self.s.voters[lo : lo + 2 * _WINDOW + 1]

    def vote(self, at: int = 0) -> Counter[str]:
        """How many words near token `at` each (major, or named) language explains."""
        lo = max(0, at - _WINDOW) if len(self.s.shape) > 2 * _WINDOW else 0
        vote = self._votes.get(lo)
        if vote is None:
            vote = Counter()
            for langs in self.s.voters[lo : lo + 2 * _WINDOW + 1]:
                if langs:
                    vote.update(langs)
            self._votes[lo] = vote
        return vote

    def of_text(self, langs: set[str] | frozenset[str], besides: int | None = None) -> bool:
        """Is one of `langs` a language of the whole text (named, or explaining at least half as many
        distinct words as the best-explained language)? Running text decides its weak readings by it.
        With `besides`, when the letters say nothing, the word of that token is left out: a month word
        alone shows no language (`The No. 1 seed`: `No` is November only in Jola-Fonyi, and nothing
        else here is)."""
        if self.hint_bases and any(lang in self.hint_bases for lang in langs):
            return True
        if self._counts is None:
            # Distinct words (a word's voters do not depend on where it stands) of the whole text: of
            # spaced text, its words one by one (a phrase's too), as its chunks give them to regions.
            whole = self.whole
            if whole is not None:
                voters = text_voters(whole.chunks, self.langs)
            elif has_unspaced(self.text):
                voters = dict(zip(self.s.keys, self.s.voters, strict=True)).values()
            else:
                voters = stream_voters(self.s, self.langs)
            counts = self._counts = Counter(chain.from_iterable(voters))
            top = max(counts.values(), default=0)
            self._tally = (sum(counts.values()), top, frozenset(x for x, n in counts.items() if n == top))
            self._text_langs = frozenset(lang for lang, n in counts.items() if 2 * n >= top)
            # A sentence holds too few date words to tell its language by them. When the letters say
            # which language it is, the others the letter model knows are out, and those it does not
            # know stay only if spoken widely and explaining more words (`poco più di 1 su 2` is
            # Italian, `su` a month in Jola-Fonyi; Galician, which the model lacks, keeps its words).
            said = self.said()
            if said is not None:
                lang, modelled = said
                least = counts.get(lang, 0)
                self._text_langs = frozenset(
                    x
                    for x in self._text_langs
                    if x == lang or (x not in modelled and self.major(x) and counts[x] > least)
                )
        if besides is None or not (own := self.s.voters[besides]) or self.said() is not None:
            return not self._text_langs.isdisjoint(langs)  # (the letters, when they speak, weigh it)
        # The half rule over the counts less the word's own votes (one per language), without copying
        # them: a long text's counts name hundreds of languages.
        counts, (total, top, tops) = self._counts, self._tally
        if total == len(own):
            return True  # no other word: no say
        if tops <= own:
            top -= 1
        return any(2 * (n := counts[x] - (x in own)) >= top and n for x in langs)

    def said(self) -> tuple[str, frozenset[str]] | None:
        """(language, the languages the letter model knows) when the text is a sentence whose letters
        say surely which language it is in (`language.sentence_language`)."""
        if self._said is _UNREAD:
            self._said = _language().sentence_language(self.text)
        return self._said  # type: ignore[return-value]

    def best(self, langs: set[str], at: int = 0) -> str | None:
        if not langs:
            return None
        if len(langs) == 1:
            return next(iter(langs))
        hints = self.hint_bases

        if hints and any(lang in hints for lang in langs):
            return min((lang for lang in langs if lang in hints), key=hints.index)
        voted = voted_languages(frozenset(langs), self.window(at))
        if len(voted) == 1:
            return voted[0]
        return self.tie(voted) or voted[0]

    def tie(self, tied: tuple[str, ...]) -> str | None:
        """The tied language a sentence's letters say it is in (`La Borsa ha chiuso nell'agosto 2024`:
        `ha` votes Portuguese, `nell'` Italian), as `detect_language` breaks a tie of a field's votes."""
        if tied not in self._ties:
            self._ties[tied] = _language().tie_language(self.text, frozenset(tied))
        return self._ties[tied]


def _language():
    # normalize.language reads the date vocabulary, so it is imported when first needed, not at import.
    from normalize import language

    return language


def _langs_of(entries, kinds: str) -> set[str]:
    return {e.lang for e in entries if e.kind in kinds and e.lang != "*"}


def _span_language(
    ctx: _Context, start: int, end: int, first: tuple[int, ...] = ()
) -> tuple[str | None, set[str]]:
    """Language of the words in tokens [start, end): intersect their languages, names first; a word
    that shares no language with the others so far is passed over."""
    s = ctx.s
    langs: frozenset[str] | None = None
    for i in (*first, *range(start, end)):
        here = s.langs[i]
        if not here:
            continue
        if langs is None:
            langs = here
        elif not here.isdisjoint(langs):
            narrowed = langs & here
            # "grêle du 3 mars": `du` and `mars` share only Romansh; in running text a word that would
            # leave no widely spoken language is a word of the text's own language, not of the date.
            if ctx.running and not any(map(ctx.major, narrowed)) and any(map(ctx.major, langs)):
                continue
            langs = narrowed
    if not langs:
        return None, set()
    return ctx.best(langs, start), langs


def _year2(yy: int, ref) -> int:
    """Two-digit year: the century that puts it nearest the reference; else 1969-2068 (POSIX)."""
    if ref is not None:
        base = ref.year - ref.year % 100
        return min((base - 100 + yy, base + yy, base + 100 + yy), key=lambda y: abs(y - ref.year))
    return 1900 + yy if yy >= 69 else 2000 + yy


_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid(y: int | None, m: int, d: int | None) -> bool:
    if not 1 <= m <= 12:
        return False
    if d is None:
        return True
    if not 1 <= d <= _DAYS[m]:
        return False
    if y is not None and not 1 <= y <= 9999:
        return False  # checked before the leap year (fuzzing: year 0 "is" leap, and date(0, 2, 29) raised)
    return not (m == 2 and d == 29 and y is not None) or calendar.isleap(y)


def _num(s: Stream, i: int) -> int:
    return int(s.toks[i])


@lru_cache(maxsize=16384)
def _values(key: str, kinds: str) -> tuple[tuple[int | str, frozenset[str]], ...]:
    """Every value a word has for `kinds` (a month number, a day period), with its languages."""
    found: dict[int | str, set[str]] = {}
    for e in lookup(key):
        if e.kind in kinds:
            value = int(e.value) if e.value.isdigit() else e.value
            found.setdefault(value, set()).add(e.lang)
    return tuple((v, frozenset(langs)) for v, langs in sorted(found.items(), key=lambda kv: str(kv[0])))


def _entry_value(s: Stream, i: int, lang: str | None, kinds: str) -> tuple[int | None, dict[int, set[str]]]:
    """Value of a month/weekday word in `lang`, and every value it has in other languages."""
    here = s.langs[i]  # the languages left after a `languages=` filter
    values = {v: langs & here for v, langs in _values(s.keys[i], kinds) if isinstance(v, int)}
    values = {v: langs for v, langs in values.items() if langs}
    if lang is not None:
        for v, langs in values.items():
            if lang in langs:
                return v, values
    return (next(iter(values)) if values else None), values


def _date_from_match(ctx: _Context, name: str, m: re.Match[str]) -> _Reading | None:
    s = ctx.s
    if name == "num" and len(s.toks[m.start("c")]) not in (2, 4):
        return None  # "3.10.2" is a version, not a date (checked first: hostile input has many)
    g = m.groupdict()
    year = _num(s, m.start("y")) if g.get("y") else None
    if g.get("yy"):  # `'24`: the century nearest the reference, as for `18.11.24`
        year = _year2(_num(s, m.start("yy")), ctx.ref)
    if year is not None and not 1000 <= year <= 2999:
        return None
    month_tok = m.start("M") if g.get("M") else None
    if ctx.running:  # running text: the cheap reasons a match is no date, before its language is read
        if _split_by_prose(s, name, g, m):
            return None
        # "des 3/4", "su 2", "No. 4", "No. 1215": without a year or a day, a month word of a language
        # the text is not written in is some other word.
        partial = year is None or not g.get("d")
        if month_tok is not None and partial:
            months = _langs_of(s.entries[month_tok], "M")
            if not ctx.of_text(months, month_tok):
                return None
            if s.toks[month_tok].islower() and months <= _capitalized():
                return None  # "march 5 miles": English writes its months with a capital
    r = _Reading(m.start(), m.end(), form=name)
    r.year = year
    names = (month_tok,) if month_tok is not None else ()
    if g.get("w"):
        names += (m.start("w"),)
    end = m.end()
    if g.get("w2") and ctx.running:
        end = m.start("w2")  # in prose the date names its trailing weekday (`on Nov. 12 to decide`)
    elif g.get("w2"):
        names += (m.start("w2"),)
    lang, langs = _span_language(ctx, m.start(), end, names)
    r.language = lang
    if g.get("d"):
        r.day = _num(s, m.start("d"))
    if month_tok is not None and ctx.running and not any(ctx.major(x) for x in langs):
        return None  # "was 1": `was` is a month only in Old Prussian
    if month_tok is not None:
        r.month, values = _entry_value(s, month_tok, lang, "M")
        for v in sorted(values):
            if v != r.month and values[v] & langs and _valid(r.year, v, r.day):
                r.ambiguous = True  # `listopad`: November in Polish and Czech, October in Croatian
                r.alternatives += ((r.year, v, r.day),)
    elif g.get("mn"):
        r.month = _num(s, m.start("mn"))
    elif g.get("m"):
        r.month = _num(s, m.start("m"))
    if name in ("num", "md") and not _numeric(ctx, r, m):
        r.has_date = False  # no field order gives a real date: block shorter readings inside it
        return r
    elif name == "compact":
        text = s.toks[m.start("c8")]
        r.year, r.month, r.day = int(text[:4]), int(text[4:6]), int(text[6:])
        if not 1000 <= r.year <= 2999:
            return None
    elif name == "year":
        r.month = None
    if r.month is None and name != "year":
        return None
    _calendar(r)
    if r.month is not None and not _valid(r.year, r.month, r.day):
        r.steps += (f"invalid date {r.year}-{r.month}-{r.day}",)
        r.has_date = False
        return r
    for k in ("w", "w2"):
        if not g.get(k):
            continue
        wi = m.start(k)
        if lang is not None and any(e.kind == "W" and e.lang == lang for e in s.entries[wi]):
            r.weekday = int(next(e.value for e in s.entries[wi] if e.kind == "W" and e.lang == lang))
        elif k == "w":  # "On September 12": a word of another language, not this date's weekday
            r.start = m.end("w")
            while s.shape[r.start] in "_,.":
                r.start += 1
        else:
            r.end = m.start("w2")
            while s.shape[r.end - 1] in "_,(":
                r.end -= 1
    if ctx.explain:
        r.steps += (f"form {name}: {s.text[s.starts[m.start()] : s.end(m.end() - 1)]!r}",)
        if langs:
            r.steps += (f"language {lang} of {sorted(langs)[:8]}",)
    return r


def _split_by_prose(s: Stream, name: str, g: dict, m: re.Match[str]) -> bool:
    """In running text, a comma between day and month ("2.4.1, released on Oct. 30") or a sentence end
    between year and month ("May 15, 1935. On October 1") means two things, not one date."""
    month = "M" if g.get("M") else "mk"
    if name in ("dmy", "mdy") and g.get(month) and g.get("d"):
        lo, hi = sorted((m.start("d"), m.start(month)))
        return "," in s.shape[lo:hi]
    if name in ("ymd", "ydm") and g.get(month):
        between = s.shape[m.end("y") : m.start(month)]
        return "." in between and "F" in between
    return False


def _calendar(r: _Reading) -> None:
    """Years of another era written in the language's custom (Thai 2567 = 2024)."""
    if r.year is not None and r.language is not None:
        offset, start = _year_offset(r.language)
        if offset and r.year >= start:
            r.year -= offset


@lru_cache(maxsize=512)
def _year_offset(lang: str) -> tuple[int, int]:
    cal = _language_table(lang).get("calendar") or {}
    return cal.get("year_offset", 0), cal.get("year_offset_from", 0)


def _numeric(ctx: _Context, r: _Reading, m: re.Match[str]) -> bool:
    """a/b/c numeric date: settle the field order from date_order, hints, or the text's language."""
    s = ctx.s
    has_year = m.group("c") is not None if "c" in m.re.groupindex else False
    if has_year and len(s.toks[m.start("c")]) not in (2, 4):  # "3.10.2" is a version, not a date
        return False
    if ctx.running and has_year:
        widths = [len(s.toks[m.start(k)]) for k in ("a", "b", "c")]
        if widths[2] == 2 and min(widths) < 2:  # "2.7.18" in prose is a version number
            return False
    a, b = _num(s, m.start("a")), _num(s, m.start("b"))
    c = _num(s, m.start("c")) if has_year else None
    c_is_year = has_year and len(s.toks[m.start("c")]) == 4
    order, why = ctx.order, "date_order"
    if order is None and ctx.hints:
        order, why = _order_of(ctx.hints[0]), f"language {ctx.hints[0]}"
    if order is None:
        lang = ctx.best(set(ctx.vote(m.start())), m.start())
        if lang is not None:
            order, why = _order_of(lang), f"text language {lang}"
            r.language = lang
    if order is None:
        order, why = "DMY", "default day-first"
    if c is not None and order == "YMD" and not c_is_year and len(s.toks[m.start("a")]) == 2:
        options = [(a, b, c)]
    else:
        day_first = order == "DMY"  # YMD languages write month/day too (ja 2/29)
        options = [(c, b, a), (c, a, b)] if day_first else [(c, a, b), (c, b, a)]
    readings = []
    for y, mo, d in options:
        year = None if y is None else (y if c_is_year else _year2(y, ctx.ref))
        if (year is None or 1000 <= year <= 2999) and _valid(year, mo, d) and (year, mo, d) not in readings:
            readings.append((year, mo, d))
    if not readings:
        return False
    r.year, r.month, r.day = readings[0]
    if len(readings) > 1:
        r.ambiguous = True
        r.alternatives = tuple(readings[1:])
    if ctx.explain:
        r.steps += (f"field order {order} from {why}",)
    _weekday_before(s, r)
    return True


def _weekday_before(s: Stream, r: _Reading) -> None:
    """`Mon 03/04/2024`, `lundi, 18/11/2024`: a weekday name right before a numeric date is part of it
    (the name forms hold theirs in the grammar; the numeric forms open with a literal for speed)."""
    k = r.start - 1
    while k >= 0 and s.shape[k] in "_,":
        k -= 1
    if k + 1 == r.start:
        return  # `Mon03/04`: no gap, no weekday
    if k >= 1 and s.shape[k] == "." and s.shape[k - 1] in "WXP":
        k -= 1  # `Mon., 03/04/2024`
    if k < 0 or s.shape[k] not in "WXP":
        return
    values = {e.value for e in s.entries[k] if e.kind == "W" and (r.language is None or e.lang == r.language)}
    if len(values) == 1:
        r.weekday, r.start = int(values.pop()), k


def _time_from_match(ctx: _Context, m: re.Match[str]) -> _Reading | None:
    s = ctx.s
    if m.group("hs") and len(s.toks[m.start("mi")]) != 2:
        return None  # 17:38 needs two-digit minutes
    g = m.groupdict()
    r = _Reading(m.start(), m.end(), has_date=False, form="time")
    if g.get("apw"):
        if not any(v in ("noon", "midnight") for v, _ in _values(s.keys[m.start("apw")], "A")):
            return None  # a day period alone is a time only when it names noon or midnight
        period = _period(s, m.start("apw"), ctx)
        if period not in ("noon", "midnight"):
            return None
        r.hour, r.minute = (12 if period == "noon" else 0), 0
        r.lang_token = (m.start("apw"), "A")
        return r
    h = _num(s, m.start("h"))
    mi_i = m.start("mi") if g.get("mi") else (m.start("mi2") if g.get("mi2") else None)
    mi = 0
    clock = g.get("hs") is not None  # 17:38 needs two-digit minutes; 9시 7분 does not
    if mi_i is not None:
        if clock and len(s.toks[mi_i]) != 2:
            return None
        mi = _num(s, mi_i)
    sec_i = m.start("s") if g.get("s") else (m.start("s2") if g.get("s2") else None)
    sec = None
    if sec_i is not None:
        if clock and len(s.toks[sec_i]) != 2:
            return None
        sec = _num(s, sec_i)
    if g.get("f"):
        frac = s.toks[m.start("f")][:6]
        r.micro = int(frac.ljust(6, "0"))
    ap_i = m.start("ap2") if g.get("ap2") else (m.start("ap1") if g.get("ap1") else None)
    if ap_i is not None and ctx.running and not ctx.of_text(_langs_of(s.entries[ap_i], "A")):
        if mi_i is None or g.get("z") or g.get("osign"):
            return None  # "$3.9 bn a year ago": `bn` is a day period in Kurdish, not in this text
        # "cut to 4.50 on Dec 18": `to` is a.m. in Uzbek; without it the number is a time only weakly
        if g.get("ap2"):
            r.end = m.start("ap2")
            while s.shape[r.end - 1] == "_":
                r.end -= 1
        else:
            r.start = m.start("h")
        ap_i = None
    if ap_i is not None:
        period = _period(s, ap_i, ctx)
        h = _apply_period(h, period, ctx, s, ap_i)
        if h is None:
            return None
        r.lang_token = (ap_i, "A")
        r.bare_period = mi_i is None
    elif g.get("hs") is None and mi_i is None and g.get("hm2") is None:
        return None
    # "17.38" is a time only with something else saying so; otherwise it may be a date or a number.
    r.weak_time = g.get("hs") == "." and not (g.get("pre") or ap_i is not None)
    if not (0 <= h <= 23 and 0 <= mi <= 59 and (sec is None or 0 <= sec <= 59)):
        r.steps += ("invalid time",)
        r.hour = -1
        return r
    r.hour, r.minute, r.second = h, mi, sec
    if g.get("hm") or g.get("hm2"):
        marker = m.start("hm") if g.get("hm") else m.start("hm2")
        r.lang_token = r.lang_token or (marker, "TH")
    _zone(ctx, r, m)
    return r


def _period(s: Stream, i: int, ctx: _Context) -> str | None:
    """The day period a word names: `PM` means p.m. in all 177 languages that write it, so no vote."""
    values = [(v, langs & s.langs[i]) for v, langs in _values(s.keys[i], "A")]
    values = [(v, langs) for v, langs in values if langs]
    if len(values) <= 1:
        return str(values[0][0]) if values else None
    lang = ctx.best(_langs_of(s.entries[i], "A"), i)
    return next((str(v) for v, langs in values if lang in langs), None)


def _apply_period(h: int, period: str | None, ctx: _Context, s: Stream, i: int) -> int | None:
    if period is None:
        return h
    if period in ("am", "pm"):
        if not 0 <= h <= 12:
            return h if h <= 23 and period == "pm" else None
        return h % 12 + (12 if period == "pm" else 0)
    lang = ctx.best(_langs_of(s.entries[i], "A"), i)
    hours = _language_table(lang)["day_period_hours"].get(period) if lang else None
    if not hours or h > 12:
        return h
    lo, hi = hours

    def distance(hour: int) -> int:
        """Hours from `hour` to the period's span (0 inside it), around the clock."""
        inside = (lo <= hour < hi) if lo < hi else (hour >= lo or hour < hi)
        return 0 if inside else min((lo - hour) % 24, (hour - hi + 1) % 24)

    # CLDR's spans are approximate ("5 вечера" is 17:00 though evening starts at 18): nearest wins.
    return min((h % 12, h % 12 + 12), key=distance)


def _zone(ctx: _Context, r: _Reading, m: re.Match[str]) -> None:
    s = ctx.s
    g = m.groupdict()
    tz = None
    if g.get("z"):
        zi = m.start("z")
        base = next((e.value for e in s.entries[zi] if e.kind == "Z"), None)
        tz = zones.offset(base) if base else None
        if tz is not None and g.get("zsign"):
            extra = zones.offset(g["zsign"] + _hhmm(s, m, "zh", "zm"))
            if extra is None:
                tz = None
            else:
                tz = zones.offset(format_offset(tz.utcoffset(None) + extra.utcoffset(None)))
    elif g.get("osign"):
        tz = zones.offset(g["osign"] + _hhmm(s, m, "oh", "om"))
    if tz is None and (g.get("z") or g.get("osign")):
        # Not a zone after all (e.g. the "-18" of a range 17:00-18:00): end the time before it.
        r.end = m.start("z") if g.get("z") else m.start("osign")
        while r.end > r.start and s.shape[r.end - 1] == "_":
            r.end -= 1
    r.tz = tz
    if tz is None:
        found = zones.find_iana(s.text, s.end(r.end - 1))
        if found:
            r.tz, r.tz_end = found


def _hhmm(s: Stream, m: re.Match[str], h: str, mi: str) -> str:
    text = s.toks[m.start(h)]
    if m.group(mi):
        text += s.toks[m.start(mi)]
    return text


def format_offset(delta: timedelta) -> str:
    """`+03:00` for a UTC offset of three hours."""
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _relative(ctx: _Context) -> list[_Reading]:
    """Relative days (`ieri`, `yesterday`) and relative times (`vor 2 Tagen`, `3 hours ago`)."""
    s = ctx.s
    out: list[_Reading] = []
    shape = s.shape
    # Relative days, and numbers beside relative-time template words ("vor 2 Tagen"): only those are
    # looked at, found from the template words outwards (hostile input holds numbers by the thousand).
    spots = {m.start() for m in _RELATIVE_DAY.finditer(shape)}
    n = len(shape)
    sides = template_sides()
    counts = count_words()
    counted: dict[int, dict[str, int]] = {}  # counts written as words before template words (`an hour`)
    # Only words some template has beside its number can mark a spot: found by key in C (a phrase's
    # key is its words run together, so phrases are looked at by their folded text).
    candidates = compress(count(), map(sides.near.__contains__, s.keys))
    if s.phrases:
        candidates = sorted({*candidates, *s.phrases})
    kinds, keys, phrases = s.kinds, s.keys, frozenset(s.phrases)
    for k in candidates:
        if "U" not in kinds[k]:
            continue
        word = fold(s.toks[k]) if k in phrases else keys[k]  # `_word_at`
        # The first token on each side past spaces and dots, if some template has this word right
        # after (before) its number.
        if word in sides.first:
            j = k - 1
            while j >= 0 and shape[j] in "_.'":  # `un'ora`: a count elided before its word
                j -= 1
            if j >= 0 and shape[j] in "nk":
                spots.add(j)
            elif j >= 0 and word in counts.after and (written := counts.words.get(fold(s.toks[j]))):
                counted[j] = written
        if word in sides.last:
            j = k + 1
            while j < n and shape[j] in "_.":
                j += 1
            if j < n and shape[j] in "nk":
                spots.add(j)
    for i in sorted(spots.union(counted)):
        if shape[i] == "R":
            langs = _langs_of(s.entries[i], "R")
            if ctx.running and not ctx.of_text(langs):
                continue  # "disse à agência Lusa": `lusa` is "the day after tomorrow" in Malay only
            lang = ctx.best(langs, i)
            offset = next(int(e.value) for e in s.entries[i] if e.kind == "R" and e.lang == lang)
            r = _Reading(i, i + 1, relative=True, language=lang, form="relative day")
            r.offset = ("day", offset)
            out.append(r)
        else:
            r = _relative_time(ctx, i, counted.get(i))
            if r is not None:
                out.append(r)
    return out


_RELATIVE_DAY = re.compile("R")


def _word_at(s: Stream, k: int) -> str:
    """The folded word of token k: its index key, unless it is a phrase (keyed by its words run together)."""
    return fold(s.toks[k]) if s.phrases and k in s.phrases else s.keys[k]


def _words_around(s: Stream, i: int, step: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Up to 4 folded words (and their token indexes) on one side of token i, stopping at a number."""
    words: list[str] = []
    at: list[int] = []
    shape, kinds = s.shape, s.kinds
    j = i + step
    while 0 <= j < len(shape) and len(at) < 4:
        c = shape[j]
        if c in "nkybl":
            break
        if c not in "_.,#'":
            if "U" not in kinds[j]:
                break  # template words are all relative-time words
            words.append(_word_at(s, j))
            at.append(j)
        j += step
    return tuple(words), tuple(at)


@lru_cache(maxsize=4096)
def _templates_around(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    """(words taken before, words taken after, raw entries) of each template the words around a number
    fit, shortest reach before first: a corpus repeats the words around its numbers."""
    index = relative_index()
    sides = template_sides()
    out = []
    for nb in range(len(before) + 1):
        pre = " ".join(reversed(before[:nb]))
        if pre not in sides.before:
            continue
        for na in range(len(after) + 1):
            if nb + na == 0:
                continue
            post = " ".join(after[:na])
            if post not in sides.after:
                continue
            raw = index.get(pre + "|" + post)
            if raw:
                out.append((nb, na, raw))
    return tuple(out)


def _relative_time(ctx: _Context, i: int, count: dict[str, int] | None = None) -> _Reading | None:
    """`vor 2 Tagen`, `il y a 3 jours`, `2日前`: the longest template around the number i. A count
    written as a word (`vor einer Stunde`, `an hour ago`) fits the templates of its own languages."""
    s = ctx.s
    (before, before_at), (after, after_at) = _words_around(s, i, -1), _words_around(s, i, 1)
    best = None
    for nb, na, raw in _templates_around(before, after):
        options = [item.split(" ") for item in raw.split(";")]
        if ctx.hints:
            options = [o for o in options if o[0] in ctx.hint_bases]
        if count is not None:  # read only right before its template's next word (`vocabulary.Counts`)
            options = [o for o in options if o[0] in count] if na else []
        if options and (best is None or nb + na > best[0]):
            lang = ctx.best({o[0] for o in options}, i)
            unit, sign = next((o[1], int(o[2])) for o in options if o[0] == lang)
            start = before_at[nb - 1] if nb else i
            end = (after_at[na - 1] if na else i) + 1
            best = (nb + na, lang, unit, sign, start, end)
    if best is None:
        return None
    _size, lang, unit, sign, start, end = best
    r = _Reading(start, end, relative=True, language=lang, form=f"relative {unit}")
    r.offset = (unit, sign * (_num(s, i) if count is None else count[lang]))
    return r


# -- assembling readings -------------------------------------------------------------------------


def _readings(ctx: _Context, strong_only: bool) -> list[_Reading]:
    s = ctx.s
    shape = s.shape
    n = len(shape)
    # Longest match first, then earliest, then grammar order; each is interpreted only if it is still
    # free, and an impossible one ("31 febbraio 2024") blocks the shorter readings inside it.
    matches = _date_matches(shape, strong_only)
    taken = bytearray(n)  # tokens already in a chosen date: overlap checks stay linear
    blocked_end = [0] * n  # for tokens inside an impossible date, where that date ends
    chosen: list[_Reading] = []
    for _, start, _, name, m in matches:
        end = m.end()
        if taken.find(1, start, end) >= 0 or blocked_end[start] >= end:
            continue
        year_word = _year_written(s, m, strong_only) if name == "year" else -1
        if year_word is None:
            continue  # a bare year not written as a date
        r = _date_from_match(ctx, name, m)
        if r is None:
            continue
        if not r.has_date:
            for i in range(r.start, r.end):
                blocked_end[i] = max(blocked_end[i], r.end)
        else:
            if year_word >= 0:  # `in 2024`: the word before it tells the language
                r.language = r.language or ctx.best(_langs_of(s.entries[year_word], "C"), year_word)
            chosen.append(r)
            taken[r.start : r.end] = b"\x01" * (r.end - r.start)
    for r in _relative(ctx):
        if taken.find(1, r.start, r.end) < 0:
            chosen.append(r)
            taken[r.start : r.end] = b"\x01" * (r.end - r.start)
    by_end = {r.end: r for r in chosen}
    # "5. januar 2024 09.07.00": a two-digit-year numeric date right after a date is its time.
    for r in [r for r in chosen if r.form == "num" and _after_date(s, r, by_end)]:
        chosen.remove(r)
        taken[r.start : r.end] = bytes(r.end - r.start)
    times = []
    pos = 0
    for m in _time_matches(s.clock):  # one per start position, leftmost first
        if m.start() < pos:
            continue
        t = _time_from_match(ctx, m)
        if t is None or taken.find(1, t.start, t.end) >= 0:
            continue  # "15 오전 12:05": the day is not an hour; "오전" belongs to 12:05
        times.append(t)
        pos = max(m.end(), m.start() + 1)
    times = _settle(times, n)
    dates = [r for r in chosen if r.has_date and r.hour is None]
    whole_field = dates[0] if not strong_only and len(dates) == 1 else None
    by_end = {r.end: r for r in dates}
    by_start = {r.start: r for r in dates}
    for t in times:
        join = _JOIN_WEAK if t.weak_time and ctx.running else _JOIN
        d = whole_field or _attach(s, t, by_end, by_start, join)
        if d is not None and d.hour is not None:
            d = None  # that date already has its time
        if d is not None and t.bare_period and not _period_speaks(ctx, d, t):
            continue  # "10 to 12 maggio 2024": `to` is a.m. in Uzbek only, and `maggio` is Italian only
        if t.hour == -1:
            if d is not None:
                d.has_date = False  # "18 novembre 2024 25:61": the whole reading is impossible
            continue
        if d is None:
            if not t.weak_time:
                chosen.append(t)
            continue
        d.hour, d.minute, d.second, d.micro = t.hour, t.minute, t.second, t.micro
        d.tz, d.tz_end = t.tz, t.tz_end
        d.start, d.end = min(d.start, t.start), max(d.end, t.end)
        d.language = d.language or t.language
        d.lang_token = d.lang_token or t.lang_token
        d.steps += t.steps
        if d.year is None and d.tz_end is None and not ctx.running:
            _year_after_time(s, d)
    return sorted((r for r in chosen if r.has_date or r.hour is not None), key=_START)


def _period_speaks(ctx: _Context, d: _Reading, t: _Reading) -> bool:
    """Whether the day-period word that alone makes `t` a time is a word of one of date `d`'s languages
    (a numeric date has none, and takes any)."""
    _, langs = _span_language(ctx, d.start, d.end)
    i = t.lang_token[0] if t.lang_token else -1
    return not langs or not langs.isdisjoint(_langs_of(ctx.s.entries[i], "A"))


def _year_after_time(s: Stream, d: _Reading) -> None:
    """`Mon Nov 18 17:38:00 +0000 2024` (C's ctime, Twitter's created_at): in a field, a year right
    after the time of a date without one is that date's year (it was taken from the reference)."""
    j = d.end + 1
    if s.shape[d.end : j] != "_" or s.shape[j : j + 1] != "y" or s.shape[j + 1 : j + 2] not in ("", "_"):
        return
    year = int(s.toks[j])
    if not 1000 <= year <= 2999 or d.month is None:
        return
    d.end = j + 1
    _give_year(d, year)
    if not _valid(year, d.month, d.day):  # `Thu Feb 29 10:00:00 2023`: no such day, as `29.02.2023`
        d.steps += (f"invalid date {year}-{d.month}-{d.day}",)
        d.has_date = False
        return
    d.steps += (f"year {year} written after the time",)


def _give_year(r: _Reading, year: int) -> None:
    """The year of a reading that had none; its other readings keep the days that year has."""
    r.year = year
    r.alternatives = tuple((year, m, d) for _, m, d in r.alternatives if _valid(year, m, d))


def _date_matches(shape: str, strong_only: bool) -> tuple[tuple, ...]:
    """Every date-form match in a shape, longest first. Corpora repeat a few shapes, so field-sized
    shapes are memoized (match objects are immutable)."""
    if len(shape) <= _CACHED_TEXT:
        return _date_matches_cached(shape, strong_only)
    return _date_matches_uncached(shape, strong_only)


def _date_matches_uncached(shape: str, strong_only: bool) -> tuple[tuple, ...]:
    forms, _ = _grammar()
    matches = []
    for k, (name, pattern, strong, needs) in enumerate(forms):
        if strong_only and not strong and name != "year":
            continue
        if not all(any(c in shape for c in group) for group in needs):
            continue
        for m in pattern.finditer(shape):
            matches.append((m.start() - m.end(), m.start(), k, name, m))
    matches.sort(key=_MATCH_ORDER)
    return tuple(matches)


def _time_matches(shape: str) -> tuple[re.Match[str], ...]:
    """The time-pattern match starting at each position of a shape (where one does)."""
    if len(shape) <= _CACHED_TEXT:
        return _time_matches_cached(shape)
    return _time_matches_uncached(shape)


def _time_matches_uncached(shape: str) -> tuple[re.Match[str], ...]:
    if not any(c in shape for c in _TIME_NEEDS):  # `in` scans a str in C; isdisjoint walks it
        return ()
    _, time_re = _grammar()
    out, pos = [], 0
    # Every time holds one of _TIME_CORE, at most _TIME_LEAD characters after its start: the full
    # pattern is tried only from there (a shape of numbers and dots holds none, and is passed at once).
    while (core := _TIME_CORE.search(shape, pos)) is not None:
        m = time_re.search(shape, max(pos, core.start() - _TIME_LEAD))
        if m is None:
            break
        out.append(m)
        pos = m.start() + 1
    return tuple(out)


_TIME_CORE = re.compile("[ni](?:[:.]n|_?[TH])|[AP]")
_TIME_LEAD = 6  # `T_A_` before the hour, `_A` after it


def _after_date(s: Stream, r: _Reading, by_end: dict[int, _Reading]) -> bool:
    if len(s.toks[r.end - 1]) != 2:
        return False
    for gap in range(5):  # "5 জানুৱাৰী, 2024 AM 9.07.00": a day period may stand before the time
        d = by_end.get(r.start - gap)
        if d is not None and d is not r and set(s.shape[r.start - gap : r.start]) <= _JOIN_PERIOD:
            return True
    return False


def _year_written(s: Stream, m: re.Match[str], running_text: bool) -> int | None:
    """Whether a bare year is a date, written as one: -1 for `2024 г.` or a whole field, the index of
    the word before it that says so (`in 2024`), None when it is not a date."""
    if m.group("ym"):
        return -1
    j = m.start() - 1
    while j >= 0 and s.shape[j] == "_":
        j -= 1
    if j >= 0 and any(e.kind == "C" for e in s.entries[j]):
        return j
    if running_text:
        return None
    outside = s.shape[: m.start()] + s.shape[m.end() :]
    return None if outside.strip("_.,") else -1


def _settle(cands: list[_Reading], n: int) -> list[_Reading]:
    """Non-overlapping candidates, longest first, then earliest."""
    taken = bytearray(n)
    chosen: list[_Reading] = []
    for r in sorted(cands, key=lambda r: (r.start - r.end, r.start)):
        if taken.find(1, r.start, r.end) < 0:
            chosen.append(r)
            taken[r.start : r.end] = b"\x01" * (r.end - r.start)
    return chosen


def _attach(
    s: Stream, t: _Reading, by_end: dict[int, _Reading], by_start: dict[int, _Reading], join: frozenset[str]
) -> _Reading | None:
    """The date a time belongs to: right before it (or right after it), with only joiners between."""
    for gap in range(_MAX_JOIN + 1):
        for d, lo, hi in (
            (by_end.get(t.start - gap), t.start - gap, t.start),
            (by_start.get(t.end + gap), t.end, t.end + gap),
        ):
            if d is None or d.hour is not None:
                continue
            between = s.shape[lo:hi]
            if not set(between) <= join:
                continue
            if "?" in between and any(
                s.toks[lo + k].lower() != "t" for k, c in enumerate(between) if c == "?"
            ):
                continue
            return d
    return None


# -- results -------------------------------------------------------------------------------------


def _complete(r: _Reading, ref) -> _Reading | None:
    """Resolve relatives and missing years against the reference; None if that needs a reference."""
    if r.relative:
        if ref is None:
            r.steps += ("relative expression needs a reference",)
            return None
        unit, amount = r.offset
        base = ref if isinstance(ref, datetime) else datetime(ref.year, ref.month, ref.day)
        try:
            if unit in ("second", "minute", "hour"):
                if not isinstance(ref, datetime):
                    r.steps += (f"{unit}s need a reference with a time",)
                    return None
                when = base + timedelta(**{f"{unit}s": amount})
                r.hour, r.minute = when.hour, when.minute
                r.second = when.second if unit == "second" else None
                r.tz = r.tz or when.tzinfo
            elif unit in ("day", "week"):
                when = base + timedelta(days=amount * (7 if unit == "week" else 1))
            else:
                when = base + relativedelta(**{f"{unit}s": amount})
        except (OverflowError, ValueError):
            # Fuzzing: "1 day ago" read against reference 0001-01-01 (or "in 3 months" against
            # 9999-12-01) falls outside the calendar `datetime` can hold: no date, not a crash.
            r.steps += ("relative expression leaves the calendar (years 1-9999)",)
            return None
        r.year, r.month, r.day = when.year, when.month, when.day
        return r
    if r.year is None and r.month is not None and r.day is not None and ref is not None:
        target = date(ref.year, ref.month, ref.day)
        # The nearest year is within one of the reference's, or for 29 February the nearest leap year.
        # Fuzzing: "29 febbraio" read against 2100-03-01 has no leap year within one year of the
        # reference (2099-2101), and min() of nothing raised. Leap years are at most 8 apart, so four
        # years each side always hold one.
        years = [y for y in (ref.year - 1, ref.year, ref.year + 1) if _valid(y, r.month, r.day)]
        if not years:
            years = [y for y in range(ref.year - 4, ref.year + 5) if _valid(y, r.month, r.day)]
        if not years:
            return None
        _give_year(r, min(years, key=lambda y: abs((date(y, r.month, r.day) - target).days)))
        r.steps += (f"year {r.year} from reference {target.isoformat()}",)
    return r


def _iso_date(y: int | None, m: int | None, d: int | None) -> str:
    if y is None:
        return f"--{m:02d}-{d:02d}"
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _result(ctx: _Context, r: _Reading, tz: tzinfo | None) -> DateResult:
    s = ctx.s
    if r.language is None and r.lang_token is not None:
        i, kinds = r.lang_token
        r.language = ctx.best(_langs_of(s.entries[i], kinds), i)
    start = s.starts[r.start]
    end = max(s.end(r.end - 1), r.tz_end or 0)
    span = (start, end)
    if ctx.whole is not None:  # regions' offsets -> the text's
        at, begins = ctx.whole.regions
        k = bisect_right(at, start) - 1
        span = (start + begins[k] - at[k], end + begins[k] - at[k])
    if ctx.offset:
        span = (span[0] + ctx.offset, span[1] + ctx.offset)
    if r.alternatives and r.weekday is not None and r.year is not None and r.day is not None:
        _settle_by_weekday(r, ctx.explain)
    value: datetime | date | None = None
    explicit = r.tz is not None
    if r.hour is not None and r.day is not None:
        if r.year is not None:
            zone = r.tz or tz
            value = datetime(r.year, r.month, r.day, r.hour, r.minute, r.second or 0, r.micro, tzinfo=zone)
            iso = value.isoformat()
        else:
            iso = f"{_iso_date(None, r.month, r.day)}T{r.hour:02d}:{r.minute:02d}:{r.second or 0:02d}"
        precision = "second" if r.second is not None else "minute"
    else:
        if r.year is not None and r.month is not None and r.day is not None:
            value = date(r.year, r.month, r.day)
        iso = _iso_date(r.year, r.month, r.day)
        precision = "day" if r.day is not None else ("month" if r.month is not None else "year")
    alternatives = tuple(
        _iso_date(y, m, d) + (iso[10:] if value is not None and "T" in iso else "")
        for y, m, d in r.alternatives
    )
    conflict = None
    if r.weekday is not None and value is not None and value.isoweekday() != r.weekday:
        written, actual = calendar.day_name[r.weekday - 1], calendar.day_name[value.weekday()]
        conflict = f"weekday {written} written, but {iso[:10]} is a {actual}"
    out = _NEW(_DRAFT)  # see results.draft_class: a DateResult, built 3x faster than by DateResult(...)
    out.value, out.iso, out.precision = value, iso, precision
    out.year, out.month, out.day = r.year, r.month, r.day
    out.language, out.tz_explicit, out.relative = r.language, explicit, r.relative
    out.ambiguous, out.alternatives = r.ambiguous and bool(alternatives), alternatives
    out.span, out.text = span, s.text[start:end]
    out.steps, out.conflict = tuple(r.steps) if ctx.explain else (), conflict
    out.__class__ = DateResult
    return out


def _settle_by_weekday(r: _Reading, explain: bool) -> None:
    """The readings of an ambiguous date that fall on the weekday written. `Pon, 18 lis 2024`: `lis` is
    November in Polish, October in Croatian, and only 2024-11-18 is a Monday. `Mon 03/04/2024`: only
    4 March is; a numeric date takes the one reading that fits (its language is the same either way)."""
    kept = tuple(a for a in r.alternatives if a[0] and a[2] and date(*a).isoweekday() == r.weekday)
    if date(r.year, r.month, r.day).isoweekday() == r.weekday:
        if explain and kept != r.alternatives:
            r.steps += (
                f"weekday rules out {', '.join(_iso_date(*a) for a in r.alternatives if a not in kept)}",
            )
        r.alternatives = kept
    elif r.form == "num" and len(kept) == 1:
        if explain:
            r.steps += (f"weekday picks {_iso_date(*kept[0])} over {_iso_date(r.year, r.month, r.day)}",)
        (r.year, r.month, r.day), r.alternatives = kept[0], ()


_NEW = object.__new__
_DRAFT = draft_of(DateResult)


def _same_day(a: DateResult, b: DateResult) -> bool:
    return (a.year, a.month, a.day) == (b.year, b.month, b.day)


_CACHED_TEXT = 512  # longer inputs are not memoized: a cache of 100 KB documents would not be bounded


def memo_key(ref, tz: tzinfo | None = None) -> tuple[str, str] | None:
    """What a memo of a call with `ref` and `tz` must be keyed on besides the arguments themselves;
    None when such a call cannot be memoized.

    Equal is not the same here (found by the order-independence tests): an aware reference equals
    every other spelling of its instant (`10:00+00:00 == 13:00+03:00`), yet "2 hours ago" and "ieri"
    are resolved in the reference's own zone, so a memo keyed on the reference alone answered the
    second call with the first one's result. The zones' reprs join the key. And dateutil's zones are
    unhashable (`tz=dateutil.tz.gettz("Europe/Rome")` raised TypeError from the memo): such calls
    are simply not memoized.
    """
    zone = ref.tzinfo if isinstance(ref, datetime) else None
    if zone is None and tz is None:
        return ("", "")
    try:
        hash((zone, tz))
    except TypeError:
        return None
    return (repr(zone), repr(tz))


def parse(text: str, hints, langs, order, ref, tz, explain) -> DateResult | None:
    """`_parse`, memoized for field-sized texts (corpora repeat their date strings)."""
    key = memo_key(ref, tz) if len(text) <= _CACHED_TEXT else None
    if key is None:
        return _parse(text, hints, langs, order, ref, tz, explain)
    return _parse_cached(text, hints, langs, order, ref, tz, explain, key)


def find(text: str, hints, langs, ref, tz, offset: int = 0) -> tuple[DateResult, ...]:
    """The dates of running text; with `offset`, their spans start that far on (`text` is a slice
    starting there)."""
    key = memo_key(ref, tz) if len(text) <= _CACHED_TEXT else None
    if key is None:
        return _find(text, hints, langs, ref, tz, offset)
    found = _find_cached(text, hints, langs, ref, tz, key)
    return tuple(shifted(d, offset) for d in found) if offset else found


def _parse(
    text: str,
    hints: tuple[str, ...],
    langs: frozenset[str] | None,
    order: str | None,
    ref,
    tz: tzinfo | None,
    explain: bool,
) -> DateResult | None:
    s = stream(text, langs)
    ctx = _Context(s, hints, order, ref, explain, running=False)
    results = []
    for r in _readings(ctx, strong_only=False):
        if not r.has_date:
            continue
        r = _complete(r, ref)
        if r is not None and (r.day is not None or r.month is not None or r.year is not None):
            results.append(_result(ctx, r, tz))
    if not results:
        return None
    # A full date first; a bare year or a yearless date only when nothing better is written.
    complete = [x for x in results if x.year is not None and x.month is not None]
    complete = complete or [x for x in results if x.month is not None] or results
    first = complete[0]
    merged_with = None
    for other in complete[1:]:
        if other.precision == "year" or first.precision == "year":
            continue
        if not _same_day(first, other) or (
            first.precision in ("minute", "second")
            and other.precision in ("minute", "second")
            and first.value != other.value
        ):
            note = f"{other.text!r} reads {other.iso}, which disagrees with {first.iso}"
            return replaced(first, conflict=first.conflict or note, steps=(*first.steps, note))
        merged_with = other
        break
    if merged_with is None:
        return first
    return _merge(s.text, first, merged_with, explain)


def _merge(text: str, a: DateResult, b: DateResult, explain: bool) -> DateResult:
    """Two readings of one date (`2024-11-18 17.38 - lunedì 18 novembre 2024`): keep the fuller one."""
    timed = a if a.precision in ("minute", "second") else b
    span = (min(a.span[0], b.span[0]), max(a.span[1], b.span[1]))
    steps = a.steps + b.steps + ((f"{b.text!r} agrees with {a.text!r}",) if explain else ())
    return replaced(
        timed,
        language=b.language or a.language if a.language is None else a.language,
        span=span,
        text=text[span[0] : span[1]],
        ambiguous=a.ambiguous and b.ambiguous,
        alternatives=a.alternatives if a.ambiguous and b.ambiguous else (),
        conflict=a.conflict or b.conflict,
        steps=steps,
    )


def _find(
    text: str, hints: tuple[str, ...], langs: frozenset[str] | None, ref, tz: tzinfo | None, offset: int = 0
) -> tuple[DateResult, ...]:
    if (
        len(text) > _CACHED_TEXT
        and sum(map(text.count, "0123456789")) * _DIGITS_SPREAD <= text.count(" ")  # else dense
        and not has_unspaced(text)
    ):
        found = _find_in_regions(text, chunks(text, ref is not None), hints, langs, ref, tz, offset)
        if found is not None:
            return found
    ctx = _Context(stream(text, langs), hints, None, ref, False, running=True, langs=langs, offset=offset)
    return tuple(_found(ctx, ref, tz))


def _found(ctx: _Context, ref, tz: tzinfo | None) -> list[DateResult]:
    out = []
    for r in _readings(ctx, strong_only=True):
        if not r.has_date or (r.relative and ref is None):
            continue
        r = _complete(r, ref)
        if r is not None and (r.month is not None or r.form == "year"):
            out.append(_result(ctx, r, tz))
    return out


# Long running text is read only around its numbers (and relative-day words): every date form holds a
# number, and most of a news body has none. A region is read as the whole text would be when nothing
# the grammar reads can cross its edge: a word in no language ("?" in the shape, in no pattern) stands
# between the edge and every number, at least _GUARD tokens inside: a date starts after that word (no
# pattern holds one), and its language vote looks _WINDOW tokens each way from a token of the date or
# beside it. A time joins a date only with no such word between them, so it is in the date's region.
# A region reaches _GUARD_CHUNKS chunks (two tokens each at least, a word and a space) past the unknown
# words nearest its outer numbers. The stream of each region is checked (a phrase may swallow an
# unknown word); when the check fails, the whole text is read.
_GUARD = _WINDOW + 1
_GUARD_CHUNKS = 9
_DENSE = 0.6  # share of the chunks above which reading regions costs more than it saves
_SPREAD = 12  # fewer chunks per number than this: dense, read whole whatever the regions would be
_DIGITS_SPREAD = 10  # the same told at once by digits: fewer chunks per digit (news prose full of
# dates, scores and sums has 3 to 6) and the regions would cover most of the text


def _find_in_regions(
    text: str,
    split: Chunks,
    hints: tuple[str, ...],
    langs: frozenset[str] | None,
    ref,
    tz: tzinfo | None,
    offset: int = 0,
) -> tuple[DateResult, ...] | None:
    """The dates of the whole text, read in regions; None when the whole text must be read instead
    (a guard fails, or the regions would cover most of it: dense text gains nothing)."""
    parts, flags = split.parts, split.flags
    # Without a reference no relative day counts.
    anchors = [m.start() for m in _ANCHOR_FLAGS[ref is not None].finditer(flags)]
    if not anchors:
        return ()
    n = len(parts)
    if len(anchors) * _SPREAD > n:
        return None  # dense with numbers: the regions would cover most of it
    regions: list[list[int]] = []  # [first, last] chunk
    for a in anchors:
        before, after = flags.rfind("u", 0, a), flags.find("u", a + 1)  # the nearest unknown words
        lo = max(0, before - _GUARD_CHUNKS) if before >= 0 else 0
        hi = min(n - 1, after + _GUARD_CHUNKS) if after >= 0 else n - 1
        if lo == 0:  # the vote near the text's start reads its first 2 * _WINDOW + 1 tokens
            hi = max(hi, min(n - 1, _WINDOW))
        if regions and lo <= regions[-1][1] + 1:
            regions[-1][1] = max(regions[-1][1], hi)
        else:
            regions.append([lo, hi])
    if sum(hi - lo for lo, hi in regions) > _DENSE * n:
        return None
    at: list[int] = []  # where each region starts in `joined` (the regions, a space between two)
    begins: list[int] = []  # and in `text`
    ends: list[int] = []
    edges: list[tuple[bool, bool]] = []  # whether each edge of a region is inside the text
    firsts: list[int] = []  # each region's first chunk
    done = reached = 0  # chunks before `done` start before `reached` (chunk k at its length sum + k)
    for lo, hi in regions:
        while lo > 0 and not _clean_edge(parts, lo):
            lo -= 1
        while hi < n - 1 and not _clean_edge(parts, hi + 1):
            hi += 1
        if lo < done:
            return None  # widened into the region before: read the whole text
        begin = reached + sum(map(len, parts[done:lo])) + lo - done
        end = begin + sum(map(len, parts[lo : hi + 1])) + hi - lo
        done, reached = hi + 1, end + 1
        at.append(at[-1] + ends[-1] - begins[-1] + 1 if at else 0)
        begins.append(begin)
        firsts.append(lo)
        ends.append(end)
        edges.append((lo > 0, hi < n - 1))
    # One stream for all regions: the guards keep every reading, and every token its vote reads, away
    # from where two regions meet.
    s = stream(" ".join(text[b:e] for b, e in zip(begins, ends, strict=True)), langs)
    counted = _counted_tokens(s, split, regions, at, firsts) if ref is not None and "t" in flags else {}
    for k, (inner_start, inner_end) in enumerate(edges):
        first = bisect_left(s.starts, at[k])
        last = bisect_left(s.starts, at[k] + ends[k] - begins[k])
        if not _guarded(s.shape[first:last], inner_start, inner_end, ref is not None, counted.get(k), first):
            return None
    whole = _Whole(text, split, (at, begins))
    ctx = _Context(s, hints, None, ref, False, running=True, langs=langs, whole=whole, offset=offset)
    return tuple(_found(ctx, ref, tz))


def _clean_edge(parts: list[str], k: int) -> bool:
    """Whether the tokenizer cuts the text at the space before chunk k (a lone space between words):
    then the pieces of the region starting there are the whole text's pieces."""
    before, here = parts[k - 1], parts[k]
    return bool(before) and bool(here) and not before[-1].isspace() and not here[0].isspace()


def _counted_tokens(
    s: Stream, split: Chunks, regions: list[list[int]], at: list[int], firsts: list[int]
) -> dict[int, tuple[int, int]]:
    """Per region, the first and last token of its chunks flagged "t" (a count written as a word beside
    a relative-time word: an anchor the shape does not show), as token indexes of `s`. A region starts
    at chunk `firsts[k]`, at `at[k]` in the regions' joined text."""
    out: dict[int, tuple[int, int]] = {}
    parts = split.parts
    for k, (lo, hi) in enumerate(regions):
        for c in (m.start() for m in _COUNTED.finditer(split.flags, lo, hi + 1)):
            here = at[k] + sum(map(len, parts[firsts[k] : c])) + c - firsts[k]
            first = bisect_left(s.starts, here)
            last = bisect_left(s.starts, here + len(parts[c])) - 1
            lo_tok, hi_tok = out.get(k, (first, last))
            out[k] = (min(lo_tok, first), max(hi_tok, last))
    return out


def _guarded(
    shape: str,
    inner_start: bool,
    inner_end: bool,
    relative: bool,
    counted: tuple[int, int] | None = None,
    base: int = 0,
) -> bool:
    """Whether nothing read around the region's anchors (numbers, relative days, and the counted
    tokens `counted`, indexes from `base`) can cross its inner edges."""
    anchor = _ANCHORS[relative]
    found = anchor.search(shape)
    firsts = ([found.start()] if found else []) + ([counted[0] - base] if counted else [])
    if not firsts:
        return True
    first = min(firsts)
    if inner_start and not _GUARD <= shape.find("?", _GUARD) < first:
        return False
    if inner_end and not inner_start and len(shape) <= 2 * _WINDOW:
        return False  # a vote in the first tokens would read past the region
    lasts = [len(shape) - 1 - anchor.search(shape[::-1]).start()] if found else []
    last = max(lasts + ([counted[1] - base] if counted else []))
    return not inner_end or shape.rfind("?", 0, len(shape) - _GUARD) > last


_ANCHORS = (re.compile("[iknybl]"), re.compile("[iknyblR]"))  # numbers, and relative days
_ANCHOR_FLAGS = (re.compile("d"), re.compile("[drt]"))  # the same in `vocabulary.chunks` flags
_COUNTED = re.compile("t")


# Bounded memos (sizes are documented in the README); clear_caches() empties them all.
@lru_cache(maxsize=8192)
def _parse_cached(text: str, hints, langs, order, ref, tz, explain, key) -> DateResult | None:
    return _parse(text, hints, langs, order, ref, tz, explain)  # `key`: see memo_key


@lru_cache(maxsize=1024)
def _find_cached(text: str, hints, langs, ref, tz, key) -> tuple[DateResult, ...]:
    return _find(text, hints, langs, ref, tz)


_date_matches_cached = lru_cache(maxsize=4096)(_date_matches_uncached)
_time_matches_cached = lru_cache(maxsize=4096)(_time_matches_uncached)


def clear_caches() -> None:
    caches = (_grammar, _language_table, language_rank, voted_languages, _capitalized)
    caches += (_values, _year_offset, _templates_around)
    for f in (*caches, _date_matches_cached, _time_matches_cached, _parse_cached, _find_cached):
        f.cache_clear()  # the vocabulary's memos are vocabulary.clear_caches()'s
