"""normalize_records and the `normalize records` command: order, laziness, errors, workers, formats."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import subprocess
import sys

import pytest

import normalize
import normalize.records
from normalize import normalize_records

ROWS = [
    {"id": 1, "published": "lunedì 18 novembre 2024", "ref": "2024-11-20"},
    {"id": 2, "published": "31 dicembre", "ref": "2025-01-02"},
    {"id": 3, "published": None},
    {"id": 4},
    {"id": 5, "published": 20241118},
    {"id": 6, "published": "nothing here"},
]


def test_fields_are_added_in_order():
    out = list(normalize_records(ROWS, fields={"published": "date"}, reference_field="ref"))
    assert [r["id"] for r in out] == [1, 2, 3, 4, 5, 6]
    assert out[0]["published_normalized"]["iso"] == "2024-11-18"
    assert out[1]["published_normalized"]["iso"] == "2024-12-31"  # the year from the row's reference
    assert out[2]["published_normalized"] is None and "_error" not in out[2]
    assert out[3]["published_normalized"] is None and "_error" not in out[3]
    assert out[4]["_error"] == "published: expected text, got int"
    assert out[5]["published_normalized"] is None and "_error" not in out[5]
    assert out[0]["published"] == ROWS[0]["published"]  # the input is kept as it was
    assert "published_normalized" not in ROWS[0]  # and not modified


def test_error_policies():
    with pytest.raises(normalize.records.RecordError, match="row 4: published"):
        list(normalize_records(ROWS, fields={"published": "date"}, errors="raise"))
    ignored = list(normalize_records(ROWS, fields={"published": "date"}, errors="ignore"))
    assert ignored[4] == ROWS[4]
    assert ignored[0]["published_normalized"]["iso"] == "2024-11-18"


def test_every_kind():
    row = {
        "date": "18.11.2024",
        "line": "MOSCOW, November 18. /TASS/. Russia assumes",
        "lang": "Il governo ha approvato il decreto sui flussi migratori.",
        "doc": "Titolo\n\nROMA, 18 nov (ANSA) - Il governo ha approvato il decreto.",
        "ref": "2024-11-20",
    }
    kinds = {"date": "date", "line": "dateline", "lang": "language", "doc": "document"}
    (out,) = normalize_records([row], fields=kinds, reference_field="ref")
    assert out["date_normalized"]["iso"] == "2024-11-18"
    assert out["line_normalized"]["city"] == "Moscow"
    assert out["lang_normalized"] == "it"
    assert out["doc_normalized"]["dateline"]["city"] == "Rome"
    flat = normalize.records.flatten(out, kinds)
    assert (
        flat["doc_dateline_city"] == "Rome"
        and flat["date_iso"] == "2024-11-18"
        and flat["line_city"] == "Moscow"
    )


def test_not_a_record_and_bad_reference():
    out = list(
        normalize_records(
            ["text", {"d": "18.11.2024", "r": "yesterday"}], fields={"d": "date"}, reference_field="r"
        )
    )
    assert out[0] == {"_error": "record is not an object but str", "_value": "text"}
    assert out[1]["_error"].startswith("r:")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"fields": ["published"]}, TypeError),
        ({"fields": {"published": "when"}}, ValueError),
        ({"fields": {}}, ValueError),
        ({"fields": {"published": "date"}, "errors": "skip"}, ValueError),
        ({"fields": {"published": "date"}, "workers": 0}, ValueError),
        ({"fields": {"published": "date"}, "workers": "2"}, TypeError),
        ({"fields": {"published": "date"}, "reference_field": 3}, TypeError),
    ],
)
def test_bad_options(kwargs, error):
    with pytest.raises(error):
        normalize_records(ROWS, **kwargs)


def test_lazy_on_an_endless_stream():
    endless = ({"id": i, "d": "18.11.2024"} for i in itertools.count())
    first = list(itertools.islice(normalize_records(endless, fields={"d": "date"}), 5))
    assert [r["id"] for r in first] == [0, 1, 2, 3, 4]
    endless = ({"id": i, "d": "18.11.2024"} for i in itertools.count())
    first = list(itertools.islice(normalize_records(endless, fields={"d": "date"}, workers=2), 700))
    assert [r["id"] for r in first] == list(range(700))


def test_workers_give_the_same_rows_in_the_same_order():
    rows = [
        {"id": i, "d": f"{1 + i % 28} novembre 2024", "x": i if i % 97 == 0 else None} for i in range(1500)
    ]
    rows[700] = "not a record"
    one = list(normalize_records(rows, fields={"d": "date", "x": "date"}))
    two = list(normalize_records(rows, fields={"d": "date", "x": "date"}, workers=2))
    assert one == two
    assert sum("_error" in r for r in two) == 1 + len(range(0, 1500, 97))


def _dies_on_13(record, fields, reference_field, errors):
    if isinstance(record, dict) and record.get("id") == 13:
        os._exit(3)  # a worker killed mid-chunk (out of memory, a signal)
    return _real_normalize_one(record, fields, reference_field, errors)


_real_normalize_one = normalize.records.normalize_one


@pytest.mark.skipif(sys.platform != "linux", reason="relies on fork sharing the patched function")
def test_a_dying_worker_loses_no_row(monkeypatch):
    monkeypatch.setattr(normalize.records, "normalize_one", _dies_on_13)
    rows = [{"id": i, "d": "18.11.2024"} for i in range(1000)]
    out = list(normalize_records(rows, fields={"d": "date"}, workers=2))
    assert [r["id"] for r in out] == list(range(1000))
    lost = [r["id"] for r in out if "_error" in r]
    assert 13 in lost and len(lost) == normalize.records.CHUNK  # the chunk that held row 13, no more
    assert all(r["d_normalized"]["iso"] == "2024-11-18" for r in out if "_error" not in r)


# -- the command ------------------------------------------------------------------------------------


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "normalize.cli", *args], input=stdin, capture_output=True)


JSONL = (
    b'{"id": 1, "published": "lunedi 18 novembre 2024"}\n'
    b"not json\n"
    b"\n"
    b'\xff\xfe{"id": 3}\n'
    b"[1, 2]\n"
    b'{"id": 5, "published": 42}\n'
    b'{"id": 6, "published": "18.11.2024"}'  # no final newline
)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_records_command_keeps_every_row(workers):
    proc = cli("records", "-", "--field", "published=date", "--workers", workers, stdin=JSONL)
    assert proc.returncode == 1
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(rows) == 6  # every non-blank line, in order
    assert rows[0]["published_normalized"]["iso"] == "2024-11-18"
    assert [r.get("_line") for r in rows] == [None, 2, 4, 5, None, None]
    assert rows[2]["_error"].startswith("not UTF-8") and rows[2]["_raw"].startswith("\\xff\\xfe")
    assert rows[3]["_error"] == "not a JSON object but list"
    assert rows[4]["_error"] == "published: expected text, got int"
    assert rows[5]["published_normalized"]["iso"] == "2024-11-18"
    err = proc.stderr.decode("utf-8")
    assert "line 2:" in err and "line 4:" in err and "line 5:" in err and "line 6:" in err
    assert err.strip().endswith("6 rows read, 2 normalized, 4 rejected")
    assert "Traceback" not in err


def test_records_command_csv(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(
        'id,published,body\n1,lunedì 18 novembre 2024,"MOSCOW, November 18. /TASS/. Text"\n2,,\n3,a,b,c\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    proc = cli("records", str(src), "-o", str(out), "--field", "published=date", "--field", "body=document")
    assert proc.returncode == 1, proc.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 3
    assert rows[0]["published_iso"] == "2024-11-18" and rows[0]["published_language"] == "it"
    assert rows[0]["body_dateline_city"] == "Moscow"
    assert rows[1]["id"] == "2" and rows[1]["published_iso"] == ""
    assert rows[2]["_error"] == "4 fields, the header has 3" and rows[2]["_line"] == "4"


def test_records_command_usage_errors(tmp_path):
    assert cli("records", "-", "--field", "published=when", stdin=b"").returncode == 2
    assert cli("records", "-", "--field", "published", stdin=b"").returncode == 2
    assert cli("records", "-", stdin=b"").returncode == 2
    assert cli("records", str(tmp_path / "missing.jsonl"), "--field", "d=date").returncode == 2
    empty = cli("records", "-", "--field", "d=date", stdin=b"")
    assert empty.returncode == 0 and empty.stdout == b""


def test_closing_stdout_early_is_quiet(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps({"d": "18.11.2024", "i": i}) + "\n" for i in range(20000)), encoding="utf-8"
    )
    cmd = f"{sys.executable} -m normalize.cli records {src} --field d=date | head -1"
    proc = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    assert json.loads(proc.stdout)["i"] == 0
    assert "Traceback" not in proc.stderr
