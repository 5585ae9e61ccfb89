"""Figure family 2: what the markdown-it-py plugin adds to a warm-cache site render.

Both sides parse and render the same pages with ``MarkdownIt("commonmark")``; the measured side adds
``asa2_plugin`` over an engine whose disk cache already holds every product (warmed from the sandbox
earlier in the same run). A fresh parser and engine are made for every timed pass, so the cache is
read as a real build reads it (one batch per page, each product once).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from asa2render.engine import Engine
from asa2render.products.cache import ProductCache

from .fetching import bench_config, running_sandbox
from .measure import Figure, ratio_figure
from .sites import SiteSpec, site_pages


def warm_cache(directory: Path, spec: SiteSpec, log: Callable[[str], None] = print) -> None:
    """Fill the disk cache in ``directory`` with every product of the site, from the sandbox."""
    from asa2render.api import Fetcher, TokenStore

    config = bench_config()
    with running_sandbox(throttle_tps=None) as sandbox:
        engine = Engine(
            config,
            cache=ProductCache.on_disk(directory),
            fetcher_factory=lambda: Fetcher(config, sandbox=sandbox.url, token_store=TokenStore(None)),
        )
        with engine:
            keys = [key for _, text in site_pages(spec) for key in engine.prepare(text).keys]
            engine.fetch(keys)  # one batched fetch for the whole site, as a real build does
            report = engine.report
    log(f"  warmed the cache: {report.fresh} products, {report.api_requests} requests")


def _plain(pages: list[tuple[str, str]]) -> int:
    md = MarkdownIt("commonmark")
    return sum(len(md.render(text)) for _, text in pages)


def _with_plugin(pages: list[tuple[str, str]], cache_dir: Path) -> int:
    from asa2render.integrations.markdown_it import asa2_plugin

    config = bench_config()
    with Engine(config, offline=True, cache=ProductCache.on_disk(cache_dir)) as engine:
        md = MarkdownIt("commonmark").use(asa2_plugin, engine=engine)
        size = sum(len(md.render(text, {"asa2_path": path})) for path, text in pages)
        if engine.report.fallback or engine.report.api_requests:
            raise AssertionError(f"the cache was not warm: {engine.report}")
        return size


def _with_engine(pages: list[tuple[str, str]], cache_dir: Path) -> int:
    """The fallback while the plugin is not available: ``Engine.process`` then plain markdown-it."""
    config = bench_config()
    with Engine(config, offline=True, cache=ProductCache.on_disk(cache_dir)) as engine:
        md = MarkdownIt("commonmark")
        return sum(len(md.render(engine.process(text, path=path))) for path, text in pages)


def _plugin_available() -> bool:
    try:
        import asa2render.integrations.markdown_it  # noqa: F401
    except ImportError:
        return False
    return True


def warm_render_overhead(pages: int, repeat: int, log: Callable[[str], None] = print) -> list[Figure]:
    """markdown-it-py + asa2render plugin vs markdown-it-py alone, on ``pages`` pages of 5 boxes."""
    spec = SiteSpec(pages=pages, per_page=5, unique_asins=min(500, pages * 5))
    texts = list(site_pages(spec))
    with tempfile.TemporaryDirectory(prefix="asa2render-bench-") as temporary:
        cache_dir = Path(temporary) / "cache"
        warm_cache(cache_dir, spec, log)
        plugin = _plugin_available()
        measured_run = _with_plugin if plugin else _with_engine
        plain_runs, measured_runs = [], []
        for _ in range(repeat):  # alternate, so drifting machine load hits both sides alike
            plain_runs.append(_timed(lambda: _plain(texts)))
            measured_runs.append(_timed(lambda: measured_run(texts, cache_dir)))
        log(f"  markdown-it alone: {min(plain_runs):.3f} s; with asa2render: {min(measured_runs):.3f} s")
    how = (
        "markdown-it-py + asa2_plugin" if plugin else "Engine.process + markdown-it-py (plugin not available)"
    )
    return [
        ratio_figure(
            "warm_render_overhead",
            min(measured_runs),
            min(plain_runs),
            unit="s",
            target="<= 1.2",
            goal="max",
            limit=1.2,
            detail=f"{pages} pages x 5 boxes, {spec.page_bytes} B each, {spec.unique_asins} products; {how}",
            per_page_ms=min(measured_runs) / pages * 1000,
            plain_per_page_ms=min(plain_runs) / pages * 1000,
        )
    ]


def _timed(work: Callable[[], object]) -> float:
    import gc

    gc.collect()
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


__all__ = ["warm_cache", "warm_render_overhead"]
