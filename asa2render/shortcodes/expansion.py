"""``expand``: replace shortcodes with what a handler returns, WordPress ``do_shortcode`` style."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from asa2render.errors import ShortcodeError
from asa2render.shortcodes.model import Mode, Shortcode
from asa2render.shortcodes.scanner import scan

Handler = Callable[[Shortcode], str]


def expand(
    text: str,
    tags: Iterable[str],
    handler: Handler,
    *,
    mode: Mode = "text",
    strict: bool = False,
    path: str | None = None,
) -> str:
    """Replace every top-level shortcode of ``tags`` with ``handler(shortcode)``.

    Escapes (``[[tag …]]``) print as ``[tag …]`` without calling the handler. Content is passed
    raw: a handler that wants nested shortcodes expanded calls ``expand`` on ``content`` itself.
    In HTML mode a shortcode standing alone in ``<p>…</p>`` replaces the whole paragraph.

    Args:
        text: The document.
        tags: Tag names to expand; other bracketed text is left as it is.
        handler: Returns the replacement for one shortcode.
        mode: ``"text"``, ``"markdown"`` or ``"html"``; see :func:`scan`.
        strict: Raise on the first diagnostic instead of leaving the problem text in place.
        path: Names the document in error messages (``path:line:col: …``).

    Returns:
        The expanded text. Lenient mode never raises because of the input.

    Raises:
        ShortcodeError: In strict mode, for the first diagnostic, with its location.
    """
    result = scan(text, tags, mode=mode, path=path)
    if strict and result.diagnostics:
        first = result.diagnostics[0]
        raise ShortcodeError(first.message, first.location(path))
    # Two appends per shortcode, not `parts += (a, b)`: CPython runs `parts.append` as a specialised
    # instruction, while the tuple is built and extended through the generic path.
    parts: list[str] = []
    pos = 0
    for shortcode in result.shortcodes:
        if shortcode.escaped:
            parts.append(text[pos : shortcode.start])
            parts.append(text[shortcode.start + 1 : shortcode.end - 1])
            pos = shortcode.end
        else:
            parts.append(text[pos : shortcode.outer_start])
            parts.append(handler(shortcode))
            pos = shortcode.outer_end
    parts.append(text[pos:])
    return "".join(parts)
