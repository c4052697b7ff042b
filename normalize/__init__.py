"""normalize: multilingual dates, datelines and languages from messy scraped text.

Every public verb takes `str` and never raises on it; a wrong type raises TypeError naming the argument,
a bad option raises ValueError naming the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, tzinfo
from importlib import import_module
from types import ModuleType

from normalize import dates as _dates
from normalize import zones as _zones
from normalize.locale_data import clear_caches
from normalize.results import Dateline, DateResult, Document, Header

__all__ = [
    "DateResult",
    "Dateline",
    "Document",
    "Header",
    "clear_caches",
    "detect_language",
    "detect_languages",
    "find_datelines",
    "find_dates",
    "normalize_document",
    "normalize_records",
    "parse_date",
    "parse_dateline",
]

_ORDERS = ("DMY", "MDY", "YMD")


def _stage(name: str) -> ModuleType:
    """A pipeline stage imported on first use: `parse_date` alone should not pay for the gazetteer's,
    the documents' and the language model's regular expressions at import (half the import time)."""
    module = _STAGES.get(name)
    if module is None:
        module = _STAGES[name] = import_module(f"normalize.{name}")
    return module


_STAGES: dict[str, ModuleType] = {}


def _need_str(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, not {type(value).__name__}")
    return value


def _reference(reference: object) -> date | datetime | None:
    """`reference=`: None, a date/datetime, an ISO string, or "now" (the only way to use the clock)."""
    if reference is None or isinstance(reference, (date, datetime)):
        return reference
    if not isinstance(reference, str):
        raise TypeError(f"reference must be a date, datetime, str or None, not {type(reference).__name__}")
    if reference.strip().lower() == "now":
        return datetime.now().replace(microsecond=0)
    try:
        value = datetime.fromisoformat(reference.strip())
    except ValueError:
        raise ValueError(f"reference is not an ISO date or 'now': {reference!r}") from None
    return value.date() if len(reference.strip()) <= 10 else value


def _tz(tz: object) -> tzinfo | None:
    return _zones.resolve_tz(tz)


def parse_date(
    text: str,
    *,
    languages: list[str] | None = None,
    reference: date | datetime | str | None = None,
    tz: str | tzinfo | None = None,
    date_order: str | None = None,
    explain: bool = False,
) -> DateResult | None:
    """The date (and time) written in `text`, or None.

    `languages` restricts and orders the vocabulary (`["it"]`, `["en-GB", "fr"]`); `reference` completes
    missing years and resolves relative expressions; `tz` localizes naive results; `date_order`
    (`"DMY"`, `"MDY"`, `"YMD"`) settles numeric dates; `explain` fills `steps`.
    """
    _need_str("text", text)
    hints, langs = _dates.normalize_languages(languages)
    if date_order is not None:
        _need_str("date_order", date_order)
        if date_order.upper() not in _ORDERS:
            raise ValueError(f"unknown date_order: {date_order!r} (expected one of {', '.join(_ORDERS)})")
        date_order = date_order.upper()
    ref, zone = _reference(reference), _tz(tz)
    if not text.strip():
        return None
    return _dates.parse(text, hints, langs, date_order, ref, zone, bool(explain))


def find_dates(
    text: str,
    *,
    languages: list[str] | None = None,
    reference: date | datetime | str | None = None,
    tz: str | tzinfo | None = None,
) -> list[DateResult]:
    """Every date in running text, in order, with spans; years completed from `reference`."""
    _need_str("text", text)
    hints, langs = _dates.normalize_languages(languages)
    ref, zone = _reference(reference), _tz(tz)
    if not text.strip():
        return []
    return list(_dates.find(text, hints, langs, ref, zone))


def parse_dateline(
    text: str, *, reference: date | datetime | str | None = None, languages: list[str] | None = None
) -> Dateline | None:
    """The first news dateline in `text` (`MOSCOW, November 18. /TASS/.`), wherever it stands, or None.

    `reference` gives the dateline's date its year (the nearest one: a dateline may be a few days older
    than its publication, and December datelines are read in January); `languages` hints the date.
    """
    _need_str("text", text)
    hints, langs = _dates.normalize_languages(languages) if languages is not None else ((), None)
    ref = _reference(reference)
    found = _stage("datelines").find(text, ref, hints, langs, first_only=True) if text.strip() else []
    return found[0] if found else None


def find_datelines(text: str, *, reference: date | datetime | str | None = None) -> list[Dateline]:
    """Every dateline in `text`, in order, with spans."""
    _need_str("text", text)
    ref = _reference(reference)
    return _stage("datelines").find(text, ref, (), None, first_only=False) if text.strip() else []


def normalize_document(
    text: str, *, reference: date | datetime | str | None = None, tz: str | tzinfo | None = None
) -> Document:
    """One scraped article -> its header, `published` date, title, subtitle, dateline, dates mentioned
    in the body (years from `published`), caption, credit, body language and warnings.

    `tz="dateline"` localizes naive timestamps to the dateline's zone; any other zone is applied to
    naive timestamps as in `parse_date`; None keeps them naive.
    """
    _need_str("text", text)
    ref = _reference(reference)
    by_dateline = isinstance(tz, str) and tz.strip().lower() == "dateline"
    zone = None if by_dateline else _tz(tz)
    return _stage("documents").normalize(text, ref, zone, by_dateline)


def detect_language(text: str, *, candidates: list[str] | None = None) -> str | None:
    """The language of `text` (ISO 639-1), or None when it has too few letters to tell."""
    return _stage("language").detect_language(text, candidates=candidates)


def detect_languages(text: str, *, candidates: list[str] | None = None) -> list[tuple[str, float]]:
    """Up to five `(language, confidence)` pairs, best first; [] when `text` has too few letters."""
    return _stage("language").detect_languages(text, candidates=candidates)


def normalize_records(
    records: Iterable[object],
    *,
    fields: Mapping[str, str],
    reference_field: str | None = None,
    errors: str = "collect",
    workers: int = 1,
) -> Iterator[dict]:
    """Each record with `<field>_normalized` added for every field named in `fields` (kinds: `date`,
    `dateline`, `language`, `document`), lazily, in input order, on `workers` processes.

    `reference_field` names the key holding each row's reference date. `errors`: "collect" adds an
    `_error` to a record whose field has the wrong type and still yields it; "raise" stops with
    `normalize.records.RecordError` naming the row; "ignore" yields such a record unchanged.
    """
    checked = _stage("records").check_options(fields, reference_field, errors, workers)
    if isinstance(records, (str, bytes, Mapping)):
        raise TypeError(f"records must be an iterable of records, not {type(records).__name__}")
    return _stage("records").run(records, checked, reference_field, errors, workers)
