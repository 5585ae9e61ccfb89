"""HTML to Markdown with markdownify, a maintained converter (an optional extra, imported lazily)."""

from __future__ import annotations

from typing import Any

from ..errors import IntegrationMissingError


def to_markdown(html: str) -> str:
    """Convert one post body (HTML with shielded shortcodes) to CommonMark-style Markdown.

    Raises:
        IntegrationMissingError: markdownify is not installed (``pip install 'asa2render[wordpress]'``).
    """
    try:
        from markdownify import MarkdownConverter
    except ImportError:
        raise IntegrationMissingError("markdownify", "wordpress") from None
    converter: Any = MarkdownConverter(heading_style="atx", bullets="-", newline_style="backslash")
    markdown: str = converter.convert(html)
    return markdown.strip() + "\n"


__all__ = ["to_markdown"]
