"""Where each migrated post goes and the front matter it carries, per site generator (``--host``).

========  ====================================  ================  ====================================
host      posts                                 pages             front matter
========  ====================================  ================  ====================================
hugo      ``posts/<slug>``                      ``<slug>``        YAML; ``url`` keeps the old address
eleventy  ``posts/<slug>``                      ``<slug>``        YAML; ``permalink`` keeps it
jekyll    ``_posts/<date>-<slug>``, ``_drafts``  ``<slug>``        YAML; ``permalink`` keeps it
mkdocs    ``posts/<slug>``                      ``<slug>``        YAML (page meta)
pelican   ``<slug>``                            ``pages/<slug>``  ``Key: value`` lines / ``<meta>``
plain     ``posts/<slug>``                      ``<slug>``        YAML
========  ====================================  ================  ====================================
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import yaml

from ..config.model import HOSTS, Host
from .wxr import Entry

Format = Literal["markdown", "html"]
_UNSAFE_SLUG = re.compile(r"[^\w-]+")
_TEMPLATE_SYNTAX = ("{{", "{%", "{#")
# The key each generator reads to keep a post at its old WordPress address.
_PERMALINK_KEYS: dict[str, str] = {"hugo": "url", "eleventy": "permalink", "jekyll": "permalink"}


def slug_for(entry: Entry) -> str:
    """A file-system-safe slug: ``post_name`` (decoded), else the title, else ``post-<id>``."""
    for candidate in (unquote(entry.slug), entry.title):
        text = unicodedata.normalize("NFKC", candidate).strip().lower()
        slug = _UNSAFE_SLUG.sub("-", text).strip("-_")
        if slug:
            return slug[:100]
    return f"post-{entry.post_id or 'untitled'}"


def relative_path(entry: Entry, slug: str, host: Host, fmt: Format) -> str:
    """The output path of ``entry`` below the output directory."""
    name = f"{slug}.{'md' if fmt == 'markdown' else 'html'}"
    if entry.post_type == "page":
        return f"pages/{name}" if host == "pelican" else name
    if host == "pelican":
        return name
    if host == "jekyll":
        if entry.status != "publish" or not entry.date:
            return f"_drafts/{name}"
        return f"_posts/{entry.date[:10]}-{name}"
    return f"posts/{name}"


def iso_date(entry: Entry) -> str:
    """The post's date as ISO 8601 (``Z`` when WordPress stored it in UTC)."""
    if not entry.date:
        return ""
    return entry.date.replace(" ", "T") + ("Z" if entry.date_is_utc else "")


def front_matter(entry: Entry, slug: str, host: Host) -> dict[str, Any]:
    """The front matter fields of ``entry`` for ``host`` (in output order)."""
    fields: dict[str, Any] = {"title": entry.title}
    if entry.date:
        fields["date"] = iso_date(entry)
    fields["slug"] = slug
    if entry.status != "publish":
        fields["draft"] = True
        if host == "jekyll":
            fields["published"] = False
        if host == "eleventy":
            fields["eleventyExcludeFromCollections"] = True
            fields["permalink"] = False
    if entry.categories:
        fields["categories"] = list(entry.categories)
    if entry.tags:
        fields["tags"] = list(entry.tags)
    old_path = urlsplit(entry.link).path if entry.link and "?" not in entry.link else ""
    if entry.status == "publish" and host in _PERMALINK_KEYS and old_path not in ("", "/"):
        fields[_PERMALINK_KEYS[host]] = old_path
    if host == "jekyll":
        fields["layout"] = "page" if entry.post_type == "page" else "post"
    fields["wordpress_id"] = int(entry.post_id) if entry.post_id.isdigit() else entry.post_id
    fields["wordpress_status"] = entry.status
    return fields


def document(entry: Entry, slug: str, host: Host, fmt: Format, body: str) -> str:
    """The whole output file: front matter in the host's form, then ``body``."""
    fields = front_matter(entry, slug, host)
    if host in ("jekyll", "eleventy") and any(mark in body for mark in _TEMPLATE_SYNTAX):
        # Liquid and Nunjucks would run "{{ … }}" in a post as code; raw keeps it text.
        body = "{% raw %}\n" + body.rstrip("\n") + "\n{% endraw %}\n"
    if host == "pelican":
        pelican = _pelican_markdown if fmt == "markdown" else _pelican_html
        return pelican(entry, fields, body)
    dumped = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return f"---\n{dumped}---\n\n{body}"


def _pelican_fields(entry: Entry, fields: dict[str, Any]) -> dict[str, str]:
    status = "published" if entry.status == "publish" else "draft"
    date = iso_date(entry).replace("T", " ").rstrip("Z")
    meta = {"title": entry.title, "date": date, "slug": fields["slug"]}
    if entry.categories and entry.post_type == "post":
        meta["category"] = entry.categories[0]
    if entry.tags:
        meta["tags"] = ", ".join(entry.tags)
    meta["status"] = status
    return {key: value for key, value in meta.items() if value}


def _pelican_markdown(entry: Entry, fields: dict[str, Any], body: str) -> str:
    # Pelican's Markdown reader takes "Key: value" lines; one line per key, so newlines are flattened.
    meta = _pelican_fields(entry, fields)
    lines = [f"{key.capitalize()}: {' '.join(value.split())}" for key, value in meta.items()]
    return "\n".join(lines) + "\n\n" + body


def _pelican_html(entry: Entry, fields: dict[str, Any], body: str) -> str:
    meta = _pelican_fields(entry, fields)
    title = html.escape(meta.pop("title", ""))
    tags = "".join(f'<meta name="{key}" content="{html.escape(value)}" />\n' for key, value in meta.items())
    return f"<html>\n<head>\n<title>{title}</title>\n{tags}</head>\n<body>\n{body}</body>\n</html>\n"


__all__ = ["HOSTS", "Format", "Host", "document", "front_matter", "relative_path", "slug_for"]
