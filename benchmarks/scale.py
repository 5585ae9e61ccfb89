"""Figure family 5: a large directory render streams — bounded memory, constant time per page.

``asa2render render SITE -o OUT --offline`` runs as a child process over a warm disk cache (filled
from the sandbox first): three times on a one-page and on the small site, once on the large one, and
once on the huge one (``peak_rss_mb_100k_pages``). Peak RSS is the child's own high-water mark
(``VmHWM``), polled every 10 ms. Time per page is CPU time (user + system, from ``wait4``) minus the
fixed cost of the one-page render (interpreter start, imports, configuration), so the ratio compares
the per-page work only. Wall time is reported beside it: every written page is fsynced, so on a shared
machine it follows whatever else is writing to the disk (the same code gave a wall-time ratio of 0.97
on a quiet disk and 1.6-1.7 while other jobs wrote, with CPU ratios of 0.87-1.14).
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .measure import Figure, child_env, ratio_figure
from .rendering import warm_cache
from .sites import SiteSpec, write_config, write_site

UNIQUE_ASINS = 500


@dataclass(frozen=True, slots=True)
class ChildRun:
    """Wall seconds, CPU seconds (user + system) and peak resident memory of one child process."""

    seconds: float
    peak_rss_mb: float
    cpu: float = 0.0


def run_child(command: list[str], env: dict[str, str] | None = None, poll: float = 0.01) -> ChildRun:
    """Run ``command`` to completion; its wall time, CPU time and peak resident memory.

    The peak is the child's own high-water mark (``VmHWM`` in ``/proc/PID/status``), read every
    ``poll`` seconds until it exits. ``ru_maxrss`` from ``wait4`` is no good here: Linux carries the
    parent's RSS at fork into the child's figure, so every child would look as large as this runner.
    CPU time does come from ``wait4`` (the child's own user + system seconds).
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, env=env or child_env(), stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0.0
        while True:
            peak = max(peak, _high_water_mb(process.pid))
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(poll)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-500:]
            raise RuntimeError(f"{command[3:5]} failed ({process.returncode}): {message}")
    return ChildRun(seconds, peak, usage.ru_utime + usage.ru_stime)


def _high_water_mb(pid: int) -> float:
    """The process's peak RSS so far in MB (``VmHWM``; psutil's current RSS where there is no /proc)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    try:
        psutil: Any = importlib.import_module("psutil")  # the bench extra; no stubs needed
        return float(psutil.Process(pid).memory_info().rss) / 2**20
    except Exception:  # the process has just exited
        return 0.0


def _render(root: Path, site: Path, config: Path) -> ChildRun:
    out = root / f"out-{site.name}"
    shutil.rmtree(out, ignore_errors=True)  # every run writes new files, as the first one did
    command = [sys.executable, "-m", "asa2render", "render", str(site), "-o", str(out)]
    return run_child([*command, "--offline", "--config", str(config)])


def scale(
    small_pages: int, large_pages: int, log: Callable[[str], None] = print, *, huge_pages: int = 0
) -> list[Figure]:
    """Render ``small_pages``, ``large_pages`` (and ``huge_pages``) pages; peak RSS, per-page ratio.

    The huge site (``peak_rss_mb_100k_pages``) is rendered last, after the others' output is deleted
    (it alone writes about a gigabyte); its pages are :data:`HUGE_PAGE_BYTES` long, because memory
    must not grow with the number of pages whatever their size.
    """
    with tempfile.TemporaryDirectory(prefix="asa2render-bench-") as temporary:
        root = Path(temporary)
        config = write_config(root)
        sizes = {"one": 1, "small": small_pages, "large": large_pages}
        for name, pages in sizes.items():
            write_site(root / name, SiteSpec(pages=pages, unique_asins=min(UNIQUE_ASINS, pages * 5)))
        # Every site asks for (a prefix of) the same UNIQUE_ASINS products: 100 pages x 5 boxes cover them.
        warm_cache(
            root / ".asa2render-cache", SiteSpec(pages=UNIQUE_ASINS // 5, unique_asins=UNIQUE_ASINS), log
        )
        # The short runs are repeated (their median counts): one noisy second would move their
        # per-page time far more than the long run's.
        repeats = {"one": SHORT_REPEAT, "small": SHORT_REPEAT, "large": 1}
        every = {name: [_render(root, root / name, config) for _ in range(repeats[name])] for name in sizes}
        runs = {name: _median_run(found) for name, found in every.items()}
        for name, run in runs.items():
            log(
                f"  render {sizes[name]} pages: {run.seconds:.2f} s wall, {run.cpu:.2f} s CPU, "
                f"peak RSS {run.peak_rss_mb:.0f} MB"
            )
        huge = _huge(root, config, huge_pages, log) if huge_pages else []
    fixed = runs["one"].cpu
    small = (runs["small"].cpu - fixed) / small_pages
    large = (runs["large"].cpu - fixed) / large_pages
    wall_fixed = runs["one"].seconds
    wall_ratio = ((runs["large"].seconds - wall_fixed) / large_pages) / (
        (runs["small"].seconds - wall_fixed) / small_pages
    )
    return [
        Figure(
            "peak_rss_mb_20k_pages",
            runs["large"].peak_rss_mb,
            "MB",
            runs["small"].peak_rss_mb,
            runs["large"].peak_rss_mb / runs["small"].peak_rss_mb,
            "<= 300",
            "max",
            300.0,
            runs["large"].peak_rss_mb,
            "MB",
            f"{large_pages} pages (baseline: {small_pages} pages; one page: {runs['one'].peak_rss_mb:.0f} MB)",
        ),
        ratio_figure(
            "per_page_time_20k_vs_2k",
            large,
            small,
            unit="s/page",
            target="<= 1.2",
            goal="max",
            limit=1.2,
            detail=(
                f"{large_pages} vs {small_pages} pages x 5 boxes, offline, warm cache; CPU time per page"
                f" (median of {SHORT_REPEAT} runs for the small site and the one-page fixed cost, {fixed:.2f} s,"
                f" subtracted); wall-time ratio {wall_ratio:.3f} (every page is fsynced: the wall time"
                " follows the disk's other writers)"
            ),
            large_run_s=runs["large"].seconds,
            small_run_s=runs["small"].seconds,
            large_run_cpu_s=runs["large"].cpu,
            small_run_cpu_s=runs["small"].cpu,
            wall_ratio=wall_ratio,
        ),
        *huge,
    ]


HUGE_PAGE_BYTES = 2000
SHORT_REPEAT = 3


def _median_run(runs: list[ChildRun]) -> ChildRun:
    """The run of median CPU time (its wall time and memory with it)."""
    return sorted(runs, key=lambda run: run.cpu)[len(runs) // 2]


def _huge(root: Path, config: Path, pages: int, log: Callable[[str], None]) -> list[Figure]:
    for name in ("small", "large"):
        shutil.rmtree(root / name)
        shutil.rmtree(root / f"out-{name}")
    spec = SiteSpec(pages=pages, unique_asins=UNIQUE_ASINS, page_bytes=HUGE_PAGE_BYTES)
    write_site(root / "huge", spec)
    run = _render(root, root / "huge", config)
    written = sum(1 for _ in (root / "out-huge").rglob("*.md"))
    if written != pages:
        raise AssertionError(f"the huge render wrote {written} pages, expected {pages}")
    log(f"  render {pages} pages: {run.seconds:.2f} s, peak RSS {run.peak_rss_mb:.0f} MB")
    return [
        Figure(
            "peak_rss_mb_100k_pages",
            run.peak_rss_mb,
            "MB",
            None,
            None,
            "<= 300",
            "max",
            300.0,
            run.peak_rss_mb,
            "MB",
            f"asa2render render of {pages} pages x 5 boxes ({HUGE_PAGE_BYTES} B each, {UNIQUE_ASINS} products),"
            f" offline, warm cache; {run.seconds:.0f} s",
            extra={"seconds": run.seconds},
        )
    ]


__all__ = ["ChildRun", "run_child", "scale"]
