"""Regions of a Markdown or HTML document where shortcodes must not be touched.

Every mask is found with compiled regexes and ``str.find``; Python code runs once per *construct*
(fence, code span, tag holding a ``[``), never once per character, so the masks cost linear time.

Markdown (CommonMark, pragmatically):
    fenced code (backticks or tildes, closer at least as long, unclosed runs to the end, fences
    indented inside list items and blockquotes accepted), indented code after a blank line
    (unless the previous line is a list item or indented, i.e. list continuation), code spans
    (backtick runs of equal length, within one paragraph) and HTML comments (unclosed: to the end).
HTML:
    comments, the contents of ``pre``, ``code``, ``script``, ``style`` and ``textarea`` (unclosed:
    to the end), and the inside of any tag that holds a ``[`` (attribute values, ``<div [x]>``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import lru_cache

Span = tuple[int, int]

_MD_BLOCK = re.compile(
    r"(?P<fence>^(?:[ \t]*>)*[ \t]*(?P<chars>`{3,}|~{3,})(?P<info>[^\n]*))"
    r"|(?P<comment>^[ ]{0,3}<!--)"
    r"|(?P<indented>(?:\A|^[ \t]*\n)(?P<code>(?: {4}|\t)[^\n]*"
    r"(?:\n(?:[ \t]*\n)*+(?: {4}|\t)[^\n]*)*+))",
    re.MULTILINE,
)
_LIST_OR_INDENTED = re.compile(r"[ \t]|[ ]{0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_MD_INLINE = re.compile(r"`+|<!--")
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|\Z)")
_HTML = re.compile(
    r"<!--"
    r"|<(?P<raw>pre|code|script|style|textarea)(?=[\s/>])"
    # Only tags with a "[" before the next "<" can hide a shortcode; the lookahead keeps the
    # Python-level work proportional to those, not to every tag of the page.
    r"|<(?=[^<]*\[)/?[A-Za-z][\w:-]*[^>\"'<]*+(?:(?:\"[^\"<]*+\"|'[^'<]*+')[^>\"'<]*+)*+>",
    re.IGNORECASE,
)
_P_OPEN = re.compile(r"<p(?:\s[^<>]*)?>", re.IGNORECASE)
_P_CLOSE = re.compile(r"(?:\s|&nbsp;)*</p\s*>", re.IGNORECASE)
_P_GAP = re.compile(r"(?:\s|&nbsp;)*", re.IGNORECASE)
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

    def spans(self) -> list[Span]:
        """Return the merged spans in order."""
        return list(zip(self._starts, self._ends, strict=True))

    def touches(self, start: int, end: int) -> bool:
        """Return whether ``[start, end)`` overlaps any masked span."""
        index = bisect_right(self._starts, end - 1) - 1
        return index >= 0 and self._ends[index] > start


@lru_cache(maxsize=64)
def _fence_closer(chars: str) -> re.Pattern[str]:
    char = re.escape(chars[0])
    return re.compile(rf"^(?:[ \t]*>)*[ \t]*{char}{{{len(chars)},}}[ \t]*$", re.MULTILINE)


@lru_cache(maxsize=64)
def _tick_run(length: int) -> re.Pattern[str]:
    return re.compile(rf"(?<!`)`{{{length}}}(?!`)")


@lru_cache(maxsize=8)
def _raw_closer(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}\s*>", re.IGNORECASE)


def _to(found: int, fallback: int) -> int:
    return fallback if found < 0 else found


def _is_list_continuation(text: str, start: int) -> bool:
    """Return whether the last non-blank line before ``start`` makes indentation a continuation."""
    before = text[max(0, start - 4096) : start].rstrip()
    if not before:
        return False
    line = before[before.rfind("\n") + 1 :]
    return _LIST_OR_INDENTED.match(line) is not None


def _fence_end(text: str, match: re.Match[str]) -> int | None:
    """Return where the fence opened by ``match`` ends, or ``None`` if it is no fence."""
    chars = match.group("chars")
    if chars[0] == "`" and "`" in match.group("info"):
        return None
    closer = _fence_closer(chars).search(text, match.end() + 1)
    return closer.end() if closer else len(text)


def _markdown_blocks(text: str) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    while (match := _MD_BLOCK.search(text, pos)) is not None:
        if match.group("fence") is not None:
            end = _fence_end(text, match)
            if end is None:
                pos = match.end()
                continue
            spans.append((match.start(), end))
        elif match.group("comment") is not None:
            end = _to(text.find("-->", match.end()), len(text) - 3) + 3
            spans.append((match.start(), end))
        elif _is_list_continuation(text, match.start("code")):
            pos = match.start("code") + 1
            continue
        else:
            end = match.end("code")
            spans.append((match.start("code"), end))
        pos = max(end, match.start() + 1)
    return spans


class _ParagraphEnds:
    """Finds the blank line ending the paragraph at an offset, reusing the last answer."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._found = -1

    def after(self, offset: int) -> int:
        if self._found < offset:
            match = _BLANK_LINE.search(self._text, offset)
            self._found = match.start() if match else len(self._text)
        return self._found


def _code_span_end(text: str, start: int, ticks: int, limit: int, dead: dict[int, int]) -> int:
    """Return the end of the code span opened at ``start``, or -1 if the run is literal.

    ``dead`` remembers, per run length, a limit before which no closer exists, so repeated
    unclosed runs in a paragraph do not rescan it.
    """
    if dead.get(ticks) == limit:
        return -1
    closer = _tick_run(ticks).search(text, start + ticks, limit)
    if closer is None:
        dead[ticks] = limit
        return -1
    return closer.end()


def _markdown_inline(text: str, blocks: list[Span]) -> list[Span]:
    spans: list[Span] = []
    paragraphs = _ParagraphEnds(text)
    dead: dict[int, int] = {}
    block = 0
    pos = 0
    while (match := _MD_INLINE.search(text, pos)) is not None:
        start = match.start()
        while block < len(blocks) and blocks[block][1] <= start:
            block += 1
        if block < len(blocks) and blocks[block][0] <= start:
            pos = blocks[block][1]
            continue
        next_block = blocks[block][0] if block < len(blocks) else len(text)
        if match.group() == "<!--":
            end = _to(text.find("-->", match.end()), len(text) - 3) + 3
        else:
            limit = min(paragraphs.after(start), next_block)
            end = _code_span_end(text, start, len(match.group()), limit, dead)
        if end < 0:
            pos = match.end()
            continue
        spans.append((start, end))
        pos = end
    return spans


def markdown_regions(text: str) -> Regions:
    """Return the code and comment regions of a Markdown document."""
    blocks = Regions(_markdown_blocks(text)).spans()
    return Regions([*blocks, *_markdown_inline(text, blocks)])


def html_regions(text: str) -> Regions:
    """Return the comment, raw-text-element and tag regions of an HTML document."""
    spans: list[Span] = []
    pos = 0
    while (match := _HTML.search(text, pos)) is not None:
        raw = match.group("raw")
        if match.group() == "<!--":
            end = _to(text.find("-->", match.end()), len(text) - 3) + 3
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
    close = _P_CLOSE.match(text, end)
    if close is None:
        return start, end
    gt = text.rfind(">", max(0, start - _P_WINDOW), start)
    if gt < 0 or _P_GAP.fullmatch(text, gt + 1, start) is None:
        return start, end
    lt = text.rfind("<", max(0, gt - _P_WINDOW), gt)
    if lt < 0 or _P_OPEN.fullmatch(text, lt, gt + 1) is None:
        return start, end
    return lt, close.end()


RegionFinder = Callable[[str], Regions]
FINDERS: dict[str, RegionFinder | None] = {
    "text": None,
    "markdown": markdown_regions,
    "html": html_regions,
}
