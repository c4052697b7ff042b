"""pandas adapter: `parse_dates(series)` -> a DataFrame of normalized dates (optional extra `pandas`).

Each distinct string is parsed once: a corpus column of a million rows with ten thousand distinct
values costs about ten thousand parses.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, tzinfo

import pandas as pd

from normalize import parse_date

COLUMNS = ("iso", "value", "precision", "language", "ambiguous")


def parse_dates(
    series: pd.Series,
    *,
    languages: list[str] | None = None,
    reference: date | datetime | str | None = None,
    tz: str | tzinfo | None = None,
) -> pd.DataFrame:
    """One row per element of `series` (same index): `iso`, `value` (a Timestamp where the date is
    complete, else NaT), `precision`, `language`, `ambiguous`. Elements that are not strings, or hold
    no date, give an empty row (None / NaT)."""
    if not isinstance(series, pd.Series):
        raise TypeError(f"series must be a pandas Series, not {type(series).__name__}")
    distinct = {}
    for text in pd.unique(series.to_numpy(dtype=object)):
        if isinstance(text, str):
            distinct[text] = parse_date(text, languages=languages, reference=reference, tz=tz)
    rows = {name: [] for name in COLUMNS}
    for text in series.to_numpy(dtype=object):
        found = distinct.get(text) if isinstance(text, str) else None
        rows["iso"].append(found.iso if found else None)
        rows["value"].append(pd.Timestamp(found.value) if found and found.value is not None else pd.NaT)
        rows["precision"].append(found.precision if found else None)
        rows["language"].append(found.language if found else None)
        rows["ambiguous"].append(found.ambiguous if found else None)
    frame = pd.DataFrame(rows, index=series.index, columns=list(COLUMNS))
    with contextlib.suppress(ValueError, TypeError):  # mixed offsets stay Timestamps in an object column
        frame["value"] = pd.to_datetime(frame["value"])
    return frame
