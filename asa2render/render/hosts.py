"""What each static site generator needs from a rendered box (``[site] host`` / ``--host``).

Three rules, applied where a shortcode is replaced in a Markdown or HTML page:

- **Inline rule (every host).** A shortcode that shares its line with other text sits inside a
  paragraph (or heading, list item, table cell), where block elements are invalid and kramdown
  escapes them into visible text. There the box keeps its markup but every block element becomes a
  ``<span data-asa2-block="div">`` (the stylesheet gives those spans their block layout back), so
  the paragraph stays valid HTML. Inline templates (``textlink``, the fallback link) are unchanged.
- **Block rule (named hosts, Markdown).** A shortcode alone on its line becomes an HTML block with a
  blank line before and after it: Goldmark, kramdown, markdown-it and Python-Markdown end an HTML
  block only at a blank line, so a box followed directly by text would swallow that text unrendered.
  Boxes are always one line, so no indentation inside them can turn into a code block.
- **Template-syntax rule (named hosts).** Hugo (``{{<``), Liquid (Jekyll, Eleventy) and Nunjucks
  (Eleventy) read the page *before* Markdown and would run product data as code: a title containing
  ``{{ 7 | times: 6 }}`` would print ``42`` and ``{% tag`` would break the build. Every ``{`` of a box
  becomes ``&#123;``, which browsers show as ``{`` and no template engine reads as syntax. Inline
  boxes in Markdown also get Markdown's punctuation as entities (``*``, ``_``, backticks, ``[``,
  ``|``, …) because Markdown parses the text between inline HTML tags.

``plain`` (the default) applies the inline rule only, so output stays byte for byte the input outside
the replaced shortcodes.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

import msgspec

from ..config.model import Host
from ..patterns import lazy

PageMode = Literal["text", "markdown", "html"]

# HTML elements that may not sit inside <p>; every one of them becomes a <span> in an inline box.
_BLOCK_NAMES = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
# Compiled where an inline box is made (patterns.py): telling a box's root apart needs only the set.
_BLOCK_TAG = lazy(rf"<(/?)({'|'.join(sorted(_BLOCK_NAMES))})(?=[\s/>])", re.IGNORECASE)
_CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|[*+-]|\d{1,9}[.)])(?=[ \t]|$)[ \t]*)*")
_NON_SPACE = re.compile(r"\S")
_TEXT_NODE = lazy(r">([^<]+)<")
# Markdown's inline punctuation (CommonMark + GFM tables/strikethrough); `&` stays: entities pass through.
_MARKDOWN_PUNCTUATION = {ord(c): f"&#{ord(c)};" for c in "\\`*_[]~|!"}
_TEMPLATE_SYNTAX = {ord("{"): "&#123;", ord("}"): "&#125;"}


class Placement(msgspec.Struct, frozen=True):
    """Where a shortcode sits in its page, as far as the markup that replaces it is concerned."""

    inline: bool
    blank_before: bool
    blank_after: bool
    indent: str = ""


def placement(
    text: str, start: int, end: int, *, markdown: bool = True, unwrapped: bool = False
) -> Placement:
    """Whether ``text[start:end]`` shares its line with other text, and whether blank lines surround it.

    In Markdown, list markers and ``>`` before the shortcode are containers, not text: a box may be
    a list item's or a block quote's block. ``unwrapped`` says the scanner already replaced a
    surrounding ``<p>…</p>`` (HTML mode), so the box is a block.
    """
    # Searches with bounds instead of slices: a minified page is one long line with many shortcodes.
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    lead = _CONTAINER_PREFIX.match(text, line_start, start).end() if markdown else line_start  # type: ignore[union-attr]
    inline = not unwrapped and (_has_text(text, lead, start) or _has_text(text, end, line_end))
    if inline:
        return Placement(inline=True, blank_before=True, blank_after=True)
    indent = text[line_start:start]
    if _has_text(text, line_start, lead):
        # In a list item or block quote the container ends the HTML block with itself; blank lines
        # would split the container instead.
        return Placement(inline=False, blank_before=True, blank_after=True, indent=indent)
    previous_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    blank_before = line_start == 0 or not _has_text(text, previous_start, line_start - 1)
    next_end = text.find("\n", line_end + 1)
    next_end = len(text) if next_end < 0 else next_end
    blank_after = line_end >= len(text) or not _has_text(text, line_end + 1, next_end)
    return Placement(inline=False, blank_before=blank_before, blank_after=blank_after, indent=indent)


def _has_text(text: str, start: int, end: int) -> bool:
    return start < end and _NON_SPACE.search(text, start, end) is not None


def is_block_markup(markup: str) -> bool:
    """True when the markup's root element is a block element (a box, not a text link)."""
    match = re.match(r"\s*<([A-Za-z][A-Za-z0-9]*)", markup)
    return bool(match and match.group(1).lower() in _BLOCK_NAMES)


def inline_markup(markup: str) -> str:
    """The same box with every block element turned into a ``<span data-asa2-block="tag">``."""

    def to_span(match: re.Match[str]) -> str:
        closing, tag = match.group(1), match.group(2).lower()
        return "</span" if closing else f'<span data-asa2-block="{tag}"'

    return _BLOCK_TAG().sub(to_span, markup)


def escape_template_syntax(markup: str) -> str:
    """``{`` and ``}`` as character references: no Hugo, Liquid or Nunjucks tag can start in product data."""
    return markup.translate(_TEMPLATE_SYNTAX)


def escape_markdown_text(markup: str) -> str:
    """Markdown punctuation in the text between tags as character references (attributes untouched)."""
    return _TEXT_NODE().sub(lambda m: ">" + m.group(1).translate(_MARKDOWN_PUNCTUATION) + "<", markup)


def adapt(markup: str, *, host: Host, mode: PageMode, where: Placement, spacing: bool = True) -> str:
    """The markup that replaces one shortcode in a page read by ``host``.

    Args:
        markup: the rendered box (one line of HTML).
        host: the generator reading the page (``plain`` for none).
        mode: how the page is read: ``markdown``, ``html`` or ``text`` (text is left alone).
        where: the shortcode's :func:`placement` in the page.
        spacing: add the block rule's blank lines (off when an integration stashes the markup).
    """
    if mode == "text":
        return markup
    block = is_block_markup(markup)
    if where.inline and block:
        markup = inline_markup(markup)
    if host == "plain":
        return markup
    markup = escape_template_syntax(markup)
    if mode != "markdown":
        return markup
    if where.inline:
        return escape_markdown_text(markup)
    if block:
        # The blank line goes before the line's own indentation, which is repeated, so a box in a
        # list item stays in that list item.
        markup = (
            ("" if where.blank_before else "\n" + where.indent) + markup + ("" if where.blank_after else "\n")
        )
    return markup


HUGO_CONFIG_NAMES = tuple(
    f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json")
)


def hugo_unsafe_warning(start: Path) -> str | None:
    """Why Hugo would drop the boxes of pages written under ``start``, or None.

    Goldmark replaces raw HTML with ``<!-- raw HTML omitted -->`` unless
    ``markup.goldmark.renderer.unsafe`` is true, and Hugo builds anyway: the boxes vanish silently.
    The site's configuration is looked for in ``start`` and its parents; none found means nothing to say.
    """
    for directory in [start, *start.resolve().parents]:
        for name in HUGO_CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                unsafe = _dig(_load_site_config(candidate), "markup", "goldmark", "renderer", "unsafe")
                if unsafe is True:
                    return None
                return (
                    f"{candidate}: Hugo drops raw HTML, so every box would become <!-- raw HTML omitted -->; "
                    "set [markup.goldmark.renderer] unsafe = true"
                )
    return None


def _load_site_config(path: Path) -> Any:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        if path.suffix == ".toml":
            return tomllib.loads(text)
        if path.suffix == ".json":
            return json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError):
        return None
    import yaml  # only a YAML site configuration needs the YAML parser (a costly import)

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


__all__ = [
    "Placement",
    "adapt",
    "escape_markdown_text",
    "escape_template_syntax",
    "hugo_unsafe_warning",
    "inline_markup",
    "is_block_markup",
    "placement",
]
