"""The content commands: ``render``, ``build``, ``check``, ``cache``, ``refresh`` and ``export-data``.

Warnings and errors go to stderr as ``path:line:column: message``; a summary of what degraded
follows. Directory runs stream: a first pass collects every product key of every file (keeping only
the keys), one batched fetch follows, then a second pass renders and writes file by file.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .. import edges
from ..config.model import Config
from ..engine import Document, Engine
from ..errors import Asa2Error, ConfigError, StrictModeError
from ..files import atomic_write
from ..geo.assets import write_assets
from ..geo.site import MISS_CODE, site_table, with_inline_table
from ..products.models import ProductKey, utc_now
from ..products.resolve import Problem
from ..render.parallel import RenderResult, ScanResult, jobs_option, run_pages
from ..sources import Mode, is_page, mode_for
from .errors import EXIT_FAILURES, EXIT_USAGE, CliError

# -- shared options -------------------------------------------------------------------------------


def config_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="asa2render.toml to use (default: found in the working directory or its parents).",
    )(func)


def engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--strict/--lenient", default=None, help="Fail on any problem instead of falling back."
    )(func)
    func = click.option(
        "--sandbox",
        metavar="URL",
        envvar=edges.SANDBOX_ENV,
        help="Send all API traffic to this sandbox base URL; 'auto' starts one in-process.",
    )(func)
    func = click.option("--offline", is_flag=True, help="Use local products and the cache only.")(func)
    return config_option(func)


def load(config_path: Path | None) -> Config:
    """Load the configuration, or fail with exit code 2 and the loader's message."""
    try:
        return edges.load(config_path)
    except ConfigError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None


@contextmanager
def open_engine(
    config_path: Path | None, *, strict: bool | None, sandbox: str | None, offline: bool
) -> Iterator[Engine]:
    """Load the configuration and open an engine on it, closed when the block ends.

    A configuration the engine cannot start with (cache folder, templates) fails with exit code 2.
    ``sandbox`` comes from ``--sandbox`` or ``ASA2RENDER_SANDBOX`` (click reads the variable).
    """
    config = load(config_path)
    try:
        engine = edges.open_engine(config, strict=strict, sandbox=sandbox, offline=offline)
    except Asa2Error as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    with engine:
        yield engine


def print_problems(problems: Iterable[Problem]) -> None:
    seen: set[str] = set()
    for problem in problems:
        line = f"{problem}" if problem.severity == "error" else f"{problem} (warning)"
        if line not in seen:
            seen.add(line)
            click.echo(line, err=True)


def print_summary(engine: Engine, shortcodes: int) -> None:
    report = engine.report
    click.echo(
        f"asa2render: {shortcodes} shortcode(s); products: {report.fresh} fresh, {report.stale} stale, "
        f"{report.fallback} fallback; {report.api_requests} API request(s), {report.token_requests} token(s)",
        err=True,
    )
    for notice in report.notices:
        click.echo(f"asa2render: {notice}", err=True)


# -- inputs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    path: Path
    relative: Path


def discover(inputs: Iterable[Path]) -> list[Source]:
    """Files named directly, plus Markdown/HTML files found recursively in directories."""
    sources: list[Source] = []
    for item in inputs:
        if item.is_dir():
            for found in sorted(p for p in item.rglob("*") if p.is_file() and is_page(p)):
                sources.append(Source(found, found.relative_to(item)))
        elif item.is_file():
            sources.append(Source(item, Path(item.name)))
        else:
            raise CliError(f"{item}: no such file or directory", EXIT_USAGE)
    return sources


def read_text(path: Path) -> str:
    # newline="" keeps \r\n intact so output differs from input only where shortcodes were replaced.
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def progress(items: list[Source], label: str) -> Iterator[Source]:
    """A progress bar on a terminal for directory runs; silent otherwise (and in --jobs workers)."""
    if len(items) < 2 or not sys.stderr.isatty() or multiprocessing.parent_process() is not None:
        yield from items
        return
    from rich.progress import track

    yield from track(items, description=label, console=_stderr_console(), transient=True)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A ``(done, total)`` callback drawing a progress bar on a terminal; None when not a TTY."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=_stderr_console(), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def collect_keys(engine: Engine, sources: list[Source]) -> tuple[list[ProductKey], int]:
    """First pass: every product key of every file (texts are not kept)."""
    keys: dict[ProductKey, None] = {}
    count = 0
    for source in progress(sources, "scanning"):
        doc = engine.prepare(read_text(source.path), mode=mode_for(source.path), path=str(source.path))
        keys.update(dict.fromkeys(doc.keys))
        count += len(doc.requests)
    return list(keys), count


# -- render ----------------------------------------------------------------------------------------


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output file (one input) or directory.")
@click.option(
    "--mode",
    type=click.Choice(["markdown", "html", "text"]),
    default=None,
    help="How to read stdin (default markdown); files use their suffix.",
)
@jobs_option
@engine_options
def render(
    inputs: tuple[Path, ...],
    output: Path | None,
    mode: str | None,
    jobs: int,
    config_path: Path | None,
    strict: bool | None,
    sandbox: str | None,
    offline: bool,
) -> None:
    """Replace shortcodes in Markdown/HTML files with product boxes (everything else unchanged).

    One file with -o FILE writes that file; several files or directories with -o DIR write a
    mirrored tree; '-' reads stdin and writes stdout.
    """
    with open_engine(config_path, strict=strict, sandbox=sandbox, offline=offline) as engine:
        if inputs == (Path("-"),):
            _render_stdin(engine, (mode or "markdown"), output)  # type: ignore[arg-type]
            return
        sources = discover(inputs)
        single = len(inputs) == 1 and inputs[0].is_file()
        if not single and output is None:
            raise CliError("several inputs or a directory need -o DIR", EXIT_USAGE)
        if jobs > 1 and not single and not engine.config.geo.enabled:
            # (the geo table needs every page's requests here: a [geo] run stays in one process)
            failed, count = _render_parallel(engine, sources, output, jobs)
        else:
            keys, count = collect_keys(engine, sources)
            engine.problems.clear()
            engine.fetch(keys)
            rendered: list[Document] = []
            failed = _render_sources(engine, sources, output, single, rendered)
            if not single and output is not None:
                _geo_assets(engine, rendered, output)
        print_problems(engine.problems)
        print_summary(engine, count)
        if failed:
            sys.exit(EXIT_FAILURES)


def _render_stdin(engine: Engine, mode: Mode, output: Path | None) -> None:
    text = sys.stdin.read()
    try:
        doc = engine.prepare(text, mode=mode, path="<stdin>")
        result = _with_geo(engine, doc, engine.render(doc))
    except StrictModeError as exc:
        print_problems(engine.problems)
        raise CliError(str(exc).splitlines()[0], EXIT_FAILURES) from None
    print_problems(engine.problems)
    if output:
        atomic_write(output, result, create_parents=True)
    else:
        sys.stdout.write(result)


def _render_sources(
    engine: Engine, sources: list[Source], output: Path | None, single: bool, rendered: list[Document]
) -> bool:
    """Render and write file by file; ``rendered`` receives each document's requests (not its text)."""
    failed = False
    for source in progress(sources, "rendering"):
        doc = engine.prepare(read_text(source.path), mode=mode_for(source.path), path=str(source.path))
        rendered.append(Document(text="", mode=doc.mode, path=doc.path, requests=doc.requests))
        failed |= _write_rendered(engine, source, doc, output, single)
    return failed


def _write_rendered(engine: Engine, source: Source, doc: Any, output: Path | None, single: bool) -> bool:
    """Render one prepared page and write it; True when strict mode refused it."""
    try:
        result = engine.render(doc)
    except StrictModeError:
        return True
    if single:
        result = _with_geo(engine, doc, result)
    if single and (output is None):
        sys.stdout.write(result)
    elif single and output is not None and not output.is_dir():
        atomic_write(output, result, create_parents=True)
    else:
        assert output is not None
        atomic_write(output / source.relative, result, create_parents=True)
    return False


def _render_parallel(
    engine: Engine, sources: list[Source], output: Path | None, jobs: int
) -> tuple[bool, int]:
    """``render --jobs N``: scan in N processes, one fetch here, render in the same N processes."""

    def fetch(keys: list[ProductKey]) -> dict[ProductKey, Any]:
        engine.fetch(keys)
        return engine.resolved

    scans, results = run_pages(
        engine.config, engine.strict, jobs, sources, _scan_sources, _render_prepared, fetch, output
    )
    for result in results:
        engine.problems.extend(result.problems)
    return any(result.failed for result in results), sum(scan.shortcodes for scan in scans)


def _scan_sources(engine: Engine, sources: list[Source]) -> tuple[ScanResult, list[tuple[Source, Any]]]:
    """A worker's first pass over its slice: the product keys, and the documents kept for the second."""
    scan = ScanResult()
    kept = []
    for source in sources:
        doc = engine.prepare(read_text(source.path), mode=mode_for(source.path), path=str(source.path))
        scan.keys.extend(dict.fromkeys(doc.keys))
        scan.shortcodes += len(doc.requests)
        kept.append((source, doc))
    return scan, kept


def _render_prepared(engine: Engine, kept: list[tuple[Source, Any]], output: Path | None) -> RenderResult:
    """A worker's second pass: each page's problems (scanning, then rendering) in page order."""
    result = RenderResult()
    for source, doc in kept:
        result.failed |= _write_rendered(engine, source, doc, output, single=False)
        result.problems.extend(doc.problems)
    return result


def _with_geo(engine: Engine, doc: Document, result: str) -> str:
    """A single page carries its geo table inline (``[geo] enabled``)."""
    table = site_table(engine, [doc])
    return with_inline_table(result, table) if table is not None else result


def _geo_assets(engine: Engine, documents: list[Document], output: Path) -> None:
    """A rendered folder gets the geo table and script once, at its top (``[geo] enabled``)."""
    table = site_table(engine, documents)
    if table is not None:
        write_assets(output, table)


# -- build -----------------------------------------------------------------------------------------


@click.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path))
@jobs_option
@engine_options
def build(
    source: Path,
    output: Path,
    jobs: int,
    config_path: Path | None,
    strict: bool | None,
    sandbox: str | None,
    offline: bool,
) -> None:
    """Build a folder of Markdown pages into standalone HTML pages with product boxes."""
    from ..render.site import build_site

    config_path = config_path or _site_config(source)
    with open_engine(config_path, strict=strict, sandbox=sandbox, offline=offline) as engine:
        try:
            pages, count = build_site(engine, source, output, jobs=jobs)
        except StrictModeError:
            print_problems(engine.problems)
            raise CliError("strict mode: the build failed (see the problems above)", EXIT_FAILURES) from None
        print_problems(engine.problems)
        print_summary(engine, count)
    index = output / "index.html"
    click.echo(f"Built {pages} page(s). Open {index.resolve() if index.exists() else output.resolve()}")


def _site_config(source: Path) -> Path | None:
    """A site folder's own asa2render.toml wins over one found from the working directory."""
    candidate = source / "asa2render.toml"
    return candidate if candidate.is_file() else None


# -- check -----------------------------------------------------------------------------------------


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@engine_options
def check(
    inputs: tuple[Path, ...],
    fmt: str,
    config_path: Path | None,
    strict: bool | None,
    sandbox: str | None,
    offline: bool,
) -> None:
    """List every shortcode with file:line:column, its marketplace and status; exit 1 on problems."""
    rows: list[dict[str, Any]] = []
    with open_engine(config_path, strict=False, sandbox=sandbox, offline=offline) as engine:
        docs = [
            engine.prepare(read_text(s.path), mode=mode_for(s.path), path=str(s.path))
            for s in discover(inputs)
        ]
        engine.fetch_documents(docs)
        site_table(engine, docs)  # [geo] enabled: products without an exact match in an offered store
        for doc in docs:
            engine.check(doc)
            rows.extend(_check_rows(engine, doc))
    errors = [r for r in rows if r["status"] == "error"]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
    else:
        for row in rows:
            problems = "; ".join([*row["problems"], *row.get("geo", [])])
            asins = ",".join(row["asins"]) or "-"
            click.echo(
                f"{row['location']}: [{row['tag']}] {row['marketplace'] or '-'} {asins} "
                f"{row['state']} {row['status']}{': ' + problems if problems else ''}"
            )
        click.echo(f"{len(rows)} shortcode(s), {len(errors)} with errors", err=True)
    if errors or (strict and any(r["problems"] for r in rows)):
        sys.exit(EXIT_FAILURES)


def _check_rows(engine: Engine, doc: Any) -> Iterator[dict[str, Any]]:
    by_location: dict[str, list[Problem]] = {}
    for problem in doc.problems:
        by_location.setdefault(str(problem.location), []).append(problem)
    for request in doc.requests:
        location = str(request.location)
        problems = by_location.pop(location, [])
        # Geo-targeting notes are a report, not a fault of the page: listed apart, never failing --strict.
        geo = [p.message for p in problems if p.code == MISS_CODE]
        problems = [p for p in problems if p.code != MISS_CODE]
        states = [engine.resolved[k].state for k in request.keys if k in engine.resolved]
        row = {
            "location": location,
            "tag": request.shortcode.tag,
            "marketplace": request.country,
            "asins": [k.asin for k in request.keys],
            "template": request.template,
            "state": max(states, key=["fresh", "stale", "fallback"].index) if states else "fallback",
            "status": "error" if any(p.severity == "error" for p in problems) else "ok",
            "problems": [p.message for p in problems],
        }
        yield row | {"geo": geo} if geo else row
    for location, problems in by_location.items():  # scanner problems with no shortcode (stray closers)
        yield {
            "location": location,
            "tag": "",
            "marketplace": None,
            "asins": [],
            "template": None,
            "state": "none",
            "status": "error" if any(p.severity == "error" for p in problems) else "ok",
            "problems": [p.message for p in problems],
        }


# -- cache -----------------------------------------------------------------------------------------


@click.command()
@click.argument("action", type=click.Choice(["stats", "clear", "prune"]))
@config_option
def cache(action: str, config_path: Path | None) -> None:
    """Show, clear or prune the product cache (the cache folder, or Redis with cache_url)."""
    from ..shared import cache_url_setting, open_backing

    config = load(config_path)
    backing = open_backing(config, cache_url_setting(config))  # errors: exit 2 (cli_error), no traceback
    store = backing.cache
    try:
        if action == "stats":
            stats = store.stats()
            click.echo(f"cache: {backing.where}")
            click.echo(f"products: {stats.products}")
            click.echo(f"remembered failures: {stats.negative}")
            click.echo(f"size {'in Redis' if backing.in_redis else 'on disk'}: {stats.bytes_on_disk} bytes")
            if stats.oldest and stats.newest:
                click.echo(f"oldest: {stats.oldest.isoformat()}  newest: {stats.newest.isoformat()}")
        elif action == "clear":
            click.echo(f"removed {store.clear()} entries")
        else:
            click.echo(f"removed {store.prune()} expired or unreadable entries")
    finally:
        backing.close()


# -- refresh ---------------------------------------------------------------------------------------


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--max-age", type=click.IntRange(min=0), default=0, help="Only products at least this old (seconds)."
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many products.")
@click.option(
    "--sandbox", metavar="URL", envvar=edges.SANDBOX_ENV, help="Sandbox base URL ('auto' starts one)."
)
@config_option
def refresh(
    inputs: tuple[Path, ...], max_age: int, limit: int | None, sandbox: str | None, config_path: Path | None
) -> None:
    """Refresh cached products (those used in INPUTS, or all cached), oldest first."""
    with open_engine(config_path, strict=False, sandbox=sandbox, offline=False) as engine:
        if inputs:
            keys, _ = collect_keys(engine, discover(inputs))
        else:
            keys = engine.cache.cached_keys()
        with progress_bar("refreshing") as advance:
            changes = engine.store.refresh(keys, max_age=max_age, limit=limit, progress=advance)
    for line in changes.lines():
        click.echo(line)
    click.echo(changes.summary(), err=True)


# -- export-data -----------------------------------------------------------------------------------


@click.command("export-data")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="json")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Data file (default stdout)."
)
@engine_options
def export_data(
    inputs: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    config_path: Path | None,
    strict: bool | None,
    sandbox: str | None,
    offline: bool,
) -> None:
    """Write one data file of resolved products (for Hugo, Jekyll or Eleventy data folders)."""
    with open_engine(config_path, strict=strict, sandbox=sandbox, offline=offline) as engine:
        keys, _ = collect_keys(engine, discover(inputs))
        engine.fetch(keys)
        data = export_payload(engine, keys)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n" if fmt == "json" else _yaml(data)
    if output:
        atomic_write(output, text, create_parents=True)
        click.echo(f"wrote {len(keys)} product(s) to {output}", err=True)
    else:
        sys.stdout.write(text)


def export_payload(engine: Engine, keys: list[ProductKey]) -> dict[str, Any]:
    """``{"generated_at": …, "products": {"de": {"B0…": {…, "state": …, "as_of": …}}}}``."""
    products: dict[str, dict[str, Any]] = {}
    for key in keys:
        item = engine.resolved[key]
        entry: dict[str, Any] = {"state": item.state, "fallback_url": engine.renderer.fallback_url(key)}
        if item.product is not None and item.state != "fallback":
            entry |= item.product.model_dump(mode="json")
            entry["as_of"] = engine.renderer.format_time(item.product.fetched_at)
        products.setdefault(key.country, {})[key.asin] = entry
    return {"generated_at": utc_now().isoformat(), "products": products}


def _yaml(data: dict[str, Any]) -> str:
    import yaml

    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


__all__ = ["build", "cache", "check", "export_data", "export_payload", "refresh", "render"]
