"""The `normalize` command.

    normalize demo                              the embedded TASS sample, normalized -> JSON
    normalize doc FILE|- [--reference ...] [--tz Europe/Rome|dateline]   one article -> JSON
    normalize lang TEXT|- [--candidates it,fr]   the language of a text -> JSON
    normalize date TEXT [--lang it] [--reference 2024-11-20] [--tz Europe/Rome] [--date-order DMY]
    normalize dates TEXT|- [--reference ...]     every date in running text -> one JSON object per line
    normalize dateline TEXT|- [--reference ...]  the first news dateline -> JSON (null if none)
    normalize datelines TEXT|- [--reference ...] every dateline -> one JSON object per line

Exit status: 0 = every input normalized, 1 = nothing found (`null` is still written for one-result
commands), 2 = usage error (unknown option, language, zone or file).
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from typing import Any

import normalize

SAMPLE = "tass-2024-11-18.txt"


def _dump(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _options(args: argparse.Namespace) -> dict[str, Any]:
    opts: dict[str, Any] = {"reference": args.reference, "tz": args.tz}
    if args.lang:
        opts["languages"] = [code for part in args.lang for code in part.split(",") if code]
    return opts


def demo() -> int:
    text = (resources.files("normalize") / "samples" / SAMPLE).read_text(encoding="utf-8")
    doc = normalize.normalize_document(text)
    _dump({"source": SAMPLE, **doc.to_dict()})
    return 0 if doc.published else 1


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="normalize", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="normalize the embedded sample article")
    doc = sub.add_parser("doc", help="normalize one article")
    doc.add_argument("file", help="a UTF-8 text file, or - to read standard input")
    doc.add_argument("--reference", help="ISO date the article was collected (or 'now')")
    doc.add_argument("--tz", help="IANA zone for naive timestamps, or 'dateline'")
    lang = sub.add_parser("lang", help="detect the language of a text")
    lang.add_argument("text", help="the text, or - to read standard input")
    lang.add_argument("--candidates", help="comma-separated language codes the answer must be one of")
    commands = (
        ("date", "parse one date field"),
        ("dates", "find every date in running text"),
        ("dateline", "read the first news dateline"),
        ("datelines", "find every news dateline"),
    )
    for name, help_text in commands:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("text", help="the text, or - to read standard input")
        p.add_argument("--reference", help="ISO date that completes missing years (or 'now')")
        if name.startswith("dateline"):
            continue
        p.add_argument("--lang", action="append", help="language code(s), e.g. it or en-GB,fr")
        p.add_argument("--tz", help="IANA zone that localizes naive results")
        if name == "date":
            p.add_argument("--date-order", choices=["DMY", "MDY", "YMD"], help="order of numeric dates")
            p.add_argument("--explain", action="store_true", help="list the steps taken")
    args = parser.parse_args(argv)
    if args.command == "demo":
        return demo()
    try:
        if args.command == "doc":
            text = _read(args.file)
            document = normalize.normalize_document(text, reference=args.reference, tz=args.tz)
            _dump(document.to_dict())
            return 0
        text = sys.stdin.read() if args.text == "-" else args.text
        if args.command == "lang":
            candidates = [c for c in (args.candidates or "").split(",") if c] or None
            ranked = normalize.detect_languages(text, candidates=candidates)
            _dump({"language": ranked[0][0] if ranked else None, "candidates": [list(r) for r in ranked]})
            return 0 if ranked else 1
        if args.command == "dateline":
            line = normalize.parse_dateline(text, reference=args.reference)
            _dump(line.to_dict() if line else None)
            return 0 if line else 1
        if args.command == "datelines":
            lines = normalize.find_datelines(text, reference=args.reference)
            for line in lines:
                _dump(line.to_dict())
            return 0 if lines else 1
        opts = _options(args)
        if args.command == "date":
            result = normalize.parse_date(text, date_order=args.date_order, explain=args.explain, **opts)
            _dump(result.to_dict() if result else None)
            return 0 if result else 1
        found = normalize.find_dates(text, **opts)
    except (ValueError, TypeError, OSError) as exc:
        sys.stderr.write(f"normalize: {exc}\n")
        return 2
    for result in found:
        _dump(result.to_dict())
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
