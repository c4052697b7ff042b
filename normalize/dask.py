"""Dask adapter: `normalize_records` over a bag's or a DataFrame's partitions (optional extra `dask`).

    import dask.bag as db, json
    bag = db.read_text("corpus/*.jsonl").map(json.loads)
    out = normalize_bag(bag, fields={"published": "date", "body": "document"})
    out.map(json.dumps).to_textfiles("normalized/*.jsonl")

Each partition runs `normalize_records` with `errors="collect"` (a bad row is marked, never dropped);
the cluster's workers give the parallelism, so each partition runs in one process.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from normalize import records as _records


def _run(partition, fields, reference_field):
    return list(_records.run(partition, fields, reference_field, "collect", 1))


def normalize_bag(bag, *, fields: Mapping[str, str], reference_field: str | None = None):
    """A `dask.bag.Bag` of records -> a Bag of normalized records (see `normalize_records`)."""
    checked = _records.check_options(fields, reference_field, "collect", 1)
    return bag.map_partitions(_run, checked, reference_field)


def _missing(value) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _frame(partition: pd.DataFrame, fields, reference_field, columns) -> pd.DataFrame:
    # A missing value is null, as in a JSON record: pandas writes NaN (pandas 3 even in text columns),
    # and a NaN field was rejected as "expected text, got float" (reliability tests).
    rows = [
        {k: None if _missing(v) else v for k, v in r.items()} for r in partition.to_dict(orient="records")
    ]
    out = [_records.flatten(r, fields) for r in _run(rows, fields, reference_field)]
    # Built as objects, then the input's columns get their dtypes back: inferring them anew (pandas 3:
    # pyarrow strings) raised UnicodeEncodeError on a lone surrogate in an object column (fuzz tests).
    frame = pd.DataFrame(out, index=partition.index, dtype=object)
    for column in columns:
        if column not in frame:
            frame[column] = None
    return frame[columns].astype({c: partition[c].dtype for c in partition.columns if c in columns})


def normalize_dataframe(ddf, *, fields: Mapping[str, str], reference_field: str | None = None):
    """A `dask.dataframe.DataFrame` -> the same columns plus the flat result columns (`published_iso`,
    `published_language`, `body_dateline_city`...) and `_error`; the index is kept."""
    checked = _records.check_options(fields, reference_field, "collect", 1)
    added = [*_records.flat_columns(checked), "_error"]
    columns = [*ddf.columns, *[c for c in added if c not in ddf.columns]]
    meta = ddf._meta.copy()
    for column in added:
        meta[column] = pd.Series([], dtype=object)
    return ddf.map_partitions(_frame, checked, reference_field, columns, meta=meta[columns])
