"""Result records: frozen, picklable, with `to_dict()` giving plain JSON types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any, TypeVar

_SCALARS = (str, int, float, bool, type(None))
_PLAIN = frozenset(_SCALARS)  # most values: their own JSON, told by their exact type without a call


def _plain(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, tuple):
        return [v if type(v) in _PLAIN else _plain(v) for v in value]
    return value.to_dict()


def draft_class(cls: type) -> type:
    """A mutable twin of a frozen slotted dataclass: the same slots over the same bases. A record
    drafted as `d = object.__new__(twin)`, its fields assigned (plain slot stores), then finished with
    `d.__class__ = cls` is the very record the generated __init__ builds (one object.__setattr__ per
    field), 3x faster, and as frozen once its class is set. Every field must be assigned."""
    namespace = {"__slots__": cls.__slots__, "__module__": cls.__module__}
    twin = type(f"_{cls.__name__}Draft", cls.__bases__, namespace)
    object.__new__(twin).__class__ = cls  # the layouts agree, or TypeError here, at import
    return twin


class _Record:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        # A slotted dataclass's `__slots__` are its fields, in order (cheaper than `fields()`).
        return {
            name: value if type(value := getattr(self, name)) in _PLAIN else _plain(value)
            for name in self.__slots__
        }


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


_R = TypeVar("_R", DateResult, Dateline)


_DATE_DRAFT, _DATELINE_DRAFT = draft_class(DateResult), draft_class(Dateline)
_DATE_FIELDS, _DATELINE_FIELDS = attrgetter(*DateResult.__slots__), attrgetter(*Dateline.__slots__)


def draft_of(cls: type[_R]) -> type:
    """The draft class (see draft_class) of DateResult or Dateline: one each, which the stages that
    build these records and `replaced` share."""
    return _DATE_DRAFT if cls is DateResult else _DATELINE_DRAFT


# A record's fields copied into a draft by one unpacking assignment (a slot store each, no call):
# copies are frequent (every shifted span), and a loop of setattr calls cost 2.5x as much. The field
# lists are each class's slots in order (tests/test_reliability.py checks them).
def _date_draft(d: DateResult) -> Any:
    new = object.__new__(_DATE_DRAFT)
    (
        new.value,
        new.iso,
        new.precision,
        new.year,
        new.month,
        new.day,
        new.language,
        new.tz_explicit,
        new.relative,
        new.ambiguous,
        new.alternatives,
        new.span,
        new.text,
        new.steps,
        new.conflict,
    ) = _DATE_FIELDS(d)
    return new


def _dateline_draft(d: Dateline) -> Any:
    new = object.__new__(_DATELINE_DRAFT)
    (
        new.city,
        new.city_text,
        new.country,
        new.region,
        new.timezone,
        new.latitude,
        new.longitude,
        new.geonames_id,
        new.date,
        new.agency,
        new.language,
        new.span,
        new.text,
    ) = _DATELINE_FIELDS(d)
    return new


def replaced(record: _R, **changes: Any) -> _R:
    """dataclasses.replace() of a DateResult or Dateline (their fields are all set by __init__, which
    checks nothing), 3x as fast: a draft (see draft_class) gets the fields, then the changes."""
    cls = type(record)
    new = _date_draft(record) if cls is DateResult else _dateline_draft(record)
    for name, value in changes.items():
        if name not in cls.__slots__:
            raise TypeError(f"{cls.__name__} has no field {name!r}")
        setattr(new, name, value)
    new.__class__ = cls
    return new


def shifted(record: _R, offset: int) -> _R:
    """The record with its span `offset` characters later: read from a slice, placed in the whole."""
    new = _date_draft(record) if type(record) is DateResult else _dateline_draft(record)
    new.span = (record.span[0] + offset, record.span[1] + offset)
    new.__class__ = type(record)
    return new
