"""Reproducible profiles of the hot paths behind the figures: ``python -m benchmarks.profile TARGET``.

Targets:

* ``scanner``: ``scan(..., mode="markdown")`` on the 1 MB throughput document (cold attribute cache);
* ``render``: markdown-it-py + ``asa2_plugin`` over a warm cache (the ``warm_render_overhead`` run);
* ``render-free-boxes``: the same with a renderer whose boxes cost nothing, which shows what the
  plugin machinery alone adds (compare its ms/page with ``render`` and with markdown-it alone);
* ``mkdocs`` / ``pelican``: one in-process build of the ``*_build_overhead`` site (``--pages``, 500 by
  default for these) with the plugin, over a warm cache; prints the CPU seconds of each plugin hook
  and of the engine's steps, then cProfile's asa2render functions;
* ``startup``: the one-shortcode ``asa2render render`` of ``startup_render_one_vs_python``, under
  ``python -X importtime`` (import milliseconds by package, the fastest of five runs) and cProfile:
  the unchanged page, replayed from its kept record after the first run; ``startup-edited``: the same
  with the page's text changed before every run (the full render of ``startup_render_edited_vs_python``);
* ``linearity``: no profiler, no timing; instructions per MB of the scanner at 8 MB over 1 MB, counted
  by callgrind for the three inputs of ``scanner_linearity`` (load-independent: a ratio above 1 is
  the code's own non-linearity, not the machine's). Needs valgrind; takes several minutes;
* ``jobs``: no profiler, no timing; instructions of ``asa2render build --jobs 1`` and ``--jobs 2`` on a
  warm cache (``--pages``, 500 by default), counted by callgrind in every process
  (``--trace-children=yes --dump-before=_Fork``: a forked worker's count then starts at the fork
  instead of repeating its parent's), per process and in total (load-independent: what ``--jobs 2``
  does beyond ``--jobs 1``'s work). Needs valgrind; takes several minutes;
* ``render-instructions``: no profiler, no timing; instructions of one warm build of each side of
  ``warm_render_overhead`` (markdown-it-py + ``asa2_plugin``, markdown-it-py alone, the same pages),
  counted by callgrind: each side runs in its own process after the same set-up (imports, one untimed
  plugin build that fills the kept boxes), and a process that stops after the set-up is subtracted.
  Load-independent, so A/B comparisons hold on a busy machine. Needs valgrind; takes minutes;
* ``pymd-instructions``: the same for ``python_markdown_overhead`` (Python-Markdown + ``Asa2Extension``,
  Python-Markdown alone);
* ``pelican-instructions``: no profiler, no timing; instructions of one warm ``pelican_build_overhead``
  build with the plugin and one without (``--pages``, 100 by default), each after an untimed build,
  counted by callgrind. Needs valgrind; takes minutes;
* ``tricks``: no profiler; CPU time of the scanner with and without its two speed tricks (the
  paused garbage collector in ``scan`` and the slot-twin builder ``new_shortcode``), median of 5
  interleaved runs on the benchmark documents, 1 MB and 8 MB.

Prints cProfile's top functions by cumulative time (``--top N``), then ms per page where it applies.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from asa2render.engine import Engine
from asa2render.products.cache import ProductCache
from asa2render.products.models import ProductKey, Resolved
from asa2render.products.resolve import TAGS, ProductRequest
from asa2render.render.renderer import Renderer

from .fetching import bench_config
from .measure import child_env
from .rendering import warm_cache
from .scanner import MB, _ours_scan_only
from .sites import SiteSpec, markdown_document, site_pages, write_config


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


class _Clock:
    """CPU seconds spent in chosen methods (wrapped in place), for the per-hook table."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.process_time() - started

        setattr(owner, name, timed)

    def print(self) -> None:
        for label, seconds in sorted(self.seconds.items(), key=lambda item: -item[1]):
            print(f"  {label:<40} {seconds:7.3f} s CPU")


def _host_build(target: str, pages: int, top: int) -> None:
    """One build with the plugin, in this process: hook and engine CPU times, then cProfile."""
    from asa2render import engine
    from asa2render.render import renderer

    from . import hosts
    from .sites import write_config

    clock = _Clock()
    with tempfile.TemporaryDirectory(prefix="asa2render-profile-") as temporary:
        root = Path(temporary)
        write_config(root)
        warm_cache(root / ".asa2render-cache", hosts.site_spec(pages))
        clock.wrap(engine.Engine, "prepare", "Engine.prepare (scan, resolve)")
        clock.wrap(engine.Engine, "render", "Engine.render (splice, boxes; fetch of nothing)")
        clock.wrap(renderer.Renderer, "_render_items", "Renderer._render_items (Jinja, distinct boxes)")
        clock.wrap(engine.Engine, "fetch", "Engine.fetch (warm cache)")
        started = time.process_time()
        if target == "mkdocs":
            from mkdocs.commands.build import build
            from mkdocs.config import load_config

            from asa2render.integrations import mkdocs as plugin

            for hook in ("on_config", "on_files", "on_page_markdown", "on_env", "on_post_page"):
                clock.wrap(plugin.Asa2Plugin, hook, f"Asa2Plugin.{hook}")
            hosts.write_mkdocs_site(root, pages)
            config = load_config(str(root / "with.yml"))
            work: Callable[[], object] = lambda: build(config)  # noqa: E731
        else:
            from pelican import Pelican
            from pelican.settings import read_settings

            from asa2render.integrations import markdown, pelican

            clock.wrap(pelican, "initialized", "pelican.initialized (prefetch)")
            clock.wrap(
                markdown.ShortcodeInlineProcessor, "handleMatch", "ShortcodeInlineProcessor.handleMatch"
            )
            clock.wrap(markdown._Boxes, "run", "markdown._Boxes.run (resolve, boxes)")
            hosts.write_pelican_site(root, pages)
            settings = read_settings(str(root / "with.py"), override={"PATH": str(root / "content")})
            settings["OUTPUT_PATH"] = str(root / "output-with")
            work = lambda: Pelican(settings).run()  # noqa: E731
        profiler = cProfile.Profile()
        profiler.enable()
        work()
        profiler.disable()
        elapsed = time.process_time() - started
    print(f"{target} build of {pages} pages with the plugin: {elapsed:.2f} s CPU under the profiler")
    clock.print()
    stats = pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative")
    stats.print_stats("asa2render", top)


def _startup(top: int, *, edited: bool = False) -> None:
    """Import time by package (best of five) and a cProfile of the one-shortcode render; ``edited``:
    the page's text changes before every run, so it is rendered in full each time."""
    from .startup import prepared_render

    with tempfile.TemporaryDirectory(prefix="asa2render-profile-") as temporary:
        command = prepared_render(Path(temporary))
        page = Path(temporary) / "page.md"
        text = page.read_text(encoding="utf-8")
        runs = iter(range(1, 100))
        edit = (
            (lambda: page.write_text(f"{text}\nEdit {next(runs)}.\n", encoding="utf-8")) if edited else None
        )
        subprocess.run(command, capture_output=True, check=True, env=child_env())  # keeps the page
        best: dict[str, int] = {}
        for _ in range(5):
            if edit:
                edit()
            done = subprocess.run(
                [sys.executable, "-X", "importtime", *command],
                capture_output=True,
                text=True,
                check=True,
                env=child_env(),
            )
            for line in done.stderr.splitlines():
                parts = line.removeprefix("import time:").split("|")
                if len(parts) == 3 and parts[0].strip().isdigit():
                    module = parts[2].strip()
                    best[module] = min(best.get(module, 10**12), int(parts[0]))
        packages: dict[str, int] = {}
        for module, microseconds in best.items():
            top_level = module.split(".")[0]
            name = ".".join(module.split(".")[:2]) if top_level == "asa2render" else top_level
            packages[name] = packages.get(name, 0) + microseconds
        print(f"imports: {sum(best.values()) / 1000:.0f} ms (self times, fastest of five runs), by package:")
        for name, microseconds in sorted(packages.items(), key=lambda item: -item[1])[:top]:
            print(f"  {name:<40} {microseconds / 1000:6.1f} ms")
        if edit:
            edit()
        profiled = subprocess.run(
            [sys.executable, "-m", "cProfile", "-s", "cumulative", *command],
            capture_output=True,
            text=True,
            check=True,
            env=child_env(),
        )
        print("\n".join(profiled.stdout.splitlines()[: top + 10]))


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


def _render_side(pages: int, side: str, cache: Path, family: str = "markdown-it") -> None:
    """The child of ``render-instructions`` / ``pymd-instructions``: set-up, then one build of ``side``
    (``none``: stop there)."""
    from .rendering import _plain, _python_markdown_extension, _python_markdown_plain, _with_plugin

    spec = SiteSpec(pages=pages, per_page=5, unique_asins=min(500, pages * 5))
    texts = list(site_pages(spec))
    measured, plain = (
        (_with_plugin, _plain)
        if family == "markdown-it"
        else (_python_markdown_extension, _python_markdown_plain)
    )
    measured(texts, cache)  # imports, templates, the kept boxes: the same in every child
    plain(texts[:1])
    if side == "plugin":
        measured(texts, cache)
    elif side == "plain":
        plain(texts)


def _render_instructions(pages: int, family: str = "markdown-it") -> None:
    """Instructions of one warm build per side (callgrind), and their ratio (``family``: markdown-it or
    pymd, the ``warm_render_overhead`` or ``python_markdown_overhead`` pair)."""
    import os
    import re

    spec = SiteSpec(pages=pages, per_page=5, unique_asins=min(500, pages * 5))
    with tempfile.TemporaryDirectory(prefix="asa2render-profile-") as temporary:
        cache = Path(temporary) / "cache"
        warm_cache(cache, spec)
        env = {**child_env(), "PYTHONHASHSEED": "0"}  # the same hashes, so the same work, in every child
        child = [sys.executable, "-m", "benchmarks.profile", "render-side", "--pages", str(pages)]
        child += ["--cache", str(cache), "--family", family]
        # Once outside callgrind: bytecode and kept boxes are then written before any count starts.
        subprocess.run([*child, "--side", "none"], check=True, env=env)
        totals: dict[str, int] = {}
        for side in ("none", "plugin", "plain"):
            done = subprocess.run(
                [
                    "valgrind",
                    "--tool=callgrind",
                    f"--callgrind-out-file={os.devnull}",
                    *child,
                    "--side",
                    side,
                ],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            found = re.search(r"Collected : (\d+)", done.stderr)
            if found is None:
                raise RuntimeError(f"callgrind printed no total:\n{done.stderr}")
            totals[side] = int(found.group(1))
    plugin, plain = totals["plugin"] - totals["none"], totals["plain"] - totals["none"]
    alone = "markdown-it" if family == "markdown-it" else "Python-Markdown"
    print(f"{pages} pages: plugin side {plugin / 1e6:.1f} M, {alone} alone {plain / 1e6:.1f} M")
    print(
        f"instruction ratio {plugin / plain:.4f}, plugin's extra per page {(plugin - plain) / pages / 1e3:.0f} k"
    )


def _pelican_instructions(pages: int) -> None:
    """Instructions of one warm Pelican build with the plugin and one without (callgrind), and their ratio."""
    import os
    import re

    from . import hosts

    with tempfile.TemporaryDirectory(prefix="asa2render-profile-pelican-") as temporary:
        root = Path(temporary)
        write_config(root)
        warm_cache(root / ".asa2render-cache", hosts.site_spec(pages))
        builds = dict(zip(("plugin", "plain"), hosts.write_pelican_site(root, pages), strict=True))
        env = {**child_env(), "PYTHONHASHSEED": "0"}
        totals: dict[str, int] = {}
        for side, build in builds.items():
            # Once outside callgrind, as the figure's untimed build: bytecode and the kept boxes written.
            subprocess.run(build.command, cwd=build.cwd, check=True, env=env, capture_output=True)
            tool = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={os.devnull}"]
            done = subprocess.run(
                [*tool, *build.command], cwd=build.cwd, capture_output=True, text=True, check=True, env=env
            )
            found = re.search(r"Collected : (\d+)", done.stderr)
            if found is None:
                raise RuntimeError(f"callgrind printed no total:\n{done.stderr}")
            totals[side] = int(found.group(1))
    plugin, plain = totals["plugin"], totals["plain"]
    print(f"{pages} articles: with the plugin {plugin / 1e6:.1f} M, without {plain / 1e6:.1f} M")
    print(f"instruction ratio {plugin / plain:.4f}, the plugin's share {(plugin - plain) / 1e6:.1f} M")


def _linearity_inputs() -> list[str]:
    from .scanner import ScannerSizes, _linearity_variants

    return list(_linearity_variants(ScannerSizes()))


def _jobs_instructions(pages: int) -> None:
    """Callgrind over a warm ``build --jobs 1`` and ``--jobs 2``: instructions per process and in total."""
    from .sites import write_config, write_site

    with tempfile.TemporaryDirectory(prefix="asa2render-profile-jobs-") as temporary:
        root = Path(temporary)
        config = write_config(root)
        write_site(root / "site", SiteSpec(pages=pages, unique_asins=500))
        warm_cache(root / ".asa2render-cache", SiteSpec(pages=100, unique_asins=500), print)

        def build(jobs: int, *wrapper: str) -> None:
            command = [
                sys.executable,
                "-m",
                "asa2render",
                "build",
                str(root / "site"),
                "-o",
                str(root / "out"),
            ]
            options = ["--offline", "--config", str(config), "--jobs", str(jobs)]
            subprocess.run([*wrapper, *command, *options], check=True, capture_output=True, env=child_env())

        build(1)  # keeps the boxes, as the benchmark's warm builds find them
        totals: dict[int, int] = {}
        for jobs in (1, 2):
            out = root / f"callgrind-{jobs}"
            out.mkdir()
            tool = ["valgrind", "--tool=callgrind", "--trace-children=yes", "--dump-before=_Fork", "-q"]
            build(jobs, *tool, f"--callgrind-out-file={out}/cg.%p")
            counts = {path.name: _summary(path) for path in sorted(out.iterdir())}
            totals[jobs] = sum(counts.values())
            parts = ", ".join(f"{name} {count / 1e6:.1f} M" for name, count in counts.items())
            print(f"--jobs {jobs}: {totals[jobs] / 1e6:.1f} M instructions ({parts})")
        print(f"--jobs 2 / --jobs 1: {totals[2] / totals[1]:.3f} of the instructions ({pages} pages)")


def _summary(path: Path) -> int:
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("summary:"):
            return int(line.split()[1])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument(
        "target",
        choices=[
            "scanner",
            "render",
            "render-free-boxes",
            "render-instructions",
            "render-side",
            "pymd-instructions",
            "pelican-instructions",
            "tricks",
            "linearity",
            "jobs",
            "mkdocs",
            "pelican",
            "startup",
            "startup-edited",
        ],
    )
    parser.add_argument("--top", type=int, default=30, help="how many functions to print")
    parser.add_argument("--pages", type=int, default=None, help="pages for the render and build targets")
    parser.add_argument("--side", choices=["plugin", "plain", "none"], help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--family", choices=["markdown-it", "pymd"], default="markdown-it", help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.target == "render-side":  # the child process of render-instructions
        _render_side(args.pages, args.side, args.cache, args.family)
        return 0
    if args.target in ("render-instructions", "pymd-instructions"):
        _render_instructions(
            args.pages or 200, "markdown-it" if args.target == "render-instructions" else "pymd"
        )
        return 0
    if args.target == "pelican-instructions":
        _pelican_instructions(args.pages or 100)
        return 0
    if args.target == "tricks":
        _tricks()
        return 0
    if args.target == "linearity":
        from .run import FULL
        from .scanner import instruction_linearity

        instruction_linearity(FULL.scanner, tuple(_linearity_inputs()))
        return 0
    if args.target == "jobs":
        _jobs_instructions(args.pages or 500)
        return 0
    if args.target in ("mkdocs", "pelican"):
        _host_build(args.target, args.pages or 500, args.top)
        return 0
    if args.target in ("startup", "startup-edited"):
        _startup(args.top, edited=args.target == "startup-edited")
        return 0
    args.pages = args.pages or 300
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
