"""One WordPress post in, one Markdown or HTML file out, with every ASA2 shortcode intact.

The order is what makes the shortcodes survive:

1. shield the ASA2 shortcodes (and later comments and raw HTML blocks) behind opaque tokens, while the
   text is still exactly what WordPress stored;
2. block-editor posts: drop the block comments, keep the HTML; classic posts: WordPress's paragraph
   rules (``wpautop``), then ``[caption]`` → ``<figure>``;
3. Markdown only: convert with markdownify;
4. put the originals back and check that every shortcode came back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..shortcodes import line_col
from .autop import wpautop
from .blocks import captions_to_figures, has_blocks, html_blocks, strip_block_comments
from .layout import Format, Host, document, relative_path, slug_for
from .markdown import to_markdown
from .shield import shield_comments, shield_raw, shield_shortcodes
from .wxr import Entry


@dataclass(frozen=True, slots=True)
class Migrated:
    """The converted file of one post and what happened to its shortcodes.

    Attributes:
        path: Output path relative to the output directory.
        text: The whole file (front matter and body).
        found: ASA2 shortcodes in the stored post.
        kept: Those that are in the output byte for byte (escaped inside attributes in Markdown).
        in_attributes: Shortcodes inside HTML attributes, kept as literal text (as WordPress shows them).
        problems: ``line:column: message`` within the stored post body, one per problem.
    """

    entry: Entry
    path: str
    text: str
    found: int
    kept: int
    in_attributes: int
    problems: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Body:
    """One converted post body and the fate of its shortcodes (see :class:`Migrated`)."""

    text: str
    found: int
    kept: int
    in_attributes: int
    problems: tuple[str, ...]


def convert_body(content: str, fmt: Format) -> Body:
    """Convert one stored post body (``content:encoded``) to ``fmt``."""
    markdown = fmt == "markdown"
    shielded = shield_shortcodes(content)
    shield, text = shielded.shield, shielded.text
    problems = [f"{d.line}:{d.column}: {d.message}" for d in shielded.diagnostics]
    if has_blocks(text):
        raw = html_blocks(text) if markdown else []
        text = captions_to_figures(shield_raw(strip_block_comments(text), raw, shield))
    else:
        # As in WordPress: paragraphs first, then the caption shortcode (a paragraph of its own is replaced).
        text = captions_to_figures(wpautop(text))
    if markdown:
        text = to_markdown(shield_comments(text, shield))
    text, lost = shield.restore(text, markdown=markdown)
    for item in lost:
        if item.shortcode is not None:
            line, column = line_col(content, item.shortcode.start)
            problems.append(f"{line}:{column}: shortcode lost in conversion: {item.original[:80]}")
    guarded = [item for item in shield.guarded.values() if item.shortcode is not None]
    return Body(
        text=text.rstrip() + "\n",
        found=len(shielded.shortcodes),
        kept=len(guarded) - sum(1 for item in lost if item.shortcode is not None),
        in_attributes=sum(1 for item in guarded if item.place == "attribute"),
        problems=tuple(problems),
    )


def migrate(entry: Entry, fmt: Format, host: Host, slug: str | None = None) -> Migrated:
    """Convert ``entry`` to one output file for ``host`` in ``fmt``."""
    slug = slug or slug_for(entry)
    body = convert_body(entry.content, fmt)
    return Migrated(
        entry=entry,
        path=relative_path(entry, slug, host, fmt),
        text=document(entry, slug, host, fmt, body.text),
        found=body.found,
        kept=body.kept,
        in_attributes=body.in_attributes,
        problems=body.problems,
    )


__all__ = ["Body", "Migrated", "convert_body", "migrate"]
