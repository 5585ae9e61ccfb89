"""markdown-it-py plugin: ``MarkdownIt().use(asa2_plugin, config="asa2render.toml")``.

Where a shortcode expands is defined once, in :mod:`asa2render.shortcodes.commonmark` (the CLI's
Markdown mode uses the same definition): in the text markdown-it hands to inline rules, and in HTML
blocks of CommonMark types 6/7 (``<div>``…), never in code, comments, ``<pre>``/``<script>``/
``<style>``/``<textarea>`` blocks; in link text, image alt text and destinations it stays literal with
a ``shortcode-in-link`` warning. Rules added (token types are namespaced ``asa2_*``):

- inline rule ``asa2_inline`` (before ``link``): a shortcode in a paragraph, heading, list item or table
  cell becomes an ``asa2_inline`` token; an escaped ``[[asa2 …]]`` becomes ``asa2_escape`` and prints
  ``[asa2 …]`` literally. Code spans, autolinks and inline HTML are consumed by markdown-it's own rules
  first, and ``typographer`` only rewrites ``text`` tokens, so attribute quotes are safe;
- core rule ``asa2_collect`` (after ``inline``): resolves every shortcode through the engine, including
  those in HTML blocks; stores the requests in ``env["asa2_requests"]`` and the problems in
  ``env["asa2_problems"]``, fetches every product of the document in one batch, and in strict mode raises
  :class:`~asa2render.errors.StrictModeError` before anything is rendered. A box standing alone on its
  line (not a text link) is lifted out of its paragraph into an ``asa2_block`` token, so it is not
  wrapped in ``<p>``; the paragraph is split there, which leaves CommonMark's own reading of the page
  (code spans across lines, lazy continuation lines) untouched;
- render rules for the three token types and for ``html_block`` (boxes spliced into the block).

Per-document input: ``env["asa2_path"]`` (for ``file:line:column`` in messages) and
``env["asa2_country"]`` (the page's default store).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from itertools import filterfalse
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..engine import Engine
from ..errors import Location
from ..products.resolve import TAGS, TEXTLINK_TAG, Problem, ProductRequest, resolve
from ..shortcodes import Shortcode, commonmark, scan
from ..shortcodes.model import placed
from .box_memo import BoxMemo
from .hosts import ConfigSource, open_engine

_ENGINES: weakref.WeakKeyDictionary[MarkdownIt, Engine] = weakref.WeakKeyDictionary()
_BREAKS = frozenset({"softbreak", "hardbreak"})


def asa2_plugin(
    md: MarkdownIt,
    config: ConfigSource = None,
    *,
    engine: Engine | None = None,
    strict: bool | None = None,
    sandbox: str | None = None,
) -> None:
    """Teach ``md`` ASA2 shortcodes.

    Args:
        md: The parser to extend.
        config: A loaded :class:`~asa2render.config.model.Config`, a path to ``asa2render.toml``, or None to
            look for one from the current directory.
        engine: An engine to share (its configuration wins); the plugin then does not own it.
        strict: Override ``[site] strict``.
        sandbox: A sandbox URL or ``"auto"``; None reads ``ASA2RENDER_SANDBOX``.
    """
    if engine is None:
        engine = open_engine(config, strict=strict, sandbox=sandbox)
        weakref.finalize(md, engine.close)
    _ENGINES[md] = engine
    md.inline.ruler.before("link", "asa2_inline", commonmark.inline_rule(TAGS))
    md.core.ruler.after("inline", "asa2_collect", _Collector(engine))
    boxes = BoxMemo(engine)
    md.add_render_rule("asa2_block", _render_rule(engine, boxes, "\n"))
    md.add_render_rule("asa2_inline", _render_rule(engine, boxes, "", inline=True))
    md.add_render_rule("asa2_escape", _render_escape)
    md.add_render_rule("html_block", _render_html_block(boxes))


def engine_of(md: MarkdownIt) -> Engine:
    """The engine :func:`asa2_plugin` attached to ``md`` (for its report, problems, or to close it)."""
    return _ENGINES[md]


# -- collecting and fetching -----------------------------------------------------------------


class _Collector:
    """The core rule: resolve every shortcode, fetch all products at once, check strict mode, lift boxes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, state: StateCore) -> None:
        env = state.env
        runs: dict[int, tuple[str, commonmark.Run]] = env.pop(commonmark.RUNS, None) or {}
        if not runs and not commonmark.mentions(state.src, TAGS):
            return  # no shortcode anywhere: nothing to resolve, fetch, report or split
        page = _Page(state.src, env.get("asa2_path"), env.get("asa2_country"), self.engine)
        tokens = state.tokens
        prefix, names = commonmark.tag_names(TAGS)
        for index, token in enumerate(tokens):
            kind = token.type
            # An inline or HTML block token can hold a shortcode only when its text holds the tags'
            # common prefix (a run exists only where the inline rule saw one): tested inline, in C,
            # before any call.
            if kind == "inline":
                content = token.content
                if prefix in content:
                    known = runs.get(id(content))
                    run = known[1] if known is not None and known[0] is content else None
                    if run is not None or names.search(content) is not None:
                        heading = index > 0 and tokens[index - 1].markup.startswith("#")
                        page.inline(token, run, heading, index)
            elif (
                kind == "html_block"
                and prefix in token.content
                and commonmark.html_block_expands(token.content)
            ):
                page.html_block(token)
        engine = self.engine
        # Only keys not resolved yet go to the engine (a site's later pages have none).
        missing = list(filterfalse(engine.resolved.__contains__, engine.keys_of(page.requests)))
        if missing:
            engine.fetch(missing)
        page.problems.extend(self.engine.unavailable(page.requests))
        self.engine.problems.extend(page.problems)
        env.setdefault("asa2_requests", []).extend(page.requests)
        env.setdefault("asa2_problems", []).extend(page.problems)
        self.engine.enforce_strict(page.problems)
        if page.boxes:
            state.tokens = _lift_boxes(state.tokens, page.boxes)


class _Page:
    """The shortcodes of one document as the core rule finds them, with their problems."""

    def __init__(self, src: str, path: str | None, country: str | None, engine: Engine) -> None:
        self.src = src
        self.path = path
        self.country = country
        self.engine = engine
        self.requests: list[ProductRequest] = []
        self.problems: list[Problem] = []
        self.boxes: list[int] = []  # indices of inline tokens holding a box (lifted if alone on its line)
        self._lines: commonmark.SourceLines | None = None

    @property
    def lines(self) -> commonmark.SourceLines:
        if self._lines is None:
            self._lines = commonmark.SourceLines(self.src)
        return self._lines

    def inline(self, token: Token, run: commonmark.Run | None, heading: bool, index: int) -> None:
        """Resolve the shortcodes of one inline run; report its problems and link-bound shortcodes."""
        for found in commonmark.literal_in_links([token], TAGS):
            self._problem(self.lines.position(token, heading, 0), commonmark.IN_LINK, found.kind)
        if run is None:
            return
        for offset in run.in_link:
            self._problem(self.lines.position(token, heading, offset), commonmark.IN_LINK, "text")
        for diagnostic in run.diagnostics:
            if commonmark.offered(run, diagnostic.offset):
                location = self.lines.position(token, heading, diagnostic.offset)
                self.problems.append(
                    Problem(
                        Location(self.path, *location),
                        diagnostic.code,
                        diagnostic.message,
                        diagnostic.severity,
                    )
                )
        for child in _shortcode_children(token):
            shortcode: Shortcode = child.meta["shortcode"]
            line, column = self.lines.position(token, heading, shortcode.start)
            self._resolve(child, placed(shortcode, line, column))
            if shortcode.tag != TEXTLINK_TAG and (not self.boxes or self.boxes[-1] != index):
                self.boxes.append(index)

    def html_block(self, token: Token) -> None:
        """Resolve the shortcodes of an HTML block (HTML mode: tags, comments and raw elements masked)."""
        openers, _ = commonmark.prefixes(TAGS)
        if not token.map or not any(opener in token.content for opener in openers):
            return
        result = scan(token.content, TAGS, mode="html")
        for diagnostic in result.diagnostics:
            location = Location(self.path, *self.lines.block_position(token, diagnostic.offset))
            self.problems.append(Problem(location, diagnostic.code, diagnostic.message, diagnostic.severity))
        spliced: list[tuple[Shortcode, ProductRequest | None]] = []
        for shortcode in result.shortcodes:
            line, column = self.lines.block_position(token, shortcode.start)
            placed = replace(shortcode, line=line, column=column)
            if shortcode.escaped:
                spliced.append((placed, None))
                continue
            request, problems = self.engine.resolve(placed, path=self.path, page_country=self.country)
            self.requests.append(request)
            self.problems.extend(problems)
            spliced.append((placed, request))
        token.meta = {**(token.meta or {}), "asa2_html": spliced}

    def _resolve(self, token: Token, shortcode: Shortcode) -> None:
        request, problems = self.engine.resolve(shortcode, path=self.path, page_country=self.country)
        token.meta["shortcode"] = shortcode
        token.meta["request"] = request
        self.requests.append(request)
        self.problems.extend(problems)

    def _problem(self, location: tuple[int, int], code: str, kind: str) -> None:
        message = commonmark.link_message(kind)
        self.problems.append(Problem(Location(self.path, *location), code, message, "warning"))


def _shortcode_children(token: Token) -> Iterator[Token]:
    for child in token.children or ():
        if child.type == "asa2_inline":
            yield child


def _lift_boxes(tokens: list[Token], boxes: list[int]) -> list[Token]:
    """Split paragraphs around boxes that stand alone on their line; each becomes an ``asa2_block``.

    ``boxes`` holds the indices (ascending) of the inline tokens with a box in them: only their
    paragraphs are looked at, and the rest of the token list is copied in slices.
    """
    lifted: list[Token] = []
    copied = 0
    for index in boxes:
        if not (0 < index < len(tokens) - 1 and tokens[index - 1].type == "paragraph_open"):
            continue
        children = tokens[index].children or []
        if len(children) == 1:  # the usual box: a paragraph of its own, which the box replaces
            if _alone(children, 0):
                lifted += tokens[copied : index - 1]
                lifted.append(_as_block(children[0], tokens[index], tokens[index - 1]))
                copied = index + 2
        elif any(_alone(children, at) for at in range(len(children))):
            lifted += tokens[copied : index - 1]
            lifted += _split(tokens[index - 1], tokens[index], tokens[index + 1])
            copied = index + 2
    if not copied:
        return tokens
    lifted += tokens[copied:]
    return lifted


def _alone(children: Sequence[Token], at: int) -> bool:
    """Whether ``children[at]`` is a box with only line breaks (or nothing) on either side."""
    child = children[at]
    if child.type != "asa2_inline" or child.meta["shortcode"].tag == TEXTLINK_TAG:
        return False
    before = at == 0 or children[at - 1].type in _BREAKS
    return before and (at == len(children) - 1 or children[at + 1].type in _BREAKS)


def _split(opening: Token, inline: Token, closing: Token) -> Iterator[Token]:
    children = inline.children or []
    part: list[Token] = []
    for at, child in enumerate(children):
        if _alone(children, at):
            yield from _paragraph(opening, inline, closing, part)
            part = []
            yield _as_block(child, inline, opening)
        elif not (child.type in _BREAKS and not part) and not (
            child.type in _BREAKS and at + 1 < len(children) and _alone(children, at + 1)
        ):
            part.append(child)
    yield from _paragraph(opening, inline, closing, part)


def _as_block(child: Token, inline: Token, opening: Token) -> Token:
    """The box's inline token, turned into the ``asa2_block`` that replaces it (it leaves the run)."""
    child.type, child.block, child.map, child.level = "asa2_block", True, inline.map, opening.level
    return child


def _paragraph(opening: Token, inline: Token, closing: Token, children: list[Token]) -> Iterator[Token]:
    if children:
        yield opening.copy()
        yield inline.copy(children=children)
        yield closing.copy()


# -- rendering -------------------------------------------------------------------------------


def _render_rule(engine: Engine, boxes: BoxMemo, suffix: str, *, inline: bool = False) -> Callable[..., str]:
    """Render rule for ``asa2_block``/``asa2_inline``: the box HTML of the token's request.

    A box left inline (it shares its line with text, or sits in a heading or table cell) is made of
    ``<span>``s, valid inside ``<p>`` (render/hosts.py: one rule for boxes inside paragraphs).
    markdown-it binds render rules as methods of its renderer, so this returns a plain function.
    """

    def render(renderer: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        request: ProductRequest | None = tokens[idx].meta.get("request")
        if request is None:  # rendered without parsing through this parser's core chain
            request, _ = resolve(tokens[idx].meta["shortcode"], engine.config, path=env.get("asa2_path"))
        return boxes.markup(request, inline=inline) + suffix

    return render


def _render_escape(
    renderer: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return escapeHtml(tokens[idx].content)


def _render_html_block(boxes: BoxMemo) -> Callable[..., str]:
    """Render rule for ``html_block``: the block as written, with its boxes spliced in."""

    def render(renderer: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        spliced: list[tuple[Shortcode, ProductRequest | None]] | None = (token.meta or {}).get("asa2_html")
        if not spliced:
            return token.content
        pieces: list[str] = []
        position = 0
        for shortcode, request in spliced:
            if request is None:
                pieces += (
                    token.content[position : shortcode.start],
                    token.content[shortcode.start + 1 : shortcode.end - 1],
                )
                position = shortcode.end
            else:
                pieces += (token.content[position : shortcode.outer_start], boxes.markup(request))
                position = shortcode.outer_end
        pieces.append(token.content[position:])
        return "".join(pieces)

    return render


__all__ = ["asa2_plugin", "engine_of"]
