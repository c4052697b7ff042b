from __future__ import annotations

import json
import subprocess
import sys

from normalize.cli import main


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "normalize.cli", *args], input=stdin, capture_output=True, text=True
    )


def test_demo_prints_the_seed(tmp_path):
    proc = subprocess.run(["normalize", "demo"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["published"]["iso"] == "2024-11-18T17:38:00"
    assert out["header"]["language"] == "it"
    assert [m["iso"] for m in out["mentions"]] == ["2024-09-12", "2024-11-17"]


def test_date_command():
    proc = run("date", "lunedì 18 novembre 2024", "--lang", "it")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["iso"] == "2024-11-18"


def test_date_command_no_date_and_usage_errors():
    proc = run("date", "nothing here")
    assert proc.returncode == 1 and json.loads(proc.stdout) is None
    assert run("date", "18.11.2024", "--lang", "xx").returncode == 2
    assert run("date", "18.11.2024", "--tz", "Mars/Base").returncode == 2
    assert run("frobnicate").returncode == 2


def test_dates_command_reads_stdin():
    proc = run("dates", "-", "--reference", "2024-11-18", stdin="On September 12 and on November 17.")
    assert proc.returncode == 0
    assert [json.loads(line)["iso"] for line in proc.stdout.splitlines()] == ["2024-09-12", "2024-11-17"]


def test_main_returns_status(capsys):
    assert main(["date", "18.11.2024"]) == 0
    assert json.loads(capsys.readouterr().out)["iso"] == "2024-11-18"


def test_demo_shows_the_dateline(tmp_path):
    proc = subprocess.run(["normalize", "demo"], capture_output=True, text=True, cwd=tmp_path)
    line = json.loads(proc.stdout)["dateline"]
    assert (line["city"], line["country"], line["timezone"], line["agency"]) == (
        "Moscow",
        "RU",
        "Europe/Moscow",
        "TASS",
    )
    assert line["date"]["iso"] == "2024-11-18"


def test_dateline_commands():
    proc = run("dateline", "MOSCOW, November 18. /TASS/.", "--reference", "2024-11-20")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["date"]["iso"] == "2024-11-18"
    proc = run("dateline", "The president said on Monday.")
    assert proc.returncode == 1 and json.loads(proc.stdout) is None
    text = "PARIS (AFP) - Un.\nMadrid, 18 nov (EFE).- Dos."
    proc = run("datelines", "-", "--reference", "2024-11-18", stdin=text)
    assert [json.loads(x)["city"] for x in proc.stdout.splitlines()] == ["Paris", "Madrid"]
    assert run("dateline", "x", "--reference", "yesterday").returncode == 2


def test_doc_and_lang_commands(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Titolo\n\nROMA, 18 nov (ANSA) - Il governo ha approvato.\n", encoding="utf-8")
    proc = run("doc", str(article), "--reference", "2024-11-20")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["dateline"]["city"], out["published"]["iso"]) == ("Rome", "2024-11-18")
    assert run("doc", str(tmp_path / "missing.txt")).returncode == 2
    proc = run("lang", "lunedì 18 novembre 2024")
    assert proc.returncode == 0 and json.loads(proc.stdout)["language"] == "it"
    proc = run("lang", "14/07/2025 23:10")
    assert proc.returncode == 1 and json.loads(proc.stdout)["language"] is None
