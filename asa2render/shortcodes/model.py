"""The values the scanner hands out: shortcodes, diagnostics and the result of one scan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import msgspec

from asa2render.errors import Location

Severity = Literal["warning", "error"]
Mode = Literal["text", "markdown", "html"]


@dataclass(frozen=True, slots=True)
class Shortcode:
    """One shortcode found in a document.

    ``text[start:end]`` is the raw shortcode: the opener, and for an enclosing shortcode its
    content and closer; for an escape (``[[tag]]``) the span includes the doubled brackets.
    ``outer_start``/``outer_end`` widen the span to a surrounding ``<p>…</p>`` in HTML mode when
    the shortcode stands alone in that paragraph; otherwise they equal ``start``/``end``.

    Attributes:
        tag: The tag name exactly as written (tags match case-sensitively).
        attrs: Named attributes; names lower-cased, values verbatim.
        args: Positional values in order.
        content: Text between opener and closer, or ``None`` when nothing is enclosed.
        start: Offset of the shortcode's first ``[``.
        end: Offset just past its last ``]``.
        line: 1-based line of ``start``.
        column: 1-based column of ``start``, counted in characters.
        escaped: ``True`` for ``[[tag …]]``, which expands to the literal ``[tag …]``.
        self_closing: ``True`` for ``[tag … /]``.
        outer_start: Start of the span ``expand`` replaces.
        outer_end: End of the span ``expand`` replaces.
    """

    tag: str
    attrs: dict[str, str]
    args: tuple[str, ...]
    content: str | None
    start: int
    end: int
    line: int
    column: int
    escaped: bool = False
    self_closing: bool = False
    outer_start: int = -1
    outer_end: int = -1

    def __post_init__(self) -> None:
        # A negative outer span means "same as the raw span"; resolve it once so callers
        # never have to special-case it.
        if self.outer_start < 0:
            object.__setattr__(self, "outer_start", self.start)
        if self.outer_end < 0:
            object.__setattr__(self, "outer_end", self.end)


class _ShortcodeBuilder:
    """A mutable twin of :class:`Shortcode` with the same slot layout.

    A frozen dataclass sets each field through ``object.__setattr__``, which costs about three
    times a plain slotted ``__init__``; the scanner creates one shortcode per match, so it fills
    the twin and then switches the instance's class (allowed for identical slot layouts). What
    the call returns is an ordinary, frozen :class:`Shortcode`.

    Measured with ``python -m benchmarks.profile tricks`` (CPU time, median of 5): scanning 1 MB
    with 1,000 boxes takes 7.9 ms with this builder and 8.5 ms with ``Shortcode(...)``; 8 MB takes
    69 vs 78 ms. That 8-13 % is part of the margin of ``scanner_speedup_vs_best_peer`` (>= 20), so
    it is kept; the two ``type: ignore`` are the price of telling mypy that the builder returns a
    ``Shortcode``.
    """

    __slots__ = Shortcode.__slots__

    def __init__(
        self,
        tag: str,
        attrs: dict[str, str],
        args: tuple[str, ...],
        content: str | None,
        start: int,
        end: int,
        line: int,
        column: int,
        escaped: bool,
        self_closing: bool,
        outer_start: int,
        outer_end: int,
    ) -> None:
        self.tag = tag
        self.attrs = attrs
        self.args = args
        self.content = content
        self.start = start
        self.end = end
        self.line = line
        self.column = column
        self.escaped = escaped
        self.self_closing = self_closing
        self.outer_start = outer_start
        self.outer_end = outer_end
        self.__class__ = Shortcode  # type: ignore[assignment]


#: Build a :class:`Shortcode` from final values (all twelve fields, positionally), fast.
new_shortcode: Callable[
    [str, dict[str, str], tuple[str, ...], str | None, int, int, int, int, bool, bool, int, int],
    Shortcode,
] = _ShortcodeBuilder  # type: ignore[assignment]


def placed(shortcode: Shortcode, line: int, column: int) -> Shortcode:
    """``shortcode`` moved to ``line``/``column`` (integrations place run-relative shortcodes in the page).

    Built with :data:`new_shortcode`: ``dataclasses.replace`` costs about four times as much, and
    integrations place every shortcode of every page.
    """
    return new_shortcode(
        shortcode.tag,
        shortcode.attrs,
        shortcode.args,
        shortcode.content,
        shortcode.start,
        shortcode.end,
        line,
        column,
        shortcode.escaped,
        shortcode.self_closing,
        shortcode.outer_start,
        shortcode.outer_end,
    )


class Diagnostic(msgspec.Struct, frozen=True):
    """A problem in the input, located by 1-based line and column.

    Attributes:
        code: A stable identifier such as ``"unbalanced-quote"`` or ``"stray-closer"``.
        message: What happened and what to do, without the location prefix.
        line: 1-based line of the offending character.
        column: 1-based column of the offending character.
        severity: ``"error"`` when the shortcode is likely misread, else ``"warning"``.
        offset: Character offset of the offending character in the scanned text.
    """

    code: str
    message: str
    line: int
    column: int
    severity: Severity = "warning"
    offset: int = 0

    def location(self, path: str | None = None) -> Location:
        """Return the diagnostic's place as an :class:`~asa2render.errors.Location`."""
        return Location(path, self.line, self.column)

    def format(self, path: str | None = None) -> str:
        """Return ``path:line:col: message``, the form compilers print."""
        return f"{self.location(path)}: {self.message}"


class ScanResult(msgspec.Struct, frozen=True):
    """The top-level shortcodes of a document, in order, and the problems found on the way.

    A scan lists at most ``MAX_DIAGNOSTICS`` problems; ``omitted`` counts the others (``omitted_errors``
    of them errors), which the last diagnostic (code ``more-problems``) also reports in words.
    """

    shortcodes: list[Shortcode] = msgspec.field(default_factory=list)
    diagnostics: list[Diagnostic] = msgspec.field(default_factory=list)
    omitted: int = 0
    omitted_errors: int = 0
