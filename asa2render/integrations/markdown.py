"""Python-Markdown extension: ``markdown.markdown(text, extensions=["asa2render"])``.

Registered under the ``markdown.extensions`` entry point as ``asa2render``; ``makeExtension`` works too
(``extensions=["asa2render.integrations.markdown"]``). Configuration keys (``extension_configs``):

- ``config``: path to ``asa2render.toml`` (default: searched from the current directory);
- ``strict``: override ``[site] strict`` (a failure raises :class:`~asa2render.errors.StrictModeError`);
- ``sandbox``: a sandbox URL or ``auto`` (default: the ``ASA2RENDER_SANDBOX`` environment variable);
- ``path``: the document's name, used in ``file:line:column`` messages.

Where a shortcode expands follows Python-Markdown's own reading of the page (the README's "Where
shortcodes expand" gives the same answers as for CommonMark, by each parser's rules):

- an inline pattern (priority 175: after code spans and backslash escapes, before links, autolinks and
  inline HTML) takes each shortcode in the text Python-Markdown's block parser produced — so never in
  its indented or fenced code, which never reach inline patterns. It skips inline HTML tags, autolinks,
  and link text, image alt text and link destinations (there it stays literal with a
  ``shortcode-in-link`` warning), and leaves an ``htmlStash`` marker;
- a tree processor (priority 25, before inline patterns) expands shortcodes in Python-Markdown's raw
  HTML blocks with the HTML-mode masks (never inside ``<pre>``, ``<code>``, ``<script>``, ``<style>``,
  ``<textarea>``, comments or tags);
- a postprocessor (priority 25, after raw HTML is put back) resolves every marker, fetches the page's
  products in one batch and puts the boxes in. A box alone in its paragraph is not wrapped in ``<p>``.
  ``smarty`` runs after the inline patterns, so it never sees attribute quotes. A page's
  ``asa2_country`` meta-data (with the ``meta`` extension) sets its default store.

Engines are shared by configuration (path, strict, sandbox) for the life of the process, so
consecutive ``markdown.markdown`` calls reuse fetched products; pass ``engine=`` to share your own.
"""

from __future__ import annotations

import atexit
import html
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from ..engine import Engine
from ..errors import IntegrationMissingError, Location
from ..products.resolve import TAGS, TEXTLINK_TAG, Problem, ProductRequest
from ..render.hosts import placement
from ..shortcodes import Shortcode, commonmark, scan
from ..shortcodes.model import placed
from ..shortcodes.regions import Regions
from .box_memo import BoxMemo
from .hosts import open_engine

try:
    from markdown import Markdown
    from markdown.extensions import Extension
    from markdown.inlinepatterns import AUTOLINK_RE, AUTOMAIL_RE, HTML_RE, InlineProcessor
    from markdown.postprocessors import Postprocessor
    from markdown.preprocessors import Preprocessor
    from markdown.treeprocessors import Treeprocessor
except ImportError:
    raise IntegrationMissingError("Python-Markdown", "markdown") from None

PRIORITY = 175  # the inline pattern: after backtick (190) and escape (180), before reference (170)
_ENGINES: dict[tuple[str, bool | None, str], Engine] = {}
_NAMES = "|".join(re.escape(tag) for tag in sorted(TAGS, key=len, reverse=True))
_SHORTCODE_START = rf"\[(?:\[?(?:{_NAMES})(?![\w-])|/(?:{_NAMES})\])"
_RAW_INLINE = re.compile("|".join((HTML_RE, AUTOLINK_RE, AUTOMAIL_RE)))
_MARKER = re.compile(r'<(div|span) data-asa2-box="(\d+)"></\1>')
# What every opener, closer or escape the scanner reports starts with. A raw HTML block without it
# (most are highlighted code from fenced blocks) holds neither a shortcode nor a diagnostic, so it is
# not scanned at all: its HTML masks cost as much as the rest of the page.
_MAY_HOLD_SHORTCODE = re.compile(rf"\[\[?/?(?:{_NAMES})")


class Asa2Extension(Extension):
    """Expands ASA2 shortcodes where Python-Markdown renders text; see the module docstring."""

    def __init__(self, *, engine: Engine | None = None, **kwargs: Any) -> None:
        self.config = {
            "config": ["", "Path to asa2render.toml; empty: search from the current directory"],
            "strict": [None, "Fail on any shortcode problem (default: [site] strict)"],
            "sandbox": ["", "Sandbox URL or 'auto' (default: ASA2RENDER_SANDBOX)"],
            "path": ["", "The document's name, for file:line:column in messages"],
        }
        self._engine = engine
        # A host may put boxes into the page later than Markdown does (the Pelican plugin: after its own
        # link passes over the article): given a box's final markup, what goes into the HTML now.
        self.late_box: Callable[[str], str] | None = None
        self._boxes: BoxMemo | None = None
        super().__init__(**kwargs)

    @property
    def engine(self) -> Engine:
        """The engine in use, opened (or shared) on first use."""
        if self._engine is None:
            self._engine = shared_engine(
                self.getConfig("config") or None, self.getConfig("strict"), self.getConfig("sandbox")
            )
        return self._engine

    @property
    def boxes(self) -> BoxMemo:
        """The markup of each distinct box rendered so far by this extension's engine."""
        if self._boxes is None or self._boxes.engine is not self.engine:
            self._boxes = BoxMemo(self.engine)
        return self._boxes

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's hook name
        page = _Page(md, self)
        md.preprocessors.register(_Source(md, page), "asa2render", 29)
        md.treeprocessors.register(_RawHtml(md, page), "asa2render", 25)
        md.inlinePatterns.register(ShortcodeInlineProcessor(md, page), "asa2render", PRIORITY)
        md.postprocessors.register(_Boxes(md, page), "asa2render", 25)


class StashPreprocessor(Preprocessor):
    """Puts HTML into ``md.htmlStash`` before Markdown reads the page, so it is neither wrapped nor escaped.

    Subclasses say which text marks a page worth looking at (:attr:`marker`) and how to replace it,
    given the stash's ``store(html) -> placeholder``.
    """

    marker = "["

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if self.marker not in text:
            return lines
        return self.replace(text, self.md.htmlStash.store).split("\n")

    def replace(self, text: str, store: Callable[[str], str]) -> str:
        """The page's text with the HTML to protect swapped for ``store(html)`` placeholders."""
        raise NotImplementedError


class _Page:
    """One document's shortcodes: where they are in the source, and the markers left for them."""

    def __init__(self, md: Markdown, extension: Asa2Extension) -> None:
        self.md = md
        self.extension = extension
        self.reset("")

    def reset(self, text: str) -> None:
        self.found: list[Shortcode] = []
        self.inline: list[bool] = []  # per marker: shares its line with text, so a box of spans
        self.problems: list[Problem] = []
        self._source = text
        self._cursors: dict[str, int] = {}
        # The last located offset and its line: shortcodes come in document order, so each line
        # number counts only the newlines since the previous one, not the whole page again.
        self._counted = (0, 1)
        # Read once per document: the Pelican plugin sets it before each file, never during one.
        self.path: str | None = self.extension.getConfig("path") or None

    def place(self, raw: str) -> tuple[int, int]:
        """Line and column of the next unplaced occurrence of ``raw`` in the source."""
        line, column, _ = self._locate(raw, shared=False)
        return line, column

    def _locate(self, raw: str, *, shared: bool = True) -> tuple[int, int, bool]:
        """Line, column and whether it shares its source line with other text (render/hosts.py;
        looked at only when ``shared``: warnings and raw HTML blocks never use it).

        Python-Markdown hands text over in document order, so each raw text is searched for from
        just after its previous occurrence (0, 0 if the source no longer holds it verbatim).
        """
        source = self._source
        found = source.find(raw, self._cursors.get(raw, 0))
        if found < 0:
            return 0, 0, False
        end = found + len(raw)
        self._cursors[raw] = end
        inline = shared and _shares_line(source, found, end)
        counted, line = self._counted
        if found < counted:  # out of order (a raw HTML block after the text): count from the start
            counted, line = 0, 1
        line += source.count("\n", counted, found)
        self._counted = (found, line)
        return line, found - source.rfind("\n", 0, found), inline

    def marker(self, shortcode: Shortcode, raw: str, *, html_block: bool = False) -> str:
        line, column, inline = self._locate(raw, shared=not html_block)
        self.found.append(placed(shortcode, line, column))
        self.inline.append(inline)
        element = "span" if shortcode.tag == TEXTLINK_TAG else "div"
        return f'<{element} data-asa2-box="{len(self.found) - 1}"></{element}>'

    def warn(self, raw: str, code: str, message: str, severity: str = "warning") -> None:
        location = Location(self.path, *self.place(raw)) if raw else Location(self.path, 0, 0)
        self.problems.append(Problem(location, code, message, severity))  # type: ignore[arg-type]

    def text(self, data: str) -> tuple[dict[int, Shortcode], tuple[Any, ...], Regions, list[_Link]]:
        """Shortcodes, diagnostics, raw inline HTML spans and links of one text; see :func:`_text`."""
        return _text(data)


def _shares_line(source: str, start: int, end: int) -> bool:
    """``placement(source, start, end).inline``, without building a Placement for the common box that is
    alone on its line (nothing but line breaks either side of it: no container prefix, no text)."""
    if (start == 0 or source[start - 1] == "\n") and (end == len(source) or source[end] == "\n"):
        return False
    return placement(source, start, end).inline


@lru_cache(maxsize=4096)
def _text(data: str) -> tuple[dict[int, Shortcode], tuple[Any, ...], Regions, list[_Link]]:
    """Shortcodes, diagnostics, raw inline HTML spans and links of one text (memoised per process:
    sites repeat the same box paragraphs on many pages; every value is only read)."""
    result = scan(data, TAGS)
    at = {shortcode.start: shortcode for shortcode in result.shortcodes}
    raw = Regions(match.span() for match in _RAW_INLINE.finditer(data))
    return at, tuple(result.diagnostics), raw, _links(data, at)


class _Source(Preprocessor):
    """Remembers where each shortcode is in the source, for ``file:line:column`` in messages."""

    def __init__(self, md: Markdown, page: _Page) -> None:
        super().__init__(md)
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        self.page.reset("\n".join(lines))
        return lines


class ShortcodeInlineProcessor(InlineProcessor):
    """Turns a shortcode in rendered text into an ``htmlStash`` marker (see the module docstring)."""

    def __init__(self, md: Markdown, page: _Page) -> None:
        super().__init__(_SHORTCODE_START, md)
        self.page = page

    def handleMatch(  # type: ignore[override]  # noqa: N802 - Python-Markdown's hook name
        self, m: re.Match[str], data: str
    ) -> tuple[str | None, int | None, int | None]:
        at, diagnostics, raw_html, links = _text(data)
        start = m.start()
        if raw_html and raw_html.touches(start, start + 1):  # most texts hold no inline HTML
            return None, None, None
        shortcode = at.get(start)
        end = shortcode.end if shortcode is not None else m.end()
        if start > 0 and data[start - 1] == "!":  # "![[asa2 …]](…)": an image whose alt text it is
            self.page.warn(data[start:end], commonmark.IN_LINK, commonmark.link_message("alt"))
            return None, None, None
        for link in links:
            kind = link.kind_of(start)
            if kind is not None:
                self.page.warn(data[start:end], commonmark.IN_LINK, commonmark.link_message(kind))
                return None, None, None
        raw = data[start:end]
        for diagnostic in diagnostics:
            if start <= diagnostic.offset < end:
                self.page.warn(raw, diagnostic.code, diagnostic.message, diagnostic.severity)
        if shortcode is None:
            return None, None, None
        if shortcode.escaped:
            return self.md.htmlStash.store(html.escape(raw[1:-1], quote=False)), start, end
        return self.md.htmlStash.store(self.page.marker(shortcode, raw)), start, end


class _Link:
    """A link or image in a text: its label and its destination (or reference) span."""

    __slots__ = ("image", "label", "target")

    def __init__(self, image: bool, label: tuple[int, int], target: tuple[int, int]) -> None:
        self.image = image
        self.label = label
        self.target = target

    def kind_of(self, offset: int) -> str | None:
        if self.label[0] < offset < self.label[1]:
            return "alt" if self.image else "text"
        if self.target[0] <= offset < self.target[1]:
            return "destination"
        return None


def _closing(data: str, start: int, opening: str, closing: str) -> int:
    """Index of the bracket closing the one at ``start`` (nesting counted), or -1."""
    depth = 0
    for index in range(start, len(data)):
        char = data[index]
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index
    return -1


def _links(data: str, shortcodes: dict[int, Shortcode]) -> list[_Link]:
    """Inline links and images (``[text](dest)``, ``[text][ref]``) whose label is no shortcode.

    Python-Markdown matches brackets by nesting, as here; only texts holding a shortcode are looked at.
    """
    if not shortcodes and "[/" not in data:
        return []
    found: list[_Link] = []
    for match in re.finditer(r"!?\[", data):
        bracket = match.end() - 1
        if bracket in shortcodes or (bracket + 1 < len(data) and data[bracket + 1] == "/"):
            continue
        label_end = _closing(data, bracket, "[", "]")
        if label_end < 0 or label_end + 1 >= len(data) or data[label_end + 1] not in "([":
            continue
        target_end = _closing(data, label_end + 1, *("()" if data[label_end + 1] == "(" else "[]"))
        if target_end >= 0:
            image = match.group().startswith("!")
            found.append(_Link(image, (bracket, label_end), (label_end + 1, target_end + 1)))
    return found


class _RawHtml(Treeprocessor):
    """Expands shortcodes in Python-Markdown's raw HTML blocks, with the HTML-mode masks."""

    def __init__(self, md: Markdown, page: _Page) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: Element) -> None:
        stash = self.md.htmlStash
        for index, block in enumerate(stash.rawHtmlBlocks):
            if isinstance(block, str) and _MAY_HOLD_SHORTCODE.search(block):
                stash.rawHtmlBlocks[index] = self._expand(block)

    def _expand(self, block: str) -> str:
        result = scan(block, TAGS, mode="html")
        pieces: list[str] = []
        position = 0
        for shortcode in result.shortcodes:
            raw = block[shortcode.start : shortcode.end]
            if shortcode.escaped:
                pieces += (block[position : shortcode.start], raw[1:-1])
                position = shortcode.end
            else:
                marker = self.page.marker(shortcode, raw, html_block=shortcode.outer_start != shortcode.start)
                pieces += (block[position : shortcode.outer_start], marker)
                position = shortcode.outer_end
        for diagnostic in result.diagnostics:
            self.page.warn("", diagnostic.code, diagnostic.message, diagnostic.severity)
        pieces.append(block[position:])
        return "".join(pieces)


class _Boxes(Postprocessor):
    """Resolves every marker, fetches the page's products in one batch and puts the boxes in."""

    def __init__(self, md: Markdown, page: _Page) -> None:
        super().__init__(md)
        self.page = page

    def run(self, text: str) -> str:
        page = self.page
        if not page.found and not page.problems:
            return text
        engine = page.extension.engine
        country = self._page_country()
        requests: list[ProductRequest] = []
        problems = list(page.problems)
        for shortcode in page.found:
            request, found = engine.resolve(shortcode, path=page.path, page_country=country)
            requests.append(request)
            problems.extend(found)
        engine.fetch(key for request in requests for key in request.keys)
        problems.extend(engine.unavailable(requests))
        engine.problems.extend(problems)
        engine.enforce_strict(problems)

        late = page.extension.late_box
        boxes = page.extension.boxes

        def box(match: re.Match[str]) -> str:
            index = int(match.group(2))
            markup = boxes.markup(requests[index], inline=page.inline[index])
            return markup if late is None else late(markup)

        return _MARKER.sub(box, text)

    def _page_country(self) -> str | None:
        meta: dict[str, list[str]] = getattr(self.md, "Meta", {}) or {}
        values = meta.get("asa2_country") or []
        return (values[0].strip() or None) if values else None


def shared_engine(config: str | Path | None, strict: bool | None, sandbox: str | None) -> Engine:
    """One engine per (configuration file, strict, sandbox), closed when the process exits."""
    location = str(Path(config).expanduser().resolve()) if config else ""
    key = (location, strict, sandbox or "")
    engine = _ENGINES.get(key)
    if engine is None:
        engine = open_engine(location or None, strict=strict, sandbox=sandbox or None)
        _ENGINES[key] = engine
        atexit.register(engine.close)
    return engine


def close_shared_engines() -> None:
    """Close every engine :func:`shared_engine` opened (they are also closed when the process exits)."""
    while _ENGINES:
        _, engine = _ENGINES.popitem()
        engine.close()
        atexit.unregister(engine.close)


def makeExtension(**kwargs: Any) -> Asa2Extension:  # noqa: N802 - Python-Markdown's factory name
    """Python-Markdown's factory hook: ``extensions=["asa2render.integrations.markdown"]``."""
    return Asa2Extension(**kwargs)


__all__ = [
    "PRIORITY",
    "Asa2Extension",
    "ShortcodeInlineProcessor",
    "StashPreprocessor",
    "close_shared_engines",
    "makeExtension",
    "shared_engine",
]
