"""WordPress's paragraph rules (``wpautop``) for classic-editor posts.

The classic editor stores text without ``<p>`` tags: WordPress adds them when it shows the post. A
blank line ends a paragraph, a single newline becomes ``<br />``, and block-level elements
(``<div>``, ``<ul>``, ``<figure>``, …) are never wrapped. ``<pre>`` keeps its newlines, and so do
``<script>``, ``<style>``, ``<svg>``, ``<math>`` and HTML comments.

Written here because no maintained Python package applies these rules; this follows the behaviour
documented for ``wpautop`` (wp-includes/formatting.php), rule by rule, not its code. Posts made in
the block editor already carry their ``<p>`` tags and must not go through this.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
    "blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|"
    "nav|figure|figcaption|details|menu|summary|math|svg|iframe|video|audio|object|source|track|"
    "option|select|textarea|script|noscript"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCKS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCKS})>)", re.IGNORECASE)
_BLOCK_TAG = rf"</?(?:{_BLOCKS})(?:\s[^>]*)?/?>"
_KEEP_NEWLINES = re.compile(
    r"<(pre|script|style|svg|math|textarea)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL
)
_BR_PAIR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_P_AROUND_BLOCK = re.compile(rf"<p>\s*({_BLOCK_TAG})\s*</p>", re.IGNORECASE)
_P_BEFORE_BLOCK = re.compile(rf"<p>\s*({_BLOCK_TAG})", re.IGNORECASE)
_P_AFTER_BLOCK = re.compile(rf"({_BLOCK_TAG})\s*</p>", re.IGNORECASE)
_EMPTY_P = re.compile(r"<p>\s*</p>\n?")
_NEWLINE = re.compile(r"(?<!<br />)\s*\n")
_BR_NEXT_TO_BLOCK_START = re.compile(rf"({_BLOCK_TAG})\s*<br />", re.IGNORECASE)
_BR_NEXT_TO_BLOCK_END = re.compile(rf"<br />(\s*{_BLOCK_TAG})", re.IGNORECASE)
# Protected elements become placeholders; block ones are dressed as an empty <pre> so the rules
# below treat them as blocks (no <p> around them), and the restore step removes that dress.
_PLACEHOLDER = re.compile("<pre>\ue000(\\d+)\ue001</pre>|\ue000(\\d+)\ue001")


def wpautop(text: str) -> str:
    """Add ``<p>`` and ``<br />`` to classic-editor ``text`` the way WordPress shows it."""
    if not text.strip():
        return ""
    text, kept = _protect(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = _BR_PAIR.sub("\n\n", text)
    paragraphs = (part.strip() for part in _PARAGRAPH_BREAK.split(text.strip("\n") + "\n"))
    text = "".join(f"<p>{part}</p>\n" for part in paragraphs if part)
    text = _EMPTY_P.sub("", text)
    for pattern in (_P_AROUND_BLOCK, _P_BEFORE_BLOCK, _P_AFTER_BLOCK):
        text = pattern.sub(r"\1", text)
    text = _line_breaks(text)
    text = _BR_NEXT_TO_BLOCK_START.sub(r"\1", text)
    text = _BR_NEXT_TO_BLOCK_END.sub(r"\1", text)
    return _restore(text, kept)


def _line_breaks(text: str) -> str:
    """Turn the single newlines left inside paragraphs into ``<br />``."""
    out: list[str] = []
    for line in text.split("\n"):
        if out and not _ends_or_starts_block(out[-1], line):
            out[-1] += "<br />"
        out.append(line)
    return "\n".join(out)


def _ends_or_starts_block(previous: str, line: str) -> bool:
    if not previous or not line or previous.endswith(("</p>", "<br />")) or line.startswith("<p>"):
        return True
    ends = re.search(rf"{_BLOCK_TAG}\s*$", previous, re.IGNORECASE) is not None
    return ends or re.match(rf"\s*{_BLOCK_TAG}", line, re.IGNORECASE) is not None


def _protect(text: str) -> tuple[str, list[str]]:
    """Swap elements whose newlines are content (``<pre>``, comments, …) for placeholders."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group())
        marker = f"\ue000{len(kept) - 1}\ue001"
        # A comment alone on its line (``<!--more-->``) stands between paragraphs, not inside one.
        alone = text.startswith("\n", match.end()) or match.end() == len(text)
        alone = alone and (match.start() == 0 or text[match.start() - 1] == "\n")
        return f"<pre>{marker}</pre>" if match.group(1) is not None or alone else marker

    return _KEEP_NEWLINES.sub(keep, text), kept


def _restore(text: str, kept: list[str]) -> str:
    replace: Callable[[re.Match[str]], str] = lambda match: kept[int(match.group(1) or match.group(2))]  # noqa: E731
    return _PLACEHOLDER.sub(replace, text)


__all__ = ["wpautop"]
