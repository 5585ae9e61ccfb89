"""The content commands ``render``, ``build``, ``check``, ``cache``, ``refresh`` (export-data: cli/export.py).

Warnings and errors go to stderr as ``path:line:column: message``; a summary of what degraded
follows. Directory runs stream: a first pass collects every product key of every file (keeping only
the keys), one batched fetch follows, then a second pass renders and writes file by file.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import msgspec

from .. import edges
from ..config.model import CONFIG_FILENAME, HOSTS, SECRETS_FILENAME, Config, Host, env_references
from ..engine import Document, Engine
from ..errors import Asa2Error, ConfigError, EncodingError, OutputError, StrictModeError
from ..files import atomic_write
from ..interrupts import Terminated, handle_stop_signals
from ..outputs import backup, is_inside, refuse_output_at_input, refuse_overwrite, walk_relative
from ..products.models import ProductKey
from ..products.resolve import Problem
from ..render.hosts import hugo_unsafe_warning
from ..render.jobs import jobs_option
from ..render.renderer import stylesheet as css_text
from ..segments import LARGE_PAGE
from ..sources import PAGE_SUFFIXES, Mode, is_page, mode_for
from ..textio import decode_text
from .errors import EXIT_FAILURES, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, EXIT_USAGE, CliError

if TYPE_CHECKING:
    # Imported where --jobs runs processes: a one-file render does not pay for multiprocessing's helpers.
    from ..render.parallel import RenderResult, ScanResult

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


def host_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--host",
        type=click.Choice(HOSTS),
        default=None,
        help="The generator that reads the output (default: [site] host, else plain).",
    )(func)


def load(config_path: Path | None) -> Config:
    """Load the configuration, or fail with exit code 2 and the loader's message."""
    try:
        return edges.load(config_path)
    except ConfigError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None


@contextmanager
def open_engine(
    config_path: Path | None,
    *,
    strict: bool | None,
    sandbox: str | None,
    offline: bool,
    host: Host | None = None,
) -> Iterator[Engine]:
    """Load the configuration and open an engine on it, closed when the block ends.

    A configuration the engine cannot start with (cache folder, templates) fails with exit code 2.
    ``sandbox`` comes from ``--sandbox`` or ``ASA2RENDER_SANDBOX`` (click reads the variable).
    """
    config = load(config_path)
    try:
        engine = edges.open_engine(config, strict=strict, sandbox=sandbox, offline=offline, host=host)
    except Asa2Error as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    with engine, stop_cleanly(engine):
        yield engine


@contextmanager
def stop_cleanly(engine: Engine) -> Iterator[None]:
    """Ctrl-C and SIGTERM stop a run cleanly: exit 130 / 143 and say how many products were kept.

    Every batch is cached as it arrives (see ``ProductStore``), so nothing fetched before the
    signal is lost; the request in flight is abandoned (single credential) or finished (several
    credentials fetching in parallel), and the cache is closed on the way out. A signal that arrives
    while a batch is being saved waits for it (``asa2render.interrupts``), so the count is exact.
    """
    try:
        with handle_stop_signals():
            yield
    except KeyboardInterrupt as exc:
        name, code = (
            ("SIGTERM", EXIT_TERMINATED) if isinstance(exc, Terminated) else ("SIGINT", EXIT_INTERRUPTED)
        )
        saved = engine.store.saved
        click.echo(
            f"asa2render: interrupted ({name}); {saved} product(s) fetched in this run were saved to the "
            "cache; run the command again to fetch the rest",
            err=True,
        )
        sys.exit(code)


def print_problems(problems: Iterable[Problem]) -> None:
    seen: set[str] = set()
    for problem in problems:
        line = f"{problem}" if problem.severity == "error" else f"{problem} (warning)"
        if line not in seen:
            seen.add(line)
            click.echo(line, err=True)


def report_problems(engine: Engine) -> None:
    """Every kept problem, then one line per file whose further problems were only counted."""
    print_problems([*engine.problems, *engine.hidden_problems()])


def print_summary(engine: Engine, shortcodes: int) -> None:
    report = engine.report
    searches = f", {report.searches} search(es)" if report.searches else ""
    click.echo(
        f"asa2render: {shortcodes} shortcode(s); products: {report.fresh} fresh, {report.stale} stale, "
        f"{report.fallback} fallback{searches}; {report.api_requests} API request(s), "
        f"{report.token_requests} token(s)",
        err=True,
    )
    for notice in report.notices:
        click.echo(f"asa2render: {notice}", err=True)


# -- inputs ----------------------------------------------------------------------------------------


# Version-control folders are never part of a site; everything else in a directory is mirrored.
SKIPPED_DIRECTORIES = {".git", ".hg", ".svn"}


class Source(msgspec.Struct, frozen=True):
    """A file of the inputs: the folder it was found under and its path relative to that folder.

    One string per file, the folder shared by all of them: a run over 100,000 pages keeps every
    source between its two passes, and two ``Path`` objects a file were most of its memory.
    """

    root: Path
    name: str  # relative to ``root``, with the platform's separator

    @property
    def path(self) -> Path:
        return self.root / self.name

    @property
    def relative(self) -> Path:
        return Path(self.name)

    @property
    def is_page(self) -> bool:
        """Markdown and HTML pages have their shortcodes expanded; other files are copied unchanged."""
        return is_page(self.path)


def walk(inputs: Iterable[Path], exclude: Sequence[Path] = ()) -> list[Source]:
    """Files named directly, plus every file found recursively in directories (sorted).

    Folders in ``exclude`` (the output folder) and version-control folders are never entered.
    """
    sources: list[Source] = []
    for item in inputs:
        if item.is_dir():
            for name in walk_relative(item, skip_names=SKIPPED_DIRECTORIES):
                found = item / name
                if os.path.isfile(found) and not any(is_inside(found, folder) for folder in exclude):
                    sources.append(Source(item, name))
        elif item.is_file():
            sources.append(Source(item.parent, item.name))
        else:
            raise CliError(f"{item}: no such file or directory", EXIT_USAGE)
    return sources


def discover(inputs: Iterable[Path], exclude: Sequence[Path] = ()) -> list[Source]:
    """Files named directly, plus Markdown/HTML files found recursively in directories.

    Folders in ``exclude`` (the output folder) are never walked, so a run never reads its own output.
    """
    sources: list[Source] = []
    for item in inputs:
        if item.is_dir():
            for name in walk_relative(item, PAGE_SUFFIXES, exclude):
                sources.append(Source(item, name))
        elif item.is_file():
            sources.append(Source(item.parent, item.name))
        else:
            raise CliError(f"{item}: no such file or directory", EXIT_USAGE)
    return sources


def progress(items: list[Source], label: str) -> Iterator[Source]:
    """A progress bar on a terminal for directory runs; silent otherwise (and in --jobs workers)."""
    if len(items) < 2 or not sys.stderr.isatty() or _in_worker():
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


def _in_worker() -> bool:
    """Whether this is a ``--jobs`` worker (multiprocessing is imported only when it can be one)."""
    import multiprocessing

    return multiprocessing.parent_process() is not None


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def collect_keys(engine: Engine, sources: list[Source]) -> tuple[list[ProductKey], int]:
    """First pass: every product key of every file (texts are not kept)."""
    keys: dict[ProductKey, None] = {}
    count = 0
    for source in progress(sources, "scanning"):
        text = engine.read_page(source.path)
        if text is None:
            continue  # reported; the other files go on
        for doc in engine.prepare_pieces(text, mode=mode_for(source.path), path=str(source.path)):
            keys.update(dict.fromkeys(doc.keys))
            for request in doc.requests:
                if request.search is not None or request.smart is not None:
                    # Searches run now (cached), so their products join the one batched fetch.
                    keys.update(dict.fromkeys(engine.request_keys(request)))
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
@click.option(
    "--in-place",
    is_flag=True,
    help="Rewrite the input files themselves, keeping each changed original as FILE.bak.",
)
@click.option(
    "--stylesheet",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where a directory run writes the product stylesheet (default OUT/asa2render.css).",
)
@click.option(
    "--no-stylesheet",
    is_flag=True,
    help="Do not write the product stylesheet (nor the logo files beside it).",
)
@host_option
@jobs_option
@engine_options
def render(
    inputs: tuple[Path, ...],
    output: Path | None,
    mode: str | None,
    in_place: bool,
    stylesheet: Path | None,
    no_stylesheet: bool,
    host: Host | None,
    jobs: int,
    config_path: Path | None,
    strict: bool | None,
    sandbox: str | None,
    offline: bool,
) -> None:
    """Replace shortcodes in Markdown/HTML files with product boxes (everything else unchanged).

    One file with -o FILE writes that file; several files or directories with -o DIR write a
    mirrored tree (every other file copied unchanged, plus the product stylesheet and its logo
    files); '-' reads stdin and writes stdout. An output that is an input is refused;
    an output folder inside an input folder is skipped when reading. --in-place rewrites the
    inputs and keeps each changed original as FILE.bak.
    """
    with open_engine(config_path, strict=strict, sandbox=sandbox, offline=offline, host=host) as engine:
        if inputs == (Path("-"),) and not in_place:
            _render_stdin(engine, (mode or "markdown"), output)  # type: ignore[arg-type]
            return
        if in_place and (output is not None or Path("-") in inputs):
            raise CliError("--in-place rewrites the input files: it takes neither -o nor '-'", EXIT_USAGE)
        sources = discover(inputs, exclude=[output] if output else [])
        single = len(inputs) == 1 and inputs[0].is_file()
        plan = _output_plan(inputs, sources, output, single, in_place)
        if jobs > 1 and not single and not engine.config.geo.enabled:
            # (the geo table needs every page's requests here: a [geo] run stays in one process)
            failed, count = _render_parallel(engine, sources, plan, jobs)
            rendered: list[Document] = []
        else:
            keys, count = collect_keys(engine, sources)
            engine.clear_problems()
            engine.fetch(keys)
            rendered = []  # requests only, kept when [geo] enabled
            failed = _render_sources(engine, sources, plan, single, rendered)
        if not single and output is not None:
            files = walk(inputs, exclude=[output])
            _copy_files([s for s in files if not s.is_page], output)
            if not no_stylesheet:
                from ..render.site import STYLESHEET_NAME  # (imports markdown-it: directory runs only)

                _write_stylesheet(stylesheet or output / STYLESHEET_NAME, files, output)
            _geo_assets(engine, rendered, output)
        if engine.host == "hugo" and output is not None:
            warning = hugo_unsafe_warning(output if output.is_dir() else output.parent)
            if warning:
                click.echo(f"asa2render: warning: {warning}", err=True)
        elif single and output is not None and not in_place and not failed:
            _keep_page(engine, sources[0].path, plan.target(sources[0]), config_path)
        report_problems(engine)
        print_summary(engine, count)
        if failed:
            sys.exit(EXIT_FAILURES)


def _keep_page(engine: Engine, page: Path, target: Path | None, config_path: Path | None) -> None:
    """Tell kept pages (render/kept_pages.py) what this one-file render was made from, when its
    products stay as they are for a while: the next identical run then replays it."""
    until = engine.unchanged_until()
    if until is None or target is None:
        return
    from ..render import kept_pages

    config = engine.config
    places = [config_path] if config_path is not None else _config_places(config.path)
    inputs = [str(page), *map(str, places)]
    variables: set[str] = set()
    if config.path is not None:
        for path in (config.path, config.path.with_name(SECRETS_FILENAME)):
            inputs.append(str(path))
            with suppress(OSError, UnicodeDecodeError):
                variables |= env_references(path.read_text(encoding="utf-8"))
    products = config.resolve_path(config.site.products)
    if products is not None:
        inputs.append(str(products))
    for setting in (config.site.templates, config.site.cache_dir):
        folder = config.resolve_path(setting)
        if folder is not None:
            inputs.extend(kept_pages.tree(str(folder)))
    kept_pages.note(str(target), inputs, variables, until)


def _config_places(found: Path | None) -> list[Path]:
    """Where the configuration was looked for, nearest first, up to the one found (each must keep
    holding no configuration, and the found one must stay as it is)."""
    here = Path.cwd().resolve()
    places = []
    for folder in (here, *here.parents):
        places.append(folder / CONFIG_FILENAME)
        if found is not None and places[-1] == found.resolve():
            break
    return places


def _render_stdin(engine: Engine, mode: Mode, output: Path | None) -> None:
    try:
        text = decode_text(sys.stdin.buffer.read(), "<stdin>")
    except EncodingError as exc:
        raise CliError(str(exc), EXIT_FAILURES if engine.strict else EXIT_OK) from None
    keys = [key for doc in engine.prepare_pieces(text, mode=mode, path="<stdin>") for key in doc.keys]
    engine.clear_problems()
    engine.fetch(keys)
    parts = _page_parts(engine, text, mode, "<stdin>", single=True)
    try:
        _write_result(Path("-"), output, parts, text, engine.strict)
    except StrictModeError as exc:
        report_problems(engine)
        raise CliError(str(exc).splitlines()[0], EXIT_FAILURES) from None
    report_problems(engine)


class OutputPlan(msgspec.Struct, frozen=True):
    """Where each source's result goes: a file path, or None for stdout.

    A rule, not a table: a run over 100,000 pages would otherwise hold a target path per page.
    """

    output: Path | None
    single: bool
    in_place: bool

    def target(self, source: Source) -> Path | None:
        if self.in_place:
            return source.path
        if self.output is None:
            return None
        if self.single and not self.output.is_dir():
            return self.output
        return self.output / source.name


def _output_plan(
    inputs: Sequence[Path], sources: list[Source], output: Path | None, single: bool, in_place: bool
) -> OutputPlan:
    """Decide every target before anything is read or written; refuse targets that are inputs."""
    if not in_place and not single and output is None:
        raise CliError("several inputs or a directory need -o DIR", EXIT_USAGE)
    plan = OutputPlan(output, single, in_place)
    if in_place:
        return plan
    try:
        if output is not None:
            refuse_output_at_input(inputs, output)
        pairs = ((source.path, plan.target(source)) for source in sources)
        refuse_overwrite((path, target) for path, target in pairs if target is not None)
    except OutputError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    return plan


def _write_result(
    source: Path, target: Path | None, parts: Iterator[str], original: str, strict: bool
) -> None:
    """Write a rendered page as its pieces come (a huge page is never held whole, see segments.py).

    A file is written to a temporary name and renamed at the end, so a strict failure in a later
    piece leaves no half page; stdout in strict mode waits for the whole page for the same reason.
    """
    if target is None:
        if strict:
            sys.stdout.write("".join(parts))
        else:
            for part in parts:
                sys.stdout.write(part)
    elif target == source:  # --in-place: only changed files are rewritten, each after a backup
        result = "".join(parts)
        if result != original:
            backup(source)
            atomic_write(source, result)
    else:
        atomic_write(target, parts, create_parents=True)


def _page_parts(
    engine: Engine,
    text: str,
    mode: Mode,
    path: str,
    single: bool,
    rendered: list[Document] | None = None,
) -> Iterator[str]:
    """A page rendered piece by piece; with [geo] enabled its requests are kept, and a single page
    (stdout or ``-o FILE``) is joined to carry its geo table inline."""
    geo = engine.config.geo.enabled
    kept: list[Document] = []
    parts = []
    for doc in engine.prepare_pieces(text, mode=mode, path=path):
        if geo:
            kept.append(Document(text="", mode=doc.mode, path=doc.path, requests=doc.requests))
        if geo and single:
            parts.append(engine.render(doc))
        else:
            yield engine.render(doc)
    if rendered is not None:
        rendered.extend(kept)
    if geo and single:
        yield _with_geo(engine, kept, "".join(parts))


def _render_sources(
    engine: Engine, sources: list[Source], plan: OutputPlan, single: bool, rendered: list[Document]
) -> bool:
    """Render and write file by file; ``rendered`` receives each page's requests when [geo] is on."""
    failed = False
    for source in progress(sources, "rendering"):
        text = engine.read_page(source.path)
        if text is None:
            failed = failed or engine.strict  # skipped: lenient runs go on, strict runs fail
            continue
        parts = _page_parts(engine, text, mode_for(source.path), str(source.path), single, rendered)
        try:
            _write_result(source.path, plan.target(source), parts, text, engine.strict)
        except StrictModeError:
            failed = True
    return failed


def _copy_files(files: list[Source], output: Path) -> None:
    """Mirror every file that is not a page (images of page bundles, templates, data) byte for byte."""
    for source in files:
        target = output / source.relative
        if target.exists() and target.samefile(source.path):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        import shutil  # here: only a directory run copies files, and a one-file render skips it

        shutil.copy2(source.path, target)


def _write_stylesheet(target: Path, files: list[Source], output: Path) -> None:
    """The product stylesheet and the logo files beside it (``AmazonLogo*Url``), once per run.

    A stylesheet or logo file the site already has is its own and wins.
    """
    from ..render.logos import logo_assets

    wanted = [target, *(target.parent / relative for relative in logo_assets())]
    # Only files with one of these names can be one of them: no path is made for the others.
    names = {path.name for path in wanted}
    own = {output / s.name for s in files if os.path.basename(s.name) in names}
    if target not in own:
        atomic_write(target, css_text(), create_parents=True)
    for relative, svg in logo_assets().items():
        logo = target.parent / relative
        if logo not in own:
            atomic_write(logo, svg + "\n", create_parents=True)


def _render_parallel(engine: Engine, sources: list[Source], plan: OutputPlan, jobs: int) -> tuple[bool, int]:
    """``render --jobs N``: scan in N processes, one fetch here, render in the same N processes.

    A page cut into pieces (above :data:`~asa2render.segments.LARGE_PAGE`) is not kept between the
    passes: its worker reads it again and streams it piece by piece, as one process would.
    """

    def fetch(keys: list[ProductKey]) -> dict[ProductKey, Any]:
        engine.fetch(keys)
        return engine.resolved

    from ..render.parallel import run_pages

    site = engine.config.site.model_copy(update={"host": engine.host})  # a --host override included
    config = engine.config.model_copy(update={"site": site})
    scans, results = run_pages(
        config, engine.strict, jobs, sources, _scan_sources, _render_prepared, fetch, plan, prepare=_prepare
    )
    for result in results:
        engine.problems.extend(result.problems)
        engine.merge_hidden(result.hidden)
    return any(result.failed for result in results), sum(scan.shortcodes for scan in scans)


def _scan_sources(engine: Engine, sources: list[Source]) -> tuple[ScanResult, list[tuple[Source, Any]]]:
    """A worker's first pass over its slice: the product keys, and the documents kept for the second.

    Pages that could not be read or that are cut into pieces are kept as None: read again later.
    """
    from ..render.parallel import ScanResult

    scan = ScanResult()
    kept: list[tuple[Source, Any]] = []
    for source in sources:
        text = engine.read_page(source.path)
        if text is None:
            kept.append((source, None))
            continue
        docs = engine.prepare_pieces(text, mode=mode_for(source.path), path=str(source.path))
        if len(text) > LARGE_PAGE:
            for doc in docs:
                scan.keys.extend(dict.fromkeys(doc.keys))
                scan.shortcodes += len(doc.requests)
            engine.forget_problems(str(source.path))  # the second pass records them again
            kept.append((source, None))
            continue
        for doc in docs:
            scan.keys.extend(dict.fromkeys(doc.keys))
            scan.shortcodes += len(doc.requests)
            kept.append((source, doc))
    return scan, kept


def _prepare(engine: Engine) -> None:
    """Kept boxes are read while the parent fetches (a box not kept still builds Jinja at first use)."""
    engine.renderer.read_kept_boxes()


def _render_prepared(engine: Engine, kept: list[tuple[Source, Any]], plan: OutputPlan) -> RenderResult:
    """A worker's second pass: each page's problems (scanning, then rendering) in page order."""
    from ..render.parallel import RenderResult

    result = RenderResult()
    for source, doc in kept:
        target = plan.target(source)
        if doc is None:  # unreadable, or huge: read again and streamed piece by piece
            before = len(engine.problems)
            text = engine.read_page(source.path)
            if text is None:
                result.failed = result.failed or engine.strict
            else:
                parts = _page_parts(engine, text, mode_for(source.path), str(source.path), single=False)
                try:
                    _write_result(source.path, target, parts, text, engine.strict)
                except StrictModeError:
                    result.failed = True
            result.problems.extend(engine.problems[before:])
            continue
        try:
            _write_result(source.path, target, (engine.render(d) for d in [doc]), doc.text, engine.strict)
        except StrictModeError:
            result.failed = True
        result.problems.extend(doc.problems)
    return result


def _with_geo(engine: Engine, docs: list[Document], result: str) -> str:
    """A single page carries its geo table inline (``[geo] enabled``)."""
    from ..geo.site import site_table, with_inline_table

    table = site_table(engine, docs)
    return with_inline_table(result, table) if table is not None else result


def _geo_assets(engine: Engine, documents: list[Document], output: Path) -> None:
    """A rendered folder gets the geo table and script once, at its top (``[geo] enabled``)."""
    from ..geo.assets import write_assets
    from ..geo.site import site_table

    table = site_table(engine, documents)
    if table is not None:
        write_assets(output, table)


# -- build -----------------------------------------------------------------------------------------


@click.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path))
@host_option
@jobs_option
@engine_options
def build(
    source: Path,
    output: Path,
    host: Host | None,
    jobs: int,
    config_path: Path | None,
    strict: bool | None,
    sandbox: str | None,
    offline: bool,
) -> None:
    """Build a folder of Markdown pages into standalone HTML pages with product boxes."""
    from ..render.site import build_site

    config_path = config_path or _site_config(source)
    try:
        refuse_output_at_input([source], output)
    except OutputError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    with open_engine(config_path, strict=strict, sandbox=sandbox, offline=offline, host=host) as engine:
        try:
            pages, count = build_site(engine, source, output, jobs=jobs)
        except StrictModeError:
            report_problems(engine)
            raise CliError("strict mode: the build failed (see the problems above)", EXIT_FAILURES) from None
        report_problems(engine)
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
    with open_engine(config_path, strict=False, sandbox=sandbox, offline=offline) as engine:
        sources = discover(inputs)
        engine.max_problems_per_file = None  # every row shows its own problems
        printer = _RowPrinter(fmt)
        if engine.config.geo.enabled:
            # The site-wide geo table needs every request at once, so documents are kept here.
            from ..geo.site import site_table

            docs = [doc for source in sources for doc in _check_documents(engine, source)]
            engine.fetch_documents(docs)
            site_table(engine, docs)  # products without an exact match in an offered store
            for doc in docs:
                engine.render(doc)
                for row in _check_rows(engine, doc):
                    printer.add(row)
        else:
            keys, _ = collect_keys(engine, sources)
            engine.fetch(keys)
            engine.clear_problems()
            for source in sources:
                for doc in _check_documents(engine, source):
                    engine.render(doc)  # checks availability, and finds templates that fail on real data
                    for row in _check_rows(engine, doc):
                        printer.add(row)
                    engine.clear_problems()  # rows are printed as they come: a huge page is never held
        printer.close()
    if printer.errors or (strict and printer.problems):
        sys.exit(EXIT_FAILURES)


def _check_documents(engine: Engine, source: Source) -> Iterator[Document]:
    text = engine.read_page(source.path)
    if text is None:  # one row: the file itself could not be read
        yield Document(text="", mode="text", path=str(source.path), problems=engine.problems[-1:])
        return
    yield from engine.prepare_pieces(text, mode=mode_for(source.path), path=str(source.path))


class _RowPrinter:
    """Prints ``check`` rows as they come, as text lines or as one JSON array (same as ``json.dumps``)."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.rows = self.errors = self.problems = 0

    def add(self, row: dict[str, Any]) -> None:
        self.errors += row["status"] == "error"
        self.problems += bool(row["problems"])
        if self.fmt == "json":
            item = "\n".join("  " + line for line in json.dumps(row, indent=2).splitlines())
            click.echo(("[\n" if not self.rows else ",\n") + item, nl=False)
        else:
            problems = "; ".join([*row["problems"], *row.get("geo", [])])
            asins = ",".join(row["asins"]) or "-"
            click.echo(
                f"{row['location']}: [{row['tag']}] {row['marketplace'] or '-'} {asins} "
                f"{row['state']} {row['status']}{': ' + problems if problems else ''}"
            )
        self.rows += 1

    def close(self) -> None:
        if self.fmt == "json":
            click.echo("\n]" if self.rows else "[]")
        else:
            click.echo(f"{self.rows} shortcode(s), {self.errors} with errors", err=True)


def _check_rows(engine: Engine, doc: Any) -> Iterator[dict[str, Any]]:
    from ..geo.site import MISS_CODE

    by_location: dict[str, list[Problem]] = {}
    for problem in doc.problems:
        by_location.setdefault(str(problem.location), []).append(problem)
    for request in map(engine.expand, doc.requests):
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
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the product report (as `asa2render report`) to this file: .json, .md or text.",
)
@config_option
def refresh(
    inputs: tuple[Path, ...],
    max_age: int,
    limit: int | None,
    sandbox: str | None,
    report_path: Path | None,
    config_path: Path | None,
) -> None:
    """Refresh cached and stored API products (those used in INPUTS, or all), oldest first."""
    with open_engine(config_path, strict=False, sandbox=sandbox, offline=False) as engine:
        if inputs:
            keys, _ = collect_keys(engine, discover(inputs))
            print_problems(p for p in engine.problems if p.code == "unreadable-page")
        else:
            stored = [ProductKey(p.country, p.asin) for p in engine.store.local.all() if p.source != "local"]
            keys = list(dict.fromkeys([*engine.cache.cached_keys(), *stored]))
        with progress_bar("refreshing") as advance:
            changes = engine.store.refresh(keys, max_age=max_age, limit=limit, progress=advance)
        if report_path is not None:
            from .report import write_report

            written = write_report(engine, inputs, report_path)
            click.echo(
                f"asa2render: report: {len(written.findings)} product(s) matched a rule, see {report_path}",
                err=True,
            )
    for line in changes.lines():
        click.echo(line)
    click.echo(changes.summary(), err=True)


__all__ = [
    "build",
    "cache",
    "check",
    "discover",
    "engine_options",
    "host_option",
    "refresh",
    "render",
    "walk",
]
