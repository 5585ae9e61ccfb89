"""Regions of a Markdown or HTML document where shortcodes must not be touched.

Every mask is found with compiled regexes and ``str.find``; Python code runs once per *construct*
(fence, code span, tag holding a ``[``), never once per character, so the masks cost linear time.

Markdown (CommonMark, pragmatically):
    fenced code (backticks or tildes, closer at least as long, unclosed runs to the end, fences
    indented inside list items and blockquotes accepted), indented code after a blank line
    (unless the previous line is a list item or indented, i.e. list continuation), code spans
    (backtick runs of equal length, within one paragraph) and HTML comments (unclosed: to the end).
    A fence's prefix (indentation, ``>`` markers) may be at most 64 characters long. Lines may
    end with ``\r\n``.
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

# Each construct gets its own regex starting with a literal, which the regex engine finds with a
# fast scan; a combined alternation would be tried at every position of the text instead.
_MD_BLOCK_STARTS = (
    ("fence", re.compile(r"```+")),
    ("fence", re.compile(r"~~~+")),
    ("comment", re.compile(r"<!--")),
    ("indented", re.compile(r"\n[ \t\r]*\n(?= {4}|\t)")),
)
_MD_INLINE_STARTS = (("code", re.compile(r"``*")), ("comment", re.compile(r"<!--")))
_INDENTED_BLOCK = re.compile(r"(?: {4}|\t)[^\n]*(?:\n(?:[ \t\r]*\n)*+(?: {4}|\t)[^\n]*)*+")
_PREFIX_WINDOW = 64
_FENCE_PREFIX = re.compile(r"(?:[ \t]*>)*[ \t]*")
_COMMENT_PREFIX = re.compile(r"[ ]{0,3}")
_LIST_OR_INDENTED = re.compile(r"[ \t]|[ ]{0,3}(?:[-+*]|\d{1,9}[.)])(?=[ \t\r\n]|\Z)")
_BLANK_LINE = re.compile(r"\n[ \t\r]*(?:\n|\Z)")
_HTML = re.compile(
    r"<(?:!--"
    r"|(?P<raw>pre|code|script|style|textarea)(?=[\s/>])"
    # Only tags with a "[" before the next "<" can hide a shortcode; the lookahead keeps the
    # Python-level work proportional to those, not to every tag of the page.
    r"|(?=[^<]*\[)/?[A-Za-z][\w:-]*[^>\"'<]*+(?:(?:\"[^\"<]*+\"|'[^'<]*+')[^>\"'<]*+)*+>)",
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
    return re.compile(rf"^(?:[ \t]*>)*[ \t]*{char}{{{len(chars)},}}[ \t\r]*$", re.MULTILINE)


@lru_cache(maxsize=64)
def _tick_run(length: int) -> re.Pattern[str]:
    # No lookbehind: a pattern starting with a literal lets the engine skip ahead fast; the
    # caller rejects matches that end a longer run.
    return re.compile(rf"`{{{length}}}(?!`)")


@lru_cache(maxsize=8)
def _raw_closer(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}\s*>", re.IGNORECASE)


def _to(found: int, fallback: int) -> int:
    return fallback if found < 0 else found


def _is_list_continuation(text: str, start: int) -> bool:
    """Return whether the last non-blank line before ``start`` makes indentation a continuation.

    Only a short window is copied: the blank lines before ``start`` are few, and the previous
    line's start is found with ``rfind``, which costs that line's length once.
    """
    window = text[max(0, start - 256) : start]
    stripped = window.rstrip()
    if not stripped:
        return False
    end = start - len(window) + len(stripped)
    line_start = text.rfind("\n", 0, end) + 1
    return _LIST_OR_INDENTED.match(text, line_start) is not None


class _Starts:
    """The next start of any of several constructs, each searched again only once passed."""

    def __init__(self, text: str, kinds: tuple[tuple[str, re.Pattern[str]], ...]) -> None:
        self._text = text
        self._kinds = kinds
        self._next: list[re.Match[str] | None] = [None] * len(kinds)
        self._done = [False] * len(kinds)

    def find(self, pos: int) -> tuple[str, re.Match[str]] | None:
        """Return the kind and match of the construct starting first at or after ``pos``."""
        best: tuple[str, re.Match[str]] | None = None
        for index, (kind, pattern) in enumerate(self._kinds):
            match = self._next[index]
            if (match is None or match.start() < pos) and not self._done[index]:
                match = self._next[index] = pattern.search(self._text, pos)
                self._done[index] = match is None
            if (
                match is not None
                and match.start() >= pos
                and (best is None or match.start() < best[1].start())
            ):
                best = kind, match
        return best


def _line_start(text: str, start: int) -> int:
    """Return where the line holding ``start`` begins, or -1 if that is over 64 characters back.

    Block constructs allow only a short indentation prefix; bounding the look-back keeps a
    one-line document full of backticks linear.
    """
    floor = max(0, start - _PREFIX_WINDOW)
    newline = text.rfind("\n", floor, start)
    if newline < 0 and floor > 0:
        return -1
    return newline + 1


def _line_prefix_is(text: str, start: int, prefix: re.Pattern[str]) -> bool:
    """Return whether the text between the line start and ``start`` matches ``prefix``."""
    line_start = _line_start(text, start)
    return line_start >= 0 and prefix.fullmatch(text, line_start, start) is not None


def _comment_end(text: str, start: int) -> int:
    """Return the end of the comment opened at ``start``; an unclosed one runs to the end."""
    return _to(text.find("-->", start + 4), len(text) - 3) + 3


def _fence(text: str, match: re.Match[str]) -> Span | None:
    """Return the span of the fence opened by ``match``, or ``None`` if it is no fence."""
    chars = match.group()
    if not _line_prefix_is(text, match.start(), _FENCE_PREFIX):
        return None
    # Checked only for fences at a line start, so each line is searched at most once.
    line_end = _to(text.find("\n", match.end()), len(text))
    if chars[0] == "`" and text.find("`", match.end(), line_end) >= 0:
        return None
    closer = _fence_closer(chars).search(text, line_end)
    return _line_start(text, match.start()), closer.end() if closer else len(text)


def _indented(text: str, start: int) -> Span | None:
    """Return the indented code block starting at ``start`` unless it continues a list."""
    if _is_list_continuation(text, start):
        return None
    block = _INDENTED_BLOCK.match(text, start)
    return block.span() if block else None


def _block_at(text: str, kind: str, match: re.Match[str]) -> Span | None:
    """Return the masked block that ``match`` starts, or ``None`` if it starts none."""
    if kind == "fence":
        return _fence(text, match)
    if kind == "comment":
        if not _line_prefix_is(text, match.start(), _COMMENT_PREFIX):
            return None  # An inline comment: the inline pass masks it.
        return match.start(), _comment_end(text, match.start())
    return _indented(text, match.end())


def _markdown_blocks(text: str) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    first = _indented(text, 0)
    if first is not None:
        spans.append(first)
        pos = first[1]
    starts = _Starts(text, _MD_BLOCK_STARTS)
    while (found := starts.find(pos)) is not None:
        kind, match = found
        block = _block_at(text, kind, match)
        if block is None:
            pos = match.end()
            continue
        spans.append(block)
        pos = block[1]
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
    pattern = _tick_run(ticks)
    pos = start + ticks
    while (closer := pattern.search(text, pos, limit)) is not None:
        if text[closer.start() - 1] != "`":
            return closer.end()
        pos = closer.end()
    dead[ticks] = limit
    return -1


def _markdown_inline(text: str, blocks: list[Span]) -> list[Span]:
    spans: list[Span] = []
    paragraphs = _ParagraphEnds(text)
    starts = _Starts(text, _MD_INLINE_STARTS)
    dead: dict[int, int] = {}
    block = 0
    pos = 0
    while (found := starts.find(pos)) is not None:
        kind, match = found
        start = match.start()
        while block < len(blocks) and blocks[block][1] <= start:
            block += 1
        if block < len(blocks) and blocks[block][0] <= start:
            pos = blocks[block][1]
            continue
        if kind == "comment":
            end = _comment_end(text, start)
        else:
            next_block = blocks[block][0] if block < len(blocks) else len(text)
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
