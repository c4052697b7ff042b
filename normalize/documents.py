"""Whole documents: one scraped article -> header, published date, title, subtitle, dateline, mentions,
caption, credit and warnings (`normalize_document`).

The parts are found in the order a page lays them out:

  header      the first lines that are nothing but a date field (`date 2024-11-18 17.38 - lunedì 18
              novembre 2024`, `Publié le 18 novembre 2024 à 17h38`), read by the date engine
  bylines     `By Jane Smith`, `Di Mario Rossi`: set aside (locales/documents.toml)
  dateline    the first dateline in the top of the text, even run together with the title
  title       the first line before the dateline, or its first sentence when title, subtitle and
              dateline share one line (the seed); `subtitle` is what is left before the dateline
  body        from the dateline (or the line after title and subtitle) to the caption
  caption     the line before a photo credit (`© Name/AGENCY`, `Photo: ...`, `(AP Photo/...)`)

Nothing is fixed silently: a weekday that does not match its date, two header dates that disagree, a
header and dateline more than a day apart, a publication after the reference all become `warnings`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from itertools import islice

from normalize import datelines, dates, language, locale_data, zones
from normalize.results import Dateline, DateResult, Document, Header, replaced, shifted
from normalize.text import fold

DOCUMENTS = "documents.toml"
_TOP = 2000  # characters from the top where a header, title and dateline may be
_MAX_HEADER = 160  # a header line is a short field
_MAX_HEADER_WORDS = 4  # words a header line may hold besides its date ("date", "Published:", "Uhr")
_MAX_CAPTION = 250
_MAX_SUBTITLE = 400
_MAX_TITLE = 300  # a longer line is prose: its first sentence may be the title, not all of it
_TAIL_LINES = 3  # the caption and credit are among the last lines
_LANGUAGE_SAMPLE = 240  # characters of the body read for its language: enough letters, at a fixed cost

_LINE = re.compile(r"\S(?:[^\n]*\S)?")  # from the first to the last visible character: linear on blanks
_WORDS = re.compile(r"[^\W\d_]+")
# A sentence ends at . ! ? … (and closing quotes), before a space and a capital or an opening quote.
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’»)]*(?=\s+[\"'“‘«(]?[^\W\d_])")


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    data = locale_data.load(DOCUMENTS)
    bylines = frozenset(fold(w) for w in data["bylines"])
    credits = tuple(sorted((fold(w) for w in data["credits"]), key=len, reverse=True))
    return bylines, credits, tuple(data["credit_parentheses"]), tuple(fold(w) for w in data["rights"])


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the non-blank lines in text[start:end], trimmed: `_LINE` ends on visible characters."""
    return [m.span() for m in _LINE.finditer(text, start, end)]


def _last_lines(text: str, start: int, count: int) -> list[tuple[int, int]]:
    """`_lines(text, start, len(text))[-count:]`, read from the end: a body is long, its tail short.
    A line read backwards is the same match of `_LINE` (it starts and ends on visible characters)."""
    n = len(text)
    backwards = text[start:][::-1]
    found = [(n - e, n - s) for s, e in (m.span() for m in islice(_LINE.finditer(backwards), count))]
    return found[::-1]


def _header_date(line: str, hints, langs, ref, tz) -> DateResult | None:
    """The date of a line that is nothing but a date field, else None."""
    if len(line) > _MAX_HEADER:
        return None
    found = dates.parse(line, hints, langs, None, ref, tz, False)
    if found is None or found.day is None:
        return None
    outside = line[: found.span[0]] + line[found.span[1] :]
    if len(_WORDS.findall(outside)) > _MAX_HEADER_WORDS:
        return None
    return None if datelines.find(line, ref, (), None, first_only=True) else found  # "MOSCOW, Nov 18 -"


def _is_byline(line: str) -> bool:
    bylines, _, _, _ = _words()
    words = line.split(None, 2)
    return len(words) >= 2 and fold(words[0]) in bylines and words[1][:1].isupper() and len(line) <= 120


def _credit(line: str) -> tuple[int, int, str] | None:
    """(caption start, caption end, credit) of a credit line: `© Name/TASS`, `Photo: Name/AP`,
    `Text. (AP Photo/Name)`. Offsets are into `line`; the caption is what precedes the credit on it."""
    _, credits, parentheses, _ = _words()
    if "©" in line:
        cut = line.index("©")
        return _caption_start(line, cut), cut, line[cut + 1 :].strip(" :")
    folded = fold(line)
    for word in credits:
        if folded.startswith(word) and folded[len(word) : len(word) + 1] in (":", " ", "\u00a0"):
            return 0, 0, line[len(word) :].strip(" :\u00a0")
    m = re.search(r"\(([^()]{3,80})\)\s*$", line)
    if m and any(m.group(1).startswith(p) for p in parentheses):
        return _caption_start(line, m.start()), m.start(), m.group(1).strip()
    return None


def _caption_start(line: str, end: int) -> int:
    """Where the caption before a credit at `end` starts: the line's start, or, when a whole text was
    flattened onto one line, its last sentence if that fits a caption (else the credit stands alone)."""
    if end <= _MAX_CAPTION:
        return 0
    starts = [m.end() for m in _SENTENCE_END.finditer(line, end - _MAX_CAPTION, end)]
    starts = [k for k in starts if line[k:end].strip()]
    return starts[-1] if starts else end


def _split_title(text: str, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """Title and subtitle spans of one line that holds both: the title is its first sentence."""
    for m in _SENTENCE_END.finditer(text, start, end):
        before = text[start : m.start()].rsplit(None, 1)[-1] if text[start : m.start()].strip() else ""
        letters = before.rstrip("\"'”’»)").split(".")[-1]
        if len(letters) < 3 and before[-1:] not in "\"'”’»)":
            continue  # "U.S. officials", "Dr. Smith": an abbreviation, not the end of the title
        rest = m.end()
        while rest < end and text[rest].isspace():
            rest += 1
        return (start, m.end()), ((rest, end) if rest < end else None)
    return (start, end), None


def _strip(text: str, span: tuple[int, int] | None) -> str | None:
    if span is None:
        return None
    value = text[span[0] : span[1]].strip()
    return value or None


def _localize(d: DateResult | None, zone: tzinfo | None) -> DateResult | None:
    """A naive timestamp read as local time in `zone` (`tz="dateline"`)."""
    if d is None or zone is None or not isinstance(d.value, datetime) or d.value.tzinfo is not None:
        return d
    value = d.value.replace(tzinfo=zone)
    return replaced(d, value=value, iso=d.iso + dates.format_offset(value.utcoffset() or timedelta(0)))


def _sample(body: str) -> str:
    """The body's opening, up to a word boundary: enough letters for its language, at a fixed cost."""
    if len(body) <= _LANGUAGE_SAMPLE:
        return body
    cut = body.rfind(" ", 0, _LANGUAGE_SAMPLE)
    return body[: cut if cut > 0 else _LANGUAGE_SAMPLE]


def _day(d: DateResult | None) -> date | None:
    if d is None or d.year is None or d.month is None or d.day is None:
        return None
    return date(d.year, d.month, d.day)


def _header(text: str, lines: list[tuple[int, int]], ref, tz: tzinfo | None) -> Header | None:
    """The first lines that are date fields; the first date is the header's."""
    spans: list[tuple[int, int]] = []
    first = None
    for s, e in lines[:3]:
        found = _header_date(text[s:e], (), None, ref, tz)
        if found is None:
            break
        spans.append((s, e))
        first = first or shifted(found, s)
    if first is None:
        return None
    joined = "\n".join(text[s:e] for s, e in spans)
    return Header(joined, first.language, first, (spans[0][0], spans[-1][1]))


def _naive_day(d: DateResult | None, ref):
    """The reference later parts are read against: a complete date's day. Its clock is irrelevant
    (mentions and dateline dates are days; relative times are not mentions), and a clock in the key
    would defeat the dateline's date memo, each article's time being its own."""
    value = d.value if d is not None and d.value is not None else ref
    return value.date() if isinstance(value, datetime) else value


def _dateline(text: str, start: int, end: int, ref) -> Dateline | None:
    found = datelines.find(text[start:end], ref, (), None, first_only=True)
    if not found:
        return None
    line = found[0]
    span = (line.span[0] + start, line.span[1] + start)
    return replaced(line, span=span, date=None if line.date is None else shifted(line.date, start))


def _titles(text: str, lines, start: int, dateline: Dateline | None):
    """(title span, subtitle span, where the body starts). Bylines are passed over."""
    if dateline is not None:
        before = [(s, e) for s, e in _lines(text, start, dateline.span[0]) if not _is_byline(text[s:e])]
        if len(before) == 1:
            title, subtitle = _split_title(text, *before[0])
            if title[1] - title[0] > _MAX_TITLE:
                return None, None, before[0][0]  # prose runs into the dateline: no title to tell apart
            return title, subtitle, dateline.span[1]
        if before:
            return before[0], (before[1][0], before[-1][1]), dateline.span[1]
        return None, None, dateline.span[1]
    content = [(s, e) for s, e in lines if s >= start and not _is_byline(text[s:e])]
    if not content:
        return None, None, start
    title, subtitle = content[0], None
    if title[1] - title[0] > _MAX_TITLE:  # text flattened onto one line: the title is its first sentence
        first, _ = _split_title(text, *title)
        if first[1] - first[0] > _MAX_TITLE:
            return None, None, title[0]
        return first, None, first[1]
    bylined = (
        any(title[1] <= s < content[1][0] for s, e in lines if _is_byline(text[s:e]))
        if len(content) > 1
        else False
    )
    if len(content) >= 3 and content[1][1] - content[1][0] <= _MAX_SUBTITLE and not bylined:
        subtitle = content[1]  # a byline closes the title block: what follows it is the body
    body = (subtitle or title)[1]
    for s, e in lines:  # a byline right after the title belongs to neither title nor body
        if s >= body and _is_byline(text[s:e]) and not text[body:s].strip():
            body = e
    return title, subtitle, body


def _caption(text: str, start: int) -> tuple[str | None, str | None, int]:
    """(caption, credit, where the body ends), from the last lines. A caption never takes the body's
    only paragraph, and a rights notice is none of the three."""
    rights = _words()[3]
    tail = _last_lines(text, start, _TAIL_LINES)
    end = len(text)
    for k in range(len(tail) - 1, -1, -1):
        s, e = tail[k]
        if end == e and any(w in fold(text[s:e]) for w in rights):
            end = s  # "© RIPRODUZIONE RISERVATA" after the story
            continue
        found = _credit(text[s:e])
        if found is None:
            continue
        cap_start, cap_end, credit = found
        caption = text[s + cap_start : s + cap_end].strip()
        if caption:
            return caption, credit or None, s + cap_start
        above = tail[k - 1] if k > 0 else None
        if cap_end == 0 and above and above[1] - above[0] <= _MAX_CAPTION and text[start : above[0]].strip():
            return text[above[0] : above[1]], credit or None, above[0]
        return None, credit or None, s + cap_start
    return None, None, end


def _published(text: str, header, dateline, start: int, body_start: int, tz) -> DateResult | None:
    """The header's date, else the dateline's, else the first full date near the top."""
    if header is not None:
        return header.date
    if dateline is not None and dateline.date is not None:
        return dateline.date  # partial ("--11-18") when nothing gives it a year: never the clock
    top = text[start : min(len(text), body_start + 600)]
    strong = [d for d in dates.find(top, (), None, None, tz) if d.year is not None and d.day is not None]
    return shifted(strong[0], start) if strong else None


def normalize(text: str, ref, tz: tzinfo | None, tz_dateline: bool) -> Document:
    top_end = min(len(text), _TOP)
    lines = _lines(text, 0, top_end)
    header = _header(text, lines, ref, tz)
    start = header.span[1] if header is not None else 0
    # The dateline's year comes from the header's date, else from the caller's reference.
    dateline = _dateline(text, start, top_end, _naive_day(header.date if header else None, ref))
    title, subtitle, body_start = _titles(text, lines, start, dateline)
    caption, credit, body_end = _caption(text, body_start)
    body = text[body_start:body_end]
    published = _published(text, header, dateline, start, body_start, tz)
    if tz_dateline and dateline is not None and dateline.timezone:
        published = _localize(published, zones.iana(dateline.timezone))
    found = dates.find(body, (), None, _naive_day(published, ref), None, body_start)
    mentions = tuple(d for d in found if d.day is not None and not d.relative)
    return Document(
        language=language.detect_language(_sample(body)) if body.strip() else None,
        header=header,
        published=published,
        title=_strip(text, title),
        subtitle=_strip(text, subtitle),
        dateline=dateline,
        mentions=mentions,
        caption=caption,
        credit=credit,
        warnings=_warnings(header, published, dateline, ref),
    )


def _warnings(
    header: Header | None, published: DateResult | None, dateline: Dateline | None, ref
) -> tuple[str, ...]:
    out = []
    if header is not None and header.date is not None and header.date.conflict:
        kind = "weekday" if header.date.conflict.startswith("weekday") else "header"
        out.append(f"{kind}: {header.date.conflict}")
    header_day = _day(header.date) if header is not None else None
    line_day = _day(dateline.date) if dateline is not None else None
    if header_day and line_day and abs((header_day - line_day).days) > 1:
        out.append(f"header_dateline: header says {header_day}, dateline says {line_day}")
    pub_day = _day(published)
    ref_day = ref.date() if isinstance(ref, datetime) else ref
    if pub_day and ref_day and pub_day > ref_day:
        out.append(f"future: published {pub_day}, after the reference {ref_day}")
    return tuple(out)


def clear_caches() -> None:
    _words.cache_clear()
