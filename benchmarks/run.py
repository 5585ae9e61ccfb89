"""The benchmark runner: ``python -m benchmarks.run --quick`` (CI-sized) or ``--full`` (the issue's sizes).

Prints one table and writes ``benchmarks/results.json`` (a list of figures, see ``measure.Figure``)
and ``benchmarks/results-meta.json`` (machine, Python, mode, sizes, duration). Both modes compute the
same figure names; ``--quick`` uses smaller sizes. ``--only NAME`` runs one family (repeatable) and
updates only its figures in an existing results file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from .measure import Figure, unavailable
from .scanner import MB, ScannerSizes

RESULTS = Path(__file__).with_name("results.json")
META = Path(__file__).with_name("results-meta.json")


@dataclass(frozen=True, slots=True)
class Sizes:
    """Every size knob of one run."""

    scanner: ScannerSizes
    render_pages: int
    render_repeat: int
    fetch_asins: int
    fetch_repeat: int
    rebuild_pages: int
    scale_small: int
    scale_large: int
    startup_repeat: int
    shared_per_store: int
    shared_rate: float
    jobs_pages: int
    jobs_rounds: int
    scale_huge: int
    host_pages: int
    host_rounds: int
    twig_boxes: int = 500
    twig_repeat: int = 25  # many short interleaved rounds: the best of each side survives a noisy machine


FULL = Sizes(
    scanner=ScannerSizes(
        MB,
        1000,
        MB,
        8 * MB,
        repeat=5,
        peer_repeat=3,
        speedup_rounds=5,
        linearity_rounds=21,  # best of 5 each: 15 rounds of best-of-3 read 1.05-1.14 in 3 quiet runs
        linearity_best_of=5,
    ),
    render_pages=2000,
    # 15 rounds (7 until round seven): single rounds spread 0.88-1.32 on the shared machine, and medians of 7
    # landed 2-8 points either side of the instruction ratio (1.08 markdown-it, 1.06 Python-Markdown).
    render_repeat=15,
    fetch_asins=1000,
    fetch_repeat=3,
    rebuild_pages=2000,
    scale_small=2000,
    scale_large=20000,
    startup_repeat=15,
    shared_per_store=800,
    shared_rate=4.0,
    jobs_pages=20000,
    jobs_rounds=7,  # median of the per-round ratios: 5 rounds read 1.69, 1.95, 1.90 in 3 quiet runs
    scale_huge=100_000,
    host_pages=500,
    # median of 15 interleaved rounds (9 until round seven, 5 before round four): Pelican's medians of 9
    # read 1.11-1.17 at an instruction ratio of 1.066, single rounds 1.035-1.32
    host_rounds=15,
)
QUICK = Sizes(
    scanner=ScannerSizes(
        MB,
        1000,
        MB // 2,
        4 * MB,
        repeat=3,
        peer_repeat=1,
        speedup_rounds=3,
        linearity_rounds=7,
        linearity_best_of=5,
    ),
    render_pages=200,
    render_repeat=3,
    fetch_asins=1000,
    fetch_repeat=1,
    rebuild_pages=200,
    scale_small=300,
    scale_large=3000,
    startup_repeat=5,
    shared_per_store=100,
    shared_rate=4.0,
    jobs_pages=2000,
    jobs_rounds=2,
    scale_huge=5000,
    host_pages=50,
    host_rounds=1,
    twig_boxes=500,
    twig_repeat=7,
)

# Each family: the names it must produce (used when it fails) and how to run it.
Family = tuple[tuple[str, ...], Callable[[Sizes, Callable[[str], None]], list[Figure]]]


def _scanner(sizes: Sizes, log: Callable[[str], None]) -> list[Figure]:
    from .scanner import linearity, throughput

    figures, _ = throughput(sizes.scanner, log)
    return figures + linearity(sizes.scanner, log)


def _render(sizes: Sizes, log: Callable[[str], None]) -> list[Figure]:
    from .rendering import python_markdown_overhead, warm_render_overhead

    return warm_render_overhead(sizes.render_pages, sizes.render_repeat, log) + python_markdown_overhead(
        sizes.render_pages, sizes.render_repeat, log
    )


def _fetch(sizes: Sizes, log: Callable[[str], None]) -> list[Figure]:
    from .fetching import cold_fetch

    # Quick runs must work offline: they use the python-amazon-paapi venv only if it already exists.
    return cold_fetch(sizes.fetch_asins, sizes.fetch_repeat, log, install_paapi=sizes is FULL)


def _rebuild(sizes: Sizes, log: Callable[[str], None]) -> list[Figure]:
    from .fetching import warm_rebuild

    return warm_rebuild(sizes.rebuild_pages, log)


def _scale(sizes: Sizes, log: Callable[[str], None]) -> list[Figure]:
    from .scale import scale

    return scale(sizes.scale_small, sizes.scale_large, log, huge_pages=sizes.scale_huge)


def _startup(sizes: Sizes, log: Callable[[str], None]) -> list[Figure]:
    from .startup import startup

    return startup(sizes.startup_repeat, log)


def _shared(sizes: Sizes, log: Callable[[str], None]) -> list[Figure]:
    from .sharing import shared_builders

    return shared_builders(sizes.shared_per_store, sizes.shared_rate, log)


def _jobs(sizes: Sizes, log: Callable[[str], None]) -> list[Figure]:
    from .sharing import parallel_build

    return parallel_build(sizes.jobs_pages, sizes.jobs_rounds, log)


def _mkdocs(sizes: Sizes, log: Callable[[str], None]) -> list[Figure]:
    from .hosts import mkdocs_build_overhead

    return mkdocs_build_overhead(sizes.host_pages, sizes.host_rounds, log)


def _pelican(sizes: Sizes, log: Callable[[str], None]) -> list[Figure]:
    from .hosts import pelican_build_overhead

    return pelican_build_overhead(sizes.host_pages, sizes.host_rounds, log)


def _twig(sizes: Sizes, log: Callable[[str], None]) -> list[Figure]:
    from .twig import twig_vs_jinja

    return twig_vs_jinja(sizes.twig_boxes, sizes.twig_repeat, log)


def _geo(sizes: Sizes, log: Callable[[str], None]) -> list[Figure]:
    from .geo import geo_lookup

    return geo_lookup(1000 if sizes is FULL else 100, log)


FAMILIES: dict[str, Family] = {
    "scanner": (("scanner_speedup_vs_best_peer", "scanner_linearity"), _scanner),
    "render": (("warm_render_overhead", "python_markdown_overhead"), _render),
    "fetch": (("cold_fetch_vs_floor", "cold_fetch_requests_vs_minimum"), _fetch),
    "rebuild": (("warm_rebuild_requests",), _rebuild),
    "scale": (("peak_rss_mb_20k_pages", "per_page_time_20k_vs_2k", "peak_rss_mb_100k_pages"), _scale),
    "startup": (("startup_render_one_vs_python", "startup_eager_imports"), _startup),
    "shared": (
        ("shared_builders_requests_vs_minimum", "shared_builders_429", "shared_builders_vs_floor"),
        _shared,
    ),
    "jobs": (("parallel_build_speedup_2_jobs",), _jobs),
    "mkdocs": (("mkdocs_build_overhead",), _mkdocs),
    "pelican": (("pelican_build_overhead",), _pelican),
    "twig": (("twig_render_vs_jinja",), _twig),
    "geo": (("geo_lookup_requests_vs_minimum", "geo_rebuild_requests", "geo_script_gzip_bytes"), _geo),
}


def run_families(names: list[str], sizes: Sizes, log: Callable[[str], None] = print) -> list[Figure]:
    """Run the named families; a family that fails yields its figures as unavailable, with the reason."""
    figures: list[Figure] = []
    for name in names:
        required, run = FAMILIES[name]
        log(f"[{name}]")
        started = time.perf_counter()
        try:
            figures += run(sizes, log)
        except Exception as exc:  # one broken family must not hide the others' numbers
            traceback.print_exc(file=sys.stderr)
            figures += [unavailable(figure, f"{type(exc).__name__}: {exc}"[:300]) for figure in required]
        log(f"  ({time.perf_counter() - started:.1f} s)")
    return figures


def table(figures: list[Figure]) -> str:
    """The figures as a fixed-width text table."""
    rows = [("figure", "value", "unit", "baseline", "target", "met")]
    for figure in figures:
        rows.append(
            (
                figure.name,
                _number(figure.value),
                figure.unit,
                f"{_number(figure.baseline)} {figure.baseline_unit}".strip(),
                figure.target or "-",
                {True: "yes", False: "NO", None: "-"}[figure.met],
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"  {figure.name}: {figure.detail}" for figure in figures if figure.detail]
    return "\n".join([*lines, "", "notes:", *notes])


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.4g}"


def machine() -> dict[str, str | int | None]:
    """What the numbers were measured on."""
    model = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next(
                (line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), None
            )
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor() or None,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--quick", action="store_true", help="small sizes (under 2 minutes)")
    group.add_argument("--full", action="store_true", help="the issue's sizes")
    parser.add_argument("--only", action="append", choices=sorted(FAMILIES), help="run only this family")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the figures")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    names = args.only or list(FAMILIES)
    started = time.perf_counter()
    figures = run_families(names, sizes, lambda line: print(line, flush=True))
    duration = time.perf_counter() - started
    records = [figure.as_json() for figure in figures]
    if args.only and args.output.exists():
        # A partial run updates its own figures and keeps the others of the last run.
        fresh = {record["name"] for record in records}
        kept = [
            old for old in json.loads(args.output.read_text(encoding="utf-8")) if old["name"] not in fresh
        ]
        records = kept + records
    args.output.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
    host = machine()
    meta = {
        "mode": "quick" if args.quick else "full",
        "families": names,
        "duration_s": round(duration, 1),
        "machine": host,
        "sizes": asdict(sizes),
        "finished": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    args.output.with_name(args.output.stem + "-meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print()
    print(table(figures))
    print(
        f"\n{meta['mode']} run, {duration:.0f} s on {host['cpus']} CPUs ({host['cpu_model']}), "
        f"Python {host['python']}; wrote {args.output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
