"""``--jobs N``: pages scanned and rendered in N processes around one shared fetch.

The flow stays the engine's: every page is scanned for product keys (in the workers, a chunk of pages
each), the parent process resolves all keys in **one** fetch (the only API traffic), then the workers
render their chunks with the resolved products handed to them — offline, from the same code the
single-process path runs, so the output is byte for byte the same as with ``--jobs 1``.

Workers are started with ``spawn`` (no fork of a process that may run HTTP or sandbox threads) and
are reused for both phases. Chunks keep source order, and problems come back in it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..config.model import Config
from ..products.models import ProductKey, Resolved
from ..products.resolve import Problem

if TYPE_CHECKING:
    from ..engine import Engine

    _IntParam = click.ParamType[int, Any]
else:  # click < 8.2 has no generic ParamType at run time
    _IntParam = click.ParamType

_T = TypeVar("_T")
_CHUNKS_PER_JOB = 4  # a few chunks per worker evens out pages of different sizes
_WORKER: dict[str, Any] = {}  # the engine of this worker process, made on its first task


class JobsType(_IntParam):
    """``--jobs``: a positive number of processes, or ``auto`` for one per CPU."""

    name = "N|auto"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            number = value
        elif str(value).strip().lower() == "auto":
            return os.cpu_count() or 1
        else:
            try:
                number = int(str(value))
            except ValueError:
                self.fail(f"{value!r} is not a number of processes or 'auto'", param, ctx)
        if number < 1:
            self.fail(f"{number} is not at least 1", param, ctx)
        return number


JOBS = JobsType()


def jobs_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-j",
        "--jobs",
        type=JOBS,
        default="1",
        show_default=True,
        help="Render pages in N processes after one shared fetch ('auto': one per CPU).",
    )(func)


@dataclass
class ScanResult:
    """What scanning a chunk found: its product keys, shortcodes and problems, in source order."""

    keys: list[ProductKey] = field(default_factory=list)
    shortcodes: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass
class RenderResult:
    """What rendering a chunk did: problems in source order, whether a page failed, a value per chunk."""

    problems: list[Problem] = field(default_factory=list)
    failed: bool = False
    value: Any = None


def chunks(items: Sequence[_T], jobs: int) -> list[list[_T]]:
    """Consecutive slices, a few per job, in order."""
    count = max(1, min(len(items), jobs * _CHUNKS_PER_JOB))
    size = -(-len(items) // count) if items else 1
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


class PagePool:
    """N worker processes holding an offline engine on the run's configuration.

    Args:
        config: the run's configuration (workers never open the cache nor talk to an API).
        strict: the run's strict setting.
        jobs: how many processes.
    """

    def __init__(self, config: Config, strict: bool, jobs: int) -> None:
        self._config = config
        self._strict = strict
        self._jobs = jobs
        self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"))

    def __enter__(self) -> PagePool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def map(self, task: Callable[..., _T], parts: Iterable[Any], *args: Any) -> list[_T]:
        """Run ``task(engine, part, *args)`` in the workers, results in the order of ``parts``."""
        futures = [self._pool.submit(_run, self._config, self._strict, task, part, *args) for part in parts]
        return [future.result() for future in futures]

    def chunks(self, items: Sequence[_T]) -> list[list[_T]]:
        return chunks(items, self._jobs)


def _run(config: Config, strict: bool, task: Callable[..., _T], part: Any, *args: Any) -> _T:
    engine = _worker_engine(config, strict)
    engine.problems.clear()
    return task(engine, part, *args)


def _worker_engine(config: Config, strict: bool) -> Engine:
    from ..engine import Engine
    from ..products.cache import ProductCache

    engine = _WORKER.get("engine")
    if engine is None or _WORKER.get("config") != (config, strict):
        # Offline, with an empty in-memory cache: products come only from what the parent resolved.
        engine = Engine(config, strict=strict, offline=True, cache=ProductCache.in_memory())
        _WORKER.update(engine=engine, config=(config, strict))
    return engine


def needed(resolved: dict[ProductKey, Resolved], keys: Iterable[ProductKey]) -> dict[ProductKey, Resolved]:
    """The resolved products a chunk needs (so each worker gets only its part)."""
    return {key: resolved[key] for key in dict.fromkeys(keys) if key in resolved}


def give(engine: Engine, resolved: dict[ProductKey, Resolved]) -> None:
    """Hand a worker's engine the products the parent resolved."""
    engine.resolved.update(resolved)


__all__ = [
    "JOBS",
    "JobsType",
    "PagePool",
    "RenderResult",
    "ScanResult",
    "chunks",
    "give",
    "jobs_option",
    "needed",
]
