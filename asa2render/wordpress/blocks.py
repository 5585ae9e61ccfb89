"""Block-editor (Gutenberg) posts and ``[caption]`` shortcodes, turned into plain HTML.

Block markup is HTML wrapped in comments (``<!-- wp:paragraph -->…<!-- /wp:paragraph -->``,
self-closing ``<!-- wp:spacer {"height":"20px"} /-->``). The comments only steer the editor; the
HTML between them is what visitors see, so the comments are removed and the HTML kept. The
content of an HTML block (``wp:html``) is found too, so a converter can keep it as raw HTML.

``[caption id="…" align="…" width="…"]<img …> Caption text[/caption]`` is what the classic editor
stores for an image with a caption; WordPress shows it as a ``<figure>`` with a ``<figcaption>``.
"""

from __future__ import annotations

import re

from ..shortcodes import Shortcode, expand

_BLOCK_COMMENT = re.compile(
    r"<!--\s+/?wp:[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?(?:\s+\{.*?\})?\s+/?-->\n?", re.DOTALL
)
_HTML_BLOCK = re.compile(r"<!--\s+wp:html(?:\s+\{.*?\})?\s+-->\n?(.*?)<!--\s+/wp:html\s+-->", re.DOTALL)
_CAPTION_TAGS = ("caption", "wp_caption")
# The image (optionally inside a link) that opens a caption's content; the rest is the caption.
_CAPTIONED_IMAGE = re.compile(
    r"\s*((?:<a\s[^>]*>\s*)?<img\s[^>]*>(?:\s*</a>)?)(.*)", re.IGNORECASE | re.DOTALL
)
_SAFE_ID = re.compile(r"[^\w:.-]")
_SAFE_CLASS = re.compile(r"[^\w -]")


def has_blocks(content: str) -> bool:
    """Whether ``content`` was written in the block editor (WordPress's ``has_blocks`` test)."""
    return "<!-- wp:" in content


def strip_block_comments(content: str) -> str:
    """Remove the block delimiters, keeping every block's HTML."""
    return _BLOCK_COMMENT.sub("", content)


def html_blocks(content: str) -> list[str]:
    """The inner HTML of each ``wp:html`` block, in order."""
    return [match.group(1) for match in _HTML_BLOCK.finditer(content)]


def captions_to_figures(content: str) -> str:
    """Replace every ``[caption]`` shortcode with the ``<figure>`` WordPress shows for it."""
    if "caption]" not in content:
        return content
    return expand(content, _CAPTION_TAGS, _figure, mode="html")


def _figure(caption: Shortcode) -> str:
    match = _CAPTIONED_IMAGE.match(caption.content or "")
    if match is None:  # no image: WordPress shows the content unchanged
        return caption.content or ""
    image, text = match.group(1), match.group(2).strip() or caption.attrs.get("caption", "")
    attributes = []
    if caption.attrs.get("id"):
        attributes.append(f'id="{_SAFE_ID.sub("", caption.attrs["id"])}"')
    align = _SAFE_CLASS.sub("", caption.attrs.get("align", "alignnone"))
    extra = _SAFE_CLASS.sub("", caption.attrs.get("class", ""))
    attributes.append(f'class="{" ".join(filter(None, ["wp-caption", align, extra]))}"')
    width = caption.attrs.get("width", "")
    if width.isdigit():
        attributes.append(f'style="width: {int(width)}px"')
    figcaption = f'<figcaption class="wp-caption-text">{text}</figcaption>' if text else ""
    return f"<figure {' '.join(attributes)}>{image}{figcaption}</figure>"


__all__ = ["captions_to_figures", "has_blocks", "html_blocks", "strip_block_comments"]
