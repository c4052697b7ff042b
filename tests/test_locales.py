"""The generated tables: deterministic, committed as generated, loaded lazily and safely."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import normalize
from normalize import locale_data

pytest.importorskip("babel")


def _build(repo: Path, out: Path) -> None:
    subprocess.run(
        [sys.executable, str(repo / "scripts" / "build_locales.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.json"))}


def test_generator_is_deterministic_and_committed(repo, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    _build(repo, a)
    _build(repo, b)
    first, second = _tree(a), _tree(b)
    assert first == second
    committed = {k: v for k, v in _tree(repo / "locales").items() if k in first}
    meta = json.loads(first["cldr/_meta.json"])
    import babel

    if meta["babel"] == babel.__version__:
        assert sorted(committed) == sorted(first)
        changed = [k for k in first if committed[k] != first[k]]
        assert changed == [], f"locales/ is stale, rerun scripts/build_locales.py: {changed[:5]}"


def test_every_base_locale_has_a_table(repo):
    meta = json.loads((repo / "locales" / "cldr" / "_meta.json").read_text())
    assert len(meta["languages"]) >= 300
    for code in meta["languages"]:
        assert (repo / "locales" / "cldr" / f"{code}.json").is_file()


def test_tables_have_the_cldr_vocabulary():
    ru = locale_data.load("cldr/ru.json")
    assert ru["months"]["ноября"] == 11 and ru["months"]["ноябрь"] == 11
    assert ru["date_order"] == "DMY"
    assert locale_data.load("cldr/en.json")["date_order"] == "MDY"
    assert locale_data.load("cldr/ja.json")["date_order"] == "YMD"
    assert ["day", -1, "vor {0} Tagen"] in locale_data.load("cldr/de.json")["relative_time"]
    assert locale_data.load("cldr/ko.json")["day_periods"]["오후"] == "pm"
    assert locale_data.load("cldr/fa.json")["numbering_system"] == "arabext"


def test_overlays_are_valid_toml(repo):
    import tomllib

    for path in (repo / "locales").glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for value in data.get("months", {}).values():
            assert 1 <= value <= 12, path
        for value in data.get("weekdays", {}).values():
            assert 1 <= value <= 7, path


def test_locales_are_found_from_the_installed_package():
    assert (locale_data.root() / "index.json").is_file()


def test_first_use_from_threads_is_safe():
    normalize.clear_caches()
    results, errors = [], []
    barrier = threading.Barrier(8)

    def work():
        try:
            barrier.wait()
            results.append(normalize.parse_date("lunedì 18 novembre 2024").iso)
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == ["2024-11-18"] * 8


def test_same_output_under_any_hash_seed(repo):
    code = (
        "import normalize, json;"
        "print(json.dumps([normalize.parse_date(t).to_dict() for t in "
        "['date 2024-11-18 17.38 - lunedì 18 novembre 2024', 'listopad 2024', '18 novembre 2024', "
        "'03/04/2024', 'Mar 5, 2024']]))"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outs) == 1


def test_clear_caches_reloads():
    assert normalize.parse_date("18 ноября 2024").iso == "2024-11-18"
    normalize.clear_caches()
    assert normalize.parse_date("18 ноября 2024").iso == "2024-11-18"
    assert filecmp is not None
