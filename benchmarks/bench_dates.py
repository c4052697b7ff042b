"""normalize.parse_date against dateparser and dateutil, on the same inputs, in one process.

    python benchmarks/bench_dates.py [--quick]

Prints µs per call and ratios, accuracy on the same inputs, import + first parse in a fresh
interpreter, and resident memory with every language loaded. Targets (issue 3): >= 50x faster than
dateparser.parse without hints; <= 2x dateutil on English; import + first parse <= 0.25x dateparser's;
<= 30 MB RSS with all languages loaded. Every input string is distinct and normalize's result cache is
cleared before each pass, so the figures are for real parses, not cache hits. The shape memo (keyed by
the token shapes of a field, `n_M_y`, not by the field) stays warm as it does on a corpus; the "cold"
row clears it too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import tomllib
import warnings
from datetime import datetime, timedelta
from pathlib import Path

from babel.dates import format_date, format_datetime

import normalize
from normalize import dates as engine

warnings.filterwarnings("ignore")
REPO = Path(__file__).resolve().parent.parent
LANGS = "en de fr it es pt ru uk pl cs nl sv tr ar fa hi ja zh ko vi th id el ro hu".split()


def corpus(n_days: int) -> list[tuple[str, datetime, bool]]:
    """(text, expected, has_time): babel's date and datetime formats in 25 languages, distinct days."""
    out = []
    start = datetime(2023, 1, 3, 6, 0)
    for i in range(n_days):
        moment = start + timedelta(days=i * 3, minutes=i * 37)
        lang = LANGS[i % len(LANGS)]
        width = ("long", "medium", "full")[i % 3]
        out.append((format_date(moment, width, locale=lang), moment, False))
        out.append((format_datetime(moment, "medium", locale=lang), moment, True))
    return out


def english(n_days: int) -> list[tuple[str, datetime, bool]]:
    out = []
    start = datetime(2023, 1, 3, 6, 0)
    for i in range(n_days):
        moment = start + timedelta(days=i * 3, minutes=i * 37)
        fmt = ("%d %B %Y %H:%M", "%B %d, %Y %I:%M %p", "%Y-%m-%d %H:%M:%S", "%a, %d %b %Y %H:%M:%S")[i % 4]
        out.append((moment.strftime(fmt), moment, True))
    return out


def right(value, expected: datetime, has_time: bool) -> bool:
    if value is None:
        return False
    if isinstance(value, datetime):
        same_day = value.date() == expected.date()
        return same_day and (not has_time or (value.hour, value.minute) == (expected.hour, expected.minute))
    return not has_time and value == expected.date()


def time_calls(fn, inputs: list[str], before=None, repeat: int = 3) -> float:
    """Best µs per call over `repeat` passes."""
    best = float("inf")
    for _ in range(repeat):
        if before:
            before()
        t0 = time.perf_counter()
        for text in inputs:
            fn(text)
        best = min(best, (time.perf_counter() - t0) / len(inputs) * 1e6)
    return best


def cold() -> None:
    """Forget every per-input and per-shape memo (the loaded vocabulary stays)."""
    for memo in (engine._parse_cached, engine._date_matches_cached, engine._time_matches_cached):
        memo.cache_clear()
    engine.best_language.cache_clear()
    engine._values.cache_clear()


def ours(text: str):
    r = normalize.parse_date(text)
    return r.value if r else None


def fresh_interpreter(code: str, runs: int = 5) -> float:
    """Median seconds for `code` (which prints its own elapsed time) in a new interpreter."""
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


FIRST_PARSE = (
    "import time; t=time.perf_counter(); import {mod}; {call}('lunedì 18 novembre 2024'); "
    "print(time.perf_counter()-t)"
)
MEMORY = """
import json, sys
def rss():  # current resident set, MB (ru_maxrss would carry the parent's peak across exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
before = rss()
{load}
print(json.dumps([before, rss()]))
"""
LOAD_OURS = """
import normalize
from normalize import locale_data, vocabulary
for text in open(sys.argv[1], encoding="utf-8").read().splitlines():
    normalize.parse_date(text)
for code in locale_data.load("cldr/_meta.json")["languages"]:
    locale_data.load(f"cldr/{code}.json")
for key in list(locale_data.load("index.json"))[::7]:
    vocabulary.lookup(key)
"""
LOAD_DATEPARSER = """
import dateparser
for text in open(sys.argv[1], encoding="utf-8").read().splitlines():
    dateparser.parse(text)
"""


def memory(load: str, inputs: Path) -> tuple[float, float]:
    code = MEMORY.format(load=load)
    out = subprocess.run(
        [sys.executable, "-c", code, str(inputs)], capture_output=True, text=True, check=True
    )
    return tuple(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer inputs (for a smoke run)")
    args = parser.parse_args()
    import dateparser
    from dateutil import parser as dateutil_parser

    n = 40 if args.quick else 400
    multi = corpus(n)
    eng = english(n)
    headers = tomllib.loads((REPO / "tests" / "cases" / "headers.toml").read_text(encoding="utf-8"))["case"]

    print(f"inputs: {len(multi)} multilingual fields (25 languages), {len(eng)} English fields\n")
    normalize.parse_date("warm up the vocabulary")
    dateparser.parse("warm up")

    texts = [t for t, _, _ in multi]
    us = time_calls(ours, texts, before=engine._parse_cached.cache_clear)
    us_cold = time_calls(ours, texts, before=cold)
    dp = time_calls(dateparser.parse, texts, repeat=1)
    ok_us = sum(right(ours(t), e, h) for t, e, h in multi)
    ok_dp = sum(right(dateparser.parse(t), e, h) for t, e, h in multi)

    eng_texts = [t for t, _, _ in eng]
    us_en = time_calls(ours, eng_texts, before=engine._parse_cached.cache_clear)
    du_en = time_calls(dateutil_parser.parse, eng_texts)
    dp_en = time_calls(dateparser.parse, eng_texts, repeat=1)
    ok_us_en = sum(right(ours(t), e, h) for t, e, h in eng)
    ok_du_en = sum(right(dateutil_parser.parse(t), e, h) for t, e, h in eng)

    hdr_texts = [c["text"] for c in headers]
    us_h = time_calls(ours, hdr_texts, before=engine._parse_cached.cache_clear)
    dp_h = time_calls(dateparser.parse, hdr_texts, repeat=1)
    cached = time_calls(ours, texts, repeat=3)

    rows = [
        ("multilingual fields, no hint", us, dp, None, ok_us, ok_dp, None, len(multi)),
        ("English fields", us_en, dp_en, du_en, ok_us_en, None, ok_du_en, len(eng)),
        ("hand-written headers (tests/cases)", us_h, dp_h, None, None, None, None, len(headers)),
    ]
    head = f"{'normalize µs':>13} {'dateparser µs':>14} {'dateutil µs':>12} {'dp/ours':>8} {'ours/du':>8}"
    print(f"{'inputs':38} {head}")
    for name, a, b, c, *_ in rows:
        du_cell = f"{c:12.1f}" if c else f"{'-':>12}"
        ratio_du = f"{a / c:8.2f}" if c else f"{'-':>8}"
        print(f"{name:38} {a:13.1f} {b:14.1f} {du_cell} {b / a:8.1f} {ratio_du}")
    print(f"{'multilingual, every memo cold':38} {us_cold:13.1f} {dp:14.1f} {'-':>12} {dp / us_cold:8.1f}")
    print(f"{'repeated inputs (result cache)':38} {cached:13.2f}")
    print("\naccuracy (same day, and same minute where a time is written):")
    print(f"  multilingual: normalize {ok_us}/{len(multi)}, dateparser {ok_dp}/{len(multi)}")
    print(f"  English:      normalize {ok_us_en}/{len(eng)}, dateutil {ok_du_en}/{len(eng)}")

    first_us = fresh_interpreter(FIRST_PARSE.format(mod="normalize", call="normalize.parse_date"))
    first_dp = fresh_interpreter(FIRST_PARSE.format(mod="dateparser", call="dateparser.parse"))
    print("\nimport + first parse in a fresh interpreter (median of 5):")
    ratio = first_us / first_dp
    print(f"  normalize {first_us * 1000:.0f} ms, dateparser {first_dp * 1000:.0f} ms, ratio {ratio:.2f}")

    inputs = Path(REPO / "benchmarks" / ".bench_inputs.txt")
    inputs.write_text("\n".join(texts), encoding="utf-8")
    try:
        base, ours_rss = memory(LOAD_OURS, inputs)
        _, dp_rss = memory(LOAD_DATEPARSER, inputs)
    finally:
        inputs.unlink()
    print("\nRSS after parsing the inputs (all 312 languages' tables loaded for normalize):")
    added = ours_rss - base
    print(f"  interpreter {base:.1f} MB; normalize {ours_rss:.1f} MB (+{added:.1f}); dateparser {dp_rss:.1f}")


if __name__ == "__main__":
    main()
