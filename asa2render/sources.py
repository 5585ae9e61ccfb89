"""What a page is: which files hold Markdown or HTML, and the front matter at a page's start.

Every edge that walks a folder (the CLI, Pelican) and the engine ask this module, so they agree on
which files are pages and how a page's mode follows from its name.
"""

from __future__ import annotations

from pathlib import Path

# Front matter has its own module (YAML, TOML and JSON); pages read it through this one.
from .front_matter import read_front_matter
from .shortcodes.model import Mode

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
HTML_SUFFIXES = (".html", ".htm")
PAGE_SUFFIXES = MARKDOWN_SUFFIXES + HTML_SUFFIXES


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


__all__ = [
    "HTML_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "PAGE_SUFFIXES",
    "Mode",
    "is_page",
    "mode_for",
    "read_front_matter",
]
