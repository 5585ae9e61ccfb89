"""Huge pages in pieces: where a page can be cut so that scanning the pieces one after the other finds
exactly what scanning it whole would, while memory follows the size of a piece, not the number of
shortcodes on the page (issue 18: 20 MB of shortcodes took over a gigabyte).

Pages up to :data:`LARGE_PAGE` characters, and HTML pages, are never cut. A cut is made only at the
start of a line where nothing can continue across it:

* no masked region (code, comment) covers it, and in Markdown the next line is not indented (an
  indented line could be code or a continuation, depending on the line before);
* the next bracket after it is not ``]`` (no opener's attribute text runs across it);
* for every tag, no closer after it could pair with an opener before it: either no enclosing
  opener of that tag came before, or one comes after the cut before that tag's next closer.

When no line qualifies, the piece simply grows: correctness never depends on finding a cut.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable

from .shortcodes.model import Mode
from .shortcodes.regions import FINDERS, Regions
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
    finder = FINDERS.get(mode)
    regions = finder(text) if finder is not None else None
    events = _Events(text, tuple(sorted(set(tags))), regions)
    cuts: list[tuple[int, int]] = []
    start = 0
    bracket = _NextBracket(text)
    while start < len(text):
        end = _next_cut(text, max(start + PIECE, body_start), mode, regions, events, bracket)
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
    text: str, at: int, mode: Mode, regions: Regions | None, events: _Events, bracket: _NextBracket
) -> int:
    newline = text.find("\n", at)
    while newline != -1:
        cut = newline + 1
        if cut >= len(text):
            break
        if _safe(text, cut, mode, regions, events, bracket):
            return cut
        newline = text.find("\n", cut)
    return len(text)


def _safe(
    text: str, cut: int, mode: Mode, regions: Regions | None, events: _Events, bracket: _NextBracket
) -> bool:
    if regions and regions.touches(cut - 1, cut + 1):
        return False
    if mode == "markdown" and text[cut] in " \t":
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


__all__ = ["LARGE_PAGE", "PIECE", "pieces"]
