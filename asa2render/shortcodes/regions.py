"""Regions of an HTML document where shortcodes must not be touched (Markdown: see ``commonmark``).

Every mask is found with compiled regexes and ``str.find``; Python code runs once per *construct*
(comment, raw element, tag holding a ``[``), never once per character, so the masks cost linear time.

HTML:
    comments, the contents of ``pre``, ``code``, ``script``, ``style`` and ``textarea`` (unclosed:
    to the end), and the inside of any tag that holds a ``[`` (attribute values, ``<div [x]>``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

from ..patterns import lazy

Span = tuple[int, int]


@lru_cache(maxsize=1)
def _html() -> re.Pattern[str]:
    """The HTML-mode construct regex, compiled on first use (about 1 ms that a Markdown page rarely needs)."""
    return re.compile(
        r"<(?:!--"
        r"|(?P<raw>pre|code|script|style|textarea)(?=[\s/>])"
        # Only tags with a "[" before the next "<" can hide a shortcode; the lookahead keeps the
        # Python-level work proportional to those, not to every tag of the page.
        r"|(?=[^<]*\[)/?[A-Za-z][\w:-]*[^>\"'<]*+(?:(?:\"[^\"<]*+\"|'[^'<]*+')[^>\"'<]*+)*+>)",
        re.IGNORECASE,
    )


_P_OPEN = lazy(r"<p(?:\s[^<>]*)?>", re.IGNORECASE)
_P_CLOSE = lazy(r"(?:\s|&nbsp;)*</p\s*>", re.IGNORECASE)
_P_GAP = lazy(r"(?:\s|&nbsp;)*", re.IGNORECASE)
_P_WINDOW = 512


class Regions:
    """Sorted, disjoint masked spans with an O(log n) overlap test."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Iterable[Span]) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):
            if self._ends and start <= self._ends[-1]:
                self._ends[-1] = max(self._ends[-1], end)
            elif end > start:
                self._starts.append(start)
                self._ends.append(end)

    def __bool__(self) -> bool:
        return bool(self._starts)

    def bounds(self) -> tuple[list[int], list[int]]:
        """Return the merged spans' starts and ends (sorted; do not modify)."""
        return self._starts, self._ends

    def spans(self) -> list[Span]:
        """Return the merged spans in order."""
        return list(zip(self._starts, self._ends, strict=True))

    def touches(self, start: int, end: int) -> bool:
        """Return whether ``[start, end)`` overlaps any masked span."""
        index = bisect_right(self._starts, end - 1) - 1
        return index >= 0 and self._ends[index] > start


@lru_cache(maxsize=8)
def _raw_closer(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}\s*>", re.IGNORECASE)


def _to(found: int, fallback: int) -> int:
    return fallback if found < 0 else found


def _comment_end(text: str, start: int) -> int:
    """Return the end of the comment opened at ``start``; an unclosed one runs to the end."""
    return _to(text.find("-->", start + 4), len(text) - 3) + 3


def html_regions(text: str) -> Regions:
    """Return the comment, raw-text-element and tag regions of an HTML document."""
    spans: list[Span] = []
    pos = 0
    search = _html().search
    while (match := search(text, pos)) is not None:
        raw = match.group("raw")
        if match.group() == "<!--":
            end = _comment_end(text, match.start())
        elif raw is not None:
            closer = _raw_closer(raw.lower()).search(text, match.end())
            end = closer.end() if closer else len(text)
        else:
            end = match.end()
        spans.append((match.start(), end))
        pos = end
    return Regions(spans)


def paragraph_span(text: str, start: int, end: int) -> Span:
    """Widen ``[start, end)`` to a surrounding ``<p>…</p>`` that holds nothing else.

    Whitespace and ``&nbsp;`` around the shortcode are allowed, as in WordPress's
    ``shortcode_unautop``; ``<p>`` may carry attributes. Returns the span unchanged otherwise.
    """
    close = _P_CLOSE().match(text, end)
    if close is None:
        return start, end
    gt = text.rfind(">", max(0, start - _P_WINDOW), start)
    if gt < 0 or _P_GAP().fullmatch(text, gt + 1, start) is None:
        return start, end
    lt = text.rfind("<", max(0, gt - _P_WINDOW), gt)
    if lt < 0 or _P_OPEN().fullmatch(text, lt, gt + 1) is None:
        return start, end
    return lt, close.end()
