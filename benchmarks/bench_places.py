"""normalize.places: table sizes, first load, lookups, memory.

    python benchmarks/bench_places.py

Prints the size of the generated tables; the import and first-lookup time and resident memory added,
in a fresh interpreter (best of five); and µs per lookup once the tables are loaded, over distinct
names (every city's English name in capitals, with and without a country, and alternate names from the
index) with the result memo cleared before each pass, then repeated names (memo hits). Targets: first
load <= 150 ms, lookup <= 10 µs, <= 40 MB resident memory added, places.json <= 10 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from normalize import locale_data, places

FRESH = """
import json, time
def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**20
r0 = rss()
t0 = time.perf_counter()
from normalize import places
t1 = time.perf_counter()
r1 = rss()
places.find_city("MOSCOW")
t2 = time.perf_counter()
r2 = rss()
places.find_country("Украина"), places.find_region("Fla.")
t3 = time.perf_counter()
r3 = rss()
print(json.dumps({"import": t1 - t0, "city": t2 - t1, "rest": t3 - t2,
                  "rss_city": r2 - r1, "rss_all": r3 - r1}))
"""


def fresh() -> dict:
    runs = [
        json.loads(
            subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True, check=True).stdout
        )
        for _ in range(5)
    ]
    return {k: min(r[k] for r in runs) for k in runs[0]}


def inputs() -> tuple[list[str], list[tuple[str, str]], list[str]]:
    table = locale_data.load(places.PLACES)
    rows = [row.split("|") for row in table["rows"]]
    names = sorted({f[1].upper() for f in rows})
    qualified = sorted({(f[1].upper(), f[2]) for f in rows})
    keys = [entry.split(":")[0] for block in table["index"] for entry in block.strip("|").split("|")]
    return names, qualified, keys[::7]


def per_call(calls: list, fn) -> float:
    places._find_city.cache_clear()
    places._find_city_in.cache_clear()
    start = time.perf_counter()
    for args in calls:
        fn(*args)
    return (time.perf_counter() - start) / len(calls) * 1e6


def main() -> None:
    root = locale_data.root()
    for name in (places.PLACES, places.TERRITORIES, places.REGIONS):
        print(f"{name:18} {(root / name).stat().st_size / 1e6:6.2f} MB")
    table = locale_data.load(places.PLACES)
    keys = sum(block.count("|") - 1 for block in table["index"])
    countries = len(locale_data.load(places.TERRITORIES))
    print(f"cities {len(table['rows']):,}, indexed names {keys:,}, country names {countries:,}")

    f = fresh()
    print(f"import normalize.places         {f['import'] * 1e3:6.1f} ms")
    print(f"first find_city (loads table)   {f['city'] * 1e3:6.1f} ms   +{f['rss_city']:.1f} MB RSS")
    print(f"first find_country/find_region  {f['rest'] * 1e3:6.1f} ms   +{f['rss_all']:.1f} MB RSS in all")

    names, qualified, keys = inputs()
    city = places.find_city
    for label, calls, fn in (
        (f"{len(names):,} distinct English names, in capitals", [(n,) for n in names], city),
        (f"{len(qualified):,} distinct names with their country", qualified, lambda n, c: city(n, country=c)),
        (f"{len(keys):,} distinct indexed names, every script", [(k,) for k in keys], city),
    ):
        best = min(per_call(calls, fn) for _ in range(3))
        print(f"{label:52} {best:5.2f} µs/lookup")
    calls = [(n,) for n in names[:1000]] * 20
    places._find_city.cache_clear()
    for args in calls[:1000]:
        city(*args)
    start = time.perf_counter()
    for args in calls:
        city(*args)
    print(
        f"{'repeated names (memo hits)':52} {(time.perf_counter() - start) / len(calls) * 1e6:5.2f} µs/lookup"
    )


if __name__ == "__main__":
    main()
