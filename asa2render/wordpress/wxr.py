"""Reading a WordPress export (WXR, "WordPress eXtended RSS") into plain entries.

A WXR file is RSS 2.0 with WordPress's own namespaces: one ``<item>`` per post, page, attachment or
menu item; ``content:encoded`` holds the post body exactly as stored in the database (classic-editor
text without ``<p>`` tags, or Gutenberg block markup). Only posts and pages are migrated.

The file comes from outside, so it is parsed with ``defusedxml``: no DTDs, no entity expansion,
no external resources (XXE and "billion laughs" are refused instead of followed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from ..errors import IntegrationMissingError, WordPressExportError

_WP_NAMESPACE = re.compile(r"^http://wordpress\.org/export/\d+\.\d+/$")
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_EXCERPT = "{http://wordpress.org/export/1.2/excerpt/}encoded"
MIGRATED_TYPES = frozenset({"post", "page"})
_NO_DATE = "0000-00-00 00:00:00"
# Dates end up in file names (Jekyll's _posts/<date>-<slug>); anything else is treated as no date.
_DATE = re.compile(r"[12]\d{3}-[01]\d-[0-3]\d [0-2]\d:[0-5]\d:[0-6]\d")


@dataclass(frozen=True, slots=True)
class Entry:
    """One post or page of the export, with the fields that become front matter.

    Attributes:
        post_id: WordPress's ``post_id``.
        post_type: ``post`` or ``page``.
        title: The title as text (entities already decoded by the XML parser).
        slug: ``post_name``; empty for drafts that were never published.
        status: ``publish``, ``draft``, ``pending``, ``private``, ``future`` …
        date: ``YYYY-MM-DD HH:MM:SS``; UTC when ``date_is_utc``, else the site's local time.
        categories: Category names, in export order.
        tags: Tag names, in export order.
        content: The stored post body (``content:encoded``).
        excerpt: The hand-written excerpt, if any.
        link: The public permalink at export time.
    """

    post_id: str
    post_type: str
    title: str
    slug: str
    status: str
    date: str
    date_is_utc: bool
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    content: str
    excerpt: str
    link: str


@dataclass(frozen=True, slots=True)
class Export:
    """The site title and the posts and pages of one WXR file (other item types are counted)."""

    site_title: str
    entries: tuple[Entry, ...]
    skipped: int


def read_export(path: Path) -> Export:
    """Parse the WXR file at ``path``.

    Raises:
        WordPressExportError: the file is unreadable, not well-formed XML, uses DTDs or entities,
            or is not a WordPress export.
        IntegrationMissingError: ``defusedxml`` is not installed.
    """
    root = _parse(path)
    channel = root.find("channel")
    namespace = _wp_namespace(root)
    if root.tag != "rss" or channel is None or namespace is None:
        message = "not a WordPress export (WXR): no <rss><channel> with wp: elements"
        raise WordPressExportError(f"{path}: {message}")
    entries, skipped = [], 0
    for item in channel.iter("item"):
        if _text(item, f"{namespace}post_type") in MIGRATED_TYPES:
            entries.append(_entry(item, namespace))
        else:
            skipped += 1
    return Export(_text(channel, "title"), tuple(entries), skipped)


def _parse(path: Path) -> Element:
    try:
        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import ParseError, parse
    except ImportError:
        raise IntegrationMissingError("defusedxml", "wordpress") from None
    try:
        tree: Any = parse(str(path), forbid_dtd=True)
    except OSError as error:
        raise WordPressExportError(f"{path}: cannot read: {error.strerror or error}") from None
    except ParseError as error:
        line, column = error.position
        raise WordPressExportError(f"{path}:{line}:{column + 1}: not well-formed XML: {error}") from None
    except DefusedXmlException as error:
        message = f"refused unsafe XML ({error}); a WordPress export has no DTD or entities"
        raise WordPressExportError(f"{path}: {message}") from None
    root: Element = tree.getroot()
    return root


def _wp_namespace(root: Element) -> str | None:
    """The ``{http://wordpress.org/export/1.x/}`` prefix used by this file (1.0, 1.1 and 1.2 exist)."""
    for element in root.iter():
        if element.tag.startswith("{"):
            uri = element.tag[1:].partition("}")[0]
            if _WP_NAMESPACE.match(uri):
                return "{" + uri + "}"
    return None


def _text(element: Element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "") if child is not None else ""


def _terms(item: Element, domain: str) -> tuple[str, ...]:
    names = (c.text or "" for c in item.findall("category") if c.get("domain") == domain)
    return tuple(dict.fromkeys(name.strip() for name in names if name.strip()))


def _date(text: str) -> str:
    text = text.strip()
    return text if _DATE.fullmatch(text) and text != _NO_DATE else ""


def _entry(item: Element, ns: str) -> Entry:
    gmt = _date(_text(item, f"{ns}post_date_gmt"))
    local = _date(_text(item, f"{ns}post_date"))
    use_gmt = bool(gmt)
    return Entry(
        post_id=_text(item, f"{ns}post_id").strip(),
        post_type=_text(item, f"{ns}post_type").strip(),
        title=_text(item, "title").strip(),
        slug=_text(item, f"{ns}post_name").strip(),
        status=_text(item, f"{ns}status").strip() or "publish",
        date=gmt or local,
        date_is_utc=use_gmt,
        categories=_terms(item, "category"),
        tags=_terms(item, "post_tag"),
        content=_text(item, _CONTENT),
        excerpt=_text(item, _EXCERPT),
        link=_text(item, "link").strip(),
    )


__all__ = ["MIGRATED_TYPES", "Entry", "Export", "read_export"]
