"""Result records: frozen, picklable, with `to_dict()` giving plain JSON types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value.to_dict()


def slot_setters(cls: type) -> tuple:
    """The slot setters of a frozen slotted dataclass, in field order. A record built with
    `object.__new__(cls)` and each setter skips the generated __init__ (keywords, one
    object.__setattr__ per field), twice as fast; it is the same record, as frozen."""
    return tuple(cls.__dict__[name].__set__ for name in cls.__slots__)


class _Record:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        # A slotted dataclass's `__slots__` are its fields, in order (cheaper than `fields()`).
        return {name: _plain(getattr(self, name)) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class DateResult(_Record):
    """One date (and time) read from text.

    `iso` is written at the known precision: `2024`, `2024-11`, `2024-11-18`, `2024-11-18T17:38:00`,
    `2024-11-18T17:38:00+03:00`, or `--11-18` when the year is unknown. `value` is None unless the
    date is complete (year, month and day).
    """

    value: datetime | date | None
    iso: str
    precision: str  # year | month | day | minute | second
    year: int | None
    month: int | None
    day: int | None
    language: str | None = None
    tz_explicit: bool = False
    relative: bool = False
    ambiguous: bool = False
    alternatives: tuple[str, ...] = ()
    span: tuple[int, int] = (0, 0)
    text: str = ""
    steps: tuple[str, ...] = ()
    conflict: str | None = None


@dataclass(frozen=True, slots=True)
class Dateline(_Record):
    """The place, date and agency a news story opens with (`MOSCOW, November 18. /TASS/.`).

    `city` is the English GeoNames name, None when the place is not a known city (a town too small for
    the gazetteer, "UNITED NATIONS", or no place at all, as in `(Bloomberg) --`); `city_text` is the
    place as written. `region` is the admin-1 name ("Florida"). `date` keeps its own precision: a
    dateline without a year and without a reference is partial.
    """

    city: str | None
    city_text: str | None
    country: str | None
    region: str | None
    timezone: str | None
    latitude: float | None
    longitude: float | None
    geonames_id: int | None
    date: DateResult | None
    agency: str | None
    language: str | None
    span: tuple[int, int] = (0, 0)
    text: str = ""


@dataclass(frozen=True, slots=True)
class Header(_Record):
    """The date field(s) at the top of a page: `date 2024-11-18 17.38 - lunedì 18 novembre 2024`."""

    text: str
    language: str | None
    date: DateResult | None
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class Document(_Record):
    """One article, normalized: see `normalize_document`. `warnings` are "kind: explanation" strings
    (kinds: weekday, header, header_dateline, future); nothing they describe was changed."""

    language: str | None
    header: Header | None
    published: DateResult | None
    title: str | None
    subtitle: str | None
    dateline: Dateline | None
    mentions: tuple[DateResult, ...]
    caption: str | None
    credit: str | None
    warnings: tuple[str, ...] = ()
