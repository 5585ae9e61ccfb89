"""The ``data-asa2-asin``/``data-asa2-state`` attributes on the root element of a user template's box.

Only boxes of the user's own templates need this (the built-in ones write the attributes), so the HTML
parser is imported by them alone, not by every one-file render.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

# Elements that may sit inside a paragraph: output made only of these is wrapped in a <span>.
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "br",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "mark",
        "meter",
        "output",
        "picture",
        "progress",
        "q",
        "ruby",
        "s",
        "samp",
        "select",
        "small",
        "source",
        "span",
        "strong",
        "sub",
        "sup",
        "svg",
        "time",
        "u",
        "var",
        "wbr",
    ]
)
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)


class _RootScan(HTMLParser):
    """Finds the top-level elements of an HTML fragment and whether anything else sits beside them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.roots: list[tuple[int, int, str]] = []  # (line, column) of each top-level start tag, tag
        self.loose_text = False
        self.block_content = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._note_element(tag)
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._note_element(tag)  # ``<br/>`` opens nothing: the depth stays

    def _note_element(self, tag: str) -> None:
        if tag not in _INLINE:
            self.block_content = True
        if self.depth == 0:
            line, column = self.getpos()
            self.roots.append((line, column, tag))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth = max(self.depth - 1, 0)

    def handle_data(self, data: str) -> None:
        if self.depth == 0 and data.strip():
            self.loose_text = True

    def handle_entityref(self, name: str) -> None:
        if self.depth == 0:
            self.loose_text = True

    handle_charref = handle_entityref


def _offset(html: str, line: int, column: int) -> int:
    starts = [0, *(m.end() for m in re.finditer("\n", html))]
    return starts[line - 1] + column


def add_root_attributes(html: str, asin: str, state: str) -> str:
    """Put ``data-asa2-asin``/``data-asa2-state`` on the single root element of ``html``.

    An attribute the root already carries is kept as the template wrote it; markup without a single
    root element is wrapped in a ``<span>`` when it is inline-only (so it can stay inside a
    paragraph), else in a ``<div>``.
    """
    wanted = {"data-asa2-asin": asin, "data-asa2-state": state}
    scan = _RootScan()
    scan.feed(html)
    scan.close()
    if len(scan.roots) == 1 and not scan.loose_text and scan.depth == 0:
        line, column, tag = scan.roots[0]
        start = _offset(html, line, column)
        head_end = start + 1 + len(tag)
        head = html[start : html.find(">", start)]
        missing = "".join(f' {name}="{escape(value)}"' for name, value in wanted.items() if name not in head)
        return html[:head_end] + missing + html[head_end:]
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in wanted.items())
    wrapper = "div" if scan.block_content else "span"
    return f"<{wrapper}{attributes}>{html}</{wrapper}>"


__all__ = ["add_root_attributes"]
