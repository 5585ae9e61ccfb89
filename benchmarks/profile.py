"""Reproducible profiles of the hot paths behind the figures: ``python -m benchmarks.profile TARGET``.

Targets:

* ``scanner``: ``scan(..., mode="markdown")`` on the 1 MB throughput document (cold attribute cache);
* ``render``: markdown-it-py + ``asa2_plugin`` over a warm cache (the ``warm_render_overhead`` run);
* ``render-free-boxes``: the same with a renderer whose boxes cost nothing, which shows what the
  plugin machinery alone adds (compare its ms/page with ``render`` and with markdown-it alone);
* ``tricks``: no profiler; CPU time of the scanner with and without its two speed tricks (the
  paused garbage collector in ``scan`` and the slot-twin builder ``new_shortcode``), median of 5
  interleaved runs on the benchmark documents, 1 MB and 8 MB.

Prints cProfile's top functions by cumulative time (``--top N``), then ms per page where it applies.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from markdown_it import MarkdownIt

from asa2render.engine import Engine
from asa2render.products.cache import ProductCache
from asa2render.products.models import ProductKey, Resolved
from asa2render.products.resolve import TAGS, ProductRequest
from asa2render.render.renderer import Renderer

from .fetching import bench_config
from .rendering import warm_cache
from .scanner import MB, _ours_scan_only
from .sites import SiteSpec, markdown_document, site_pages


class FreeBoxRenderer(Renderer):
    """A renderer whose boxes cost nothing: isolates the plugin's own work from Jinja's."""

    def render(self, request: ProductRequest, resolved: Mapping[ProductKey, Resolved]) -> str:
        return '<div class="asa2-box"></div>'


def _profile(work: Callable[[], object], top: int) -> float:
    work()  # warm imports and compiled templates first
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    work()
    profiler.disable()
    elapsed = time.perf_counter() - started
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(top)
    return elapsed


def _render_work(pages: int, free_boxes: bool) -> tuple[Callable[[], object], Callable[[], None]]:
    spec = SiteSpec(pages=pages)
    texts = list(site_pages(spec))
    directory = Path(tempfile.mkdtemp(prefix="asa2render-profile-"))
    warm_cache(directory / "cache", spec)

    def work() -> int:
        config = bench_config()
        with Engine(config, offline=True, cache=ProductCache.on_disk(directory / "cache")) as engine:
            if free_boxes:
                engine.renderer = FreeBoxRenderer(config)
            from asa2render.integrations.markdown_it import asa2_plugin

            md = MarkdownIt("commonmark").use(asa2_plugin, engine=engine)
            return sum(len(md.render(text, {"asa2_path": path})) for path, text in texts)

    def cleanup() -> None:
        import shutil

        shutil.rmtree(directory, ignore_errors=True)

    return work, cleanup


def _tricks() -> None:
    """Scanner CPU time with each trick switched off in turn (module attributes swapped back after)."""
    import gc
    import statistics
    import types

    from asa2render.shortcodes import scanner
    from asa2render.shortcodes.model import Shortcode, new_shortcode

    from .sites import unclosed_openers_document

    collector = scanner.gc
    paused_never = types.SimpleNamespace(isenabled=lambda: False, disable=lambda: None, enable=lambda: None)
    variants: dict[str, tuple[object, object]] = {
        "as shipped": (collector, new_shortcode),
        "collector not paused": (paused_never, new_shortcode),
        "Shortcode(...) instead of new_shortcode": (collector, Shortcode),
    }
    documents = {
        "1 MB, 1000 boxes": markdown_document(MB, 1000),
        "8 MB, 8000 boxes": markdown_document(8 * MB, 8000),
        "1 MB, unclosed opener every line": unclosed_openers_document(MB),
        "8 MB, unclosed opener every line": unclosed_openers_document(8 * MB),
    }
    try:
        for name, text in documents.items():
            runs: dict[str, list[float]] = {variant: [] for variant in variants}
            for _ in range(5):
                for variant, (module_gc, builder) in variants.items():
                    scanner.gc, scanner.new_shortcode = module_gc, builder  # type: ignore[assignment]
                    gc.collect()
                    started = time.process_time()
                    _ours_scan_only(text)
                    runs[variant].append(time.process_time() - started)
            cells = ", ".join(f"{v}: {statistics.median(r) * 1000:.1f} ms" for v, r in runs.items())
            print(f"{name}: {cells}")
    finally:
        scanner.gc, scanner.new_shortcode = collector, new_shortcode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("target", choices=["scanner", "render", "render-free-boxes", "tricks"])
    parser.add_argument("--top", type=int, default=30, help="how many functions to print")
    parser.add_argument("--pages", type=int, default=300, help="pages for the render targets")
    args = parser.parse_args(argv)
    if args.target == "tricks":
        _tricks()
        return 0
    if args.target == "scanner":
        text = markdown_document(MB, 1000)
        elapsed = _profile(lambda: _ours_scan_only(text), args.top)
        print(f"scan of {len(text) / MB:.1f} MB under the profiler: {elapsed * 1000:.1f} ms ({TAGS})")
        return 0
    work, cleanup = _render_work(args.pages, args.target == "render-free-boxes")
    try:
        elapsed = _profile(work, args.top)
    finally:
        cleanup()
    print(f"{args.target}: {elapsed / args.pages * 1000:.2f} ms per page under the profiler")
    return 0


if __name__ == "__main__":
    sys.exit(main())
