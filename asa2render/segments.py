"""Huge pages in pieces: where a page can be cut so that scanning the pieces one after the other finds
exactly what scanning it whole would, while memory follows the size of a piece, not the number of
shortcodes on the page (issue 18: 20 MB of shortcodes took over a gigabyte).

Pages up to :data:`LARGE_PAGE` characters, and HTML pages, are never cut. A cut is made only at the
start of a line where nothing can continue across it:

* in Markdown, the line before is blank, the next line is not indented, and no top-level fenced
  code block or raw HTML block of CommonMark's types 1–5 (``<pre>``/``<script>``/``<style>``/
  ``<textarea>``, comments, ``<?``, ``<!X``, CDATA) is open across it. After a blank line every
  other CommonMark block has ended or is continued only by indented lines, so the pieces are
  masked exactly as the whole page is (see :func:`_carried_blocks`); in HTML pages nothing is cut;
* the next bracket after it is not ``]`` (no opener's attribute text runs across it);
* for every tag, no closer after it could pair with an opener before it: either no enclosing
  opener of that tag came before, or one comes after the cut before that tag's next closer.

When no line qualifies, the piece simply grows: correctness never depends on finding a cut.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable

from .patterns import lazy
from .shortcodes.model import Mode
from .shortcodes.regions import Regions
from .shortcodes.scanner import _event_regex

LARGE_PAGE = 2 * 1024 * 1024  # characters; smaller pages are processed whole, as always
PIECE = 256 * 1024  # the size a piece aims at


class _Events:
    """Where each tag's enclosing openers and its closers are, outside masked regions."""

    def __init__(self, text: str, tags: tuple[str, ...], regions: Regions | None) -> None:
        self.openers: dict[str, array[int]] = {tag: array("q") for tag in tags}
        self.closers: dict[str, array[int]] = {tag: array("q") for tag in tags}
        for match in _event_regex(tags).finditer(text):
            if regions and regions.touches(*match.span()):
                continue
            if match.group(1) is not None:
                self.closers[match.group(1)].append(match.start())
            elif match.group(5) is not None and match.group(4) is None:  # "[tag …]", not "[tag /]"
                self.openers[match.group(2)].append(match.start())

    def pairs_across(self, cut: int) -> bool:
        """Whether some closer after ``cut`` could pair with an opener before it."""
        for tag, closers in self.closers.items():
            openers = self.openers[tag]
            before = bisect_left(openers, cut)
            if before == 0:
                continue  # no enclosing opener of this tag before the cut
            closer_index = bisect_left(closers, cut)
            if closer_index == len(closers):
                continue  # no closer after the cut
            if before == len(openers) or openers[before] > closers[closer_index]:
                return True
        return False


def pieces(text: str, mode: Mode, tags: Iterable[str], body_start: int = 0) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of consecutive pieces covering ``text`` (one piece for most pages)."""
    if len(text) <= LARGE_PAGE or mode == "html":
        return [(0, len(text))]
    regions = _carried_blocks(text) if mode == "markdown" else None
    events = _Events(text, tuple(sorted(set(tags))), regions)
    cuts: list[tuple[int, int]] = []
    start = 0
    bracket = _NextBracket(text)
    chunks = _PlainChunks(text, tags)
    while start < len(text):
        end = _next_cut(text, max(start + PIECE, body_start), mode, regions, events, bracket, chunks)
        cuts.append((start, end))
        start = end
    return cuts


class _NextBracket:
    """The next ``[`` or ``]`` at or after an offset; queries ascend, so the whole walk is linear."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._open = self._close = -2  # -2: not searched yet; -1: none left

    def find(self, offset: int) -> int:
        """The offset of the next bracket (``len(text)`` when there is none)."""
        if self._open != -1 and self._open < offset:
            self._open = self._text.find("[", offset)
        if self._close != -1 and self._close < offset:
            self._close = self._text.find("]", offset)
        found = [position for position in (self._open, self._close) if position != -1]
        return min(found) if found else len(self._text)


def _next_cut(
    text: str,
    at: int,
    mode: Mode,
    regions: Regions | None,
    events: _Events,
    bracket: _NextBracket,
    chunks: _PlainChunks,
) -> int:
    newline = text.find("\n", at)
    while newline != -1:
        cut = newline + 1
        if cut >= len(text):
            break
        if _safe(text, cut, mode, regions, events, bracket, chunks):
            return cut
        newline = text.find("\n", cut)
    return len(text)


def _safe(
    text: str,
    cut: int,
    mode: Mode,
    regions: Regions | None,
    events: _Events,
    bracket: _NextBracket,
    chunks: _PlainChunks,
) -> bool:
    if regions and regions.touches(cut - 1, cut + 1):
        return False
    if mode == "markdown" and (text[cut] in " \t\n" or not _between_blocks(text, cut, chunks)):
        return False
    # An opener before the cut reads attribute text up to the next bracket: that bracket must not
    # be "]" (the opener would end after the cut), and no masked region may lie before it (the
    # whole match would be masked when scanned whole, but not in the piece).
    following = bracket.find(cut)
    if following < len(text) and text[following] == "]":
        return False
    if regions and regions.touches(cut, following + 1):
        return False
    return not events.pairs_across(cut)


def _between_blocks(text: str, cut: int, chunks: _PlainChunks) -> bool:
    """A Markdown cut after a blank line, or between two lines of a paragraph with no inline syntax."""
    return text.startswith("\n\n", cut - 2) or chunks.plain(cut)


class _PlainChunks:
    """Whether the paragraph around a cut holds nothing that could span lines (code spans, inline
    HTML, escapes, links): only text and shortcode brackets. Queries ascend, so each paragraph is
    tested once and the walk stays linear."""

    def __init__(self, text: str, tags: Iterable[str]) -> None:
        self._text = text
        names = "|".join(re.escape(tag) for tag in sorted(set(tags), key=len, reverse=True))
        # Two searches, not one full match: a starred alternation over megabytes costs the regex
        # engine memory in proportion to the length.
        self._inline_syntax = re.compile(r"[`<\\!]")
        self._other_bracket = re.compile(rf"\[(?!/?(?:{names})\b)")
        self._end = -1
        self._verdict = False

    def plain(self, cut: int) -> bool:
        if cut >= self._end:
            blank = self._text.rfind("\n\n", 0, cut)
            start = blank + 2 if blank >= 0 else 0
            found = self._text.find("\n\n", cut)
            self._end = found if found >= 0 else len(self._text)
            self._verdict = (
                self._inline_syntax.search(self._text, start, self._end) is None
                and self._other_bracket.search(self._text, start, self._end) is None
            )
        return self._verdict


# A top-level block that can run across blank lines: a fence (up to three spaces of indent) or a
# raw HTML block of CommonMark's types 1-5, with the pattern that ends it.
_CARRIED_START = lazy(
    r"^ {0,3}(?:(?P<fence>`{3,}(?=[^`\n]*$)|~{3,})"
    r"|<(?P<raw>pre|script|style|textarea)(?=[\s>]|$)|(?P<comment><!--)|(?P<pi><\?)"
    r"|(?P<cdata><!\[CDATA\[)|(?P<decl><![A-Za-z]))",
    re.MULTILINE | re.IGNORECASE,
)
_CARRIED_END = {"comment": "-->", "pi": "?>", "cdata": "]]>", "decl": ">"}


def _carried_blocks(text: str) -> Regions:
    """Spans of top-level fenced code and type 1-5 HTML blocks, where a Markdown page is never cut."""
    spans: list[tuple[int, int]] = []
    position = 0
    carried = _CARRIED_START()
    while (match := carried.search(text, position)) is not None:
        end = _carried_end(text, match)
        spans.append((match.start(), end))
        position = max(end, match.end())
    return Regions(spans)


def _carried_end(text: str, match: re.Match[str]) -> int:
    kind = match.lastgroup or ""
    if kind == "fence":
        fence = match.group("fence")
        closer = re.compile(
            rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)}}}{re.escape(fence[0])}*[ \t]*$", re.M
        )
        closed = closer.search(text, text.find("\n", match.end()) + 1 or len(text))
        return closed.end() if closed else len(text)
    if kind == "raw":
        closing = re.compile(rf"</{match.group('raw')}", re.IGNORECASE).search(text, match.end())
        at = closing.start() if closing else -1
    else:
        at = text.find(_CARRIED_END[kind], match.end())
    if at < 0:
        return len(text)
    return text.find("\n", at) + 1 or len(text)


__all__ = ["LARGE_PAGE", "PIECE", "pieces"]
