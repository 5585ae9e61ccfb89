"""``asa2render report``: which products need attention, per rule and page (ASA2's notifications, for CI).

``refresh --report FILE`` writes the same report after refreshing.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..engine import Document, Engine
from ..files import atomic_write
from ..products.models import ProductKey, utc_now
from ..products.report import ProductReport, build_report, load_prices, report_rules, save_prices, state_path
from ..sources import mode_for
from .content import discover, engine_options, open_engine
from .errors import EXIT_FAILURES, EXIT_USAGE, CliError
from .output import emit

FORMATS = ("text", "json", "markdown")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    metavar="RULE",
    help="Exit 1 when this rule matches any product (repeatable; 'any' for every rule).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default stdout)."
)
@engine_options
def report(
    paths: tuple[Path, ...],
    fmt: str,
    fail_on: tuple[str, ...],
    output: Path | None,
    config_path: Path | None,
    strict: bool | None,
    sandbox: str | None,
    offline: bool,
) -> None:
    """Report products used in PATHS (or every stored and cached product) that match a rule."""
    with open_engine(config_path, strict=False, sandbox=sandbox, offline=offline) as engine:
        wanted = _fail_rules(engine, fail_on)
        result = make_report(engine, paths)
    text = result.render(fmt)
    emit(text, output, done=f"wrote the report to {output}")
    failing = [(rule, len(result.matches(rule))) for rule in wanted if result.matches(rule)]
    if failing:
        summary = ", ".join(f"{rule} ({count} product{'s' if count != 1 else ''})" for rule, count in failing)
        raise CliError(f"rules matched: {summary}", EXIT_FAILURES)


def _fail_rules(engine: Engine, names: tuple[str, ...]) -> list[str]:
    known = [rule.name for rule in report_rules(engine.config)]
    if "any" in names:
        return known
    unknown = [name for name in names if name not in known]
    if unknown:
        raise CliError(
            f"unknown rule {', '.join(unknown)} for --fail-on; rules: {', '.join(known)}", EXIT_USAGE
        )
    return list(names)


def make_report(engine: Engine, paths: tuple[Path, ...] | list[Path]) -> ProductReport:
    """Resolve what PATHS use (or the whole store and cache), evaluate the rules, remember the prices."""
    usage: dict[ProductKey, list[str]] = {}
    if paths:
        documents: list[Document] = []
        for source in discover(paths):
            text = engine.read_page(source.path)
            if text is None:
                continue  # an undecodable page: recorded on the engine, the others go on
            documents.extend(engine.prepare_pieces(text, mode=mode_for(source.path), path=str(source.path)))
        engine.fetch_documents(documents)
        for document in documents:
            for request in document.requests:
                for key in engine.expand(request).keys:
                    usage.setdefault(key, []).append(str(request.location))
        keys = list(usage)
    else:
        stored = [ProductKey(p.country, p.asin) for p in engine.store.local.all()]
        keys = list(dict.fromkeys([*stored, *engine.cache.cached_keys()]))
    engine.fetch(keys)
    resolved = {key: engine.resolved[key] for key in keys if key in engine.resolved}
    path = state_path(engine.config)
    now = utc_now()
    result = build_report(engine.config, resolved, usage, load_prices(path), now)
    try:
        save_prices(path, resolved, now)
    except OSError as exc:  # the report itself is still right; only the next comparison suffers
        click.echo(f"asa2render: cannot remember prices in {path}: {exc.strerror}", err=True)
    return result


def write_report(engine: Engine, paths: tuple[Path, ...], output: Path) -> ProductReport:
    """``refresh --report FILE``: the report in the format the file's suffix names (.json, .md, else text)."""
    fmt = {".json": "json", ".md": "markdown", ".markdown": "markdown"}.get(output.suffix.lower(), "text")
    result = make_report(engine, paths)
    try:
        atomic_write(output, result.render(fmt), create_parents=True)
    except OSError as exc:
        raise CliError(f"{output}: cannot write the report: {exc.strerror}", EXIT_USAGE) from None
    return result


__all__ = ["make_report", "report", "write_report"]
