"""Machine instructions a seed-like document costs, counted by valgrind: a figure the machine's load and
speed do not move, for telling a 1% change from this shared machine's noise.

    python benchmarks/bench_instructions.py [--docs 200] [--python PATH]

Runs `normalize_document(...).to_dict()` on `--docs` and on 2 x `--docs` seed-like documents (those of
bench_records, after the same 200 warm-up documents), each under `valgrind --tool=cachegrind
--cache-sim=no`, with PYTHONHASHSEED=0 so set and dict orders, and so the counts, repeat. The
difference of the two totals over `--docs` is the cost of one document, start-up and data loading
left out. About a minute. Needs valgrind (Debian's package).

Counts compare code under one interpreter: Debian's python3.11 (built with link-time and profile-guided
optimisation) ran 12% fewer instructions a document than pyenv's 3.11.7 (built with neither), and took
about 20% less time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent

_RUN = """
import sys
sys.path.insert(0, sys.argv[1])
from bench_records import documents
import normalize
n = int(sys.argv[2])
docs = documents(200 + n)
for d in docs:
    normalize.normalize_document(d["body"]).to_dict()
"""


def instructions(python: str, docs: int) -> int:
    """Instructions valgrind counts for start-up, 200 warm-up documents and `docs` more."""
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    cmd += [python, "-c", _RUN, str(BENCHMARKS), str(docs)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stderr
    found = re.search(r"I\s+refs:\s+([\d,]+)", out)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{out}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt install valgrind)")
    few, many = instructions(args.python, args.docs), instructions(args.python, 2 * args.docs)
    print(f"{args.python}: {(many - few) / args.docs:,.0f} instructions a seed-like document")


if __name__ == "__main__":
    main()
