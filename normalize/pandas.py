"""pandas adapter: `parse_dates(series)` -> a DataFrame of normalized dates (optional extra `pandas`).

Each distinct string is parsed once and the rows are gathered from the distinct results by their codes
(`pandas.factorize`): a column of a million rows with ten thousand distinct values costs about ten
thousand parses, plus one vectorized gather.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, tzinfo

import numpy as np
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
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    found = [
        parse_date(text, languages=languages, reference=reference, tz=tz) if isinstance(text, str) else None
        for text in uniques
    ]
    found.append(None)  # the row of missing values: code -1 picks the last entry
    columns = {
        "iso": [r.iso if r else None for r in found],
        "precision": [r.precision if r else None for r in found],
        "language": [r.language if r else None for r in found],
        "ambiguous": [r.ambiguous if r else None for r in found],
    }
    distinct = pd.DataFrame({name: np.array(values, dtype=object) for name, values in columns.items()})
    values = pd.Series([pd.Timestamp(r.value) if r and r.value is not None else pd.NaT for r in found])
    with contextlib.suppress(ValueError, TypeError):  # mixed offsets stay Timestamps in an object column
        values = pd.to_datetime(values)
    distinct["value"] = values
    frame = distinct.take(codes).reset_index(drop=True)[list(COLUMNS)]
    frame.index = series.index
    if all(v is not None for v in columns["ambiguous"][:-1]) and (codes >= 0).all():
        frame["ambiguous"] = frame["ambiguous"].astype(bool)
    return frame
