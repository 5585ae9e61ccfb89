"""Each distinct box of a build rendered once, shared by the Markdown integrations (markdown-it-py's
plugin and Python-Markdown's extension, and through it the MkDocs and Pelican plugins)."""

from __future__ import annotations

import operator
from dataclasses import fields
from itertools import chain
from typing import Any

from ..engine import Engine
from ..products.resolve import ProductRequest
from ..render.hosts import inline_markup, is_block_markup


class BoxMemo:
    """Each distinct box of a build rendered once: the markup of a request, by what decides it.

    A site repeats its boxes on many pages, and every use would otherwise go through the engine
    (expand, fetch of nothing, template check, the renderer's own memo key). The key is every field
    of the request except where it stands (``shortcode``, ``location``, which only reach problem
    messages); a product's data never changes once the engine has resolved it. Not memoised: a box
    whose rendering reported a problem (every use must report it again), searches and smart
    collections (their products are chosen at render time), and anything after the engine's
    renderer was swapped.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._renderer = engine.renderer
        self._markup: dict[tuple[Any, ...], str] = {}
        self._inline: dict[tuple[Any, ...], str] = {}

    def markup(self, request: ProductRequest, *, inline: bool = False) -> str:
        """The box HTML of ``request``; ``inline`` gives the ``<span>`` form for a box inside text."""
        engine = self.engine
        if request.search is not None or request.smart is not None:
            return inline_form(engine.render_request(request), inline)
        if engine.renderer is not self._renderer:
            self._renderer = engine.renderer
            self._markup.clear()
            self._inline.clear()
        key = box_key(request)
        memo = self._inline if inline else self._markup
        markup = memo.get(key)
        if markup is None:
            problems = len(engine.problems)
            markup = inline_form(engine.render_request(request), inline)
            if len(engine.problems) == problems:
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                memo[key] = markup
        return markup


MEMO_SIZE = 4096
# What decides a box: every field of a request but where it stands (``shortcode``, ``location``) and
# its options (a dictionary, keyed as its items). Derived from the class, so a new field is covered.
deciding_fields = operator.attrgetter(
    *(f.name for f in fields(ProductRequest) if f.name not in {"shortcode", "location", "options"})
)


def box_key(request: ProductRequest) -> tuple[Any, ...]:
    """The box memo's key: the deciding fields, then the options' names and values in order.

    One flat tuple (the deciding fields are a fixed number, so the layout is unambiguous): every
    distinct box of a build stays in the memo, and each tuple it holds counts towards the cyclic
    GC's next collection.
    """
    fixed: tuple[Any, ...] = deciding_fields(request)
    options = request.options
    return (*fixed, *chain.from_iterable(options.items())) if options else fixed


def inline_form(markup: str, inline: bool) -> str:
    """A box inside text is made of ``<span>``s (render/hosts.py: one rule for boxes in paragraphs)."""
    return inline_markup(markup) if inline and is_block_markup(markup) else markup


__all__ = ["MEMO_SIZE", "BoxMemo", "box_key", "deciding_fields", "inline_form"]
