"""``--jobs N``: pages scanned and rendered in N processes around one shared fetch.

The flow stays the engine's: every page is scanned for product keys (in the workers, a chunk of pages
each), the parent process resolves all keys in **one** fetch (the only API traffic), then the workers
render their chunks with the resolved products handed to them — offline, from the same code the
single-process path runs, so the output is byte for byte the same as with ``--jobs 1``.

Each worker takes one slice of the pages, in order, and keeps what it prepared between the two
phases, so no page is scanned twice. Slices keep source order, and problems come back in it.

On Linux the workers are forked from this process while it runs no other thread (before any
fetch): they inherit the imported modules, the configuration, their slice and an engine prepared
here (templates loaded), so a worker starts in milliseconds instead of importing and building
everything again, and nothing but the keys, the products and the problems crosses a pipe. Elsewhere,
or when a thread runs (an in-process sandbox, a test runner's), workers are spawned: forking a
multi-threaded process may copy a lock some other thread holds, and macOS frameworks do not survive
a fork.
"""

from __future__ import annotations

import gc
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ..config.model import Config
from ..errors import Asa2Error
from ..products.models import ProductKey, Resolved
from ..products.resolve import Problem
from .jobs import JOBS, JobsType, jobs_option  # (re-exported: the option moved, see jobs.py)

if TYPE_CHECKING:
    from multiprocessing.context import ForkContext, SpawnContext

    from ..engine import Engine

_T = TypeVar("_T")
_WORKER: dict[str, Any] = {}  # the engine of this worker process (set before a fork: inherited)


@dataclass
class ScanResult:
    """What scanning a chunk found: its product keys, shortcodes and problems, in source order."""

    keys: list[ProductKey] = field(default_factory=list)
    shortcodes: int = 0
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0


@dataclass
class RenderResult:
    """What rendering a chunk did: problems in source order, whether a page failed, a value per chunk."""

    problems: list[Problem] = field(default_factory=list)
    failed: bool = False
    value: Any = None
    # per file, problems only counted (Engine.hidden_counts): the parent adds them to its own
    hidden: dict[str | None, tuple[int, int]] = field(default_factory=dict)


def split(items: Sequence[_T], parts: int) -> list[list[_T]]:
    """``items`` cut into at most ``parts`` consecutive slices of nearly equal length, in order."""
    count = max(1, min(len(items), parts))
    size, extra = divmod(len(items), count)
    slices, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        if end > start:
            slices.append(list(items[start:end]))
        start = end
    return slices


Scan = Callable[["Engine", list[Any]], tuple[ScanResult, Any]]
Render = Callable[..., RenderResult]
Prepare = Callable[["Engine"], None]


def run_pages(
    config: Config,
    strict: bool,
    jobs: int,
    items: Sequence[Any],
    scan: Scan,
    render: Render,
    fetch: Callable[[list[ProductKey]], dict[ProductKey, Resolved]],
    *render_args: Any,
    after_scan: Callable[[list[ScanResult]], None] | None = None,
    prepare: Prepare | None = None,
) -> tuple[list[ScanResult], list[RenderResult]]:
    """Scan ``items`` in ``jobs`` processes, fetch once here, render in the same processes.

    Each worker scans one slice (``scan(engine, slice)`` gives its :class:`ScanResult` and whatever
    it keeps, e.g. prepared documents), sends the keys, waits for the products this process resolved
    with ``fetch(all keys)`` (after ``after_scan(scans)``, which may raise to stop every worker),
    then runs ``render(engine, kept, *render_args)``. Pages are scanned
    once, and only the products a slice needs travel to its worker. ``prepare(engine)`` runs in each
    worker while this process fetches: work the render needs that needs no product (building the
    template environment, loading kept boxes) is then off the critical path instead of after it.

    Raises:
        Asa2Error: a worker failed (its message); every worker is stopped first. Tasks report
            strict-mode failures in their results instead.
    """
    context = start_context()
    forked = context.get_start_method() == "fork"
    slices = split(items, jobs)
    results = context.Queue()
    inboxes = [context.Queue() for _ in slices]
    workers = [
        context.Process(
            target=_worker,
            args=(config, strict, (scan, prepare, render), part, render_args, inbox, results, index),
            daemon=True,
        )
        for index, (part, inbox) in enumerate(zip(slices, inboxes, strict=True))
    ]
    _start(workers, config, strict, forked)
    try:
        scans: list[ScanResult] = _gather(results, workers)
        if after_scan is not None:
            after_scan(scans)  # e.g. strict mode refusing the run before anything is written
        resolved = fetch([key for scanned in scans for key in scanned.keys])
        for inbox, scanned in zip(inboxes, scans, strict=True):
            inbox.put(needed(resolved, scanned.keys))
        rendered: list[RenderResult] = _gather(results, workers)
    except BaseException:  # an error, Ctrl-C or SIGTERM here: the workers stop at once
        for worker in workers:
            worker.terminate()
        raise
    finally:
        for worker in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.terminate()
                worker.join()
    return scans, rendered


def start_context() -> ForkContext | SpawnContext:
    """``fork`` on Linux while this process runs a single thread, else ``spawn`` (see the module doc)."""
    import multiprocessing  # here, not at import time: a one-process run never needs it

    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _start(workers: list[Any], config: Config, strict: bool, forked: bool) -> None:
    """Start the workers; forked ones inherit an engine prepared here once, instead of each making one."""
    if not forked:
        for worker in workers:
            worker.start()
        return
    _WORKER.update(engine=_new_engine(config, strict), config=(config, strict))
    # Frozen objects are left alone by the collector, so the workers' collections neither walk nor
    # write to the pages they share with this process (copy-on-write stays shared, and cheap).
    gc.freeze()
    try:
        for worker in workers:
            worker.start()
    finally:
        gc.unfreeze()
        _WORKER.clear()  # this process renders nothing itself


def _gather(results: Any, workers: list[Any]) -> list[Any]:
    """One answer from every worker, in slice order; a worker's error is raised here."""
    answers: dict[int, Any] = {}
    while len(answers) < len(workers):
        try:
            index, kind, value = results.get(timeout=1.0)
        except queue.Empty:
            dead = [w for w in workers if w.exitcode not in (0, None)]
            if dead:
                raise Asa2Error(f"a --jobs worker stopped (exit code {dead[0].exitcode})") from None
            continue
        if kind == "error":
            for worker in workers:
                worker.terminate()
            raise Asa2Error(value)
        answers[index] = value
    return [answers[index] for index in range(len(workers))]


def _worker(
    config: Config,
    strict: bool,
    steps: tuple[Scan, Prepare | None, Render],
    part: list[Any],
    render_args: tuple[Any, ...],
    inbox: Any,
    results: Any,
    index: int,
) -> None:
    # The parent stops its workers (SIGTERM) when it is interrupted or fails; a worker neither reacts
    # to Ctrl-C itself nor runs the parent's handlers it may have inherited with a fork.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    scan, prepare, render = steps
    try:
        engine = _worker_engine(config, strict)
        engine.clear_problems()
        scanned, kept = scan(engine, part)
        scanned.keys = list(dict.fromkeys(scanned.keys))  # first occurrences keep the order of the fetch
        results.put((index, "scan", scanned))
        if prepare is not None:
            prepare(engine)  # while the parent fetches
        give(engine, inbox.get())
        engine.problems.clear()  # (the per-file counts of kept problems stay: pages are not scanned again)
        rendered = render(engine, kept, *render_args)
        rendered.hidden = engine.hidden_counts()
        results.put((index, "render", rendered))
    except Asa2Error as error:  # sent as text: not every error class survives pickling
        results.put((index, "error", str(error)))
    except Exception as error:  # anything else is a bug: the parent reports it with its type
        results.put((index, "error", f"a --jobs worker failed: {type(error).__name__}: {error}"))


def _worker_engine(config: Config, strict: bool) -> Engine:
    engine = _WORKER.get("engine")
    if engine is None or _WORKER.get("config") != (config, strict):
        engine = _new_engine(config, strict)
        _WORKER.update(engine=engine, config=(config, strict))
    return engine


def _new_engine(config: Config, strict: bool) -> Engine:
    """Offline, with an empty in-memory cache: products come only from what the parent resolved.

    (No file, database or connection is open in it, so a forked worker can use the one its parent made.)
    """
    from ..engine import Engine
    from ..products.cache import ProductCache

    return Engine(config, strict=strict, offline=True, cache=ProductCache.in_memory())


def needed(resolved: dict[ProductKey, Resolved], keys: Iterable[ProductKey]) -> dict[ProductKey, Resolved]:
    """The resolved products a chunk needs (so each worker gets only its part)."""
    return {key: resolved[key] for key in dict.fromkeys(keys) if key in resolved}


def give(engine: Engine, resolved: dict[ProductKey, Resolved]) -> None:
    """Hand a worker's engine the products the parent resolved."""
    engine.resolved.update(resolved)


__all__ = [
    "JOBS",
    "JobsType",
    "RenderResult",
    "ScanResult",
    "give",
    "jobs_option",
    "needed",
    "run_pages",
    "split",
    "start_context",
]
