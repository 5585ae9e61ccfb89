"""Timing helpers and the figure record every benchmark returns.

Timing follows ``timeit``'s advice for noisy shared machines: collect garbage before each run, repeat,
and keep the minimum (the run least disturbed by other processes); the median is kept too.

Figures that compare two contenders on a shared machine use :func:`paired_rounds`: each round times
both, back to back and in alternating order, over about the same stretch of wall-clock time, and the
figure is the **median of the per-round ratios**, reported with their spread. A burst of load from
other processes then moves one round's ratio, not the figure, and a machine that is slow all along
slows both sides of every ratio alike. Those figures compare single-threaded, CPU-bound work, so they
are timed in **CPU time of this process** (``time.process_time``): time spent waiting for a core that
another engineer's job holds is not charged to either side.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Goal = Literal["min", "max", "eq"]


@dataclass(frozen=True, slots=True)
class Timing:
    """Seconds of several runs of the same work."""

    runs: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def time_runs(work: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> Timing:
    """Run ``work`` ``warmup`` times untimed, then ``repeat`` times timed (GC collected before each)."""
    for _ in range(warmup):
        work()
    runs = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return Timing(tuple(runs))


def traced_peak(work: Callable[[], object]) -> int:
    """Bytes of Python memory ``work`` holds at its peak (``tracemalloc``; run once, untimed)."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# A pin is a bytes object of 64 bytes in all: a pymalloc block (those are at most 512 bytes). One in
# every 4,096 pins made is kept: one per 256 KiB of blocks, so every arena (256 KiB before Python
# 3.10, 1 MiB since) keeps at least one while nearly all of its pools stay free for any object size.
_PIN_BYTES = 64
_PIN_EVERY = 4096


@contextmanager
def reserved_heap(size: int) -> Iterator[None]:
    """Keep ``size`` bytes of CPython's small-object heap mapped while the block runs.

    pymalloc takes memory from the OS in arenas and hands an arena back as soon as its last object
    is freed (it keeps one empty arena). Work that needs more memory than the process holds then
    maps fresh arenas on every run and pays a page fault for each 4 KiB it touches first (kernel
    time, a zeroed page), while smaller work reuses the arenas it freed a moment ago. Grown once to
    ``size`` and pinned by one small object per 256 KiB, the heap holds every arena such work
    needs, so runs of any size up to ``size`` start from the same, already mapped memory.
    """
    blocks = [bytes(_PIN_BYTES - sys.getsizeof(b"")) for _ in range(size // _PIN_BYTES)]
    pins = blocks[::_PIN_EVERY]
    del blocks
    try:
        yield
    finally:
        del pins


def child_env() -> dict[str, str]:
    """The environment of a user's shell: bytecode is written and reused, so children start warm.

    (The harness this suite runs under may set ``PYTHONDONTWRITEBYTECODE``; a user's Python writes
    ``__pycache__`` on the first run, and pip compiles installed packages.)
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@dataclass(frozen=True, slots=True)
class ChildTime:
    """Seconds of one child process: on the wall clock, and on the CPU (user + system)."""

    wall: float
    cpu: float


def run_timed(command: list[str], cwd: str | os.PathLike[str] | None = None) -> ChildTime:
    """Run ``command`` to completion (output discarded); its wall time and CPU time from ``wait4``.

    CPU time is what the work costs; on a shared machine the wall time adds however long the child
    waited for a core, which other people's work decides. Raises RuntimeError when the child fails.
    """
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=child_env(), stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-800:]
            raise RuntimeError(f"{' '.join(command[:4])} failed ({process.returncode}): {message}")
    return ChildTime(wall, usage.ru_utime + usage.ru_stime)


def spread(values: list[float]) -> str:
    """``median (lowest-highest)`` of a list of ratios, for figure details and logs."""
    ordered = sorted(values)
    return f"{statistics.median(ordered):.3f} ({ordered[0]:.3f}-{ordered[-1]:.3f})"


@dataclass(frozen=True, slots=True)
class Paired:
    """Interleaved rounds of two contenders: seconds per unit of work for each, round by round."""

    measured: tuple[float, ...]
    baseline: tuple[float, ...]

    @property
    def ratios(self) -> tuple[float, ...]:
        """``measured / baseline`` of every round."""
        return tuple(m / b for m, b in zip(self.measured, self.baseline, strict=True))

    def median_ratio(self, *, invert: bool = False) -> float:
        return statistics.median(1 / r for r in self.ratios) if invert else statistics.median(self.ratios)

    def spread(self, *, invert: bool = False) -> tuple[float, float]:
        values = [1 / r for r in self.ratios] if invert else list(self.ratios)
        return min(values), max(values)


def _time(work: Callable[[], object], times: int) -> float:
    gc.collect()
    started = time.process_time()
    for _ in range(times):
        work()
    return (time.process_time() - started) / times


def paired_rounds(
    measured: Callable[[], object],
    baseline: Callable[[], object],
    *,
    rounds: int,
    measured_times: int = 1,
    baseline_times: int = 1,
    best_of: int = 1,
) -> Paired:
    """Time both contenders in each of ``rounds`` rounds, alternating which goes first.

    ``measured_times``/``baseline_times`` repeat a contender back to back within a timing (the time
    per run is kept), so that a fast contender is exposed to the machine's load for about as long as
    a slow one. With ``best_of`` > 1 a round times both contenders that many times, alternating, and
    keeps each one's fastest: a burst of load shorter than a round then drops out of its ratio.
    """
    measured_runs: list[float] = []
    baseline_runs: list[float] = []
    for number in range(rounds):
        best_measured = best_baseline = float("inf")
        for attempt in range(best_of):
            if (number + attempt) % 2:
                best_baseline = min(best_baseline, _time(baseline, baseline_times))
                best_measured = min(best_measured, _time(measured, measured_times))
            else:
                best_measured = min(best_measured, _time(measured, measured_times))
                best_baseline = min(best_baseline, _time(baseline, baseline_times))
        measured_runs.append(best_measured)
        baseline_runs.append(best_baseline)
    return Paired(tuple(measured_runs), tuple(baseline_runs))


def paired_figure(
    name: str,
    paired: Paired,
    *,
    unit: str,
    target: str,
    goal: Goal,
    limit: float,
    invert: bool = False,
    detail: str = "",
    **extra: Any,
) -> Figure:
    """A ratio figure whose value is the median per-round ratio of ``paired``, with its spread."""
    low, high = paired.spread(invert=invert)
    figure = ratio_figure(
        name,
        statistics.median(paired.measured),
        statistics.median(paired.baseline),
        unit=unit,
        target=target,
        goal=goal,
        limit=limit,
        invert=invert,
        detail=f"{detail}; median of {len(paired.ratios)} interleaved rounds, spread {low:.3g}-{high:.3g}",
        spread_min=low,
        spread_max=high,
        rounds=len(paired.ratios),
        **extra,
    )
    figure.value = figure.ratio = paired.median_ratio(invert=invert)
    return figure


@dataclass(slots=True)
class Figure:
    """One line of ``results.json``.

    ``value`` is the number the figure's name promises and its target is checked against (a ratio
    for the ``*_vs_*``, ``*_overhead``, ``*_linearity`` and ``*_speedup_*`` figures, else a count or
    megabytes). ``baseline`` is what it was compared with, measured in the same run, in
    ``baseline_unit``; ``measured`` is our own raw measurement in the same unit. ``ratio`` is the
    figure as a ratio (equal to ``value`` for ratio figures; ``measured / baseline`` otherwise).
    """

    name: str
    value: float | None
    unit: str
    baseline: float | None
    ratio: float | None
    target: str = ""
    goal: Goal = "max"
    limit: float | None = None
    measured: float | None = None
    baseline_unit: str = ""
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None when there is no target or no value."""
        if self.limit is None or self.value is None:
            return None
        if self.goal == "min":
            return self.value >= self.limit
        if self.goal == "max":
            return self.value <= self.limit
        return abs(self.value - self.limit) < 1e-9

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("goal")
        data.pop("limit")
        data["met"] = self.met
        return {key: _rounded(value) for key, value in data.items()}


def ratio_figure(
    name: str,
    measured: float,
    baseline: float,
    *,
    unit: str,
    target: str = "",
    goal: Goal = "max",
    limit: float | None = None,
    invert: bool = False,
    detail: str = "",
    **extra: Any,
) -> Figure:
    """A figure whose value is ``measured / baseline`` (or ``baseline / measured`` with ``invert``).

    Without ``limit`` the figure is informational (no target, ``met`` is None).
    """
    value = baseline / measured if invert else measured / baseline
    return Figure(
        name,
        value,
        "x",
        baseline,
        value,
        target,
        goal,
        limit,
        measured,
        unit,
        detail,
        dict(extra),
    )


def unavailable(name: str, reason: str, *, unit: str = "x", target: str = "") -> Figure:
    """A figure that could not be measured in this run, with the reason."""
    return Figure(name, None, unit, None, None, target, detail=f"unavailable: {reason}")


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


__all__ = [
    "ChildTime",
    "Figure",
    "Goal",
    "Paired",
    "Timing",
    "child_env",
    "paired_figure",
    "paired_rounds",
    "ratio_figure",
    "reserved_heap",
    "run_timed",
    "spread",
    "time_runs",
    "traced_peak",
    "unavailable",
]
