"""``asa2render import-wordpress``: turn a WordPress export into Markdown or HTML pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import click

from ..errors import Asa2Error
from ..wordpress import HOSTS, Format, Host, Migrated, migrate, read_export
from ..wordpress.layout import slug_for
from ..wordpress.wxr import Entry
from .errors import EXIT_FAILURES, EXIT_USAGE, CliError, cli_error

_HELP = """Convert a WordPress export (WXR) to Markdown or HTML pages, keeping ASA2 shortcodes.

EXPORT is the file from WordPress's Tools → Export ("All content" or "Posts"/"Pages"). Posts
and pages become one file each under OUTPUT with front matter (title, date, slug, draft,
categories, tags) for --host. Every [asa2 …], [asa2_textlink …] and [asa2_collection …]
shortcode is kept byte for byte (shielded from the HTML-to-Markdown conversion), so
`asa2render render` expands them afterwards. Classic-editor posts get WordPress's paragraph
rules, [caption] becomes <figure>, block-editor comments are removed.

Prints one line per post: shortcodes found, kept and problems. Exit 0; 1 with --strict when a
post has a problem; 2 when the export cannot be read.
"""


@click.command("import-wordpress", help=_HELP)
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "html"]),
    default="markdown",
    show_default=True,
    help="Write Markdown (converted with markdownify) or the HTML WordPress would show.",
)
@click.option(
    "--host",
    type=click.Choice(HOSTS),
    default="plain",
    show_default=True,
    help="Site generator whose layout and front matter to write.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any post has a problem.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist in OUTPUT.")
def import_wordpress(export: Path, output: Path, fmt: str, host: str, strict: bool, force: bool) -> None:
    try:
        entries = read_export(export).entries
        chosen_format, chosen_host = cast(Format, fmt), cast(Host, host)
        results = [migrate(entry, chosen_format, chosen_host, slug) for entry, slug in _slugs(entries)]
    except Asa2Error as error:
        raise cli_error(error) from None
    clashes = [r.path for r in results if (output / r.path).exists()] if not force else []
    if clashes:
        message = f"{output / clashes[0]} exists ({len(clashes)} files would be overwritten)"
        raise CliError(f"{message}; use --force or another --output", EXIT_USAGE)
    for result in results:
        try:
            _write(output / result.path, result.text)
        except OSError as error:
            raise CliError(
                f"{output / result.path}: cannot write: {error.strerror or error}", EXIT_USAGE
            ) from None
        _report(export, result)
    _summary(results, export)
    if strict and any(r.problems for r in results):
        raise CliError("--strict: some posts have problems (listed above)", EXIT_FAILURES)


def _slugs(entries: tuple[Entry, ...]) -> list[tuple[Entry, str]]:
    """Each entry with a slug unique within its post type (a clash gets ``-<post id>``)."""
    seen: set[tuple[str, str]] = set()
    pairs = []
    for entry in entries:
        slug = slug_for(entry)
        if (entry.post_type, slug) in seen:
            slug = f"{slug}-{entry.post_id}"
        seen.add((entry.post_type, slug))
        pairs.append((entry, slug))
    return pairs


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _report(export: Path, result: Migrated) -> None:
    counts = f"{result.found} shortcodes found, {result.kept} kept, {len(result.problems)} problems"
    if result.in_attributes:
        counts += f" ({result.in_attributes} inside HTML attributes, kept as text)"
    click.echo(f"{result.path}: {counts}")
    where = f'{export}: {result.entry.post_type} {result.entry.post_id} "{result.entry.title}"'
    for problem in result.problems:
        click.echo(f"{where}: content {problem}", err=True)


def _summary(results: list[Migrated], export: Path) -> None:
    totals: dict[str, Any] = {
        "found": sum(r.found for r in results),
        "kept": sum(r.kept for r in results),
        "problems": sum(len(r.problems) for r in results),
    }
    click.echo(
        f"{len(results)} posts and pages from {export}: {totals['found']} shortcodes found, "
        f"{totals['kept']} kept, {totals['problems']} problems"
    )


__all__ = ["import_wordpress"]
