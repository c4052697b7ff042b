"""Result records: frozen, picklable, with `to_dict()` giving plain JSON types."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return value


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


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
