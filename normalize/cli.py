"""The `normalize` command.

    normalize demo                              the embedded TASS sample -> JSON
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
    lines = [line for line in text.splitlines() if line.strip()]
    header = lines[0].strip() if lines else ""
    published = normalize.parse_date(header)
    body = text[text.find(lines[1]) :] if len(lines) > 1 else ""
    reference = published.value if published else None
    mentions = normalize.find_dates(body, reference=reference)
    dateline = normalize.parse_dateline(body, reference=reference)
    _dump(
        {
            "source": SAMPLE,
            "header": {"text": header, "date": published.to_dict() if published else None},
            "published": published.iso if published else None,
            "dateline": dateline.to_dict() if dateline else None,
            "mentions": [m.to_dict() for m in mentions],
        }
    )
    return 0 if published else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="normalize", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="normalize the embedded sample article")
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
    text = sys.stdin.read() if args.text == "-" else args.text
    try:
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
    except (ValueError, TypeError) as exc:
        sys.stderr.write(f"normalize: {exc}\n")
        return 2
    for result in found:
        _dump(result.to_dict())
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
