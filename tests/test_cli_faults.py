"""The `normalize` command under faults (issue 7), each run as a real process.

Exit statuses (normalize/cli.py): 0 = every row normalized (or, for one-result commands, something
found); 1 = some rows rejected (written with `_error`, reported on stderr), or nothing found, or the
output could not be written (a full disk); 2 = usage error (unknown option, kind, language, zone,
or a file that cannot be opened); 130 = interrupted by Ctrl-C (the rows written so far are complete).
A reader that closes the pipe early (`| head -1`) ends the command quietly with status 0.

In every case: no traceback on stderr, and for `records` one output row per non-blank input line, in
input order, none lost, none duplicated (except after Ctrl-C, where the output is a complete prefix).

What these tests found, fixed in normalize/ (the input that triggered each):
- a JSONL record holding a `"\\ud800"` escape: UnicodeEncodeError writing the row, traceback;
- a CSV field over 128 KB: `_csv.Error: field larger than field limit`, traceback;
- a JSONL line holding a 50 MB field: 80 s and 5.3 GB of memory (now rejected: `records.MAX_CHARS`);
- `normalize dates - | head -1`, `normalize demo | true`: BrokenPipeError traceback (`datelines`:
  exit status 2 and "[Errno 32] Broken pipe");
- Ctrl-C sent to the process group with `--workers 2`: a KeyboardInterrupt traceback from each worker;
  Ctrl-C during a write: the summary counted a row that was never written;
- standard input with invalid UTF-8 under a strict locale: exit status 2 instead of U+FFFD;
- output to a full disk (`> /dev/full`): OSError traceback.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import normalize.cli
import normalize.records

CLI = [sys.executable, "-m", "normalize.cli"]
LINUX = sys.platform == "linux"


def cli(*args, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([*CLI, *args], input=stdin, capture_output=True, env=env, timeout=120)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
    return proc


def rows_of(out: bytes) -> list[dict]:
    assert not out or out.endswith(b"\n"), out[-200:]
    return [json.loads(line) for line in out.decode("utf-8").splitlines()]


def summary(proc: subprocess.CompletedProcess) -> str:
    return proc.stderr.decode("utf-8").strip().splitlines()[-1]


# -- invalid bytes -----------------------------------------------------------------------------------

BAD_UTF8 = (
    b'{"id": 1, "d": "18 novembre 2024"}\n'
    b'{"id": 2, "d": "18 nov\xff 2024"}\n'  # a stray byte inside a string
    b"\xc0\xaf\xc0\xaf\n"  # overlong encodings
    b'{"id": 4, "d": "\xed\xa0\x80"}\n'  # a surrogate encoded as bytes (CESU-8)
    b'{"id": 5, "d": "18 novembre 2024 \\ud800"}\n'  # a lone surrogate escaped: valid JSON
    b'{"id": 6, "d": "18.11.2024"}\n'
    b'{"id": 7, "d": "\xe2\x82'  # truncated in the middle of a character, at the end of the file
)


def test_invalid_utf8_rows_are_rejected_and_reported():
    proc = cli("records", "-", "--field", "d=date", stdin=BAD_UTF8)
    assert proc.returncode == 1  # some rows rejected
    rows = rows_of(proc.stdout)
    assert len(rows) == 7
    assert [r.get("id") for r in rows] == [1, None, None, None, 5, 6, None]
    assert [r.get("_line") for r in rows] == [None, 2, 3, 4, None, None, 7]
    for r in (rows[1], rows[2], rows[3], rows[6]):
        assert r["_error"].startswith("not UTF-8") and "\\x" in r["_raw"]
    assert rows[4]["d"] == "18 novembre 2024 \ud800"  # written escaped, read back as it was
    assert rows[4]["d_normalized"]["iso"] == "2024-11-18" and "_error" not in rows[4]
    proc.stdout.decode("utf-8")  # the output is UTF-8, strictly
    err = proc.stderr.decode("utf-8")
    assert all(f"line {n}:" in err for n in (2, 3, 4, 7))
    assert summary(proc) == "normalize: 7 rows read, 3 normalized, 4 rejected"


def test_invalid_utf8_in_csv_and_in_its_header(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(b"id,d,note\xff\n1,18.11.2024,a\n2,18 nov\xff 2024,b\n3,lunedi 18 novembre 2024,c\n")
    out = tmp_path / "out.csv"
    proc = cli("records", str(src), "-o", str(out), "--field", "d=date")
    assert proc.returncode == 1  # row 2 rejected
    text = out.read_bytes().decode("utf-8")  # the output is UTF-8 whatever the input was
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["_line"] for r in rows] == ["", "3", ""]
    assert rows[1]["_error"] == "not UTF-8" and rows[1]["_raw"] == "2,18 nov\\xff 2024,b"
    assert [rows[0]["d_iso"], rows[2]["d_iso"]] == ["2024-11-18", "2024-11-18"]
    assert text.splitlines()[0].startswith("id,d,note\\udcff,")  # the column name, escaped


def test_invalid_utf8_on_stdin_and_argv_of_one_shot_commands():
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"}
    text = b"MOSCOW, November 18. /TASS/. Peskov said \xff\xfe on 17 November 2024.\n"
    for command in ("date", "dates", "dateline", "datelines", "lang", "doc"):
        proc = cli(command, "-", stdin=text, env=env)
        assert proc.returncode in (0, 1), (command, proc.stderr)
        proc.stdout.decode("utf-8")
    proc = cli("dateline", b"MOSCOW \xff, November 18. /TASS/. x", env=env)
    assert proc.returncode == 0
    assert "\ufffd" in json.loads(proc.stdout)["text"]


# -- long lines --------------------------------------------------------------------------------------


def test_a_50_mb_line_is_a_rejected_row_not_a_crash(tmp_path):
    src = tmp_path / "in.jsonl"
    huge = ("18 novembre 2024 MOSCOW (AP) — " * 1_700_000)[:50_000_000]
    with src.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": 0, "d": huge}, ensure_ascii=False) + "\n")
        fh.write(json.dumps({"id": 1, "d": "18.11.2024"}) + "\n")
    del huge
    out = tmp_path / "out.jsonl"
    proc = cli("records", str(src), "-o", str(out), "--field", "d=document")
    assert proc.returncode == 1
    rows = rows_of(out.read_bytes())
    assert [r["id"] for r in rows] == [0, 1]
    limit = f"{normalize.records.MAX_CHARS:,}"
    assert rows[0]["_error"] == f"d: 50,000,000 characters, more than the {limit} a field may have"
    assert len(rows[0]["d"]) == 50_000_000 and rows[0]["d_normalized"] is None  # the row is kept
    assert rows[1]["d_normalized"]["published"]["iso"] == "2024-11-18"
    assert "line 1: d: 50,000,000 characters" in proc.stderr.decode("utf-8")


def test_a_csv_field_over_the_csv_module_limit(tmp_path):
    src = tmp_path / "in.csv"
    long_field = "x " * 100_000 + "18 novembre 2024"  # 200 KB: over the csv module's 128 KB default
    src.write_text(f'id,d\n1,"{long_field}"\n2,18.11.2024\n', encoding="utf-8")
    proc = cli("records", str(src), "--field", "d=date")
    assert proc.returncode == 0
    limit = csv.field_size_limit(1 << 30)  # this test reads the long field back too
    try:
        rows = list(csv.DictReader(io.StringIO(proc.stdout.decode("utf-8"))))
    finally:
        csv.field_size_limit(limit)
    assert [r["id"] for r in rows] == ["1", "2"]
    assert rows[0]["d_iso"] == "2024-11-18" and rows[1]["d_iso"] == "2024-11-18"


def test_a_csv_line_the_csv_module_refuses_is_a_rejected_row(monkeypatch):
    monkeypatch.setattr(normalize.cli, "_CSV_FIELD_LIMIT", 10)  # in process: any long field is refused
    limit = csv.field_size_limit()
    try:
        stream = io.BytesIO(b"id,d\n1,18.11.2024\n2,this field is too long\n3,19.11.2024\n")
        rows = list(normalize.cli._csv_rows(stream, []))
    finally:
        csv.field_size_limit(limit)
    assert [(n, r is not None) for n, r, _ in rows] == [(2, True), (3, False), (4, True)]
    assert rows[1][2]["_error"].startswith("not CSV: field larger than field limit")


# -- empty input, no final newline -------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\r\n"])
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_empty_file(tmp_path, content, fmt):
    src = tmp_path / f"in.{fmt}"
    src.write_bytes(content)
    proc = cli("records", str(src), "--field", "d=date")
    assert proc.returncode == 0  # nothing rejected
    assert proc.stdout.strip() == b"" or fmt == "csv"
    if fmt == "jsonl":
        assert summary(proc) == "normalize: 0 rows read, 0 normalized, 0 rejected"


@pytest.mark.parametrize("ending", [b"", b"\r\n"])
def test_a_file_without_a_final_newline(tmp_path, ending):
    src = tmp_path / "in.jsonl"
    lines = [b'{"id": 1, "d": "18.11.2024"}', b"not json", b'{"id": 3, "d": "19.11.2024"}']
    src.write_bytes(b"\r\n".join(lines) + ending)
    proc = cli("records", str(src), "--field", "d=date")
    assert proc.returncode == 1
    rows = rows_of(proc.stdout)
    assert [r.get("id") for r in rows] == [1, None, 3]
    assert rows[1]["_raw"] == "not json"  # no line ending in the raw text
    assert rows[2]["d_normalized"]["iso"] == "2024-11-19"
    csv_src = tmp_path / "in.csv"
    csv_src.write_bytes(b"id,d\r\n1,18.11.2024\r\n2,19.11.2024")
    proc = cli("records", str(csv_src), "--field", "d=date")
    assert proc.returncode == 0
    assert [r["d_iso"] for r in csv.DictReader(io.StringIO(proc.stdout.decode()))] == [
        "2024-11-18",
        "2024-11-19",
    ]


# -- a reader that goes away -------------------------------------------------------------------------


def _bash(command: str) -> tuple[int, str, str]:
    """Run a shell pipeline; (the first command's exit status, stdout, stderr)."""
    proc = subprocess.run(
        ["bash", "-c", f'{command}; echo "status=${{PIPESTATUS[0]}}" >&2'],
        capture_output=True,
        text=True,
        timeout=120,
    )
    status = int(proc.stderr.strip().splitlines()[-1].split("=")[1])
    return status, proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def many_rows(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("rows") / "in.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(100_000):
            fh.write(json.dumps({"id": i, "d": f"{1 + i % 28} novembre {1990 + i % 30}"}) + "\n")
    return src


@pytest.mark.skipif(not LINUX, reason="bash pipelines")
@pytest.mark.parametrize("workers", ["1", "2"])
def test_head_closing_the_pipe_ends_records_quietly(many_rows, workers):
    cmd = (
        f"{sys.executable} -m normalize.cli records {many_rows} --field d=date --workers {workers} | head -1"
    )
    status, out, err = _bash(cmd)
    assert status == 0, err
    assert json.loads(out)["id"] == 0
    assert "Traceback" not in err and "Exception ignored" not in err


@pytest.mark.skipif(not LINUX, reason="bash pipelines")
@pytest.mark.parametrize(
    "command",
    [
        "dates - < {text} | head -1",
        "datelines - < {text} | head -1",
        "demo | true",
        "date 'lunedì 18 novembre 2024' | true",
        "doc {text} | head -c 1",
    ],
)
def test_head_closing_the_pipe_ends_other_commands_quietly(tmp_path, command):
    text = tmp_path / "text.txt"
    text.write_text("MOSCOW, November 18. /TASS/. On 17 November 2024 he said.\n" * 5_000, encoding="utf-8")
    status, _, err = _bash(f"{sys.executable} -m normalize.cli " + command.format(text=text))
    assert status == 0, err
    assert "Traceback" not in err and "Exception ignored" not in err


@pytest.mark.skipif(not LINUX, reason="/dev/full")
def test_a_full_disk_is_one_line_on_stderr(many_rows):
    status, _, err = _bash(
        f"{sys.executable} -m normalize.cli records {many_rows} --field d=date > /dev/full"
    )
    assert status == 1
    assert "No space left on device" in err and "Traceback" not in err
    status, _, err = _bash(f"{sys.executable} -m normalize.cli dates 'on 18.11.2024' > /dev/full")
    assert status == 1 and "Traceback" not in err


def test_an_input_that_cannot_be_opened_is_a_usage_error(tmp_path):
    assert cli("records", str(tmp_path), "--field", "d=date").returncode == 2  # a directory
    assert cli("records", str(tmp_path / "missing.jsonl"), "--field", "d=date").returncode == 2
    src = tmp_path / "in.jsonl"
    src.write_text('{"d": "18.11.2024"}\n', encoding="utf-8")
    assert (
        cli("records", str(src), "-o", str(tmp_path / "no" / "such" / "dir"), "--field", "d=date").returncode
        == 2
    )


# -- Ctrl-C ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_rows(tmp_path_factory) -> Path:
    """Rows that take a while: 200,000 distinct datelines (about 10-30 s of work)."""
    src = tmp_path_factory.mktemp("slow") / "in.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(200_000):
            line = f"MOSCOW, November {1 + i % 28}. /TASS/. Peskov said {i} things."
            fh.write(json.dumps({"id": i, "d": f"{1 + i % 28} novembre {1990 + i % 30}", "b": line}) + "\n")
    return src


def _wait_for_rows(path: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while path.stat().st_size < 10_000:
        assert proc.poll() is None, "the command ended before it could be interrupted"
        assert time.monotonic() < deadline, "no output"
        time.sleep(0.05)


@pytest.mark.skipif(not LINUX, reason="process groups and SIGINT")
@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_leaves_complete_rows_in_order_and_exits_130(tmp_path, slow_rows, workers):
    out = tmp_path / "out.jsonl"
    cmd = [
        *CLI,
        "records",
        str(slow_rows),
        "--field",
        "d=date",
        "--field",
        "b=dateline",
        "--workers",
        workers,
    ]
    with out.open("wb") as sink:
        # Its own process group, signalled as a whole, as a terminal's Ctrl-C is (workers included).
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _wait_for_rows(out, proc)
            time.sleep(0.5)
            os.killpg(proc.pid, signal.SIGINT)
            _, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    err = err.decode("utf-8")
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    rows = rows_of(out.read_bytes())  # every line is complete JSON
    ids = [r["id"] for r in rows]
    assert 0 < len(ids) < 200_000
    assert ids == list(range(len(ids)))  # in input order, no duplicates, no gaps
    assert all(r["b_normalized"]["city"] == "Moscow" for r in rows)
    assert (
        err.strip().splitlines()[-1] == f"normalize: {len(ids)} rows read, {len(ids)} normalized, 0 rejected"
    )


# -- a worker that dies ------------------------------------------------------------------------------

# The CLI in a process whose normalize_one kills its worker on the row with id 13. The pool forks, so
# the workers inherit the patch (fork is asked for explicitly: Python 3.14 defaults to forkserver).
KILLER = """
import multiprocessing, os, sys
multiprocessing.set_start_method("fork", force=True)
import normalize.records as records
real = records.normalize_one
def dies_on_13(record, *args):
    if isinstance(record, dict) and record.get("id") == 13:
        os._exit(3)
    return real(record, *args)
records.normalize_one = dies_on_13
from normalize.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not LINUX, reason="fork")
def test_a_row_that_kills_its_worker_is_rejected_and_the_run_finishes(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "d": "18.11.2024"}) + "\n" for i in range(1000)), "utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, "records", str(src), "--field", "d=date", "--workers", "2"],
        capture_output=True,
        timeout=120,
    )
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1, err  # rows rejected
    assert "Traceback" not in err
    rows = rows_of(proc.stdout)
    assert [r["id"] for r in rows] == list(range(1000))  # none lost, none duplicated, in order
    lost = [r["id"] for r in rows if "_error" in r]
    assert 13 in lost and len(lost) == normalize.records.CHUNK  # the chunk that held row 13, no more
    assert all(
        r["_error"] == "the worker process normalizing this record died" for r in rows if r["id"] in lost
    )
    assert all(r["d_normalized"]["iso"] == "2024-11-18" for r in rows if r["id"] not in lost)
    assert f"{len(lost)} rejected" in err.strip().splitlines()[-1]


# A worker that dies half-way through writing its result: the pool's manager thread waits for the rest
# of the message forever and the pool never breaks (CPython's ProcessPoolExecutor). normalize.records
# notices the dead worker itself; the waits are shortened here so the test is quick.
HALF_SENT = """
import multiprocessing, os, struct, sys
multiprocessing.set_start_method("fork", force=True)
import concurrent.futures.process as cfp
import normalize.records as records
records.WATCH, records.GRACE = 0.2, 0.5
real = cfp._sendback_result
def half_sent(result_queue, work_id, *args, **kwargs):
    result = kwargs.get("result", args[0] if args else None)
    if isinstance(result, list) and any('"id": 13,' in repr(r) for r in result):  # rows or encoded rows
        os.write(result_queue._writer.fileno(), struct.pack("!i", 1 << 20) + b"x" * 100)
        os._exit(9)
    return real(result_queue, work_id, *args, **kwargs)
cfp._sendback_result = half_sent
from normalize.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not LINUX, reason="fork")
def test_a_worker_killed_while_sending_its_result_does_not_hang_the_run(tmp_path):
    import concurrent.futures.process

    if not hasattr(concurrent.futures.process, "_sendback_result"):
        pytest.skip("this Python's process pool sends results differently")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "d": "18.11.2024"}) + "\n" for i in range(1000)), "utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", HALF_SENT, "records", str(src), "--field", "d=date", "--workers", "2"],
        capture_output=True,
        timeout=120,  # before the fix: forever
    )
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    rows = rows_of(proc.stdout)
    assert [r["id"] for r in rows] == list(range(1000))
    lost = [r["id"] for r in rows if "_error" in r]
    assert 13 in lost and len(lost) == normalize.records.CHUNK


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not LINUX, reason="/proc and fork")
def test_a_worker_killed_from_outside_is_replaced_and_no_row_is_lost(tmp_path, slow_rows):
    out = tmp_path / "out.jsonl"
    rows_wanted = 30_000
    src = tmp_path / "in.jsonl"
    with slow_rows.open("rb") as full, src.open("wb") as part:
        for _ in range(rows_wanted):
            part.write(full.readline())
    cmd = [*CLI, "records", str(src), "--field", "b=dateline", "--workers", "2"]
    with out.open("wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE)
        try:
            _wait_for_rows(out, proc)
            workers = _children(proc.pid)
            assert workers, "no worker process found"
            os.kill(workers[0], signal.SIGKILL)  # out of memory, an operator's kill -9
            _, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
    err = err.decode("utf-8")
    assert "Traceback" not in err
    assert proc.returncode == 0, err  # the rows it held were tried again, alone, and went through
    rows = rows_of(out.read_bytes())
    assert [r["id"] for r in rows] == list(range(rows_wanted))
    assert all(r["b_normalized"]["city"] == "Moscow" for r in rows)
