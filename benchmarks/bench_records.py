"""Corpus scale: the `normalize records` CLI and Dask, 1 and 2 workers; memory while streaming.

    python benchmarks/bench_records.py [--docs 20000] [--short 1000000]

Inputs: seed-like documents (the TASS seed with its dates, times and header language varied, and the
20 hand-written articles of tests/cases/documents.toml, each made distinct), normalized as `document`.
Prints rows/s for the CLI (`--workers 1` and `2`, JSONL in and out, a real file) and for
`normalize.dask.normalize_bag` on a `distributed.LocalCluster` with 1 and 2 worker processes, the
2-vs-1 scaling ratios, the CPU time a document costs the CLI in all its processes (2,000 documents/s
on 2 cores needs at most 1,000 µs), and the peak RSS of the CLI streaming 100,000 and 1,000,000 short
records from stdin (flat memory: the two peaks are about equal). Targets (issue 6): >= 2,000
documents/s with 2 workers, scaling >= 1.7x, flat memory.

The absolute rate depends on the machine, so the run starts by timing the anchor, dateparser, on the
multilingual fields of `bench_dates` (2,469 µs a field on the machine of the README's first table):
with it, rates measured on different machines can be compared. The interpreter's build counts as much:
on one machine, Debian's python3.11 (link-time and profile-guided optimisation) ran the CLI 1.22-1.27x as
fast as pyenv's 3.11.7 (neither), so the run names the interpreter first.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = (REPO / "normalize" / "samples" / "tass-2024-11-18.txt").read_text(encoding="utf-8")
FIXTURES = tomllib.loads((REPO / "tests" / "cases" / "documents.toml").read_text(encoding="utf-8"))
IT_MONTHS = "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"
EN_MONTHS = "January February March April May June July August September October November December"
IT_DAYS = "lunedì martedì mercoledì giovedì venerdì sabato domenica".split()


def documents(n: int) -> list[dict]:
    """Seed-like articles: every fourth one from the fixtures, the others the seed re-dated; each with
    its number in the body's opening, so no result memo answers for a whole body."""
    from datetime import date, timedelta

    rng = random.Random(11)
    fixtures = [d["text"] for d in FIXTURES["document"]]
    out = []
    for i in range(n):
        if i % 4 == 3:
            text = fixtures[i % len(fixtures)]
            cut = text.find(". ", 200)  # the id inside the body's opening: no memo sees the same body twice
            text = f"{text[:cut]} ({i}){text[cut:]}" if cut > 0 else f"{text} ({i})"
        else:
            day = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
            it_month, en_month = IT_MONTHS.split()[day.month - 1], EN_MONTHS.split()[day.month - 1]
            header = (
                f"date {day.isoformat()} {rng.randrange(24):02d}.{rng.randrange(60):02d} - "
                f"{IT_DAYS[day.weekday()]} {day.day} {it_month} {day.year}"
            )
            body = SEED.split("\n", 1)[1].replace("November 18", f"{en_month} {day.day}")
            body = body.replace("Russia assumes", f"Russia ({i}) assumes")
            text = f"{header}\n{body}"
        out.append({"id": i, "body": text})
    return out


def _split(docs: list[dict], folder: Path, files: int) -> list[str]:
    """The documents as `files` JSONL files (one partition each for `db.read_text`), in order."""
    size = -(-len(docs) // files)
    paths = []
    for k in range(files):
        path = folder / f"part-{k:02d}.jsonl"
        rows = docs[k * size : (k + 1) * size]
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in rows), encoding="utf-8")
        paths.append(str(path))
    return paths


def machine_speed(fields: int = 100) -> float | None:
    """µs dateparser takes a field of `bench_dates`' multilingual corpus here (None without it)."""
    try:
        import dateparser
        from bench_dates import corpus
    except ImportError:
        return None
    texts = [text for text, _, _ in corpus(fields // 2)]
    for text in texts:  # its first call in each language loads that language's data
        dateparser.parse(text)
    start = time.perf_counter()
    for text in texts:
        dateparser.parse(text)
    return (time.perf_counter() - start) / len(texts) * 1e6


def _children_cpu() -> float:
    """CPU seconds of the finished children of this process and theirs (the CLI and its workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_rate(path: Path, rows: int, workers: int) -> tuple[float, float]:
    """(documents/s, CPU µs a document in all the CLI's processes, start-up included) for the `rows`
    documents in `path`."""
    cmd = [sys.executable, "-m", "normalize.cli", "records", str(path), "--field", "body=document"]
    cmd += ["--workers", str(workers), "-o", "/dev/null"]
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr)
    return rows / elapsed, cpu / rows * 1e6


def dask_rate(warm: list[dict], paths: list[str], workers: int) -> float:
    """Documents/s of `normalize_bag` over JSONL files, read by the workers as the README shows (a bag
    built from an in-memory list would ship the whole corpus inside the task graph)."""
    import dask.bag as db
    import distributed

    from normalize.dask import normalize_bag

    with (
        distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        first = db.from_sequence(warm, npartitions=workers)
        normalize_bag(first, fields={"body": "document"}).count().compute()  # workers load their tables
        bag = db.read_text(paths).map(json.loads)
        start = time.perf_counter()
        count = normalize_bag(bag, fields={"body": "document"}).count().compute()
        return count / (time.perf_counter() - start)


_PEAK = """
import os, subprocess, sys
rows = int(sys.argv[1])
feeder = (
    "import sys, json\\n"
    f"for i in range({rows}):\\n"
    "    sys.stdout.write(json.dumps({'i': i, 'd': f'{1 + i % 28} novembre {2000 + i % 30}'}) + '\\\\n')\\n"
)
cmd = [sys.executable, "-m", "normalize.cli", "records", "-", "--field", "d=date", "-o", os.devnull]
with subprocess.Popen([sys.executable, "-c", feeder], stdout=subprocess.PIPE) as feed:
    cli = subprocess.Popen(cmd, stdin=feed.stdout, stderr=subprocess.DEVNULL)
    feed.stdout.close()
    _, _, usage = os.wait4(cli.pid, 0)
    cli.returncode = 0
print(usage.ru_maxrss / 1024)
"""


def streaming_peak(rows: int) -> float:
    """Peak RSS (MB) of `normalize records -` fed `rows` short records through a pipe. Measured from a
    small driver process: a child's peak counts the parent's memory it was forked from."""
    out = subprocess.run([sys.executable, "-c", _PEAK, str(rows)], capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--short", type=int, default=1_000_000)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]} from {sys.base_prefix}")
    anchor = machine_speed()
    if anchor is not None:
        print(f"machine: dateparser {anchor:,.0f} µs a multilingual field (2,469 on the README's first)")
    docs = documents(args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docs.jsonl"
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
        size = path.stat().st_size / 2**20
        print(f"{len(docs):,} seed-like documents, {size:.0f} MB of JSONL\n")
        print(f"{'':34} {'1 worker':>12} {'2 workers':>12} {'2 vs 1':>8}")
        (one, one_cpu), (two, two_cpu) = cli_rate(path, len(docs), 1), cli_rate(path, len(docs), 2)
        print(f"{'normalize records (CLI), docs/s':34} {one:12,.0f} {two:12,.0f} {two / one:7.2f}x")
        print(f"{'  CPU µs a document, all processes':34} {one_cpu:12,.0f} {two_cpu:12,.0f}")
        parts = _split(docs, Path(tmp), 16)  # 8 partitions a worker at most: as many as the list had
        d_one, d_two = dask_rate(docs[:200], parts, 1), dask_rate(docs[:200], parts, 2)
        print(f"{'Dask LocalCluster, docs/s':34} {d_one:12,.0f} {d_two:12,.0f} {d_two / d_one:7.2f}x")
    small = streaming_peak(args.short // 10)
    large = streaming_peak(args.short)
    print(f"\npeak RSS streaming short records: {args.short // 10:,} rows {small:.0f} MB, ", end="")
    print(f"{args.short:,} rows {large:.0f} MB")


if __name__ == "__main__":
    main()
