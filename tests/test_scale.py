"""pandas and Dask adapters. The Dask tests run on a real LocalCluster with two worker processes."""

from __future__ import annotations

import json

import pytest

pd = pytest.importorskip("pandas")


def test_pandas_parse_dates():
    from normalize.pandas import parse_dates

    series = pd.Series(
        ["lunedì 18 novembre 2024", "18.11.2024 17:38", None, 42, "nothing", "31 dicembre"] * 50
    )
    frame = parse_dates(series, reference="2025-01-02")
    assert list(frame.columns) == ["iso", "value", "precision", "language", "ambiguous"]
    assert frame.index.equals(series.index)
    assert frame["iso"].iloc[0] == "2024-11-18" and frame["language"].iloc[0] == "it"
    assert frame["value"].iloc[1] == pd.Timestamp("2024-11-18 17:38")
    assert frame["iso"].iloc[5] == "2024-12-31"
    assert frame["value"].isna().tolist()[2:5] == [True, True, True]
    with pytest.raises(TypeError, match="series"):
        parse_dates(["18.11.2024"])


def test_pandas_parses_each_distinct_value_once(monkeypatch):
    import normalize.pandas as adapter

    calls = []
    real = adapter.parse_date
    monkeypatch.setattr(adapter, "parse_date", lambda text, **kw: calls.append(text) or real(text, **kw))
    adapter.parse_dates(pd.Series([f"{1 + i % 10}.11.2024" for i in range(10_000)]))
    assert len(calls) == 10


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as c,
        distributed.Client(c) as client,
    ):
        yield client


def test_dask_bag_on_a_local_cluster(cluster, tmp_path):
    import dask.bag as db

    from normalize.dask import normalize_bag

    for part in range(3):
        rows = [{"part": part, "i": i, "d": f"{1 + i % 28} novembre 2024"} for i in range(100)]
        rows[7] = {"part": part, "i": 7, "d": 12}
        (tmp_path / f"in-{part}.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\n", encoding="utf-8")
    bag = db.read_text(str(tmp_path / "in-*.jsonl")).map(json.loads)
    out = normalize_bag(bag, fields={"d": "date"}).compute()
    assert len(out) == 300
    assert [(r["part"], r["i"]) for r in out] == [(p, i) for p in range(3) for i in range(100)]
    assert out[0]["d_normalized"]["iso"] == "2024-11-01"
    assert [r["i"] for r in out if "_error" in r] == [7, 7, 7]


def test_dask_dataframe_on_a_local_cluster(cluster):
    dd = pytest.importorskip("dask.dataframe")

    from normalize.dask import normalize_dataframe

    frame = pd.DataFrame(
        {
            "published": ["lunedì 18 novembre 2024", "18.11.2024", "nothing", None] * 25,
            "body": ["MOSCOW, November 18. /TASS/. Text."] * 100,
        }
    )
    ddf = dd.from_pandas(frame, npartitions=4)
    out = normalize_dataframe(ddf, fields={"published": "date", "body": "dateline"}).compute()
    assert len(out) == 100 and out.index.equals(frame.index)
    assert out["published_iso"].iloc[0] == "2024-11-18" and out["published_language"].iloc[0] == "it"
    assert out["body_city"].iloc[0] == "Moscow" and out["body_agency"].iloc[0] == "TASS"
    assert pd.isna(out["published_iso"].iloc[2])
