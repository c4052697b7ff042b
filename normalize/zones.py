"""Offsets, zone abbreviations and IANA names."""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, timedelta, timezone, tzinfo
from functools import lru_cache

_IANA = re.compile(r"\b(?:[A-Z][A-Za-z_]+/)+[A-Z][A-Za-z_+\-0-9]+\b|\bUTC\b")


def offset(text: str) -> timezone | None:
    """`+03:00`, `+0300`, `-5`, `+05:30` -> a fixed-offset zone; None when out of range."""
    text = text.strip()
    sign = -1 if text[0] in "-−" else 1
    digits = text[1:].replace(":", "")
    if not digits.isdigit():
        return None
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    elif len(digits) in (3, 4):
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    else:
        return None
    if hours > 14 or minutes > 59:
        return None
    return _fixed(sign * (hours * 60 + minutes))


@lru_cache(maxsize=256)
def _fixed(minutes: int) -> timezone:
    return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))


def iana(name: str) -> tzinfo | None:
    """The zone for an IANA name, or None if tzdata does not know it."""
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        return None  # checked before the memo, which would otherwise keep whatever `tz=` was given
    return _iana(name)


@lru_cache(maxsize=512)
def _iana(name: str) -> tzinfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def find_iana(text: str, start: int, limit: int = 40) -> tuple[tzinfo, int] | None:
    """An IANA name written within `limit` characters after `start`: (zone, end offset)."""
    if "/" not in text[start : start + limit] and "UTC" not in text[start : start + limit]:
        return None
    m = _IANA.search(text, start, start + limit)
    if m and not text[start : m.start()].strip(" ()[],"):
        zone = iana(m.group())
        if zone is not None:
            return zone, m.end()
    return None


def resolve_tz(tz: object) -> tzinfo | None:
    """The `tz=` option: None, a tzinfo, or an IANA name / offset string; anything else is an error."""
    if tz is None or isinstance(tz, tzinfo):
        return tz
    if not isinstance(tz, str):
        raise TypeError(f"tz must be a str, tzinfo or None, not {type(tz).__name__}")
    zone = iana(tz) if tz[:1] not in "+-" else offset(tz)
    if zone is None:
        raise ValueError(f"unknown time zone: {tz!r}")
    return zone


def clear_caches() -> None:
    _iana.cache_clear()
    _fixed.cache_clear()
