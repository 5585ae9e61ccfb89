"""Where a shortcode may be expanded in a Markdown page: the one definition, exact CommonMark.

A shortcode in a Markdown page is expanded exactly where markdown-it-py's CommonMark parser hands
text to the inline rule :func:`inline_rule` (the rule the markdown-it-py plugin installs), and in the
HTML blocks of CommonMark types 6 and 7 (``<div>``, ``<table>``, any tag alone on its line) with the
HTML-mode masks. Hence never inside fenced or indented code (also inside block quotes and lists),
code spans (backtick-count rules, across lines), autolinks, inline HTML, HTML comments, or HTML
blocks of types 1–5 (``<pre>``, ``<script>``, ``<style>``, ``<textarea>``, comments, ``<?…?>``,
``<!X…>``, CDATA). In link text, image alt text and link destinations a shortcode is *not*
expanded: it stays literal and a ``shortcode-in-link`` warning says so.

The CLI's Markdown mode (:func:`markdown_mask`, used by ``scan(…, mode="markdown")``) answers the same
question on raw text. Running the parser on every page would cost far more than the scan, so a fast
path proves the common case first: a shortcode in a "plain" paragraph — preceded by a blank line,
every line starting in column 0 with a character that cannot start another block, no backtick,
``<``, backslash, ``![``, ``](``, ``][`` or ``]:``, and no ``[`` other than the shortcodes' own —
outside the top-level fences and HTML blocks 1–5, which one regex pass finds. A box alone on its
line between empty lines is recognised at the shortcode itself. Whenever a page holds anything the
fast path cannot prove (an indented fence, an HTML block before a fence, a shortcode in a list or
next to a link), the page is parsed with markdown-it-py and the answer is read off the parse, so
both paths give markdown-it's answer.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from operator import add, not_
from typing import TYPE_CHECKING, Any

import msgspec

from asa2render.patterns import lazy
from asa2render.shortcodes import scanner as _scanner
from asa2render.shortcodes.model import Severity, Shortcode
from asa2render.shortcodes.regions import Regions, html_regions

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

Problem = tuple[int, str, str, Severity]

#: The ``env`` key the inline rule keeps its runs under (namespaced so it never collides with other plugins).
RUNS = "_asa2_runs"

IN_LINK = "shortcode-in-link"
_LINK_MESSAGES = {
    "text": "is inside link text and is not expanded; move it out of the [link](…)",
    "alt": "is inside image alt text and is not expanded; move it out of the ![image](…)",
    "destination": "is inside a link destination or title and is not expanded",
}

# -- the rules shared with the markdown-it-py plugin ------------------------------------------------


class Run(msgspec.Struct):
    """The shortcodes of one inline run (a paragraph's or heading's text), scanned once.

    ``invoked`` holds the offsets where the inline rule looked at ``[tag``/``[[tag``/``[/tag`` while
    not inside link text: the places markdown-it offers to shortcodes. ``fired`` holds the spans of
    the shortcodes it turned into tokens; ``in_link`` the offsets it left literal in link text.
    """

    shortcodes: dict[int, Shortcode]
    diagnostics: list[Any]
    invoked: list[int] = msgspec.field(default_factory=list)
    fired: list[tuple[int, int]] = msgspec.field(default_factory=list)
    in_link: list[int] = msgspec.field(default_factory=list)


@lru_cache(maxsize=16)
def prefixes(tags: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``("[tag", "[[tag" …)`` and ``("[/tag" …)`` for a tag set."""
    openers = tuple(f"[{tag}" for tag in tags) + tuple(f"[[{tag}" for tag in tags)
    return openers, tuple(f"[/{tag}" for tag in tags)


def run_of(state: StateInline, tags: tuple[str, ...]) -> Run:
    """The :class:`Run` of ``state.src``, scanning it (text mode) the first time it is asked for."""
    runs: dict[int, tuple[str, Run]] = state.env.setdefault(RUNS, {})
    known = runs.get(id(state.src))
    if known is not None and known[0] is state.src:
        return known[1]
    shortcodes, diagnostics = _scan_run(state.src, tags)
    run = Run(shortcodes, list(diagnostics))
    runs[id(state.src)] = (state.src, run)  # the string is kept, so its id stays unique
    return run


@lru_cache(maxsize=4096)
def _scan_run(src: str, tags: tuple[str, ...]) -> tuple[dict[int, Shortcode], tuple[Any, ...]]:
    """Shortcodes by offset and diagnostics of one inline run's text (text mode).

    Memoised: a site repeats the same box paragraph on many pages, and markdown-it hands each over
    as its own run. Shortcodes are frozen; callers must not change the dictionary.
    """
    result = _scanner.scan(src, tags)
    return {sc.start: sc for sc in result.shortcodes}, tuple(result.diagnostics)


def inline_rule(tags: tuple[str, ...]) -> Callable[[StateInline, bool], bool]:
    """The inline rule (install before ``link``): a shortcode at the current position becomes a token.

    markdown-it's earlier rules have already consumed code spans; autolinks and inline HTML start
    with ``<``, so their insides never reach this rule. In link text (``state.linkLevel``) the
    shortcode is left to the text rules and remembered for a warning.
    """
    openers, closers = prefixes(tags)

    def rule(state: StateInline, silent: bool) -> bool:
        # Silent calls come from link label parsing, which must see the shortcode's brackets as
        # text: a shortcode inside a label then stays part of the link text (and literal).
        src, pos = state.src, state.pos
        if silent or src[pos] != "[":
            return False  # most calls: a "*", "!", "-" … that no earlier rule took
        if not src.startswith(openers, pos):
            if not state.linkLevel and src.startswith(closers, pos):
                run_of(state, tags).invoked.append(pos)
            return False
        run = run_of(state, tags)
        if state.linkLevel:
            run.in_link.append(pos)
            return False
        run.invoked.append(pos)
        shortcode = run.shortcodes.get(pos)
        if shortcode is None or shortcode.end > state.posMax:
            return False
        if shortcode.escaped:
            token = state.push("asa2_escape", "", 0)
            token.content = src[shortcode.start + 1 : shortcode.end - 1]
        else:
            token = state.push("asa2_inline", "", 0)
            token.content = src[shortcode.start : shortcode.end]
        token.meta = {"shortcode": shortcode}
        run.fired.append((shortcode.start, shortcode.end))
        state.pos = shortcode.end
        return True

    return rule


_HTML_RAW_BLOCK = lazy(r"[ \t]*<(?:(?:script|pre|style|textarea)(?=[ \t>\n]|$)|[!?])", re.IGNORECASE)


def mentions(text: str, tags: tuple[str, ...]) -> bool:
    """Whether ``text`` names any of ``tags`` (the cheap test before looking for shortcodes in it)."""
    prefix, names = tag_names(tags)
    return prefix in text and names.search(text) is not None


@lru_cache(maxsize=16)
def tag_names(tags: tuple[str, ...]) -> tuple[str, re.Pattern[str]]:
    """The tags' common prefix (a C-speed ``in`` test first) and a regex for any of them."""
    prefix = min(tags, key=len)
    while not all(tag.startswith(prefix) for tag in tags):
        prefix = prefix[:-1]
    return prefix, re.compile("|".join(re.escape(tag) for tag in tags))


def offered(run: Run, offset: int) -> bool:
    """Whether ``offset`` of a run is where the inline rule looked, or inside a shortcode it took."""
    return offset in run.invoked or any(start <= offset < end for start, end in run.fired)


def html_block_expands(content: str) -> bool:
    """Whether shortcodes in an ``html_block`` expand: CommonMark types 6 and 7, not 1–5."""
    return _HTML_RAW_BLOCK().match(content) is None


class LinkShortcode(msgspec.Struct, frozen=True):
    """A shortcode the link rules kept literal: where (token index path) and why."""

    kind: str  # "text", "alt" or "destination"
    raw: str
    inline: Token  # the inline token holding it


def literal_in_links(tokens: Sequence[Token], tags: tuple[str, ...]) -> list[LinkShortcode]:
    """Turn shortcodes in image alt text back into text; list them and those in destinations.

    Image labels are parsed as separate inline runs, so the inline rule cannot tell them from prose;
    their tokens become plain text here, which keeps the alt text exactly as markdown-it without the
    plugin renders it. Destinations and titles never reach the inline rule; they are only reported.
    """
    markers = _destination_markers(tags)
    found: list[LinkShortcode] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type == "image" and child.children:
                for index, inner in enumerate(child.children):
                    if inner.type in {"asa2_inline", "asa2_escape"}:
                        raw = _raw(inner)
                        found.append(LinkShortcode("alt", raw, token))
                        child.children[index] = _text_token(inner, raw)
            if child.type in {"link_open", "image"}:
                values = [str(child.attrGet(name) or "") for name in ("href", "src", "title")]
                if any(marker in value for value in values for marker in markers):
                    found.append(LinkShortcode("destination", "", token))
    return found


@lru_cache(maxsize=16)
def _destination_markers(tags: tuple[str, ...]) -> tuple[str, ...]:
    """``[tag`` and its percent-encoded form ``%5Btag``: how a shortcode shows in a link's attributes."""
    openers, _ = prefixes(tags)
    return (*openers, *(opener.replace("[", "%5B") for opener in openers))


def _raw(token: Token) -> str:
    shortcode: Shortcode = token.meta["shortcode"]
    return f"[{token.content}]" if shortcode.escaped else token.content


def _text_token(token: Token, content: str) -> Token:
    from markdown_it.token import Token as TokenClass

    return TokenClass("text", "", 0, content=content)


def link_message(kind: str) -> str:
    """The ``shortcode-in-link`` warning text for a kind."""
    return f"shortcode {_LINK_MESSAGES[kind]}"


# -- the CLI's Markdown mode -----------------------------------------------------------------------


class Mask:
    """The scanner's view of a page: ``touches(start, end)`` is true where nothing may expand."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def __bool__(self) -> bool:
        return True

    def touches(self, start: int, end: int) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def outside(self, matches: list[re.Match[str]]) -> list[re.Match[str]]:
        """The matches (sorted by start) that touch nothing masked."""
        touches = self.touches
        return [match for match in matches if not touches(*match.span())]


class _FastMask(Mask):
    """The fast path's answer: every event outside the top-level raw blocks lies in a plain paragraph."""

    def __init__(self, raw: Regions) -> None:
        super().__init__()
        self._raw = raw

    def touches(self, start: int, end: int) -> bool:
        return bool(self._raw) and self._raw.touches(start, start + 1)

    def outside(self, matches: list[re.Match[str]]) -> list[re.Match[str]]:
        # One merge of two sorted sequences, the matches and the blocks. A binary search per match
        # (in C, through map) cost more: each of its ~log2(2 × blocks) steps is a generic int
        # comparison (callgrind, 1 MB page with 185 fences: 1.4 M instructions, this loop ~0.4 M).
        if not self._raw:
            return matches
        starts, ends = self._raw.bounds()
        blocks = len(starts)
        kept = []
        block = 0
        for match in matches:
            at = match.start()
            while block < blocks and ends[block] <= at:
                block += 1
            if block == blocks or at < starts[block]:
                kept.append(match)
        return kept


# A fence or HTML line opens with one of these after 0-3 spaces. They are found with ``str.find``
# and each hit is checked for its indentation and opener, rather than with a line-start regex,
# which sre tries at every newline (callgrind, 1 MB page: 13.4 M instructions, now 9.2 M).
# "~" alone, not "~~~": a one-character find is memchr, while a three-character one steps through
# the text at about 2.7 instructions a character; tildes are rare in prose. Backticks are not
# (inline code), so for them the three-character find costs less than a hit per backtick.
_OPENER_NEEDLES = ("```", "~", "<")
_OPENER_AT = re.compile(r"`{3,}|~{3,}|<")
# Compiled on first use (patterns.py), as is _PLAIN_CHUNK: a page without HTML lines never reaches them.
_HTML_RAW_START = (
    (lazy(r"<(?:script|pre|style|textarea)(?=[ \t>]|$)", re.IGNORECASE | re.MULTILINE), None),
    (lazy(r"<!--"), "-->"),
    (lazy(r"<\?"), "?>"),
    (lazy(r"<![A-Za-z]"), ">"),
    (lazy(r"<!\[CDATA\["), "]]>"),
)
_RAW_END = lazy(r"</(?:script|pre|style|textarea)>", re.IGNORECASE)
_BLANK_BETWEEN = re.compile(r"\n[ \t]*\n")
# A plain paragraph: every line starts with a character that cannot open another block, and no
# character that could start a code span, HTML, an escape, an image or a link destination/label.
_PLAIN_CHUNK = lazy(r"(?:(?![\s#>\-*+=_~`<0-9|\\])(?:[^\n`<\\!\]]++|!(?!\[)|\](?![(\[:]))++(?:\n|\Z))*+")


@lru_cache(maxsize=64)
def _top_fence_closer(chars: str) -> re.Pattern[str]:
    return re.compile(rf"\n {{0,3}}{re.escape(chars[0])}{{{len(chars)},}}[ \t]*(?=\n|\Z)")


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end + 1


def _opens_line(text: str, at: int) -> bool:
    """Whether only 0-3 spaces stand between the start of ``at``'s line and ``at``."""
    newline = text.rfind("\n", max(at - 4, 0), at)
    if newline < 0 and at > 3:
        return False
    return not text[newline + 1 : at].strip(" ")


class _Openers:
    """The fence and HTML-line openers of a page in order, each needle searched at most once per offset."""

    __slots__ = ("_hits", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._hits = [-2] * len(_OPENER_NEEDLES)  # -2: not searched yet, -1: none left

    def after(self, line_start: int) -> int:
        """Offset of the first opener on a line starting at or after ``line_start`` (a line start), or -1."""
        text, hits = self._text, self._hits
        first = -1
        for index, needle in enumerate(_OPENER_NEEDLES):
            hit = hits[index]
            if -1 != hit < line_start:
                hit = text.find(needle, line_start)
                while hit >= 0 and not (_opens_line(text, hit) and _OPENER_AT.match(text, hit)):
                    hit = text.find(needle, hit + 1)
                hits[index] = hit
            if hit >= 0 and (first < 0 or hit < first):
                first = hit
        return first


def _top_level_raw_blocks(text: str) -> list[tuple[int, int]] | None:
    """Fences and HTML blocks 1–5 opened in column 0, or ``None`` if the answer is not certain.

    Only openers with no indentation are certain to be top-level; one with 1–3 spaces may sit in a
    list item, and one after a ``<`` line of the same paragraph may be inside an HTML block.
    """
    blocks: list[tuple[int, int]] = []
    openers = _Openers(text)
    last_html = -1
    at = openers.after(0)
    while at >= 0:
        start = text.rfind("\n", max(at - 4, 0), at) + 1
        opener = _OPENER_AT.match(text, at)
        assert opener is not None  # at is a hit of one of the needles
        chars = opener.group()
        if at > start and (chars != "<" or _html_raw_end(text, at) >= 0):
            return None  # an indented fence or raw HTML block may belong to a list item
        if last_html >= 0 and _BLANK_BETWEEN.search(text, last_html, start) is None:
            return None
        if chars != "<":
            line_end = _line_end(text, opener.end())
            if chars[0] == "`" and text.find("`", opener.end(), line_end) >= 0:
                at = openers.after(line_end)  # a backtick in the info string: not a fence
                continue
            closer = _top_fence_closer(chars).search(text, line_end - 1)
            end = _line_end(text, closer.end()) if closer else len(text)
        else:
            end = _html_raw_end(text, at)
            if end < 0:
                last_html = start
                at = openers.after(_line_end(text, start))
                continue
        blocks.append((start, end))
        at = openers.after(end)
    return blocks


def _html_raw_end(text: str, start: int) -> int:
    """End of the HTML block of type 1–5 starting at ``start``, or -1 for other lines."""
    for pattern, closer in _HTML_RAW_START:
        if pattern().match(text, start):
            if closer is None:
                found = _RAW_END().search(text, start)
                return _line_end(text, found.end()) if found else len(text)
            at = text.find(closer, start)
            return _line_end(text, at + len(closer)) if at >= 0 else len(text)
    return -1


# A paragraph that is one shortcode line between empty lines is plain without further checks: the
# usual case, a box on its own line. Matched at each event (``match`` at the event's offset), so
# no extra pass over the page is made: on large pages every pass re-reads the text from memory.
# The lookbehind sees the text before the offset given to ``match``: the empty line above.
_LONE_LINE = lazy(r"(?<=\n\n)\[[^\n\[\]`<\\]*+\][ \t]*+\n(?=\n|\Z)")


def _fast_mask(text: str, starts: Sequence[int], ends: Sequence[int]) -> Mask | None:
    """The fast path (see the module docstring), or ``None`` when a slow parse is needed.

    Chunks are the runs of lines between empty lines; a line holding only spaces counts as text
    here, which can only make a chunk fail the plain test (then the page is parsed). Each chunk is
    found once, from the first event in it, so the work stays linear in the page.
    """
    raw = _top_level_raw_blocks(text)
    if raw is None:
        return None
    raw_regions = Regions(raw)
    chunk_end = -1
    # Lone boxes are told apart in C (map, compress), so only the other events reach the Python
    # loop; a lone box never lies in a chunk checked before it, which starts past an earlier event.
    lone = map(_LONE_LINE().match, repeat(text), starts)
    for index in compress(count(), map(not_, lone)):
        start = starts[index]
        if start < chunk_end or raw_regions.touches(start, start + 1):
            continue
        blank = text.rfind("\n\n", max(chunk_end - 1, 0), start)
        chunk_start = blank + 2 if blank >= 0 else max(chunk_end, 0)
        found = text.find("\n\n", start)
        chunk_end = found + 1 if found >= 0 else len(text)
        if ends[index] > chunk_end or not _plain_chunk(text, chunk_start, chunk_end, starts, index):
            return None
    return _FastMask(raw_regions)


def _plain_chunk(text: str, start: int, end: int, starts: Sequence[int], index: int) -> bool:
    """Whether ``text[start:end]`` is a plain paragraph whose only ``[`` are the events' own.

    ``starts[index]`` is the chunk's first event (earlier ones lie in earlier chunks). Besides an
    event's own ``[``, only the outer ``[`` of an escape (``[[tag``) is allowed: every ``[[`` counts
    one such bracket, so any other ``[`` makes the counts differ.
    """
    if _PLAIN_CHUNK().fullmatch(text, start, end) is None:
        return False
    inside = bisect_left(starts, end, lo=index) - index
    return text.count("[", start, end) == inside + text.count("[[", start, end)


# -- the slow path: markdown-it-py's own parse -------------------------------------------------------


class _ParsedMask(Mask):
    """The answer read off a markdown-it-py parse, in offsets of the original text."""

    def __init__(self, shift: Callable[[int], int]) -> None:
        super().__init__()
        self._shift = shift
        self.invoked: dict[int, int] = {}
        self.fired: list[tuple[int, int]] = []
        self.html: list[tuple[int, int, Regions]] = []

    def touches(self, start: int, end: int) -> bool:
        start, end = self._shift(start), self._shift(end)
        run_end = self.invoked.get(start)
        if run_end is not None and end <= run_end:
            return False
        index = bisect_right(self.fired, (start, 1 << 62)) - 1
        if index >= 0 and self.fired[index][0] < start and end <= self.fired[index][1]:
            return False
        for block_start, block_end, masked in self.html:
            if block_start <= start and end <= block_end:
                return masked.touches(start, end)
        return True


@lru_cache(maxsize=8)
def locating_parser(tags: tuple[str, ...]) -> MarkdownIt:
    """CommonMark markdown-it-py with the shared inline rule: the reference for Markdown mode."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    md.inline.ruler.before("link", "asa2_inline", inline_rule(tags))
    return md


class SourceLines:
    """The lines of a (normalised) page, and where the content of a token sits in them.

    Block tokens carry only line numbers; their content is the end of each source line (container
    markers and indentation removed from the front), except that an inline run is stripped at its
    ends and an ATX heading's content sits between the ``#`` marks.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        """Offset of every line's first character (computed on first use, in C loops)."""
        if self._starts is None:
            lengths = accumulate(map(len, self.lines), initial=0)
            self._starts = list(map(add, lengths, range(len(self.lines) + 1)))
        return self._starts

    def line(self, number: int) -> tuple[int, int]:
        start = self.starts[number]
        return start, start + len(self.lines[number])

    def _column(self, token: Token, heading: bool, number: int, content: str, last: bool) -> int:
        """0-based column in source line ``token.map[0] + number`` where content line ``content`` starts."""
        assert token.map is not None
        source = self.lines[token.map[0] + number]
        if heading:
            marker = source.find("#")
            return max(source.find(content, marker + 1 if marker >= 0 else 0), 0)
        return (len(source.rstrip()) if last else len(source)) - len(content)

    def run_starts(self, token: Token, heading: bool) -> list[int]:
        """Source offset of each line of an inline run's content."""
        assert token.map is not None
        lines = token.content.split("\n")
        return [
            self.starts[token.map[0] + number]
            + self._column(token, heading, number, content, number == len(lines) - 1)
            for number, content in enumerate(lines)
        ]

    def position(self, token: Token, heading: bool, offset: int) -> tuple[int, int]:
        """1-based line and column in the source of ``offset`` in an inline run's content."""
        assert token.map is not None
        content = token.content
        number = content.count("\n", 0, offset)
        start = content.rfind("\n", 0, offset) + 1
        end = content.find("\n", start)
        last = end < 0
        column = self._column(token, heading, number, content[start : len(content) if last else end], last)
        return token.map[0] + number + 1, column + offset - start + 1

    def block_position(self, token: Token, offset: int) -> tuple[int, int]:
        """1-based line and column in the source of ``offset`` in an HTML block's content."""
        assert token.map is not None
        content = token.content
        number = content.count("\n", 0, offset)
        start = content.rfind("\n", 0, offset) + 1
        end = content.find("\n", start)
        length = (len(content) if end < 0 else end) - start
        source = self.lines[token.map[0] + number]
        return token.map[0] + number + 1, len(source) - length + offset - start + 1


def _map(offsets: list[int], content: str, line_starts: list[int], position: int) -> int:
    line = bisect_right(line_starts, position) - 1
    return offsets[line] + position - line_starts[line]


def _content_line_starts(content: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", content))]


def _parsed_mask(text: str, tags: tuple[str, ...]) -> Mask:
    normal, shift, unshift = _normalise(text)
    mask = _ParsedMask(shift)
    env: dict[str, Any] = {}
    tokens = locating_parser(tags).parse(normal, env)
    runs: dict[int, tuple[str, Run]] = env.get(RUNS, {})
    lines = SourceLines(normal)
    for index, token in enumerate(tokens):
        if token.type == "html_block" and token.map and html_block_expands(token.content):
            _html_block(mask, lines, token)
        if token.type != "inline" or token.map is None:
            continue
        known = runs.get(id(token.content))
        if known is None and not mentions(token.content, tags):
            continue
        heading = index > 0 and tokens[index - 1].markup.startswith("#")
        offsets = lines.run_starts(token, heading)
        starts = _content_line_starts(token.content)
        if known is not None and known[0] is token.content:
            run = known[1]
            run_end = _map(offsets, token.content, starts, len(token.content) - 1) + 1
            for position in run.invoked:
                mask.invoked[_map(offsets, token.content, starts, position)] = run_end
            for start, end in run.fired:
                mapped = _map(offsets, token.content, starts, start)
                mask.fired.append((mapped, _map(offsets, token.content, starts, end - 1) + 1))
            for position in run.in_link:
                _link_problem(mask, unshift(_map(offsets, token.content, starts, position)), "text")
        for found in literal_in_links([token], tags):
            _link_problem(mask, unshift(offsets[0]), found.kind)
    mask.fired.sort()
    return mask


def _html_block(mask: _ParsedMask, lines: SourceLines, token: Token) -> None:
    """Record an HTML block of type 6/7: its HTML-mode masks, mapped to source offsets."""
    assert token.map is not None
    content = token.content
    starts = _content_line_starts(content)
    offsets = []
    for number in range(len(starts) - (1 if content.endswith("\n") else 0)):
        _, end = lines.line(token.map[0] + number)
        line_end = starts[number + 1] - 1 if number + 1 < len(starts) else len(content)
        offsets.append(end - (line_end - starts[number]))
    if not offsets:
        return
    spans = [
        (_map(offsets, content, starts, a), _map(offsets, content, starts, max(a, b - 1)) + 1)
        for a, b in html_regions(content).spans()
    ]
    block_start = offsets[0]
    block_end = _map(offsets, content, starts, max(len(content.rstrip("\n")) - 1, 0)) + 1
    mask.html.append((block_start, block_end, Regions(spans)))


def _link_problem(mask: Mask, offset: int, kind: str) -> None:
    mask.problems.append((offset, IN_LINK, link_message(kind), "warning"))


def _normalise(text: str) -> tuple[str, Callable[[int], int], Callable[[int], int]]:
    """markdown-it's input normalisation (CR LF and CR → LF; NUL → U+FFFD) with offset maps."""
    text = text.replace("\x00", "\ufffd")
    if "\r" not in text:
        return text, _same, _same
    removed = [match.start() for match in re.finditer("\r(?=\n)", text)]
    normal = text.replace("\r\n", "\n").replace("\r", "\n")

    def shift(offset: int) -> int:
        return offset - bisect_right(removed, offset - 1)

    def unshift(offset: int) -> int:
        low, high = offset, offset + len(removed)
        while low < high:  # the smallest original offset that shifts to ``offset``
            middle = (low + high) // 2
            if shift(middle) < offset:
                low = middle + 1
            else:
                high = middle
        return low

    return normal, shift, unshift


def _same(offset: int) -> int:
    return offset


def markdown_mask(text: str, tags: tuple[str, ...], starts: Sequence[int], ends: Sequence[int]) -> Mask:
    """Where shortcodes may not expand in a Markdown page, for the scanner's events (their sorted
    start and end offsets: arrays, not match objects, so a page of millions of events stays small)."""
    if "\r" not in text and "\x00" not in text:
        fast = _fast_mask(text, starts, ends)
        if fast is not None:
            return fast
    return _parsed_mask(text, tags)


__all__ = [
    "IN_LINK",
    "RUNS",
    "LinkShortcode",
    "Mask",
    "Run",
    "SourceLines",
    "html_block_expands",
    "inline_rule",
    "link_message",
    "literal_in_links",
    "locating_parser",
    "markdown_mask",
    "mentions",
    "offered",
    "prefixes",
    "run_of",
    "tag_names",
]
