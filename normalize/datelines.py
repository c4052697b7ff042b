"""Dateline grammar: text -> place, date and agency of a news dateline (`parse_dateline`, `find_datelines`).

A dateline is read left to right from a candidate start:

    [(AGENCY) -]  PLACE  [, QUALIFIER | (QUALIFIER)]  [DATE]  [MARKER]  SEPARATOR

PLACE is one to five capitalised words (`ST. PETERSBURG`, `Buenos Aires`, `Rio de Janeiro`), resolved
in the gazetteer (`places.py`); QUALIFIER is a region or country (`Fla.`, `Ont.`, `Ukraine`); DATE is
read by the date engine and must fill its whole stretch; MARKER names an agency (`(Reuters)`,
`/TASS/`, `— РИА Новости.`, `INTERFAX.RU`, `(EFE)`, `(dpa/lby)`); SEPARATOR is a dash, `.-`, `.`,
`:` or `_`. Chinese, Japanese and Korean wires have their own bracketed forms (`新华社北京11月18日电`,
`【ワシントン共同】`, `［東京　１８日　ロイター］`, `(서울=연합뉴스)`).

A candidate is accepted only with evidence, because capitalised words, commas and dashes are everywhere
in prose: an agency marker followed by a separator or preceded by a date; or a date followed by a
separator; or a place in capitals that the gazetteer knows, followed by a dash. Lines and sentences are
candidates; a place in the middle of a sentence (the seed runs title, subtitle and dateline together)
only with an agency marker. Every step looks at a bounded stretch of text, so the whole is linear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from normalize import dates, locale_data, places
from normalize.results import Dateline, DateResult, draft_of, replaced, shifted
from normalize.text import fold, is_unspaced
from normalize.vocabulary import lookup

AGENCIES = "agencies.toml"
COUNTRIES = "countries.json"  # the languages of each country (CLDR), built with the gazetteer
_MAX_WORDS = 5  # words in a place name ("Santa Cruz de la Sierra")
_MAX_DATE = 48  # characters of a dateline's date ("2024. november 18., hétfő", "18th November, 2024")
_LOOKBACK = 100  # how far before an agency marker a place may start
_OPENING = 600  # characters whose dateline candidates are tried before the whole text's

# A word of a place or qualifier: letters with inner hyphens, apostrophes and dots (`CLUJ-NAPOCA`,
# `N.Y.`, `W.Va.`, `L'Aquila`), and the dot of an abbreviation.
_WORD = re.compile(r"[^\W\d_]+(?:[-'’.][^\W\d_]+)*['’]?\.?")
_SPACE = re.compile(r"[ \t\u00a0]+")
# All that `_place_words` reads from a position: up to five words, one space apart.
_RUN = re.compile(_WORD.pattern + r"(?:[ \t\u00a0]" + _WORD.pattern + "){0,4}")
_MAX_RUN = 128  # longer runs are read each time, not memoized
_NO_ZONE = ("", "")  # dates.memo_key of a reference without a zone
_MAX_REST = 160  # longer stretches after a place (marker, date, spaces) are not memoized by `_fast`
_PAREN = re.compile(r"[ \t\u00a0]*\(([^()\n]{1,60})\)")
_SLASH = re.compile(r"[ \t\u00a0]*/([^/\n]{1,60})/")
_DASHED = re.compile(r"[ \t\u00a0]*[—–][ \t\u00a0]*([^\W\d_][^.\n—–()/]{0,40})\.")
# The three at once (their first characters differ, so at most one matches): one regex call.
_MARKER_AT = re.compile(
    r"[ \t\u00a0]*(?:"
    + "|".join(p.pattern.removeprefix(r"[ \t\u00a0]*") for p in (_PAREN, _SLASH, _DASHED))
    + ")"
)
_SEPARATOR = re.compile(
    r"[ \t\u00a0]*(?:\.?[—–]+|\.?-{1,2}(?=[ \t\u00a0])|_(?=[ \t\u00a0])|:(?=\s)|\.(?=\s))"
)
_END = re.compile(r"[ \t\u00a0]*\Z")
_DASHES = re.compile(r"[—–]|\s-{1,2}\s|\.-")
_LEAD = re.compile(r"\(([^()\n]{1,40})\)[ \t\u00a0]*(?:[—–]+|-{1,2}|\.-)[ \t\u00a0]*")
# What may hold a qualifier: a bracket, or a comma and words up to the next digit, comma or bracket.
_QUALIFIER = re.compile(r"[ \t\u00a0]*\([^()\n]{1,30}\)|,[ \t\u00a0]+[^\W\d_][^\d(),\n]{0,40}")
_DATE_LEAD = re.compile(r"[ \t\u00a0]*[,.]?[ \t\u00a0]*")
# The leading lookahead lets a search pass over the characters no stop starts with in one test each
# (else each of the four ways is tried at every position).
_STOP_FIRST = r"(/\[【\n—–. \t\u00a0"  # the characters a `_DATE_STOP` match starts with
_DATE_STOP = re.compile(
    rf"(?=[{_STOP_FIRST}])(?:[(/\[【\n]|[ \t\u00a0]+(?:[—–_]|-{{1,2}})[ \t\u00a0]|[ \t\u00a0]*[—–]|\.-)"
)
# Where a line or sentence starts (the text's own start is `_BLANKS` at 0). The first character is
# one of a few: the regex engine skips to it (3x faster than `(?:\A|\n|[.!?…]...)`).
_STARTS = re.compile(r"[\n.!?…](?:(?<=\n)|(?<!\n)[\"'”’»]*[ \t\u00a0]+)[ \t\u00a0]*")
_BLANKS = re.compile(r"[ \t\u00a0]*")
_BLANK_CHARS = " \t\u00a0"  # what _BLANKS skips (and "", in which "" is)
_MARKERS = re.compile(r"\(([^()\n]{1,60})\)|/([^/\n]{1,60})/|[—–][ \t\u00a0]*([^\W\d_][^.\n—–()/]{0,40})\.")
_CAPITALISED = re.compile(r"(?<![\w'’.-])[^\W\d_]")
_FIRST_WORD = re.compile(r"[^\W\d_]+")
_DATE_KINDS = frozenset("MWk")  # month, weekday, month marker (tháng)
_NO_STOP = rf"[^{_STOP_FIRST}]"  # a character no `_DATE_STOP` match starts with

# The common shapes in one call: [(AGENCY) -] PLACE, then what `_tail` reads after the place: the
# date lead, the date stretch up to the first stop in its window, a marker or none, the separator. Each
# part is the very match its own regex above makes there (atomic groups; a possessive stretch that
# halts at the first stop), so `_fast` reads what `_read` and `_tail` read. The marker is looked for
# at the stop, where `_tail` looks for it after the date: the same match when only spaces lie between
# (`_fast_rest` checks). Groups: date lead, stop, marker, its paren, slash and dashed contents, separator.
_AFTER_PLACE = (
    rf"((?>{_DATE_LEAD.pattern}))(?:{_NO_STOP}|(?!{_DATE_STOP.pattern}).){{0,{_MAX_DATE}}}+"
    rf"(?=({_DATE_STOP.pattern}))(?>({_MARKER_AT.pattern})|)({_SEPARATOR.pattern})"
)
_FAST = re.compile(rf"(?>{_LEAD.pattern})?((?>{_RUN.pattern})){_AFTER_PLACE}")  # lead, place, then those
_REST = re.compile(rf"(?=({_QUALIFIER.pattern})?){_AFTER_PLACE}")  # the qualifier's stretch, then those

# East Asian forms.
_CJK_DISPATCH = re.compile(r"([^\W\d_]{1,12}?)([0-9０-９]{1,2}月[0-9０-９]{1,2}日)[电電]")
_CJK_CORNER = re.compile(r"【([^【】\n]{2,24})】")
_CJK_SQUARE = re.compile(r"［([^［］\n]{2,40})］")
_KOREAN = re.compile(r"\(([^()=\n]{1,20})=([^()=\n]{1,20})\)")
_NOT_AGENCY_PREFIX = ("本报", "本報")  # "this newspaper": a dispatch without an agency
_CJK_CHARS = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uac00-\ud7a3\uff01-\uff5e]")


@dataclass(frozen=True, slots=True)
class _Agency:
    name: str
    short: bool  # a spelling of four letters or fewer: only a marker, never a word of prose
    country: str  # ISO alpha-2 of its home


@lru_cache(maxsize=1)
def _agencies() -> tuple[dict[str, _Agency], int, dict[str, str]]:
    """key(spelling) -> agency; the most words in a spelling; unspaced (CJK) spelling -> name."""
    by_key: dict[str, _Agency] = {}
    unspaced: dict[str, str] = {}
    for entry in locale_data.load(AGENCIES)["agency"]:
        for spelling in entry["spellings"]:
            k = places.key(spelling)
            by_key[k] = _Agency(entry["name"], len(k.replace(" ", "")) <= 4, entry["country"])
            if is_unspaced(spelling[0]):
                unspaced[fold(spelling)] = entry["name"]
    return by_key, max(len(k.split()) for k in by_key), unspaced


@lru_cache(maxsize=4096)
def _agency_in(content: str, anywhere: bool) -> _Agency | None:
    """The agency a marker's content names: its first words (`dpa/lby`, `EUROPA PRESS`), or with
    `anywhere` any of its words (`Корр. ТАСС Иван Лебедев`). The longest spelling wins."""
    by_key, longest, _ = _agencies()
    words = places.key(content).split()
    for i in range(len(words) if anywhere else min(1, len(words))):
        for j in range(min(len(words), i + longest), i, -1):
            found = by_key.get(" ".join(words[i:j]))
            if found is not None:
                return found
    return None


def _agency_suffix(content: str) -> tuple[str, str] | None:
    """(place, agency) of unspaced content that ends with an agency (`ワシントン共同`)."""
    _, _, unspaced = _agencies()
    folded = fold(content)
    for cut in range(len(folded)):
        name = unspaced.get(folded[cut:])
        if name is not None:
            return content[:cut].strip(" \u3000"), name
    return None


# -- reading one candidate ------------------------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    start: int
    end: int = 0
    place: str | None = None
    city: places.Place | None = None
    country: str | None = None
    region: str | None = None
    date: DateResult | None = None
    agency: str | None = None


def _place_words(text: str, pos: int) -> list[tuple[int, int]]:
    """Spans of up to five place words from `pos`: capitalised, or short lowercase links between
    capitalised ones (`de`, `la`, `am`). A trailing dot belongs to a word only in an abbreviation (`St.`)."""
    out: list[tuple[int, int]] = []
    while len(out) < _MAX_WORDS:
        m = _WORD.match(text, pos)
        if m is None:
            break
        word = m.group()
        first = word[0]
        link = first.islower() and len(word) <= 3 and bool(out)
        caseless = not first.islower() and not first.isupper()
        if not (first.isupper() or link or caseless):
            break
        end = m.end()
        if word.endswith(".") and not (len(word) <= 4 and word[:-1].isalpha()):
            end -= 1  # "MOSCOW." ends the place; "St." and "Ft." are part of it
        out.append((m.start(), end))
        if end < m.end():
            break
        space = _SPACE.match(text, end)
        if space is None or space.end() - end > 1:
            break
        pos = space.end()
    while out and text[out[-1][0]].islower():
        out.pop()  # a place does not end on a link word
    return out


@lru_cache(maxsize=16384)
def _run_ends(run: str) -> tuple[int, ...]:
    """Where each of the place words of a run (`_RUN`) ends: a place is its first one to five."""
    return tuple(end for _, end in _place_words(run, 0))


@lru_cache(maxsize=4096)
def _qualifier_in(snippet: str) -> tuple[int, str, str | None] | None:
    """`, Fla.`, `, W. Va.`, `, Ukraine`, `(Ontario)`: (length used, country, region name or None)."""
    if not snippet.startswith(","):
        inner = snippet.index("(") + 1
        candidates = [(len(snippet), snippet[inner:-1])]
    else:
        at = len(snippet) - len(snippet[1:].lstrip())
        ends = [end for _, end in _place_words(snippet, at)[:3]][::-1]
        # "W.Va." is one word, "W. Va." two; the dot of "Fla." belongs to the region, not the sentence
        dotted = [(end + 1, snippet[at:end] + ".") for end in ends if snippet.startswith(".", end)]
        candidates = dotted + [(end, snippet[at:end]) for end in ends]
    for end, name in candidates:
        region = places.find_region(name)
        if region is not None:
            return end, region[0], region[2]
        country = places.find_country(name)
        if country is not None:
            return end, country, None
    return None


def _resolve(r: _Reading) -> None:
    """The city the place names, within the qualifier when there is one; an unknown town keeps the
    qualifier's country and region, without coordinates."""
    if r.place is not None:
        r.city, r.country, r.region = _city(r.place, r.country, r.region)


def _city(
    place: str, country: str | None, region: str | None
) -> tuple[places.Place | None, str | None, str | None]:
    """(city, country, region) for `_resolve`."""
    if len(place) > places.MAX_NAME:  # no city is called that; not memoized
        return _city_uncached(place, country, region)
    return _city_cached(place, country, region)


def _city_uncached(
    place: str, country: str | None, region: str | None
) -> tuple[places.Place | None, str | None, str | None]:
    city = places.find_city(place, country=country, region=region)
    outside = city is not None and country is not None and city.country != country
    if city is None or outside or (region is not None and city.region != region):
        return None, country, region
    return city, city.country, city.region


_city_cached = lru_cache(maxsize=16384)(_city_uncached)


def _date(segment: str, ref, hints: tuple[str, ...], langs, key) -> DateResult | None:
    """The date a dateline's date stretch holds, if the stretch is nothing but that date. `key`:
    dates.memo_key(ref) (an aware reference is keyed by its zone too)."""
    if not _opens_date(segment):
        return None  # "Russia assumes that...": a date stretch opens with a number, month or weekday
    if key is None:
        return _read_date(segment, ref, hints, langs)
    return _date_cached(segment, ref, hints, langs, key)


@lru_cache(maxsize=4096)
def _opens_date(segment: str) -> bool:
    """Can a date stretch open this way: with a number, or a month, weekday or month marker (tháng)
    in some language?"""
    first = _FIRST_WORD.match(segment.lstrip(" \t\u00a0,."))
    return first is None or not _DATE_KINDS.isdisjoint(e.kind for e in lookup(fold(first.group())))


@lru_cache(maxsize=4096)
def _date_cached(segment: str, ref, hints: tuple[str, ...], langs, key) -> DateResult | None:
    return _read_date(segment, ref, hints, langs)


def _read_date(segment: str, ref, hints: tuple[str, ...], langs) -> DateResult | None:
    """The date of a date stretch; its span is the stretch's visible part, within `segment`."""
    body = segment.strip(" \t\u00a0,.")
    if not body:
        return None
    lead = len(segment) - len(segment.lstrip(" \t\u00a0,."))
    if body.isdecimal() and len(body) <= 2:
        found = _day_only(int(body), ref)  # "MADRID, 18 (EUROPA PRESS)"
        return None if found is None else replaced(found, span=(lead, lead + len(body)), text=body)
    found = dates.parse(body, hints, langs, None, ref, None, False)
    if found is None or found.month is None or found.day is None:
        return None
    outside = body[: found.span[0]] + body[found.span[1] :]
    if any(ch.isalnum() for ch in outside):
        return None  # "in a statement on Monday": prose, not a date
    return replaced(found, span=(lead, lead + len(body)), text=body)


def _day_only(day: int, ref) -> DateResult | None:
    """A day of the month alone: the date with that day nearest the reference; without one, `---18`."""
    if not 1 <= day <= 31:
        return None
    if ref is None:
        return DateResult(None, f"---{day:02d}", "day", None, None, day, text=str(day))
    base = ref if isinstance(ref, date) and not isinstance(ref, datetime) else ref.date()
    options = []
    for shift in (-1, 0, 1):
        y, m = divmod(base.year * 12 + base.month - 1 + shift, 12)
        try:
            options.append(date(y, m + 1, day))
        except ValueError:
            continue
    if not options:
        return None
    best = min(options, key=lambda d: (abs((d - base).days), d > base))
    return DateResult(best, best.isoformat(), "day", best.year, best.month, best.day, text=str(day))


def _marker(text: str, pos: int) -> tuple[int, _Agency] | None:
    """An agency marker at `pos`: `(Reuters)`, `/TASS/`, `/Корр. ТАСС .../`, `— РИА Новости.`."""
    m = _MARKER_AT.match(text, pos)
    if m is None:
        return None
    agency = _marker_agency(*m.groups())
    return None if agency is None else (m.end(), agency)


def _marker_agency(paren: str | None, slash: str | None, dashed: str | None) -> _Agency | None:
    """The agency a marker's content names (one of the three is set)."""
    if dashed is not None:
        agency = _agency_in(dashed, False)
        if agency is None or places.key(dashed) not in _agencies()[0]:
            return None
        return agency
    return _agency_in(paren, False) if paren is not None else _agency_in(slash, True)


@lru_cache(maxsize=4096)
def _bare_agency(segment: str) -> tuple[str, _Agency] | None:
    """`18 ноября. INTERFAX.RU`, `November 18, 2024, SPA`, `IRNA`: (what precedes, agency)."""
    words = list(re.finditer(r"[^\s,]+", segment))
    by_key = _agencies()[0]
    for k in range(min(3, len(words)), 0, -1):
        tail = segment[words[-k].start() :]
        found = by_key.get(places.key(tail))
        if found is not None:
            return segment[: words[-k].start()], found
    return None


def _read(text: str, start: int, ref, hints, langs, sentence_start: bool) -> Dateline | None:
    """The dateline read from `start`: the place words, longest first, then `_tail`."""
    lead_agency = None
    pos = start
    lead = _LEAD.match(text, pos) if sentence_start and text.startswith("(", pos) else None
    if lead is not None:
        lead_agency = _agency_in(lead.group(1), False)
        if lead_agency is not None:
            pos = lead.end()
    run = _RUN.match(text, pos)
    if run is None:
        ends: tuple[int, ...] = ()
    elif run.end() - pos <= _MAX_RUN:
        ends = _run_ends(run.group())
    else:
        ends = tuple(end - pos for _, end in _place_words(text, pos))
    for end in reversed(ends):
        found = _tail(text, start, (pos, pos + end), ref, hints, langs, sentence_start, lead_agency)
        if found is not None:
            return found
    if lead_agency is not None:  # "(Bloomberg) -- Treasuries extended gains"
        return _dateline(text, _Reading(start, lead.end(), agency=lead_agency.name), ref)
    return None


def _fast(text: str, start: int, ref, hints, langs, sentence_start: bool) -> Dateline | None:
    """`_read`'s answer from one regex call and two memos, for the common shapes (see `_FAST`): the
    whole run of place words as the place, no qualifier, no bare agency. None when unsure: then `_read`,
    which tries this same reading first (its longest place), so an answer here is its answer."""
    m = _FAST.match(text, start)
    if m is None:
        return None
    lead, name = m[1], m[2]
    place_end, end = m.end(2), m.end()
    if len(name) > _MAX_RUN or end - place_end > _MAX_REST:
        return None
    lead_agency = None
    if lead is not None and (not sentence_start or (lead_agency := _agency_in(lead, False)) is None):
        return None
    # memo_key's answer for no reference or a date (no zone), the usual ones, without the call
    key = _NO_ZONE if ref is None or type(ref) is date else dates.memo_key(ref)
    if key is None:  # a reference that cannot key a memo
        return None
    place = _fast_place(name)
    if place is None or (place[0] is None and lead_agency is None and m[5] is None):
        return None  # not wholly a place; or no place, lead or marker: no evidence (and no date read)
    # All that _tail reads after the place lies before `end` or is the character after it (a
    # separator's lookahead): the stretch to read again, and the memo's key.
    rest = _fast_rest(text[place_end : end + 1], ref, hints, langs, key)
    if rest is None:
        return None
    city, country, region = place
    when, agency, marked, separator, segment, segment_at = rest
    if lead_agency is not None:
        marked = True
        agency = agency or lead_agency
    # A marker or lead naming an agency, then a separator: `_evidence` would say yes without more.
    if not marked:
        opening = sentence_start, start == 0
        if not _evidence(name, city, when, agency, marked, False, separator, False, opening, None):
            return None
    stretch = (segment, place_end + segment_at)
    return _finish(
        text, (start, end), name, city, country, region, when, agency, stretch, ref, hints, langs, key
    )


@lru_cache(maxsize=16384)
def _fast_place(run: str) -> tuple[places.Place | None, str | None, str | None] | None:
    """`_city` of a run that is wholly a place (`_run_ends`), or None."""
    if all(word.isalpha() and word[0].isupper() for word in run.split(" ")):
        whole = True  # capitalised words of letters, one space apart: `_place_words` takes them all
    else:
        ends = _run_ends(run)
        whole = bool(ends) and ends[-1] == len(run)
    return _city_uncached(run, None, None) if whole else None  # this memo is the run's


@lru_cache(maxsize=4096)
def _fast_rest(
    stretch: str, ref, hints, langs, key
) -> tuple[DateResult | None, _Agency | None, bool, str, str, int] | None:
    """What `_tail` reads after a place, for `_fast`: `stretch` runs from the place's end to just past
    the separator. (date, marker's agency, marked, separator, date stretch, where it starts in
    `stretch`), or None when it is not one
    of the common shapes: a qualifier, a bare agency, a stop out of the window, a date that does not
    read, a marker that names no agency, a dot or comma between the date and marker."""
    m = _REST.match(stretch)
    if m is None or m.end() < len(stretch) - 1:  # not the reading `_fast` made of the whole text
        return None
    q, _, _, marker, paren, slash, dashed, separator = m.groups()
    # A qualifier's stretch that reaches the end of `stretch` may run on in the text: unsure.
    if q is not None and (m.end(1) == len(stretch) or _qualifier_in(q) is not None):
        return None
    lead_end, stop = m.end(2), m.start(3)
    if m.end(3) - lead_end > _MAX_DATE + 1:  # _tail searches for the stop in this window
        return None
    segment = stretch[lead_end:stop]
    if segment.strip() and _bare_agency(segment) is not None:
        return None
    date = None
    pos = 0
    body = len(segment.rstrip(" \t\u00a0,."))
    if body:
        date = _date(segment, ref, hints, langs, key)
        if date is None:
            return None
        pos = lead_end + body
    dotted = _skip_dot(stretch, pos)
    if stretch[dotted:stop].strip(" \t\u00a0"):
        return None
    agency = None
    if marker is not None:
        agency = _marker_agency(paren, slash, dashed)
        if agency is None:
            return None
    elif dotted != pos:
        return None
    return date, agency, marker is not None, separator, segment, lead_end


def _tail(
    text: str, start: int, place: tuple[int, int], ref, hints, langs, sentence_start: bool, lead_agency
) -> Dateline | None:
    name = text[place[0] : place[1]]
    country = region = date = None
    pos = place[1]
    q = _QUALIFIER.match(text, pos)
    qualified = None if q is None else _qualifier_in(q.group())
    if qualified is not None:
        pos, country, region = pos + qualified[0], qualified[1], qualified[2]
    # The date stretch runs to the marker or separator; a bare agency may close it.
    lead_end = _DATE_LEAD.match(text, pos).end()
    stop = _DATE_STOP.search(text, lead_end, lead_end + _MAX_DATE + 1)
    segment_end = stop.start() if stop is not None else min(len(text), lead_end + _MAX_DATE + 1)
    if stop is None and segment_end > len(text.rstrip()):
        segment_end = len(text.rstrip())
    segment = text[lead_end:segment_end]
    agency = lead_agency
    bare = _bare_agency(segment) if segment.strip() else None
    if bare is not None:
        segment, agency = bare
        pos = segment_end
    dated = bool(segment.strip(" \t\u00a0,."))
    if dated and bare is None:
        pos = lead_end + len(segment.rstrip(" \t\u00a0,."))  # where the date ends, if it reads
    dotted = _skip_dot(text, pos)
    marker = None if bare is not None else _marker(text, dotted)
    city, country, region = _city(name, country, region)
    marked = marker is not None or lead_agency is not None
    if not (marked or bare is not None or (sentence_start and (city is not None or qualified is not None))):
        return None  # `_evidence` says no whatever the date: not read (the date engine is the cost)
    key = dates.memo_key(ref)
    if dated:
        date = _date(segment, ref, hints, langs, key)
        if date is None:
            return None
    if marker is not None:
        pos, agency = marker
    elif bare is None and date is not None and _SEPARATOR.match(text, dotted) is None:
        pos = dotted
    separator = _SEPARATOR.match(text, pos)
    at_end = separator is None and _END.match(text, pos) is not None
    opening = sentence_start, start == 0
    bared = bare is not None
    sep = separator.group() if separator is not None else None
    if not _evidence(name, city, date, agency, marked, bared, sep, at_end, opening, qualified):
        return None
    end = separator.end() if separator is not None else pos
    stretch = (segment, lead_end)
    return _finish(
        text, (start, end), name, city, country, region, date, agency, stretch, ref, hints, langs, key
    )


def _skip_dot(text: str, pos: int) -> int:
    """`November 18. /TASS/`: a dot closing the date before its marker."""
    return pos + 1 if text.startswith(".", pos) and not text.startswith(".-", pos) else pos


def _finish(
    text: str,
    span: tuple[int, int],
    name: str,
    city: places.Place | None,
    country: str | None,
    region: str | None,
    date: DateResult | None,
    agency: _Agency | None,
    stretch: tuple[str, int],
    ref,
    hints: tuple[str, ...],
    langs,
    key,
) -> Dateline:
    """The Dateline of an accepted reading, its date labelled with a local language (`_local_choice`).
    `stretch`: the date stretch and where it starts in `text`; the date's span is moved there (a
    memoized date has it within its stretch)."""
    segment, at = stretch
    if date is not None and date.language is not None and not hints:
        chosen = _local_choice(segment, date, country, agency.country if agency else None)
        if chosen is not None:
            if key is None:
                date = replaced(date, language=chosen)
            else:  # date is _date_cached's answer for these arguments
                date = _relabelled(segment, ref, hints, langs, key, chosen)
    if date is not None:
        date = shifted(date, at)
    agency_name = agency.name if agency is not None else None
    return _new_dateline(text, span, name, city, country, region, date, agency_name)


def _local_choice(segment: str, found: DateResult, place: str | None, home: str | None) -> str | None:
    """The language of the dateline's place or agency to label the date with, when its month and
    weekday words are that language's too: `BERLIN, 14. Oktober (dpa)` is German, though `Oktober` is
    also the month of more speakers (Indonesian); None to keep the label. Never changes the date read.
    `place`, `home`: the countries of the place and of the agency."""
    local = _local_languages(place, home)
    if not local or found.language in local:
        return None
    shared = _shared_languages(segment, found.month)
    if shared:
        for lang in local:
            if lang in shared:
                return lang
    return None


@lru_cache(maxsize=4096)
def _shared_languages(segment: str, month: int | None) -> frozenset[str] | None:
    """The languages every month and weekday word of `segment` belongs to (None: no such word)."""
    shared: frozenset[str] | None = None
    for word in _FIRST_WORD.findall(segment):
        langs = _naming(word, month)
        if langs:
            shared = langs if shared is None else shared & langs
    return shared


@lru_cache(maxsize=4096)
def _relabelled(segment: str, ref, hints, langs, key, language: str) -> DateResult:
    return replaced(_date_cached(segment, ref, hints, langs, key), language=language)


@lru_cache(maxsize=4096)
def _naming(word: str, month: int | None) -> frozenset[str]:
    """The languages in which `word` is a weekday, or the name of this month."""
    value = str(month)
    entries = lookup(fold(word))
    return frozenset(e.lang for e in entries if e.kind == "W" or (e.kind == "M" and e.value == value))


@lru_cache(maxsize=1024)
def _local_languages(*countries: str | None) -> tuple[str, ...]:
    """The languages (CLDR's, as in `countries.json`) of these countries that the date engine reads."""
    table = locale_data.load(COUNTRIES)
    known = dates.known_languages()
    out: list[str] = []
    for country in countries:
        for lang in table.get(country or "", {}).get("languages", ()):
            if lang in known and lang not in out:
                out.append(lang)
    return tuple(out)


def _evidence(
    place: str | None,
    city: places.Place | None,
    date: DateResult | None,
    agency: _Agency | None,
    marked: bool,
    bare: bool,
    separator: str | None,
    at_end: bool,
    opening: tuple[bool, bool],
    qualified: object,
) -> bool:
    """Is this candidate a dateline? Prose has capitalised words, commas and dashes too. `opening`:
    (the candidate starts a line or sentence, it starts the text)."""
    sentence_start, whole = opening
    closed = separator is not None or at_end
    if bare:  # "INTERFAX.RU -", ", SPA --": an agency's name alone needs its separator
        return closed
    if marked and agency is not None and (closed or date is not None or not agency.short):
        return True  # "(AA) meetings" is no marker: a short name needs a separator or a date
    if not sentence_start or (city is None and qualified is None):
        return False
    mark = separator.strip() if separator is not None else ""
    caps = place is not None and place.isupper()
    if date is not None:  # "MOSCOW, Nov 18 - ", "Madrid, 18 nov -"; "Moscow, Nov 18." only in capitals
        return (mark != "" and (caps or mark != ".")) or (at_end and whole)
    return caps and mark.lstrip(".")[:1] in ("—", "–", "-")  # "HAMILTON, Ont. — "


_NEW = object.__new__
_DRAFT = draft_of(Dateline)


def _dateline(text: str, r: _Reading, ref) -> Dateline:
    return _new_dateline(text, (r.start, r.end), r.place, r.city, r.country, r.region, r.date, r.agency)


def _new_dateline(
    text: str,
    span: tuple[int, int],
    place: str | None,
    city: places.Place | None,
    country: str | None,
    region: str | None,
    date: DateResult | None,
    agency: str | None,
) -> Dateline:
    d = _NEW(_DRAFT)  # see results.draft_class: a Dateline, built 3x faster than by Dateline(...)
    if city is not None:
        d.city = city.name
        d.timezone = city.timezone
        d.latitude = city.latitude
        d.longitude = city.longitude
        d.geonames_id = city.geonames_id
    else:
        d.city = d.timezone = d.latitude = d.longitude = d.geonames_id = None
    d.city_text = place
    d.country = country
    d.region = region
    d.date = date
    d.agency = agency
    d.language = date.language if date else None
    d.span = span
    d.text = text[span[0] : span[1]]
    d.__class__ = Dateline
    return d


# -- East Asian forms -----------------------------------------------------------------------------


def _cjk(text: str, ref) -> list[Dateline]:
    out = []
    _, _, unspaced = _agencies()
    for m in _CJK_DISPATCH.finditer(text):  # 新华社北京11月18日电, 本报北京11月18日电, 北京11月18日电
        run, start, agency = m.group(1), m.start(), None
        for prefix in sorted(unspaced, key=len, reverse=True):
            if fold(run).startswith(prefix) and len(run) > len(prefix):
                agency, run = unspaced[prefix], run[len(prefix) :]
                break
        else:
            for prefix in _NOT_AGENCY_PREFIX:
                if run.startswith(prefix) and len(run) > len(prefix):
                    run = run[len(prefix) :]
                    break
        place = next((run[i:] for i in range(len(run) - 1) if places.find_city(run[i:])), None)
        if place is None:
            continue
        if agency is None and start + len(m.group(1)) - len(place) != start:
            start += len(m.group(1)) - len(place)
        r = _Reading(start, m.end(), place=place, agency=agency)
        found = dates.parse(m.group(2), (), None, None, ref, None, False)
        r.date = None if found is None else shifted(found, m.start(2))
        _resolve(r)
        out.append(_dateline(text, r, ref))
    for m in _CJK_CORNER.finditer(text):  # 【ワシントン共同】
        split = _agency_suffix(m.group(1))
        if split is not None and split[0]:
            r = _Reading(m.start(), m.end(), place=split[0], agency=split[1])
            _resolve(r)
            out.append(_dateline(text, r, ref))
    for m in _CJK_SQUARE.finditer(text):  # ［東京　１８日　ロイター］
        parts = m.group(1).replace("\u3000", " ").split()
        agency = _agency_suffix(parts[-1]) if len(parts) >= 2 else None
        if agency is None or agency[0]:
            continue
        r = _Reading(m.start(), m.end(), place=parts[0], agency=agency[1])
        if len(parts) == 3:
            field = m.group(1).replace("\u3000", " ")
            at = m.start(1) + field.index(parts[1], field.index(parts[0]) + len(parts[0]))
            found = dates.parse(parts[1], (), None, None, ref, None, False)
            day = fold(parts[1]).rstrip("日")
            if found is not None:
                r.date = shifted(found, at)
            elif day.isdecimal() and (alone := _day_only(int(day), ref)) is not None:
                r.date = replaced(alone, text=parts[1], span=(at, at + len(parts[1])))  # as written
        _resolve(r)
        out.append(_dateline(text, _reading_end(text, r), ref))
    for m in _KOREAN.finditer(text):  # (서울=연합뉴스)
        agency = _agency_in(m.group(2), False)
        if agency is not None:
            r = _Reading(m.start(), m.end(), place=m.group(1).strip(), agency=agency.name)
            _resolve(r)
            out.append(_dateline(text, r, ref))
    return out


def _reading_end(text: str, r: _Reading) -> _Reading:
    separator = _SEPARATOR.match(text, r.end)
    if separator is not None:
        r.end = separator.end()
    return r


# -- scanning a text ------------------------------------------------------------------------------


def _has_cjk_form(text: str) -> bool:
    """Whether `_cjk` can find anything: a character of those scripts, and in a long text one that each
    of its forms holds (`月`, `【`, `［`, `=`), which is cheaper to look for."""
    if len(text) >= 256 and "月" not in text and "【" not in text and "［" not in text and "=" not in text:
        return False
    return _CJK_CHARS.search(text) is not None


def _markers(text: str) -> Iterator[re.Match[str]]:
    """`_MARKERS.finditer(text)`. Every marker opens with one of a few characters: where they are few in
    a long text, the pattern is tried only there (the regex engine tries it at every position)."""
    if len(text) < 256 or sum(map(text.count, _MARKER_OPENERS)) * 8 >= len(text):
        return _MARKERS.finditer(text)
    return _markers_at_openers(text)


def _markers_at_openers(text: str) -> Iterator[re.Match[str]]:
    pos = 0
    while (opener := _MARKER_OPENER.search(text, pos)) is not None:
        m = _MARKERS.match(text, opener.start())
        if m is None:
            pos = opener.start() + 1
        else:
            yield m
            pos = m.end()


_MARKER_OPENERS = "(/—–"  # what each of `_MARKERS`' three ways starts with
_MARKER_OPENER = re.compile(f"[{_MARKER_OPENERS}]")


def _candidates(text: str) -> list[tuple[int, bool]]:
    """(position, starts a line or sentence) of every place a dateline may begin, in order."""
    starts = {_BLANKS.match(text).end(): True}  # matches everywhere, if only ""
    starts.update((m.end(), True) for m in _STARTS.finditer(text))
    scanned = 0  # capitalised words are looked for only in the stretch before each marker, once
    for marker in (m.start() for m in _markers(text) if _is_marker(m)):
        for m in _CAPITALISED.finditer(text, max(scanned, marker - _LOOKBACK), marker):
            if not m.group().islower():  # a place's first word is not in small letters (_place_words)
                starts.setdefault(m.start(), False)
        scanned = max(scanned, marker)
    return sorted(starts.items())


def _is_marker(m: re.Match[str]) -> bool:
    content = m.group(1) or m.group(2) or m.group(3)
    return _agency_in(content, m.group(2) is not None) is not None


def find(text: str, ref, hints: tuple[str, ...], langs, first_only: bool) -> list[Dateline]:
    blank = _BLANKS.match(text).end() if text[:1] in _BLANK_CHARS else 0  # where the text opens
    opening = blank if first_only else -1  # read first, and not again below
    if first_only:  # most datelines open their text: nothing can come before one found there
        d = _fast(text, blank, ref, hints, langs, True) or _read(text, blank, ref, hints, langs, True)
        if d is not None:
            return [d]
    found = _cjk(text, ref) if _has_cjk_form(text) else []
    candidates = None
    line_end = text.find("\n", _OPENING) if first_only and not found else -1
    if line_end > 0:
        # Most datelines stand near the top: the candidates of the opening lines first, then the rest.
        # One before _OPENING - _LOOKBACK is the same in those lines as in the whole text: its marker
        # starts before _OPENING, and a marker never crosses a line end.
        early = [c for c in _candidates(text[: line_end + 1]) if c[0] < _OPENING - _LOOKBACK]
        for pos, sentence_start in early:
            if pos == opening and sentence_start:
                continue
            d = _read(text, pos, ref, hints, langs, sentence_start)
            if d is not None:
                return [d]
        candidates = [c for c in _candidates(text) if c[0] >= _OPENING - _LOOKBACK]
    taken_until = -1
    for pos, sentence_start in candidates if candidates is not None else _candidates(text):
        if pos < taken_until or pos >= len(text) or (pos == opening and sentence_start):
            continue
        # The fast path only at the opening, where most datelines stand: at every sentence of a long
        # text it would mostly fail, at a cost.
        fast = _fast(text, pos, ref, hints, langs, True) if pos == blank and sentence_start else None
        d = fast or _read(text, pos, ref, hints, langs, sentence_start)
        if d is not None:
            found.append(d)
            taken_until = d.span[1]
            if first_only:
                break
    found.sort(key=lambda d: d.span)
    out: list[Dateline] = []
    for d in found:
        if not out or d.span[0] >= out[-1].span[1]:
            out.append(d)
    return out[:1] if first_only else out


def local_language(text: str) -> str | None:
    """The language of the date of a dateline opening `text`, when the languages of its place or agency
    chose it (`BERLIN, 14. Oktober (dpa)` -> de); None otherwise. The language detector gives it a vote."""
    if _MARKERS.search(text) is None and _DASHES.search(text) is None:
        return None  # no agency marker, no dash: no dateline
    found = find(text, None, (), None, first_only=True)
    if not found or found[0].language is None:
        return None
    d = found[0]
    local = _local_languages(d.country, _homes().get(d.agency or ""))
    return d.language if d.language in local else None


@lru_cache(maxsize=1)
def _homes() -> dict[str, str]:
    """Agency name -> the country of its home."""
    return {a.name: a.country for a in _agencies()[0].values()}


def clear_caches() -> None:
    for f in (
        _agencies,
        _agency_in,
        _date_cached,
        _shared_languages,
        _relabelled,
        _run_ends,
        _fast_place,
        _fast_rest,
        _city_cached,
        _bare_agency,
        _qualifier_in,
        _opens_date,
        _local_languages,
        _naming,
        _homes,
    ):
        f.cache_clear()
