"""The `normalize` command.

    normalize demo                              the embedded TASS sample, normalized -> JSON
    normalize doc FILE|- [--reference ...] [--tz Europe/Rome|dateline]   one article -> JSON
    normalize lang TEXT|- [--candidates it,fr]   the language of a text -> JSON
    normalize date TEXT [--lang it] [--reference 2024-11-20] [--tz Europe/Rome] [--date-order DMY]
    normalize dates TEXT|- [--reference ...]     every date in running text -> one JSON object per line
    normalize dateline TEXT|- [--reference ...]  the first news dateline -> JSON (null if none)
    normalize datelines TEXT|- [--reference ...] every dateline -> one JSON object per line

    normalize records IN|- [-o OUT] --field KEY=KIND ... [--reference-field KEY] [--workers N]
                                   [--format jsonl|csv]   one output row per input row, in order

Exit status: 0 = every input normalized, 1 = nothing found (`null` is still written for one-result
commands) or, for `records`, some rows rejected (they are written, marked `_error`, and reported on
stderr), or the output could not be written (a full disk), 2 = usage error (unknown option, kind,
language, zone or file), 130 = interrupted (the rows written so far are complete). A reader that
closes the pipe early (`| head -1`) ends the command quietly, with status 0.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import io
import json
import os
import re
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator
from importlib import resources
from typing import IO, Any

import normalize
import normalize.records

SAMPLE = "tass-2024-11-18.txt"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_line(obj: Any) -> str:
    """One JSON line, non-ASCII written as UTF-8, unless the data holds a lone surrogate (a `"\\ud800"`
    escape in an input record): then everything is escaped, so the line is still valid UTF-8 and reads
    back to the same value. (Fault tests: writing such a row raised UnicodeEncodeError mid-run.)"""
    line = json.dumps(obj, ensure_ascii=False)
    if not line.isascii():
        try:
            line.encode("utf-8")  # 10x faster than searching for a surrogate
        except UnicodeEncodeError:
            line = json.dumps(obj)
    return line + "\n"


def _printable(value: Any) -> Any:
    """A CSV cell or column name: lone surrogates written as `\\udcff`, so the output stays UTF-8."""
    if isinstance(value, str) and _SURROGATE.search(value):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _dump(obj: Any) -> None:
    sys.stdout.write(_json_line(obj))


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
    """A file, or standard input for `-`, as text; bytes that are not UTF-8 become U+FFFD either way
    (standard input used the locale's error handler: exit status 2 for one bad byte in a C locale)."""
    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        return stdin.read().decode("utf-8", "replace") if stdin is not None else sys.stdin.read()
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read()


def _argument(text: str) -> str:
    """A text given on the command line: bytes that are not UTF-8 (kept by Python as lone surrogates)
    become U+FFFD, as in a file."""
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate no command line holds (main() called with one): kept
        return text


def _quiet_stdout() -> None:
    """After `| head` closed the pipe: point stdout at /dev/null, so that the interpreter's last flush
    does not report the closed pipe on stderr."""
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# -- records ---------------------------------------------------------------------------------------


class _Usage(Exception):
    """A usage error: exit status 2."""


def _fields(specs: list[str]) -> dict[str, str]:
    out = {}
    for spec in specs or []:
        key, sep, kind = spec.partition("=")
        if not sep or not key or not kind:
            raise _Usage(f"--field expects KEY=KIND, not {spec!r}")
        out[key] = kind
    if not out:
        raise _Usage("name at least one --field KEY=KIND (kinds: date, dateline, language, document)")
    return out


def _format(path: str, given: str | None) -> str:
    if given:
        return given
    return "csv" if path.lower().endswith((".csv", ".csv.txt")) else "jsonl"


def _jsonl_rows(stream: IO[bytes]) -> Iterator[tuple[int, dict | None, dict | None]]:
    """(line number, record, None) or (line number, None, rejected row) for each non-blank line."""
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue  # a blank line is no row
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            shown = raw.decode("utf-8", "backslashreplace").rstrip("\r\n")
            yield number, None, {"_line": number, "_error": f"not UTF-8: {exc.reason}", "_raw": shown}
            continue
        try:
            record = json.loads(text)
        except ValueError as exc:
            yield number, None, {"_line": number, "_error": f"not JSON: {exc}", "_raw": text.rstrip("\r\n")}
            continue
        if not isinstance(record, dict):
            problem = f"not a JSON object but {type(record).__name__}"
            yield number, None, {"_line": number, "_error": problem, "_raw": text.rstrip("\r\n")}
            continue
        yield number, record, None


# The csv module refuses fields over 128 KB by default (`_csv.Error` ended the run: fault tests); a long
# field is read, and the records layer rejects what is over `normalize.records.MAX_CHARS`.
_CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)  # a C long on every platform


def _csv_rows(stream: IO[bytes], header: list[str]) -> Iterator[tuple[int, dict | None, dict | None]]:
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.reader(text)
    try:
        names = next(reader, None)
    except csv.Error as exc:
        raise _Usage(f"the CSV header cannot be read: {exc}") from None
    if names is None:
        return
    names = [_printable(name) for name in names]  # a column name that is not UTF-8 is still written
    header.extend(names)
    while True:
        try:
            values = next(reader, None)
        except csv.Error as exc:  # e.g. a NUL byte: that line is rejected, the next one is read
            number = reader.line_num
            yield number, None, {"_line": number, "_error": f"not CSV: {exc}", "_raw": ""}
            continue
        if values is None:
            return
        number = reader.line_num
        raw = ",".join(values).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        if not any(v.strip() for v in values):
            continue
        if any("\udc80" <= ch <= "\udcff" for v in values for ch in v):
            yield number, None, {"_line": number, "_error": "not UTF-8", "_raw": raw}
        elif len(values) > len(names):
            problem = f"{len(values)} fields, the header has {len(names)}"
            yield number, None, {"_line": number, "_error": problem, "_raw": raw}
        else:
            missing = [None] * (len(names) - len(values))  # short rows: the missing fields are null
            yield number, dict(zip(names, [*values, *missing], strict=True)), None


def _records(args: argparse.Namespace) -> int:
    try:
        fields = _fields(args.field)
        fields = normalize.records.check_options(fields, args.reference_field, "collect", args.workers)
    except (TypeError, ValueError) as exc:
        raise _Usage(str(exc)) from None
    fmt = _format(args.input, args.format)
    try:
        source = sys.stdin.buffer if args.input == "-" else open(args.input, "rb")  # noqa: SIM115
        sink = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout  # noqa: SIM115
    except OSError as exc:
        raise _Usage(str(exc)) from None
    header: list[str] = []
    rows = _csv_rows(source, header) if fmt == "csv" else _jsonl_rows(source)
    waiting: deque[tuple[int, dict | None]] = deque()  # rows read, in order; rejected ones carry their row

    def readable() -> Iterator[dict]:
        for number, record, rejected in rows:
            waiting.append((number, rejected))
            if record is not None:
                yield record

    counts = {"read": 0, "normalized": 0, "rejected": 0}
    writer = _Writer(sink, fmt, header, fields)
    progress = _progress()
    status = 0
    interrupts = _Interrupts()
    outputs = normalize.records.run(
        readable(), fields, args.reference_field, "collect", args.workers, encode=writer.encoder()
    )
    try:
        interrupts.install()
        for error, row in outputs:
            while waiting and waiting[0][1] is not None:
                with interrupts.row():
                    _write_rejected(writer, waiting.popleft(), counts, progress)
            with interrupts.row():
                number, _ = waiting.popleft()
                counts["read"] += 1
                if error is not None:
                    counts["rejected"] += 1
                    sys.stderr.write(f"normalize: line {number}: {error}\n")
                else:
                    counts["normalized"] += 1
                writer.put(row)
                progress.update()
        while waiting:
            with interrupts.row():
                _write_rejected(writer, waiting.popleft(), counts, progress)
    except KeyboardInterrupt:
        status = 130
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        _quiet_stdout()
        return 0
    finally:
        interrupts.writing = True  # the last flush completes the rows written so far
        try:
            outputs.close()  # with workers: cancel what is queued, shut the pool down
            progress.close()
            sink.flush()
        except BrokenPipeError:
            _quiet_stdout()
        finally:
            interrupts.uninstall()
    read, done, rejected = counts["read"], counts["normalized"], counts["rejected"]
    sys.stderr.write(f"normalize: {read} rows read, {done} normalized, {rejected} rejected\n")
    return status or (1 if counts["rejected"] else 0)


class _Interrupts:
    """Ctrl-C during `records`: a row being written is finished first, so the output always ends on a
    complete row and the summary counts exactly the rows written. (Fault tests: an interrupt landing
    inside a write left a row counted but not written.) A second Ctrl-C during that write stops at
    once. Off the main thread no handler can be installed, and none is needed: SIGINT goes there."""

    def __init__(self) -> None:
        self.writing = False
        self.pending = False
        self.previous: Any = None
        self.installed = False

    def __call__(self, signum: int, frame: Any) -> None:
        if self.writing and not self.pending:
            self.pending = True
            return
        raise KeyboardInterrupt

    def install(self) -> None:
        with contextlib.suppress(ValueError):  # not the main thread
            self.previous = signal.signal(signal.SIGINT, self)
            self.installed = True

    def uninstall(self) -> None:
        if self.installed:
            signal.signal(signal.SIGINT, self.previous)
            self.installed = False

    @contextlib.contextmanager
    def row(self) -> Iterator[None]:
        self.writing = True
        try:
            yield
        finally:
            self.writing = False
        if self.pending:
            raise KeyboardInterrupt


def _write_rejected(writer: _Writer, item: tuple[int, dict | None], counts: dict, progress) -> None:
    number, rejected = item
    counts["read"] += 1
    counts["rejected"] += 1
    sys.stderr.write(f"normalize: line {number}: {rejected['_error']}\n")
    writer.write(rejected)
    progress.update()


class _Writer:
    def __init__(self, sink: IO[str], fmt: str, header: list[str], fields: dict[str, str]):
        self.sink, self.fmt, self.header, self.fields = sink, fmt, header, fields
        self.csv: csv.DictWriter | None = None

    def encoder(self) -> Callable[[dict], tuple[Any, Any]]:
        """What turns an output record into (its `_error`, what `put` writes): run in the workers."""
        return _jsonl_row if self.fmt == "jsonl" else functools.partial(_csv_row, self.fields)

    def write(self, row: dict) -> None:
        self.put(self.encoder()(row)[1])

    def put(self, encoded: Any) -> None:
        if self.fmt == "jsonl":
            self.sink.write(encoded)
            return
        if self.csv is None:  # the header is known once the first row is read
            columns = [*self.header, *normalize.records.flat_columns(self.fields), "_error", "_line", "_raw"]
            self.csv = csv.DictWriter(self.sink, columns, restval="", extrasaction="ignore")
            self.csv.writeheader()
        self.csv.writerow(encoded)


def _jsonl_row(row: dict) -> tuple[Any, str]:
    return row.get("_error"), _json_line(row)


def _csv_row(fields: dict[str, str], row: dict) -> tuple[Any, dict]:
    flat = normalize.records.flatten(row, fields)
    return row.get("_error"), {key: _printable(value) for key, value in flat.items()}


class _NoProgress:
    def update(self) -> None:
        pass

    def close(self) -> None:
        pass


def _progress():
    if not sys.stderr.isatty():
        return _NoProgress()
    try:
        from tqdm import tqdm
    except ImportError:
        return _NoProgress()
    return tqdm(unit=" rows", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command; its exit status (see the module docstring). Never a traceback for a closed
    pipe or Ctrl-C: `normalize dates - | head -1` printed one before (fault tests)."""
    try:
        status = _main(argv)
        sys.stdout.flush()  # a closed pipe shows here when the output fitted in the buffer
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # the output cannot be written (a full disk): said in one line, status 1
        _quiet_stdout()
        sys.stderr.write(f"normalize: {exc}\n")
        return 1
    return status


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="normalize", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="normalize the embedded sample article")
    doc = sub.add_parser("doc", help="normalize one article")
    doc.add_argument("file", help="a UTF-8 text file, or - to read standard input")
    doc.add_argument("--reference", help="ISO date the article was collected (or 'now')")
    doc.add_argument("--tz", help="IANA zone for naive timestamps, or 'dateline'")
    rec = sub.add_parser("records", help="normalize the fields of a JSONL or CSV file, row by row")
    rec.add_argument("input", help="a .jsonl or .csv file, or - for standard input")
    rec.add_argument("-o", "--output", help="write here instead of standard output")
    rec.add_argument("--field", action="append", metavar="KEY=KIND", help="a field and its kind (repeat)")
    rec.add_argument("--reference-field", help="the key holding each row's reference date")
    rec.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    rec.add_argument(
        "--format", choices=["jsonl", "csv"], help="input and output format (default: extension)"
    )
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
    if args.command == "records":
        try:
            return _records(args)
        except _Usage as exc:
            sys.stderr.write(f"normalize: {exc}\n")
            return 2
    try:
        if args.command == "doc":
            text = _read(args.file)
            document = normalize.normalize_document(text, reference=args.reference, tz=args.tz)
            _dump(document.to_dict())
            return 0
        text = _read("-") if args.text == "-" else _argument(args.text)
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
    except BrokenPipeError:
        raise  # not a usage error: main() ends quietly
    except (ValueError, TypeError, OSError) as exc:
        sys.stderr.write(f"normalize: {exc}\n")
        return 2
    for result in found:
        _dump(result.to_dict())
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
