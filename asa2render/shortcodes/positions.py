"""Offsets to 1-based line and column, without a per-character loop."""

from __future__ import annotations


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of ``offset`` in ``text``.

    Columns count characters (code points), not bytes. Costs O(offset); for many offsets in
    ascending order use :class:`Locator`.
    """
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


class Locator:
    """Locates ascending offsets incrementally, so locating every match costs O(len(text)).

    Counting newlines between consecutive offsets with ``str.count`` runs in C and needs no
    table; an offset smaller than the previous one restarts from the beginning.
    """

    __slots__ = ("_line", "_line_start", "_offset", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1
        self._line_start = 0

    def __call__(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of ``offset``."""
        if offset < self._offset:
            self._offset, self._line, self._line_start = 0, 1, 0
        newlines = self._text.count("\n", self._offset, offset)
        if newlines:
            self._line += newlines
            self._line_start = self._text.rfind("\n", self._offset, offset) + 1
        self._offset = offset
        return self._line, offset - self._line_start + 1
