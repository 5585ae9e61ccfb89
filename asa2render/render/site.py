"""``asa2render build``: a folder of Markdown pages → standalone HTML pages, for previews and small sites.

Pages are rendered with markdown-it-py (CommonMark + tables, raw HTML allowed so product boxes pass
through). Front matter ``title`` names the page; other files are copied unchanged; the product
stylesheet is written beside the pages.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markupsafe import Markup

from ..engine import Document, Engine
from ..errors import StrictModeError
from ..geo.assets import write_assets
from ..geo.site import add_script, script_src, site_table
from ..products.models import ProductKey, Resolved
from ..sources import read_front_matter
from .logos import write_logo_assets
from .renderer import stylesheet

if TYPE_CHECKING:
    from .parallel import RenderResult, ScanResult

STYLESHEET_NAME = "asa2render.css"
DISCLOSURE = "As an Amazon Associate I earn from qualifying purchases."  # English; pages use the catalogue
# The page layout is a template of the renderer's environment, so a user template of this name in
# ``[site] templates`` replaces it like any box template.
PAGE_TEMPLATE = "_page.html"


def markdown_renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def build_site(engine: Engine, source: Path, output: Path, *, jobs: int = 1) -> tuple[int, int]:
    """Build every page; returns (pages written, shortcodes seen).

    With ``jobs`` > 1 pages are scanned and rendered in that many processes around the one fetch
    (:mod:`.parallel`); the pages written are the same, byte for byte.
    """
    candidates = _site_pages(source, output)
    geo = None
    if jobs > 1 and len(candidates) > 1 and not engine.config.geo.enabled:
        # (the geo table needs every page's shortcodes in this process: a [geo] build stays single)
        written, shortcodes = _build_parallel(engine, candidates, source, output, jobs)
    else:
        pages, documents = _read_pages(engine, source, output)
        engine.fetch_documents(documents)  # one batched fetch for the whole site
        geo = site_table(engine, documents)  # None unless [geo] enabled
        write_pages(engine, list(zip(pages, documents, strict=True)), source, output, geo is not None)
        written, shortcodes = len(pages), sum(len(doc.requests) for doc in documents)
    (output / STYLESHEET_NAME).write_text(stylesheet(), encoding="utf-8")
    write_logo_assets(output)  # AmazonLogo*Url files, beside the stylesheet
    if geo is not None:
        write_assets(output, geo)
    config = engine.config
    skip = [
        p
        for p in (config.resolve_path(config.site.cache_dir), config.resolve_path(config.site.templates))
        if p
    ]
    _copy_assets(source, output, skip)
    return written, shortcodes


def _site_pages(source: Path, output: Path) -> list[Path]:
    pages: Iterable[Path] = source.rglob("*.md")
    # A page lies in the output folder only when one folder is inside the other: otherwise no page
    # needs the check (20,000 pages: 20,000 exceptions less before a --jobs run can start).
    if output.is_relative_to(source) or source.is_relative_to(output):
        pages = (p for p in pages if _inside_site(p, source, output))
    return sorted(pages)


def write_pages(
    engine: Engine, pages: list[tuple[Path, Document]], source: Path, output: Path, geo: bool = False
) -> None:
    """Render prepared pages into the layout and write them (products must be resolved).

    ``geo``: add the localiser's script tag to pages that show boxes (``[geo] enabled``).
    """
    md = markdown_renderer()
    layout = engine.renderer.env.get_template(PAGE_TEMPLATE)
    output.mkdir(parents=True, exist_ok=True)
    for page, doc in pages:
        expanded = engine.render(doc)
        front, body_start = read_front_matter(expanded)
        target = output / page.relative_to(source).with_suffix(".html")
        css = os.path.relpath(output / STYLESHEET_NAME, target.parent)
        title = str(front.get("title") or page.stem.replace("-", " ").title())
        body = md.render(expanded[body_start:])
        target.parent.mkdir(parents=True, exist_ok=True)
        # the disclosure and the page's lang are the environment's: the site's language
        page_html = layout.render(title=title, css=css, body=Markup(body))
        if geo:
            page_html = add_script(page_html, script_src(target, output))
        target.write_text(page_html + "\n", encoding="utf-8")


def _build_parallel(
    engine: Engine, pages: list[Path], source: Path, output: Path, jobs: int
) -> tuple[int, int]:
    """Scan in ``jobs`` processes, fetch once here, render in the same processes.

    As in the one-process build, every page's scanning problems come before any page's rendering
    problems, an undecodable page fails a strict build before anything is written, and strict
    mode fails the build (:class:`StrictModeError`) once the workers stopped.
    Returns (pages written, shortcodes seen).
    """
    from .parallel import run_pages

    def fetch(keys: list[ProductKey]) -> dict[ProductKey, Resolved]:
        engine.fetch(keys)
        return engine.resolved

    def after_scan(scans: list[ScanResult]) -> None:
        for scan in scans:
            engine.problems.extend(scan.problems)
        engine.enforce_strict(p for p in engine.problems if p.code == "unreadable-page")  # before writing

    site = engine.config.site.model_copy(update={"host": engine.host})  # a --host override included
    scans, results = run_pages(
        engine.config.model_copy(update={"site": site}),
        engine.strict,
        jobs,
        pages,
        _scan_pages,
        _write_part,
        fetch,
        source,
        output,
        after_scan=after_scan,
        prepare=_prepare_part,
    )
    for result in results:
        engine.problems.extend(result.problems)
        engine.merge_hidden(result.hidden)
    if any(result.failed for result in results):
        engine.enforce_strict([*engine.problems, *engine.hidden_problems()])
    return sum(scan.pages for scan in scans), sum(scan.shortcodes for scan in scans)


def _scan_pages(engine: Engine, pages: list[Path]) -> tuple[ScanResult, list[tuple[Path, Document]]]:
    from .parallel import ScanResult

    scan = ScanResult()
    kept = []
    for page in pages:
        text = engine.read_page(page)
        if text is None:
            continue  # reported (one problem); the other pages go on
        doc = engine.prepare(text, mode="markdown", path=str(page))
        scan.pages += 1
        scan.keys.extend(dict.fromkeys(doc.keys))
        scan.shortcodes += len(doc.requests)
        kept.append((page, doc))
    scan.problems = list(engine.problems)
    return scan, kept


def _prepare_part(engine: Engine) -> None:
    """What writing pages needs before any product: the layout (and the environment it builds), kept boxes.

    Both are cached where :func:`write_pages` and the renderer look them up, so the pages are the same.
    """
    engine.renderer.env.get_template(PAGE_TEMPLATE)
    engine.renderer.read_kept_boxes()


def _write_part(
    engine: Engine, kept: list[tuple[Path, Document]], source: Path, output: Path
) -> RenderResult:
    from .parallel import RenderResult

    result = RenderResult()
    try:
        write_pages(engine, kept, source, output)
    except StrictModeError:
        result.failed = True  # like the one-process build: no page after the first that fails
    result.problems = list(engine.problems)  # rendering problems only: the worker cleared the scan's
    return result


def _read_pages(engine: Engine, source: Path, output: Path) -> tuple[list[Path], list[Document]]:
    """Every page that can be decoded, prepared; undecodable ones are reported and skipped."""
    pages: list[Path] = []
    documents: list[Document] = []
    for page in _site_pages(source, output):
        text = engine.read_page(page)
        if text is not None:
            pages.append(page)
            documents.append(engine.prepare(text, mode="markdown", path=str(page)))
    engine.enforce_strict(p for p in engine.problems if p.code == "unreadable-page")  # fail before writing
    return pages, documents


def _inside_site(path: Path, source: Path, output: Path) -> bool:
    """Skip the output folder when it lies inside the source folder."""
    try:
        path.relative_to(output)
    except ValueError:
        return True
    return False


_NOT_ASSETS = {".md", ".toml"}


def _copy_assets(source: Path, output: Path, skip: list[Path]) -> None:
    """Copy images and other files; never configuration, secrets, caches, templates or hidden files."""
    for item in source.rglob("*"):
        relative = item.relative_to(source)
        # (the name first: a page needs no stat to be skipped)
        if item.suffix in _NOT_ASSETS or item.is_dir() or any(p.startswith(".") for p in relative.parts):
            continue
        if not _inside_site(item, source, output) or any(item.is_relative_to(s) for s in skip):
            continue
        target = output / item.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(item, target)


__all__ = ["DISCLOSURE", "PAGE_TEMPLATE", "STYLESHEET_NAME", "build_site", "markdown_renderer", "write_pages"]
