"""The linear shortcode scanner: find openers and closers, pair them, keep the top level.

1. One compiled regex per tag set (cached) finds every ``[tag …]`` opener and ``[/tag]`` closer
   in a single ``finditer`` pass. An opener's attribute text stops at the first ``]``, ``/]`` or
   ``[``, so an unterminated opener costs only the distance to the next bracket.
2. Pairing is one forward pass over those matches that remembers, per tag, the last opener still
   waiting: a closer pairs with it, a new opener of the same tag leaves it self-contained.
   Matches without any closer skip this step.
3. Building keeps each shortcode that starts at or after the end of the previous kept one;
   lines and columns are counted incrementally (``str.count`` between consecutive offsets).

The build loop is written flat, with locals instead of helper calls, because it runs once per
match and the scanner is benchmarked against a bare ``re.finditer``.
"""

from __future__ import annotations

import gc
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import islice, repeat
from operator import attrgetter
from sys import intern
from typing import get_args

from asa2render.shortcodes.attributes import Problem, parse_attributes
from asa2render.shortcodes.commonmark import markdown_mask
from asa2render.shortcodes.model import (
    Diagnostic,
    Mode,
    ScanResult,
    Severity,
    Shortcode,
    new_shortcode,
)
from asa2render.shortcodes.positions import Locator
from asa2render.shortcodes.regions import html_regions, paragraph_span

_MODES = frozenset(get_args(Mode))
# Group numbers in the event regex; ``lastindex`` tells the kinds apart without group lookups.
_CLOSER, _TAG, _ATTRS, _SLASH, _BRACKET = 1, 2, 3, 4, 5
_LAST_INDEX = attrgetter("lastindex")
_START = attrgetter("start")
_MATCH_START, _MATCH_END = re.Match.start, re.Match.end
_BATCH = 4096

_Problem = tuple[int, str, str, Severity]
_Found = tuple[list[re.Match[str]], "array[int]", list[_Problem]]


@lru_cache(maxsize=64)
def _event_regex(tags: tuple[str, ...]) -> re.Pattern[str]:
    """Return the opener/closer regex for a tag set (cached: documents reuse one set)."""
    # "(?:X|)" rather than "(?:X)?" for the optional "/" and "]": sre runs an optional group that
    # holds a capture through its general repeat machinery, once per match; a branch costs less
    # (callgrind, 1 MB page: 0.6 M instructions). Same matches, groups and lastindex (tested).
    names = "|".join(re.escape(tag) for tag in sorted(tags, key=len, reverse=True))
    return re.compile(
        rf"\[(?:/({names})\]"
        rf"|({names})(?![\w-])"
        r"([^\[\]/]*+(?:/(?!\])[^\[\]/]*+)*+)(?:(?:(/)|)(\])|))"
    )


# WordPress refuses these characters in names (add_shortcode); so do we, because a name holding
# a bracket, slash or space could never be matched consistently.
_BAD_TAG = re.compile(r"[\s\[\]/<>&=\"'\x00-\x20]")


def _tag_key(tags: Iterable[str]) -> tuple[str, ...]:
    """Return the tag set as a sorted tuple, the cache key of the event regex."""
    # A lone string is one tag name ("asa2"), not an iterable of one-letter tags.
    key = (tags,) if isinstance(tags, str) else tuple(sorted(set(tags)))
    for tag in key:
        if not tag or _BAD_TAG.search(tag):
            raise ValueError(f"invalid shortcode tag name {tag!r}: use letters, digits, - or _")
    return key


class _Events:
    """Openers with their closers (parallel lists), all closers and unterminated openers.

    ``paired[i]`` is the closer of ``openers[i]`` or ``None``; when the text holds no ``[/`` at
    all, ``paired`` is ``None`` and every opener is self-contained.
    """

    __slots__ = ("closers", "openers", "paired", "unterminated")

    def __init__(self) -> None:
        self.openers: list[re.Match[str]] = []
        self.paired: list[re.Match[str] | None] | None = []
        self.closers: list[re.Match[str]] = []
        # Offsets only: a hostile page can hold millions of "[asa2 " without "]", and a match
        # object each would cost gigabytes (issue 18). The tag is re-read for the few reported.
        self.unterminated: array[int] = array("q")

    def pairs(self) -> Iterable[tuple[re.Match[str], re.Match[str] | None]]:
        """Return (opener, closer or None) in offset order."""
        if self.paired is None:
            return zip(self.openers, repeat(None), strict=False)  # repeat() never ends
        return zip(self.openers, self.paired, strict=True)


def _matches(text: str, regex: re.Pattern[str], mode: Mode, key: tuple[str, ...]) -> _Found:
    """Return the matches outside the mode's masked regions, the unterminated openers' offsets, and
    the mask's problems.

    Unterminated openers stay offsets and the mask sees offset arrays, never a match object each: a
    hostile page can hold millions of "[asa2 " without "]" (issue 18: gigabytes otherwise).
    """
    kept: list[re.Match[str]] = []
    unterminated, unterminated_ends = array("q"), array("q")
    starts, ends = array("q"), array("q")
    markdown = mode == "markdown"
    found = regex.finditer(text)
    # In batches, so the per-match work runs in C (map, extend) and at most one batch of match
    # objects for unterminated openers exists at a time.
    for batch in iter(lambda: list(islice(found, _BATCH)), []):
        if markdown:
            starts.extend(map(_MATCH_START, batch))
            ends.extend(map(_MATCH_END, batch))
        if _ATTRS not in map(_LAST_INDEX, batch):
            kept += batch
            continue
        for match in batch:
            if match.lastindex == _ATTRS:
                unterminated.append(match.start())
                unterminated_ends.append(match.end())
            else:
                kept.append(match)
    if mode == "text" or not (kept or unterminated):
        return kept, unterminated, []
    if markdown:
        mask = markdown_mask(text, key, starts, ends)
        touches, problems = mask.touches, mask.problems
        kept = mask.outside(kept)
    else:
        touches, problems = html_regions(text).touches, []
        kept = [match for match in kept if not touches(*match.span())]
    del starts, ends
    outside = array(
        "q", (at for at, end in zip(unterminated, unterminated_ends, strict=True) if not touches(at, end))
    )
    return kept, outside, problems


def _collect(matches: list[re.Match[str]], unterminated: array[int]) -> _Events:
    """Pair closers with openers in the one regex pass's matches (see the module docstring)."""
    events = _Events()
    events.unterminated = unterminated
    if _CLOSER not in map(_LAST_INDEX, matches):
        # No closer among the matches (the usual case for product boxes): skip pairing altogether.
        # Asked of the matches, not of the text: a `"[/" in text` re-read the whole page (1.2 ms
        # a MB, 4 % of a scan) and answered yes for any "[/" at all, code and other tags included.
        events.openers = matches
        events.paired = None
        return events
    _pair(events, matches)
    return events


def _pair(events: _Events, matches: list[re.Match[str]]) -> None:
    """Sort matches into events, pairing each closer with its tag's last waiting opener."""
    openers, closers = events.openers, events.closers
    paired: list[re.Match[str] | None] = []
    waiting: dict[str, int] = {}
    for match in matches:
        kind = match.lastindex
        if kind == _BRACKET:
            if match.group(_SLASH) is None:
                waiting[match.group(_TAG)] = len(openers)
            openers.append(match)
            paired.append(None)
        elif kind == _CLOSER:
            closers.append(match)
            index = waiting.pop(match.group(_CLOSER), -1)
            if index >= 0:
                paired[index] = match
    events.paired = paired


class _Builder:
    """Turns paired events into top-level shortcodes, in one ascending pass."""

    def __init__(self, text: str, mode: Mode) -> None:
        self.text = text
        self.html = mode == "html"
        self.shortcodes: list[Shortcode] = []
        self.problems = _ProblemLog()

    def build(self, pairs: Iterable[tuple[re.Match[str], re.Match[str] | None]]) -> None:
        """Keep every opener that does not start inside the previous kept span."""
        text, html = self.text, self.html
        append = self.shortcodes.append
        count, rfind, startswith = text.count, text.rfind, text.startswith
        last_end = line_start = located = 0
        line = 1
        for opener, closer in pairs:
            start, end = opener.span()
            # One group() call for the three groups: a call per group cost more than the tuple.
            tag, attributes, slash = opener.group(_TAG, _ATTRS, _SLASH)
            escaped = start > 0 and text[start - 1] == "["
            if escaped:
                if closer is not None and startswith("]", closer.end()):
                    span_start, span_end = start - 1, closer.end() + 1
                elif startswith("]", end):
                    # "[[tag]]" wins over a later closer, which is then left as text.
                    span_start, span_end, closer = start - 1, end + 1, None
                else:
                    escaped = False
            if not escaped:
                span_start, span_end = start, closer.end() if closer is not None else end
            if span_start < last_end:
                continue
            last_end = span_end
            newlines = count("\n", located, span_start)
            if newlines:
                line += newlines
                # Most shortcodes start their line: one character read instead of a call to rfind.
                line_start = (
                    span_start if text[span_start - 1] == "\n" else rfind("\n", located, span_start) + 1
                )
            located = span_start
            parsed = parse_attributes(attributes)
            if parsed.problems and not escaped:
                self._attribute_problems(opener.start(_ATTRS), parsed.problems)
            if html and not escaped:
                outer_start, outer_end = paragraph_span(text, span_start, span_end)
            else:
                outer_start, outer_end = span_start, span_end
            append(
                new_shortcode(
                    # Interned: one string per tag name, not one per shortcode.
                    intern(tag),
                    parsed.named.copy(),
                    parsed.positional,
                    text[end : closer.start()] if closer is not None else None,
                    span_start,
                    span_end,
                    line,
                    span_start - line_start + 1,
                    escaped,
                    slash is not None,
                    outer_start,
                    outer_end,
                )
            )

    def _attribute_problems(self, base: int, problems: tuple[Problem, ...]) -> None:
        self.problems.extend(
            (base + problem.offset, problem.code, problem.message, "error") for problem in problems
        )

    def outside(self, offset: int) -> bool:
        """Return whether ``offset`` lies outside every kept span (the spans are sorted, disjoint)."""
        # The shortcodes themselves are the kept spans: no offset arrays are filled during the build
        # for the rare page with stray closers or unterminated openers.
        shortcodes = self.shortcodes
        index = bisect_right(shortcodes, offset, key=_START) - 1
        return index < 0 or shortcodes[index].end <= offset


def _stray_problems(builder: _Builder, events: _Events, regex: re.Pattern[str]) -> None:
    for closer in events.closers:
        if builder.outside(closer.start()):
            if builder.problems.full("stray-closer"):
                builder.problems.drop("warning")
                continue
            tag = closer.group(_CLOSER)
            message = (
                f"stray closer [/{tag}] has no opening [{tag}] before it; "
                "it is left as text: remove it or add the opener"
            )
            builder.problems.append((closer.start(), "stray-closer", message, "warning"))
    problems = builder.problems
    for offset in events.unterminated:
        if not builder.outside(offset):
            continue
        if problems.full("unterminated-opener"):
            problems.drop("error")  # counted, not spelled out: see _ProblemLog
            continue
        opener = regex.match(builder.text, offset)
        tag = opener.group(_TAG) if opener else "?"
        message = (
            f"shortcode [{tag} has no closing ] before the next [ or the end; it is left as text: add the ]"
        )
        problems.append((offset, "unterminated-opener", message, "error"))


def _diagnostics(text: str, problems: _ProblemLog) -> list[Diagnostic]:
    locate = Locator(text)
    diagnostics = []
    shown, hidden, hidden_errors, first_hidden = problems.report()
    for offset, code, message, severity in shown:
        line, column = locate(offset)
        diagnostics.append(Diagnostic(code, message, line, column, severity, offset))
    if hidden:
        line, column = locate(first_hidden)
        worst: Severity = "error" if hidden_errors else "warning"
        message = (
            f"{hidden} more problem(s) from here on are not listed ({hidden_errors} error(s)); "
            f"only the first {MAX_DIAGNOSTICS} are"
        )
        diagnostics.append(Diagnostic("more-problems", message, line, column, worst, first_hidden))
    return diagnostics


MAX_DIAGNOSTICS = 1000


class _ProblemLog:
    """The problems of one scan, bounded: the first ``MAX_DIAGNOSTICS`` by offset, and a count.

    A hostile page can hold millions of problems (issue 18: 3.5 million warning lines, gigabytes
    of memory). Each code's problems arrive in ascending offset order, so keeping the first
    ``MAX_DIAGNOSTICS + 1`` of each code is enough to know the overall first ones exactly.
    """

    __slots__ = ("_by_code", "_dropped", "_dropped_errors")

    def __init__(self) -> None:
        self._by_code: dict[str, list[_Problem]] = {}
        self._dropped = 0
        self._dropped_errors = 0

    def full(self, code: str) -> bool:
        return len(self._by_code.get(code, ())) > MAX_DIAGNOSTICS

    def drop(self, severity: Severity) -> None:
        self._dropped += 1
        self._dropped_errors += severity == "error"

    def append(self, problem: _Problem) -> None:
        kept = self._by_code.setdefault(problem[1], [])
        if len(kept) > MAX_DIAGNOSTICS:
            self.drop(problem[3])
        else:
            kept.append(problem)

    def extend(self, problems: Iterable[_Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def report(self) -> tuple[list[_Problem], int, int, int]:
        """Shown problems by offset; how many are hidden, how many of those are errors, the first's offset."""
        merged = sorted((p for kept in self._by_code.values() for p in kept), key=lambda p: p[0])
        shown, rest = merged[:MAX_DIAGNOSTICS], merged[MAX_DIAGNOSTICS:]
        hidden = len(rest) + self._dropped
        errors = sum(p[3] == "error" for p in rest) + self._dropped_errors
        return shown, hidden, errors, rest[0][0] if rest else 0


def scan(
    text: str,
    tags: Iterable[str],
    *,
    mode: Mode = "text",
    path: str | None = None,
) -> ScanResult:
    """Find the top-level shortcodes of ``tags`` in ``text`` and report problems.

    Args:
        text: The document.
        tags: Tag names to recognise (case-sensitive); others are left alone.
        mode: ``"text"`` scans everything; ``"markdown"`` and ``"html"`` skip code, comments
            and (HTML) tag insides, see :mod:`asa2render.shortcodes.regions`.
        path: The document's path. Diagnostics carry line and column only; pass the same path
            to ``Diagnostic.location``/``format`` (``expand`` does) to name the file.

    Returns:
        Shortcodes sorted by offset with non-overlapping spans, and diagnostics sorted by offset.
    """
    del path  # Accepted so callers can pass one keyword set to scan and expand.
    if mode not in _MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {sorted(_MODES)}")
    key = _tag_key(tags)
    if not key or "[" not in text:
        return ScanResult()
    regex = _event_regex(key)
    # Every object made here is acyclic; pausing the cyclic collector spares it from
    # re-traversing the growing result lists, which made large documents superlinear. Measured
    # with `python -m benchmarks.profile tricks` (CPU time, median of 5): 8 MB with an unclosed
    # opener on every line takes 346 ms with the pause and 503 ms without (43 vs 63 ms/MB; 1 MB:
    # 40 vs 44 ms), so without it scanner_linearity would be 1.43 instead of 1.09. Kept for that.
    collecting = gc.isenabled()
    gc.disable()
    try:
        matches, unterminated, problems = _matches(text, regex, mode, key)
        events = _collect(matches, unterminated)
        builder = _Builder(text, mode)
        builder.problems.extend(problems)
        builder.build(events.pairs())
        _stray_problems(builder, events, regex)
        _, omitted, omitted_errors, _ = builder.problems.report()
        return ScanResult(builder.shortcodes, _diagnostics(text, builder.problems), omitted, omitted_errors)
    finally:
        if collecting:
            gc.enable()


def parse(text: str, tags: Iterable[str], *, mode: Mode = "text") -> list[Shortcode]:
    """Return the top-level shortcodes of ``tags`` in ``text``; see :func:`scan`."""
    return scan(text, tags, mode=mode).shortcodes
