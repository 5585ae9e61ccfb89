"""Geo-targeting for a whole site, as ``build``, ``render`` and the MkDocs/Pelican plugins use it.

:func:`site_table` builds the table once the site's products are fetched and reports every product
without an exact match in an offered store as a warning at its first shortcode (``check`` and the
build summary list them). :func:`add_script` puts the one ``<script>`` tag into a page with boxes, and
:func:`add_scripts` does it for every HTML file of an output folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Location
from ..products.resolve import Problem
from .assets import BODY_END, SCRIPT_NAME, has_boxes, inject, inline_table, script_tag
from .table import GeoTable, build_table

if TYPE_CHECKING:
    from ..engine import Document, Engine

MISS_CODE = "geo-no-exact-match"


def site_table(engine: Engine, documents: Iterable[Document]) -> GeoTable | None:
    """The site's table when ``[geo] enabled``, else None; misses become warnings on the documents."""
    if not engine.config.geo.enabled:
        return None
    docs = list(documents)
    table = build_table(engine, [request for doc in docs for request in doc.requests])
    report_misses(engine, docs, table)
    return table


def report_misses(engine: Engine, documents: list[Document], table: GeoTable) -> None:
    """One warning per (product, store) without an exact match, at the product's first shortcode."""
    first: dict[str, tuple[Document, Location]] = {}
    for doc in documents:
        for request in doc.requests:
            for key in request.keys:
                first.setdefault(key.asin, (doc, request.location))
    for miss in table.misses:
        found = first.get(miss.asin)
        location = found[1] if found else Location(None, 0, 0)
        problem = Problem(location, MISS_CODE, f"geo: {miss}", "warning")
        if found is not None:
            found[0].problems.append(problem)
        engine.problems.append(problem)


def with_inline_table(text: str, table: GeoTable) -> str:
    """A single page with its table inside: before ``</body>`` in a full HTML page, else at the end.

    At the end of Markdown the element stands after a blank line, so it is a raw HTML block that
    Markdown passes through unchanged.
    """
    snippet = inline_table(table)
    if BODY_END.search(text):
        return inject(text, snippet)
    return text.rstrip("\n") + "\n\n" + snippet + "\n"


def script_src(page: Path, root: Path) -> str:
    """The script's URL relative to a page written at ``page`` inside the output folder ``root``."""
    return Path(os.path.relpath(root / SCRIPT_NAME, page.parent)).as_posix()


def add_script(html: str, src: str) -> str:
    """The page with the localiser's ``<script>`` tag, when it shows boxes and has no tag yet."""
    if not has_boxes(html) or f"/{SCRIPT_NAME}" in html or f'"{SCRIPT_NAME}"' in html:
        return html
    return inject(html, script_tag(src))


def add_scripts(root: Path) -> int:
    """Add the tag to every HTML page with boxes under ``root``; returns how many pages got it."""
    changed = 0
    for page in sorted(root.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        tagged = add_script(html, script_src(page, root))
        if tagged != html:
            page.write_text(tagged, encoding="utf-8")
            changed += 1
    return changed


__all__ = [
    "MISS_CODE",
    "add_script",
    "add_scripts",
    "report_misses",
    "script_src",
    "site_table",
    "with_inline_table",
]
