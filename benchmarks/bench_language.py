"""normalize.detect_language against seeded langdetect, on the same inputs, in one process.

    python benchmarks/bench_language.py [--quick]

Inputs: `tests/cases/language_sentences.toml` (news sentences in the 14 biggest European languages:
en de fr it es pl ro nl pt el cs hu sv ru) and `tests/cases/language_fields.toml` (short date fields in
50 languages). Prints accuracy and µs per call of both engines and their ratio, with and without a
candidate list, then import + first call in a fresh interpreter and the memory that adds.

Targets (issue): on the sentences, at least langdetect's accuracy at <= 0.25x its time per call; >= 90%
right on the short fields. The anchor is langdetect as its users run it: `DetectorFactory.seed = 0`,
`langdetect.detect(text)` (the global factory, all 55 profiles). With candidates, the anchor is a private
`DetectorFactory` loaded with the candidates' profiles only. normalize's result memo is cleared before
every pass, so the figures are for real detections, not cache hits.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import langdetect
from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

from normalize import language

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "cases"
ALIASES = {"zh-cn": "zh", "zh-tw": "zh", "no": "nb", "tl": "fil"}  # langdetect's codes -> ours


def sentences() -> list[tuple[str, tuple[str, ...]]]:
    data = tomllib.loads((CASES / "language_sentences.toml").read_text(encoding="utf-8"))
    return [(text, (lang,)) for lang, texts in data.items() for text in texts]


def fields() -> list[tuple[str, tuple[str, ...]]]:
    data = tomllib.loads((CASES / "language_fields.toml").read_text(encoding="utf-8"))
    out = []
    for case in data["fields"]:
        lang = case["language"]
        out.append((case["text"], tuple(lang) if isinstance(lang, list) else (lang,)))
    return out


def langdetect_global(text: str) -> str | None:
    try:
        code = langdetect.detect(text)
    except LangDetectException:  # "No features in text": digits, punctuation
        return None
    return ALIASES.get(code, code)


def langdetect_private(codes: list[str]):
    """A private seeded factory holding the candidates' profiles only (langdetect's own restriction)."""
    factory = DetectorFactory()
    names = {v: k for k, v in ALIASES.items() if k not in ("zh-tw",)}
    profiles = [(Path(PROFILES_DIRECTORY) / names.get(c, c)).read_text(encoding="utf-8") for c in codes]
    factory.load_json_profile(profiles)
    factory.seed = 0

    def detect(text: str) -> str | None:
        detector = factory.create()
        detector.append(text)
        try:
            code = detector.detect()
        except LangDetectException:
            return None
        return ALIASES.get(code, code)

    return detect


def accuracy(fn, cases) -> tuple[int, list[tuple[str, tuple[str, ...], str | None]]]:
    wrong = []
    for text, expected in cases:
        got = fn(text)
        if got not in expected:
            wrong.append((text, expected, got))
    return len(cases) - len(wrong), wrong


def time_calls(fn, texts: list[str], before=None, repeat: int = 3) -> float:
    """Best µs per call over `repeat` passes."""
    best = float("inf")
    for _ in range(repeat):
        if before:
            before()
        t0 = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, (time.perf_counter() - t0) / len(texts) * 1e6)
    return best


FIRST_CALL = """
import json, resource, sys, time
def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20
marks = [(time.perf_counter(), rss())]
if sys.argv[1] == "normalize":
    from normalize.language import detect_language as detect
else:
    import langdetect
    langdetect.DetectorFactory.seed = 0
    detect = langdetect.detect
marks.append((time.perf_counter(), rss()))
detect("Le conseil municipal a adopté mardi un nouveau budget après des mois de débats tendus.")
marks.append((time.perf_counter(), rss()))
detect("Publié le 18 novembre 2024")
marks.append((time.perf_counter(), rss()))
steps = [((t1 - t0) * 1e3, m1 - m0) for (t0, m0), (t1, m1) in zip(marks, marks[1:])]
print(json.dumps({"steps": steps, "rss": marks[-1][1], "added": marks[-1][1] - marks[0][1]}))
"""


def first_call(engine: str) -> dict:
    """Best of three fresh interpreters: import, first sentence, first field (ms, MB each)."""
    runs = []
    for _ in range(3):
        proc = subprocess.run(
            [sys.executable, "-c", FIRST_CALL, engine], capture_output=True, check=True, text=True
        )
        runs.append(json.loads(proc.stdout))
    return min(runs, key=lambda r: sum(ms for ms, _ in r["steps"]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one timing pass instead of three")
    args = parser.parse_args()
    repeat = 1 if args.quick else 3
    DetectorFactory.seed = 0  # the anchor: seeded langdetect, as its README recommends

    def fresh() -> None:
        language._detect_cached.cache_clear()  # every pass detects, none is a memo hit

    europe = sorted({lang for _, (lang,) in sentences()})
    ours = language.detect_language
    ours_c = lambda text: language.detect_language(text, candidates=europe)  # noqa: E731
    theirs_c = langdetect_private(europe)
    ours("warm up")  # load the tables: first-load cost is measured separately below
    langdetect_global("warm up")
    theirs_c("warm up")

    rows = []
    for name, cases, pairs in (
        ("news sentences, 14 languages", sentences(), ((ours, langdetect_global), (ours_c, theirs_c))),
        ("short date fields, 50 languages", fields(), ((ours, langdetect_global),)),
    ):
        texts = [text for text, _ in cases]
        for k, (mine, anchor) in enumerate(pairs):
            fresh()
            ok_n, wrong_n = accuracy(mine, cases)
            ok_l, _ = accuracy(anchor, cases)
            t_n = time_calls(mine, texts, fresh, repeat)
            t_l = time_calls(anchor, texts, None, repeat)
            label = f"{name} ({len(cases)})" + (", candidates = the 14" if k else "")
            rows.append((label, ok_n, ok_l, len(cases), t_n, t_l))
            if k == 0 and wrong_n:
                print(f"normalize wrong on {label}:")
                for text, expected, got in wrong_n:
                    print(f"  {text!r}: expected {'/'.join(expected)}, got {got}")

    print()
    print("| inputs | normalize right | langdetect right | normalize | langdetect | normalize / langdetect |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, ok_n, ok_l, n, t_n, t_l in rows:
        print(
            f"| {label} | {ok_n}/{n} ({ok_n / n:.1%}) | {ok_l}/{n} ({ok_l / n:.1%}) "
            f"| {t_n:,.0f} µs | {t_l:,.0f} µs | {t_n / t_l:.3f}x |"
        )
    print()
    print("A fresh interpreter: import, first sentence (loads the n-gram model), first field (loads the")
    print("date vocabulary); time and resident memory each step adds:")
    print("| engine | import | first sentence | first field | total | RSS after |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for engine in ("normalize", "langdetect"):
        run = first_call(engine)
        cells = " | ".join(f"{ms:.0f} ms, +{mb:.1f} MB" for ms, mb in run["steps"])
        total = sum(ms for ms, _ in run["steps"])
        print(f"| {engine} | {cells} | {total:.0f} ms, +{run['added']:.1f} MB | {run['rss']:.1f} MB |")


if __name__ == "__main__":
    main()
