"""normalize.parse_dateline / find_datelines: throughput, first call, prose precision, hostile input.

    python benchmarks/bench_datelines.py

No library reads datelines into places, so there is no anchor to divide by; the targets (issue 4) are
absolute: >= 50,000 datelines/s after warm-up, <= 1 false dateline per 1,000 sentences of prose,
100 KB of "MOSCOW, " repeated in < 100 ms. Throughput rows: the hand-written fixtures
(tests/cases/datelines.toml) over and over, as a corpus repeats its agencies' styles; then distinct
datelines built from 2,000+ gazetteer cities, 7 agency styles and every day of 2024 (each text differs),
first with every memo cleared, then the next 20,000 once the memos hold the cities and dates.
The first-call row is a fresh interpreter: import, gazetteer and date tables loaded, one dateline.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time
import tomllib
from datetime import date, timedelta
from pathlib import Path

import normalize
from normalize import locale_data

CASES = Path(__file__).resolve().parent.parent / "tests" / "cases"
STYLES = (
    "{CITY}, {Mon} {d} (Reuters) - The council met.",
    "{CITY} (AP) — Officials said on Monday.",
    "{CITY}, {Month} {d}. /TASS/. The ministry said.",
    "{City}, {d} {mon} (EFE).- El Gobierno aprobó.",
    "(ANSA) - {CITY}, {d} {MON} - Il Consiglio.",
    "{City} (dpa) - Die Regierung hält.",
    "{CITY}, {Mon}. {d} (Xinhua) -- Output grew.",
)


def fixtures() -> list[tuple[str, date]]:
    cases = tomllib.loads((CASES / "datelines.toml").read_text(encoding="utf-8"))["dateline"]
    return [(c["text"], date.fromisoformat(c["reference"])) for c in cases]


def synthetic(n: int) -> list[tuple[str, date]]:
    rows = locale_data.load("places.json")["rows"]
    rng = random.Random(7)
    names = sorted({row.split("|")[1] for row in rows if int(row.split("|")[8] or 0) > 100_000})
    out = []
    for i in range(n):
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(366))
        city = rng.choice(names)
        text = STYLES[i % len(STYLES)].format(
            CITY=city.upper(),
            City=city,
            Mon=day.strftime("%b"),
            Month=day.strftime("%B"),
            MON=day.strftime("%b").upper(),
            mon=day.strftime("%b").lower(),
            d=day.day,
        )
        out.append((f"{text} #{i}", day + timedelta(days=1)))
    return out


def rate(inputs: list[tuple[str, date]], repeat: int) -> tuple[float, int]:
    found = 0
    start = time.perf_counter()
    for _ in range(repeat):
        for text, ref in inputs:
            found += normalize.parse_dateline(text, reference=ref) is not None
    return repeat * len(inputs) / (time.perf_counter() - start), found // repeat


def first_call() -> float:
    code = (
        "import time; t=time.perf_counter(); import normalize; "
        "normalize.parse_dateline('MOSCOW, November 18. /TASS/.', reference='2024-11-20'); "
        "print(time.perf_counter()-t)"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True) for _ in range(5)]
    return statistics.median(float(run.stdout) for run in runs)


def main() -> None:
    fix = fixtures()
    for text, ref in fix:  # warm-up
        normalize.parse_dateline(text, reference=ref)
    per_s, found = rate(fix, 50)
    label = f"fixtures ({len(fix)} styles, repeated)"
    print(f"{label:42} {per_s:10,.0f} datelines/s   {found}/{len(fix)} found")
    syn = synthetic(40_000)
    normalize.clear_caches()
    normalize.parse_dateline(fix[0][0], reference=fix[0][1])
    halves = (("20,000 distinct, memos cold", syn[:20_000]), ("20,000 more, after warm-up", syn[20_000:]))
    for label, part in halves:
        per_s_syn, found_syn = rate(part, 1)
        print(f"{label:42} {per_s_syn:10,.0f} datelines/s   {found_syn} found")
    print(f"{'import + first dateline, fresh interpreter':42} {first_call() * 1000:10.0f} ms (median of 5)")

    lines = (CASES / "news_sentences.txt").read_text(encoding="utf-8").splitlines()
    prose = [line for line in lines if line.strip() and not line.startswith("#")]
    false = sum(bool(normalize.find_datelines(s, reference="2024-11-18")) for s in prose)
    rate_per_1000 = false * 1000 / len(prose)
    print(f"\nprose: {false} false datelines in {len(prose)} sentences ({rate_per_1000:.2f} per 1,000)")

    print("\nhostile input (100 KB):")
    for label, text in (
        ("'MOSCOW, ' repeated", "MOSCOW, " * 12_500),
        ("'MOSCOW (AP) — ' repeated", "MOSCOW (AP) — " * 7_143),
        ("'/TASS/' repeated", "/TASS/" * 16_667),
        ("'Moscow said. ' repeated", "Moscow said. " * 7_692),
    ):
        for fn in (normalize.parse_dateline, normalize.find_datelines):
            start = time.perf_counter()
            fn(text)
            print(f"  {label:28} {fn.__name__:15} {(time.perf_counter() - start) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
