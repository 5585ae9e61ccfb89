"""Reproducible profiles of the hot paths behind the figures: ``python -m benchmarks.profile TARGET``.

Targets:

* ``scanner``: ``scan(..., mode="markdown")`` on the 1 MB throughput document (cold attribute cache);
* ``render``: markdown-it-py + ``asa2_plugin`` over a warm cache (the ``warm_render_overhead`` run);
* ``render-free-boxes``: the same with a renderer whose boxes cost nothing, which shows what the
  plugin machinery alone adds (compare its ms/page with ``render`` and with markdown-it alone).

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("target", choices=["scanner", "render", "render-free-boxes"])
    parser.add_argument("--top", type=int, default=30, help="how many functions to print")
    parser.add_argument("--pages", type=int, default=300, help="pages for the render targets")
    args = parser.parse_args(argv)
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
