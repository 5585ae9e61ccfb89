"""``asa2render build``: a folder of Markdown pages → standalone HTML pages, for previews and small sites.

Pages are rendered with markdown-it-py (CommonMark + tables, raw HTML allowed so product boxes pass
through). Front matter ``title`` names the page; other files are copied unchanged; the product
stylesheet is written beside the pages.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from ..engine import Document, Engine
from ..geo.assets import write_assets
from ..geo.site import add_script, script_src, site_table
from ..sources import read_front_matter
from .logos import write_logo_assets
from .renderer import stylesheet

STYLESHEET_NAME = "asa2render.css"
DISCLOSURE = "As an Amazon Associate I earn from qualifying purchases."  # English; pages use the catalogue
# The page layout is a template of the renderer's environment, so a user template of this name in
# ``[site] templates`` replaces it like any box template.
PAGE_TEMPLATE = "_page.html"


def markdown_renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def build_site(engine: Engine, source: Path, output: Path) -> tuple[int, int]:
    """Build every page; returns (pages written, shortcodes seen)."""
    pages, documents = _read_pages(engine, source, output)
    engine.fetch_documents(documents)  # one batched fetch for the whole site
    geo = site_table(engine, documents)  # None unless [geo] enabled
    md = markdown_renderer()
    layout = engine.renderer.env.get_template(PAGE_TEMPLATE)
    output.mkdir(parents=True, exist_ok=True)
    for page, doc in zip(pages, documents, strict=True):
        expanded = engine.render(doc)
        front, body_start = read_front_matter(expanded)
        target = output / page.relative_to(source).with_suffix(".html")
        css = os.path.relpath(output / STYLESHEET_NAME, target.parent)
        title = str(front.get("title") or page.stem.replace("-", " ").title())
        body = md.render(expanded[body_start:])
        target.parent.mkdir(parents=True, exist_ok=True)
        # the disclosure and the page's lang are the environment's: the site's language
        page_html = layout.render(title=title, css=css, body=Markup(body))
        if geo is not None:
            page_html = add_script(page_html, script_src(target, output))
        target.write_text(page_html + "\n", encoding="utf-8")
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
    return len(pages), sum(len(doc.requests) for doc in documents)


def _read_pages(engine: Engine, source: Path, output: Path) -> tuple[list[Path], list[Document]]:
    """Every page that can be decoded, prepared; undecodable ones are reported and skipped."""
    pages: list[Path] = []
    documents: list[Document] = []
    for page in sorted(p for p in source.rglob("*.md") if _inside_site(p, source, output)):
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
        if item.is_dir() or item.suffix in _NOT_ASSETS or any(p.startswith(".") for p in relative.parts):
            continue
        if not _inside_site(item, source, output) or any(item.is_relative_to(s) for s in skip):
            continue
        target = output / item.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(item, target)


__all__ = ["DISCLOSURE", "PAGE_TEMPLATE", "STYLESHEET_NAME", "build_site", "markdown_renderer"]
