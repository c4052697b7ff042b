"""normalize_document on the seed, stage by stage, against the same job done with the anchors.

    python benchmarks/bench_documents.py [--rounds 2000]

The seed (`normalize/samples/tass-2024-11-18.txt`) after warm-up: µs per document, and where the time
goes (header, dateline, title split, caption, body dates, body language), timed by wrapping each stage
of `normalize.documents` for one extra pass. Also 2,000 distinct seed-like documents (re-dated; the
result memos see none of them twice), and the linear-time check on 100 KB and 1 MB documents.

The anchor row does the nearest thing the anchors can: `dateparser.parse` on the header line,
`dateparser.search.search_dates` on the body (reference = the header's date) and seeded
`langdetect.detect` on the body. It finds no dateline, title, caption or credit. Target (issue 5): the
seed in <= 1 ms after warm-up.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

import normalize
from normalize import documents

warnings.filterwarnings("ignore")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_records import SEED  # noqa: E402
from bench_records import documents as seed_like  # noqa: E402

STAGES = {  # stage name -> (module, attribute): what normalize.documents calls for that stage
    "header": (documents, "_header"),
    "dateline": (documents, "_dateline"),
    "title/subtitle": (documents, "_titles"),
    "caption/credit": (documents, "_caption"),
    "published": (documents, "_published"),
    "body dates": (documents.dates, "find"),
    "body language": (documents.language, "detect_language"),
}


def per_call(fn, rounds: int) -> float:
    """Median of 5 runs of `rounds` calls, in µs per call."""
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            fn()
        runs.append((time.perf_counter() - start) / rounds * 1e6)
    return statistics.median(runs)


def breakdown(text: str, rounds: int) -> dict[str, float]:
    """µs per document spent in each stage, from one pass with every stage wrapped in a timer. The
    header's date is read inside `_header`, so no stage's time is counted twice."""
    spent: dict[str, float] = defaultdict(float)
    originals = {name: getattr(mod, attr) for name, (mod, attr) in STAGES.items()}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    for name, (mod, attr) in STAGES.items():
        setattr(mod, attr, timed(name, originals[name]))
    try:
        for _ in range(rounds):
            normalize.normalize_document(text)
    finally:
        for name, (mod, attr) in STAGES.items():
            setattr(mod, attr, originals[name])
    return {name: spent[name] / rounds * 1e6 for name in STAGES}


def anchors(text: str):
    import dateparser
    import langdetect
    from dateparser.search import search_dates

    langdetect.DetectorFactory.seed = 0
    header, body = text.split("\n", 1)

    def run():
        published = dateparser.parse(header)
        search_dates(body, settings={"RELATIVE_BASE": published} if published else None)
        langdetect.detect(body)

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    doc = normalize.normalize_document(SEED)  # warm-up: tables loaded, memos filled
    assert doc.published.iso == "2024-11-18T17:38:00" and doc.dateline.city == "Moscow", doc
    ours = per_call(lambda: normalize.normalize_document(SEED), args.rounds)
    print(f"seed ({len(SEED):,} characters), after warm-up: {ours:,.0f} µs per document (target <= 1,000)\n")
    for name, us in breakdown(SEED, args.rounds).items():
        print(f"  {name:16} {us:7.0f} µs")

    distinct = [d["body"] for d in seed_like(2000)]
    start = time.perf_counter()
    for text in distinct:
        normalize.normalize_document(text)
    spread = (time.perf_counter() - start) / len(distinct) * 1e6
    print(f"\n2,000 distinct seed-like documents: {spread:,.0f} µs per document")

    theirs = per_call(anchors(SEED), max(1, args.rounds // 100))
    print(f"anchors (dateparser header + search_dates body + langdetect body): {theirs:,.0f} µs")
    print(f"ratio: normalize takes {ours / theirs:.3f}x the anchors' time ({theirs / ours:.0f}x faster)\n")

    rng = random.Random(5)
    words = SEED.split()
    for size in (100_000, 1_000_000):
        big = " ".join(rng.choice(words) for _ in range(size // 6))[:size]
        start = time.perf_counter()
        normalize.normalize_document(big)
        print(f"{size // 1000:,} KB of shuffled seed words: {(time.perf_counter() - start) * 1000:,.0f} ms")


if __name__ == "__main__":
    main()
