"""markdown-it-py plugin: ``MarkdownIt().use(asa2_plugin, config="asa2render.toml")``.

Rules added (all token types are namespaced ``asa2_*``):

- block rule ``asa2_block`` (before ``paragraph``, may interrupt paragraphs, lists and blockquotes): a
  box shortcode standing alone on its line becomes an ``asa2_block`` token, so the box is not wrapped
  in ``<p>``. Text links (``[asa2_textlink …]``) stay inline;
- inline rule ``asa2_inline`` (before ``link``, so ``[`` reaches it first): a shortcode inside a paragraph,
  heading, list item or table cell becomes an ``asa2_inline`` token; an escaped ``[[asa2 …]]`` becomes
  ``asa2_escape`` and prints ``[asa2 …]`` literally;
- core rule ``asa2_collect`` (after ``inline``): resolves every token's shortcode
  through :func:`asa2render.products.resolve.resolve`; stores the requests in ``env["asa2_requests"]``
  and the problems in ``env["asa2_problems"]``, and fetches every product of the document in one
  batch; in strict mode it raises :class:`~asa2render.errors.StrictModeError` before anything is rendered;
- render rules for the three token types.

Shortcodes are found by the engine's scanner (:func:`asa2render.shortcodes.scan`), never by a second
parser. Code spans, fences and indented code are consumed by markdown-it's own rules before ours see
them, and ``typographer`` (smart quotes, replacements) only rewrites ``text`` tokens, so attribute
quotes are safe. Per-document input: ``env["asa2_path"]`` (for ``file:line:column`` in messages) and
``env["asa2_country"]`` (the page's default store).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..engine import Engine
from ..errors import Location
from ..products.resolve import TAGS, TEXTLINK_TAG, Problem, ProductRequest, resolve
from ..shortcodes import Shortcode, scan
from .hosts import ConfigSource, open_engine

_ENGINES: weakref.WeakKeyDictionary[MarkdownIt, Engine] = weakref.WeakKeyDictionary()
_SCANS = "_asa2_inline_scans"


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
    md.block.ruler.before(
        "paragraph", "asa2_block", _block_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.inline.ruler.before("link", "asa2_inline", _inline_rule)
    md.core.ruler.after("inline", "asa2_collect", _Collector(engine))
    md.add_render_rule("asa2_block", _render_rule(engine, "\n"))
    md.add_render_rule("asa2_inline", _render_rule(engine, ""))
    md.add_render_rule("asa2_escape", _render_escape)


def engine_of(md: MarkdownIt) -> Engine:
    """The engine :func:`asa2_plugin` attached to ``md`` (for its report, problems, or to close it)."""
    return _ENGINES[md]


# -- parsing ---------------------------------------------------------------------------------


_OPENERS = tuple(f"[{tag}" for tag in TAGS) + tuple(f"[[{tag}" for tag in TAGS)
_CLOSERS = tuple(f"[/{tag}" for tag in TAGS)


def _block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A box shortcode that is the whole line (indented code excluded)."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith(_OPENERS, begin):  # most lines: no slicing, no scanning
        return False
    line = state.src[begin : state.eMarks[start_line]].rstrip()
    found = _scan_line(line)
    if len(found) != 1:
        return False
    shortcode = found[0]
    if shortcode.start or shortcode.end != len(line) or shortcode.escaped or shortcode.tag == TEXTLINK_TAG:
        return False
    if silent:
        return True
    token = state.push("asa2_block", "", 0)
    token.map = [start_line, start_line + 1]
    token.content = line
    token.meta = {"shortcode": replace(shortcode, line=start_line + 1, column=_column(state.src, begin))}
    state.line = start_line + 1
    return True


@lru_cache(maxsize=4096)
def _scan_line(line: str) -> tuple[Shortcode, ...]:
    """Shortcodes of one candidate line; memoised because sites repeat the same lines on many pages."""
    return tuple(scan(line, TAGS, mode="text").shortcodes)


def _inline_rule(state: StateInline, silent: bool) -> bool:
    """A shortcode (or an escaped one) starting at the current position of an inline run."""
    # Cheap test first: most "[" in prose are links, and scanning their run would be wasted work.
    if not state.src.startswith(_OPENERS, state.pos):
        return False
    shortcode = _inline_shortcodes(state).get(state.pos)
    if shortcode is None or shortcode.end > state.posMax:
        return False
    if not silent:
        raw = state.src[shortcode.start : shortcode.end]
        if shortcode.escaped:
            token = state.push("asa2_escape", "", 0)
            token.content = raw[1:-1]
        else:
            token = state.push("asa2_inline", "", 0)
            token.content = raw
            token.meta = {"shortcode": shortcode}
    state.pos = shortcode.end
    return True


def _inline_shortcodes(state: StateInline) -> dict[int, Shortcode]:
    """Shortcodes of one inline run by start offset, scanned once per run (markdown mode masks code)."""
    scans: dict[str, dict[int, Shortcode]] = state.env.setdefault(_SCANS, {})
    found = scans.get(state.src)
    if found is None:
        found = {sc.start: sc for sc in scan(state.src, TAGS, mode="markdown").shortcodes}
        scans[state.src] = found
    return found


def _column(src: str, offset: int) -> int:
    return offset - (src.rfind("\n", 0, offset) + 1) + 1


# -- collecting and fetching -----------------------------------------------------------------


class _Collector:
    """The core rule: resolve every shortcode token, fetch all products at once, check strict mode."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, state: StateCore) -> None:
        env = state.env
        env.pop(_SCANS, None)
        path = env.get("asa2_path")
        country = env.get("asa2_country")
        requests: list[ProductRequest] = []
        problems = self._diagnostics(state.src, path)
        lines = state.src.split("\n")
        for token in _shortcode_tokens(state.tokens, lines):
            request, found = self.engine.resolve(token.meta["shortcode"], path=path, page_country=country)
            token.meta["request"] = request
            requests.append(request)
            problems.extend(found)
        self.engine.fetch(key for request in requests for key in self.engine.request_keys(request))
        problems.extend(self.engine.unavailable(requests))
        self.engine.problems.extend(problems)
        env.setdefault("asa2_requests", []).extend(requests)
        env.setdefault("asa2_problems", []).extend(problems)
        self.engine.enforce_strict(problems)

    @staticmethod
    def _diagnostics(src: str, path: str | None) -> list[Problem]:
        """Malformed-shortcode diagnostics (unbalanced quotes …) with their source locations.

        The code-aware scan costs twice the plain one. Markdown mode only masks openers away, so
        without any closer in the page it cannot report what a plain scan does not (a property test in
        tests/shortcodes guards this): a clean plain scan of a closer-free page ends the matter.
        """
        if not any(closer in src for closer in _CLOSERS) and not scan(src, TAGS, mode="text").diagnostics:
            return []
        result = scan(src, TAGS, mode="markdown", path=path)
        return [
            Problem(Location(path, d.line, d.column), d.code, d.message, d.severity)
            for d in result.diagnostics
        ]


def _shortcode_tokens(tokens: Sequence[Token], lines: Sequence[str]) -> Iterator[Token]:
    """Every ``asa2_block``/``asa2_inline`` token, inline ones given their place in the source."""
    for token in tokens:
        if token.type == "asa2_block":
            yield token
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "asa2_inline":
                    _place(child, token.map[0] if token.map else 0, lines)
                    yield child


def _place(token: Token, first_line: int, lines: Sequence[str]) -> None:
    """Turn a position inside an inline run into a line and column of the whole source."""
    shortcode: Shortcode = token.meta["shortcode"]
    line = first_line + shortcode.line
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    found = source.find(token.content.split("\n", 1)[0])
    column = found + 1 if found >= 0 else shortcode.column
    token.meta["shortcode"] = replace(shortcode, line=line, column=column)


# -- rendering -------------------------------------------------------------------------------


def _render_rule(engine: Engine, suffix: str) -> Callable[..., str]:
    """Render rule for ``asa2_block``/``asa2_inline``: the box HTML of the token's request.

    markdown-it binds render rules as methods of its renderer, so this returns a plain function.
    """

    def render(renderer: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        request: ProductRequest | None = tokens[idx].meta.get("request")
        if request is None:  # rendered without parsing through this parser's core chain
            request, _ = resolve(tokens[idx].meta["shortcode"], engine.config, path=env.get("asa2_path"))
        return engine.render_request(request) + suffix

    return render


def _render_escape(
    renderer: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return escapeHtml(tokens[idx].content)


__all__ = ["asa2_plugin", "engine_of"]
