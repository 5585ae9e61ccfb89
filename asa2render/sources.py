"""What a page is: which files hold Markdown or HTML, and the YAML front matter at a page's start.

Every edge that walks a folder (the CLI, Pelican) and the engine ask this module, so they agree on
which files are pages and how a page's mode follows from its name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .shortcodes.model import Mode

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
HTML_SUFFIXES = (".html", ".htm")
PAGE_SUFFIXES = MARKDOWN_SUFFIXES + HTML_SUFFIXES

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def mode_for(path: str | Path) -> Mode:
    """Markdown for :data:`MARKDOWN_SUFFIXES`, HTML for :data:`HTML_SUFFIXES`, plain text otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "text"


def is_page(path: str | Path) -> bool:
    """Whether a file name is a Markdown or HTML page (case-insensitive suffix)."""
    return Path(path).suffix.lower() in PAGE_SUFFIXES


def read_front_matter(text: str) -> tuple[dict[str, Any], int]:
    """YAML front matter at the start of a Markdown page, and the offset where the body starts.

    Returns ``({}, 0)`` when there is none, when it is not valid YAML or not a mapping: a page
    with damaged front matter is still a page.
    """
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, 0
    try:
        data = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError:
        return {}, 0
    return (data if isinstance(data, dict) else {}), match.end()


__all__ = [
    "HTML_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "PAGE_SUFFIXES",
    "Mode",
    "is_page",
    "mode_for",
    "read_front_matter",
]
