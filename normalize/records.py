"""Corpus scale: `normalize_records` streams records (dicts) through the verbs, in order, on N processes.

Each output record is the input record plus `<field>_normalized` for every named field: the result's
`to_dict()`, or None when nothing was found or the field is missing or null. A field of the wrong type
(a number where text is expected) is never guessed at: with `errors="collect"` the record gets an
`_error` naming the field and is still yielded; `"raise"` stops with `RecordError` naming the row;
`"ignore"` yields the record as it came.

A field longer than `MAX_CHARS` characters is not read: the record gets an `_error` as for a wrong
type. (Fault tests: one JSON line holding a 50 MB date field took 80 s and 5.3 GB of memory, about 100
bytes per character while a text is tokenized; a pipeline worker would be killed for it.)

With `workers > 1` records go to a process pool in chunks; at most two chunks per worker are in flight,
so memory stays flat however long the input is, and results come back in input order. A chunk whose
worker process dies is not lost: its records are yielded with an `_error` saying so.
"""

from __future__ import annotations

import contextlib
import itertools
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

Encoder = Callable[[dict], Any]  # what `run` applies to each output record, in the worker

KINDS = ("date", "dateline", "language", "document")
ERRORS = ("collect", "raise", "ignore")
CHUNK = 256  # records per task: large enough to amortize pickling, small enough to stream
WATCH = 1.0  # seconds: how often a wait for a chunk checks that the pool's workers are alive
GRACE = 5.0  # seconds a pool has to notice a dead worker itself before it is given up
MAX_CHARS = 1_000_000  # longest field read (a 300-page book): at most ~200 MB and ~2 s for one field


class RecordError(ValueError):
    """A record could not be normalized and `errors="raise"` was asked for."""


def check_options(fields: object, reference_field: object, errors: object, workers: object) -> dict[str, str]:
    """Validate the options of `normalize_records`; return the fields as a plain dict."""
    if not isinstance(fields, Mapping):
        raise TypeError(f"fields must be a mapping of field -> kind, not {type(fields).__name__}")
    out = {}
    for key, kind in fields.items():
        if not isinstance(key, str) or not isinstance(kind, str):
            raise TypeError(f"fields must map str to str, not {key!r}: {kind!r}")
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r} for field {key!r} (expected one of {', '.join(KINDS)})")
        out[key] = kind
    if not out:
        raise ValueError("fields is empty: name at least one field to normalize")
    if reference_field is not None and not isinstance(reference_field, str):
        raise TypeError(f"reference_field must be str or None, not {type(reference_field).__name__}")
    if errors not in ERRORS:
        raise ValueError(f"unknown errors policy {errors!r} (expected one of {', '.join(ERRORS)})")
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise TypeError(f"workers must be int, not {type(workers).__name__}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    return out


def _verbs() -> dict[str, Callable[..., Any]]:
    import normalize

    return {
        "date": normalize.parse_date,
        "dateline": normalize.parse_dateline,
        "language": normalize.detect_language,
        "document": normalize.normalize_document,
    }


def normalize_one(record: object, fields: dict[str, str], reference_field: str | None, errors: str) -> dict:
    """One record, normalized (see the module docstring). Raises RecordError only with errors="raise"."""
    if not isinstance(record, Mapping):
        problem = f"record is not an object but {type(record).__name__}"
        if errors == "raise":
            raise RecordError(problem)
        return {"_error": problem, "_value": record}
    out = dict(record)
    if errors == "ignore" and not _valid(record, fields, reference_field):
        return out
    verbs = _verbs()
    reference = record.get(reference_field) if reference_field else None
    if reference is not None and not isinstance(reference, str):
        problem = f"{reference_field}: expected an ISO date string, got {type(reference).__name__}"
        return _fail(out, problem, errors)
    problems = []
    for key, kind in fields.items():
        value = record.get(key)
        if value is None:
            out[f"{key}_normalized"] = None
            continue
        if not isinstance(value, str):
            problems.append(f"{key}: expected text, got {type(value).__name__}")
            out[f"{key}_normalized"] = None
            continue
        if len(value) > MAX_CHARS:
            problems.append(f"{key}: {len(value):,} characters, more than the {MAX_CHARS:,} a field may have")
            out[f"{key}_normalized"] = None
            continue
        try:
            if kind == "language":
                out[f"{key}_normalized"] = verbs[kind](value)
                continue
            result = verbs[kind](value, reference=reference or None)
        except ValueError as exc:  # an unreadable reference: the only ValueError a str can cause
            problems.append(f"{reference_field}: {exc}")
            out[f"{key}_normalized"] = None
            continue
        out[f"{key}_normalized"] = result.to_dict() if result is not None else None
    return _fail(out, "; ".join(problems), errors) if problems else out


def _valid(record: Mapping, fields: dict[str, str], reference_field: str | None) -> bool:
    names = [*fields, *([reference_field] if reference_field else [])]
    values = [record.get(name) for name in names]
    return all(v is None or (isinstance(v, str) and len(v) <= MAX_CHARS) for v in values)


def _fail(out: dict, problem: str, errors: str) -> dict:
    if errors == "raise":
        raise RecordError(problem)
    if errors == "ignore":
        return {k: v for k, v in out.items() if not k.endswith("_normalized")}
    out["_error"] = problem
    return out


def _chunk(
    records: list, fields: dict[str, str], reference_field: str | None, errors: str, encode: Encoder | None
) -> list:
    out = []
    for k, record in enumerate(records):
        try:
            done = normalize_one(record, fields, reference_field, errors)
            out.append(done if encode is None else encode(done))
        except RecordError as exc:
            raise RecordError(f"record {k} of its chunk: {exc}") from None
    return out


def run(
    records: Iterable[object],
    fields: dict[str, str],
    reference_field: str | None,
    errors: str,
    workers: int,
    encode: Encoder | None = None,
) -> Iterator:
    """`normalize_records` after its options are checked. `encode`, a picklable function, is applied to
    each output record where it is made, in the worker process: the CLI has its rows serialized there,
    in parallel, and the pool carries strings, cheaper to pickle than nested dicts."""
    if workers == 1:
        for row, record in enumerate(records):
            try:
                done = normalize_one(record, fields, reference_field, errors)
            except RecordError as exc:
                raise RecordError(f"row {row}: {exc}") from None
            yield done if encode is None else encode(done)
        return
    yield from _parallel(iter(records), fields, reference_field, errors, workers, encode)


def _parallel(
    records: Iterator[object],
    fields: dict[str, str],
    reference_field: str | None,
    errors: str,
    workers: int,
    encode: Encoder | None,
) -> Iterator:
    from concurrent.futures.process import BrokenProcessPool  # here: multiprocessing is slow to import

    args = (fields, reference_field, errors, encode)
    pending: deque[tuple[int, list, Future]] = deque()
    row = 0
    pool = _pool(workers)
    finished = False
    try:
        while True:
            while len(pending) < 2 * workers:
                chunk = list(itertools.islice(records, CHUNK))
                if not chunk:
                    break
                pending.append((row, chunk, _submit(pool, chunk, args)))
                row += len(chunk)
            if not pending:
                finished = True
                return
            first, chunk, future = pending.popleft()
            try:
                results = _result(pool, future)
            except RecordError as exc:
                raise RecordError(f"rows {first}-{first + len(chunk) - 1}: {exc}") from None
            except BrokenProcessPool:
                # A worker died (killed, out of memory). This chunk is tried again alone: if it kills
                # its worker again its rows are reported, never dropped; the other chunks go on.
                _close(pool, finished=False)
                pool = _pool(workers)
                results = _alone(chunk, args)
                for k, (f, c, _) in enumerate(list(pending)):
                    pending[k] = (f, c, _submit(pool, c, args))
            yield from results
    finally:
        _close(pool, finished=finished)


def _submit(pool: ProcessPoolExecutor, chunk: list, args: tuple) -> Future:
    """`pool.submit`; when the pool is already broken (a worker died since the last result came back),
    a future that fails as the broken pool's own futures do, so the chunk is recovered with them.
    (CLI fault tests: `kill -9` of a worker while the parent was submitting ended the run with a
    BrokenProcessPool traceback.)"""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    try:
        return pool.submit(_chunk, chunk, *args)
    except BrokenProcessPool as exc:
        failed: Future = Future()
        failed.set_exception(exc)
        return failed


def _pool(workers: int) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=_leave_sigint_to_the_parent)


def _leave_sigint_to_the_parent() -> None:
    """In a worker: ignore Ctrl-C. A terminal sends SIGINT to the whole process group, and every
    worker printed a KeyboardInterrupt traceback (CLI fault tests); the parent alone stops, cancels
    the queued chunks and shuts the pool down."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _result(pool: ProcessPoolExecutor, future: Future) -> list:
    """`future.result()`, noticing a dead worker even when the pool does not.

    A worker killed while it writes its result leaves half a message in the result pipe; the pool's
    manager thread waits for the rest forever, the pool never breaks, and neither did the run: it hung
    (CPython's ProcessPoolExecutor; CLI fault tests, `kill -9` of a worker, about 1 run in 15). So the
    wait checks the workers every `WATCH` seconds; a pool with a dead worker that has not broken
    `GRACE` seconds later is given up, with the BrokenProcessPool it would have raised.
    """
    from concurrent.futures.process import BrokenProcessPool

    died_at = None
    while True:
        try:
            return future.result(timeout=WATCH)
        except TimeoutError:
            if died_at is None:
                died_at = time.monotonic() if _a_worker_died(pool) else None
            elif time.monotonic() - died_at > GRACE:
                _give_up(pool)
                raise BrokenProcessPool("a worker process died and the pool did not notice") from None


def _a_worker_died(pool: ProcessPoolExecutor) -> bool:
    processes = getattr(pool, "_processes", None) or {}  # private, but there since Python 3.2
    return any(p.exitcode is not None for p in list(processes.values()))


def _give_up(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers and close the parent's end of its result pipe: the manager thread,
    stuck reading half a message, reads the end of the file instead, breaks the pool and exits (so
    the interpreter, which joins it at exit, does not hang there either). Must run before another pool
    forks, or the new workers would inherit that end of the pipe and keep it open."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.kill()
    with contextlib.suppress(Exception):
        pool._result_queue._writer.close()  # type: ignore[attr-defined]


def _close(pool: ProcessPoolExecutor, *, finished: bool) -> None:
    """Shut a pool down and wait (bounded) for its manager thread. Left running, that thread closes
    its wake-up pipe while the interpreter's exit hook writes to it: an `OSError: Bad file descriptor`
    traceback at exit (CPython 3.11; CI, about 1 run in 20). A pool left with work in flight (a dead
    worker, Ctrl-C, `| head`) has its workers killed first: nothing it computes would be used."""
    thread = getattr(pool, "_executor_manager_thread", None)
    if not finished:
        _give_up(pool)
    pool.shutdown(wait=False, cancel_futures=True)
    if thread is not None:
        thread.join(GRACE)


def _alone(chunk: list, args: tuple) -> list:
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(1)
    try:
        return _result(pool, _submit(pool, chunk, args))
    except BrokenProcessPool:
        encode = args[-1]
        return [_lost(record) if encode is None else encode(_lost(record)) for record in chunk]
    finally:
        _close(pool, finished=False)


def _lost(record: object) -> dict:
    problem = "the worker process normalizing this record died"
    if isinstance(record, Mapping):
        return {**record, "_error": problem}
    return {"_error": problem, "_value": record}


# -- flat columns (CSV output, dask DataFrames) -----------------------------------------------------

_FLAT = {
    "date": ("iso", "precision", "language", "ambiguous", "tz_explicit"),
    "dateline": ("city", "country", "region", "timezone", "latitude", "longitude", "date", "agency"),
    "language": ("language",),
    "document": (
        "language",
        "published_iso",
        "title",
        "subtitle",
        "dateline_city",
        "dateline_country",
        "dateline_date",
        "dateline_agency",
        "mentions",
        "caption",
        "credit",
        "warnings",
    ),
}


def flat_columns(fields: dict[str, str]) -> list[str]:
    """The columns `flatten` adds: `published_iso`, `published_language`, `body_dateline_city`..."""
    return [f"{key}_{name}" for key, kind in fields.items() for name in _FLAT[kind]]


def flatten(record: dict, fields: dict[str, str]) -> dict:
    """A normalized record with each `<field>_normalized` spread into plain columns (missing: None)."""
    out = {k: v for k, v in record.items() if not (k.endswith("_normalized") and k[:-11] in fields)}
    for key, kind in fields.items():
        result = record.get(f"{key}_normalized")
        for name in _FLAT[kind]:
            out[f"{key}_{name}"] = _pick(result, kind, name)
    return out


def _pick(result: Any, kind: str, name: str) -> Any:
    if result is None:
        return None
    if kind == "language":
        return result
    if kind == "dateline" and name == "date":
        return result["date"]["iso"] if result.get("date") else None
    if kind != "document":
        return result.get(name)
    if name == "published_iso":
        return result["published"]["iso"] if result.get("published") else None
    if name.startswith("dateline_"):
        line = result.get("dateline")
        if not line:
            return None
        value = line.get(name[9:])
        return value["iso"] if name == "dateline_date" and value else value
    if name == "mentions":
        return ";".join(m["iso"] for m in result["mentions"])
    if name == "warnings":
        return "; ".join(result["warnings"])
    return result.get(name)
