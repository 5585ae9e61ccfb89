"""The linear shortcode scanner: find openers and closers, pair them, keep the top level.

One compiled regex per tag set finds every ``[tag …]`` opener and ``[/tag]`` closer in a single
``finditer`` pass. An opener's attribute text stops at the first ``]``, ``/]`` or ``[``, so an
unterminated opener costs only the distance to the next bracket. Pairing is a single forward pass
that remembers, per tag, the last opener still waiting for a closer: a closer pairs with it, a
new opener of the same tag makes it self-contained. Lines and columns are computed only for what
is kept, incrementally in offset order.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import get_args

from asa2render.shortcodes.attributes import parse_attributes
from asa2render.shortcodes.model import Diagnostic, Mode, ScanResult, Severity, Shortcode
from asa2render.shortcodes.positions import Locator
from asa2render.shortcodes.regions import FINDERS, Regions, paragraph_span

_MODES = frozenset(get_args(Mode))


@lru_cache(maxsize=64)
def _event_regex(tags: tuple[str, ...]) -> re.Pattern[str]:
    """Return the opener/closer regex for a tag set (cached: documents reuse one set)."""
    names = "|".join(re.escape(tag) for tag in sorted(tags, key=len, reverse=True))
    return re.compile(
        rf"\[(?:/(?P<closer>{names})\]"
        rf"|(?P<tag>{names})(?![\w-])"
        r"(?P<attrs>[^\[\]/]*+(?:/(?!\])[^\[\]/]*+)*+)(?P<slash>/)?\]?)"
    )


@dataclass(slots=True)
class _Opener:
    tag: str
    start: int
    end: int
    attrs_start: int
    attrs: str
    self_closing: bool
    closer_start: int = -1
    closer_end: int = -1


@dataclass(slots=True)
class _Closer:
    tag: str
    start: int
    end: int
    paired: bool = False


@dataclass(slots=True)
class _Problem:
    offset: int
    code: str
    message: str
    severity: Severity


@dataclass(slots=True)
class _Events:
    openers: list[_Opener]
    closers: list[_Closer]
    unterminated: list[re.Match[str]]


def _tag_key(tags: Iterable[str]) -> tuple[str, ...]:
    if isinstance(tags, str):
        raise TypeError("tags must be an iterable of tag names, not a single string")
    return tuple(sorted({tag for tag in tags if tag}))


def _collect(text: str, regex: re.Pattern[str], regions: Regions | None) -> _Events:
    """Run the one regex pass and pair closers with openers (see the module docstring)."""
    events = _Events([], [], [])
    waiting: dict[str, _Opener] = {}
    for match in regex.finditer(text):
        start, end = match.span()
        if regions and regions.touches(start, end):
            continue
        tag = match.group("closer")
        if tag is not None:
            _close(events, waiting, _Closer(tag, start, end))
        elif text[end - 1] != "]":
            events.unterminated.append(match)
        else:
            opener = _Opener(
                match.group("tag"),
                start,
                end,
                match.start("attrs"),
                match.group("attrs"),
                match.group("slash") is not None,
            )
            events.openers.append(opener)
            if not opener.self_closing:
                waiting[opener.tag] = opener
    return events


def _close(events: _Events, waiting: dict[str, _Opener], closer: _Closer) -> None:
    events.closers.append(closer)
    opener = waiting.pop(closer.tag, None)
    if opener is not None:
        opener.closer_start, opener.closer_end = closer.start, closer.end
        closer.paired = True


def _escape_span(text: str, opener: _Opener) -> tuple[int, int] | None:
    """Return the span of ``[[tag …]]`` or ``[[tag]…[/tag]]`` around ``opener``, if escaped."""
    if opener.start == 0 or text[opener.start - 1] != "[":
        return None
    if opener.closer_end >= 0 and text.startswith("]", opener.closer_end):
        return opener.start - 1, opener.closer_end + 1
    if text.startswith("]", opener.end):
        return opener.start - 1, opener.end + 1
    return None


class _Builder:
    """Turns paired events into top-level shortcodes and located diagnostics."""

    def __init__(self, text: str, mode: Mode) -> None:
        self._text = text
        self._mode = mode
        self._locate = Locator(text)
        self.shortcodes: list[Shortcode] = []
        self.problems: list[_Problem] = []
        self.kept: list[tuple[int, int]] = []

    def add(self, opener: _Opener) -> None:
        """Keep ``opener`` as a shortcode unless it lies inside the previous kept one."""
        escape = _escape_span(self._text, opener)
        if escape is None and opener.closer_end >= 0:
            span = opener.start, opener.closer_end
        else:
            span = escape or (opener.start, opener.end)
        if self.kept and span[0] < self.kept[-1][1]:
            return
        if escape is not None and opener.closer_end > escape[1]:
            # "[[tag]]…[/tag]": the escape wins and the closer is left as text.
            opener.closer_start = opener.closer_end = -1
        self.kept.append(span)
        self.shortcodes.append(self._shortcode(opener, span, escaped=escape is not None))

    def _shortcode(self, opener: _Opener, span: tuple[int, int], *, escaped: bool) -> Shortcode:
        parsed = parse_attributes(opener.attrs)
        if not escaped:
            for problem in parsed.problems:
                offset = opener.attrs_start + problem.offset
                self.problems.append(_Problem(offset, problem.code, problem.message, "error"))
        enclosing = opener.closer_start >= 0
        outer = span
        if self._mode == "html" and not escaped:
            outer = paragraph_span(self._text, *span)
        line, column = self._locate(span[0])
        return Shortcode(
            tag=opener.tag,
            attrs=dict(parsed.named),
            args=parsed.positional,
            content=self._text[opener.end : opener.closer_start] if enclosing else None,
            start=span[0],
            end=span[1],
            line=line,
            column=column,
            escaped=escaped,
            self_closing=opener.self_closing,
            outer_start=outer[0],
            outer_end=outer[1],
        )

    def outside(self, offset: int) -> bool:
        """Return whether ``offset`` lies outside every kept span (``kept`` is sorted)."""
        index = bisect_right(self.kept, (offset, len(self._text) + 1)) - 1
        return index < 0 or self.kept[index][1] <= offset


def _stray_problems(builder: _Builder, events: _Events) -> None:
    for closer in events.closers:
        if not builder.outside(closer.start):
            continue
        builder.problems.append(
            _Problem(
                closer.start,
                "stray-closer",
                f"stray closer [/{closer.tag}] has no opening [{closer.tag}] before it; "
                "it is left as text: remove it or add the opener",
                "warning",
            )
        )
    for match in events.unterminated:
        if builder.outside(match.start()):
            tag = match.group("tag")
            builder.problems.append(
                _Problem(
                    match.start(),
                    "unterminated-opener",
                    f"shortcode [{tag} has no closing ] before the next [ or the end; "
                    "it is left as text: add the ]",
                    "error",
                )
            )


def _diagnostics(text: str, problems: list[_Problem]) -> list[Diagnostic]:
    locate = Locator(text)
    diagnostics = []
    for problem in sorted(problems, key=lambda p: p.offset):
        line, column = locate(problem.offset)
        diagnostics.append(
            Diagnostic(problem.code, problem.message, line, column, problem.severity, problem.offset)
        )
    return diagnostics


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
        path: The document's path; accepted for symmetry with ``expand`` and reserved for
            diagnostics that want it (locations are built with ``Diagnostic.location(path)``).

    Returns:
        Shortcodes sorted by offset with non-overlapping spans, and diagnostics sorted by offset.
    """
    del path  # Diagnostics carry line and column; the caller adds the path when formatting.
    if mode not in _MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {sorted(_MODES)}")
    key = _tag_key(tags)
    if not key or "[" not in text:
        return ScanResult()
    finder = FINDERS[mode]
    regex = _event_regex(key)
    regions = finder(text) if finder is not None and regex.search(text) else None
    events = _collect(text, regex, regions)
    builder = _Builder(text, mode)
    for opener in events.openers:
        builder.add(opener)
    _stray_problems(builder, events)
    return ScanResult(builder.shortcodes, _diagnostics(text, builder.problems))


def parse(text: str, tags: Iterable[str], *, mode: Mode = "text") -> list[Shortcode]:
    """Return the top-level shortcodes of ``tags`` in ``text``; see :func:`scan`."""
    return scan(text, tags, mode=mode).shortcodes
