"""Bounded memory: 1,000,000 calls with 100,000 distinct inputs and 100,000 distinct references.

    python benchmarks/bench_memory.py [--calls 1000000] [--distinct 100000]

dateparser's memory grows with every new reference date (its caches are keyed on it); normalize's
memos are LRU-bounded (sizes in tests/test_reliability.py, CACHE_SIZES), so the resident set size
must stay flat once they are full. Each call reads `"<day> <mese> <year>"` (Italian month names,
100,000 distinct strings) against one of 100,000 reference dates, the (input, reference) pairs
never repeating within the run: 80% `parse_date`, 10% `parse_dateline` (`"ROMA, <date> (ANSA) -"`),
10% `find_dates` in a sentence. Prints the RSS after 1% (memos warm), 10%, 50% and 100% of the calls,
and the memos' fill at the end. Target (issue 7): the 10%, 50% and 100% figures about equal.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from datetime import date, timedelta

import normalize
from normalize import find_dates, parse_date, parse_dateline

MESI = "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split()


def rss_mb() -> float:
    """Resident set size now (Linux: /proc), else the peak so far (resource)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def inputs(n: int) -> list[str]:
    """n distinct date fields: every day 1-28 of every month of 300 years, in Italian."""
    out = []
    for year in range(1800, 2100):
        for month in MESI:
            for day in range(1, 29):
                out.append(f"{day} {month} {year}")
                if len(out) == n:
                    return out
    raise ValueError(f"at most {len(out)} distinct inputs")


def references(n: int) -> list[str]:
    """n distinct reference dates, one a day from 1800-01-01."""
    start = date(1800, 1, 1)
    return [(start + timedelta(days=k)).isoformat() for k in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=100_000)
    args = parser.parse_args()
    texts, refs = inputs(args.distinct), references(args.distinct)
    n, m = args.calls, args.distinct
    stride = 7919  # a prime: call k pairs input k % m with reference (k * 7919) % m, no pair repeats
    checkpoints = {max(1, n // 100): "1%", n // 10: "10%", n // 2: "50%", n: "100%"}
    gc.collect()
    print(f"normalize {n:,} calls, {m:,} distinct inputs, {m:,} distinct references")
    print(f"  before the first call: {rss_mb():7.1f} MB")
    start = time.perf_counter()
    found = 0
    for k in range(1, n + 1):
        text, ref = texts[k % m], refs[(k * stride) % m]
        kind = k % 10
        if kind == 0:
            found += parse_dateline(f"ROMA, {text} (ANSA) - Il governo.", reference=ref) is not None
        elif kind == 5:
            found += len(find_dates(f"Il decreto del {text} è in vigore.", reference=ref))
        else:
            found += parse_date(text, reference=ref) is not None
        label = checkpoints.get(k)
        if label:
            elapsed = time.perf_counter() - start
            print(f"  after {label:>4} ({k:>9,} calls, {elapsed:6.1f} s): {rss_mb():7.1f} MB", flush=True)
    assert found == n, f"{n - found} calls found nothing"
    print("  memos (entries / bound):")
    for name, memo in memos():
        info = memo.cache_info()
        if info.currsize:
            print(f"    {name:40s} {info.currsize:>7,} / {info.maxsize:,}")


def memos():
    """Every functools.lru_cache defined in the package, by qualified name."""
    import functools
    import importlib
    import pkgutil

    lru = type(functools.lru_cache(maxsize=1)(lambda: 0))
    out = []
    for info in pkgutil.iter_modules(normalize.__path__):
        if info.name in ("pandas", "dask"):  # optional extras
            continue
        module = importlib.import_module(f"normalize.{info.name}")
        for name, obj in vars(module).items():
            wrapped = getattr(obj, "__wrapped__", None)
            if isinstance(obj, lru) and getattr(wrapped, "__module__", None) == module.__name__:
                out.append((f"{module.__name__}.{name}", obj))
    return out


if __name__ == "__main__":
    main()
