"""Jinja: the ``asa2`` and ``asa2_expand`` filters and the ``asa2_product`` global.

Setup::

    env = jinja2.Environment(extensions=["asa2render.integrations.jinja.Asa2Extension"])
    configure(env, config="asa2render.toml")           # or: env.asa2_config = "asa2render.toml"

    {{ "B0DEMO0001" | asa2(country="de", tpl="box") }}    → Markup of the box
    {% set p = asa2_product("B0DEMO0001", country="de") %} → the Product model (or None)
    {{ page_html | asa2_expand }}                         → shortcodes in rendered HTML expanded

``asa2`` accepts an ASIN, ``"A,B"``, a list of ASINs or an Amazon product URL, plus ``country``, ``tpl``,
``set`` and any template option (``title=…``, ``button=…``), exactly like the shortcode's attributes.

Prefetching — requests of one template in as few fetches as possible, in two complementary ways:

1. **Static prefetch** (:func:`prefetch`): before rendering, ``prefetch(env, ["page.html", …])`` parses
   each template with Jinja's own parser and collects every *literal* use — ``"B0…" | asa2(country="de")``
   with constant arguments, ``asa2_product("B0…", country="de")``, and shortcodes in the static text
   of a ``{% filter asa2_expand %}`` block — then fetches all of them in **one** batch. Rendering then
   finds every product already resolved. Templates are parsed, never executed.
2. **Deferred rendering** (:func:`render`): ``render(template, **context)`` renders with the ``asa2``
   and ``asa2_expand`` filters emitting placeholders and recording their requests (values computed at
   render time, e.g. ``{{ item.asin | asa2 }}`` in a loop, included), fetches everything recorded in
   **one** batch, then replaces the placeholders. ``asa2_product`` must return its model at once, so
   outside a prefetch it fetches when called (each product once per engine: results are kept).

Outside both, each filter call fetches what is not resolved yet (never the same product twice).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from markupsafe import Markup

from ..config.model import Config
from ..engine import Engine
from ..products.models import Product, ProductKey
from ..products.resolve import BOX_TAG, ProductRequest, resolve
from ..shortcodes import Shortcode
from .hosts import open_engine

FILTER = "asa2"
EXPAND_FILTER = "asa2_expand"
PRODUCT_GLOBAL = "asa2_product"


class Asa2Extension(Extension):
    """Installs ``asa2``, ``asa2_expand`` and ``asa2_product``; configure with :func:`configure`.

    Adds these environment attributes: ``asa2_engine`` (an :class:`Engine`, opened on first use when
    None), ``asa2_config`` (a :class:`Config` or a path), ``asa2_strict`` and ``asa2_sandbox``.
    """

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        environment.extend(asa2_engine=None, asa2_config=None, asa2_strict=None, asa2_sandbox=None)
        install(environment)


def configure(
    env: jinja2.Environment,
    config: Config | str | Path | None = None,
    *,
    engine: Engine | None = None,
    strict: bool | None = None,
    sandbox: str | None = None,
) -> Engine:
    """Add the extension to ``env`` if needed, give it an engine, and return that engine."""
    if Asa2Extension.identifier not in env.extensions:
        env.add_extension(Asa2Extension)
    # Environment.extend never overwrites, so these are plain assignments.
    env.asa2_config = config  # type: ignore[attr-defined]
    env.asa2_strict = strict  # type: ignore[attr-defined]
    env.asa2_sandbox = sandbox  # type: ignore[attr-defined]
    env.asa2_engine = engine  # type: ignore[attr-defined]
    return engine_of(env)


def install(env: jinja2.Environment, engine: Engine | None = None) -> None:
    """Register the filters and the global on ``env`` (bound to ``engine``, or the environment's)."""
    env.filters.update(filters(engine))
    env.globals[PRODUCT_GLOBAL] = product_global(engine)


def engine_of(env: jinja2.Environment) -> Engine:
    """The environment's engine, opened from ``env.asa2_config`` on first use."""
    engine: Engine | None = getattr(env, "asa2_engine", None)
    if engine is None:
        config = getattr(env, "asa2_config", None)
        strict = getattr(env, "asa2_strict", None)
        engine = open_engine(config, strict=strict, sandbox=getattr(env, "asa2_sandbox", None))
        env.asa2_engine = engine  # type: ignore[attr-defined]
    return engine


# -- the filters and the global --------------------------------------------------------------


def filters(engine: Engine | None = None) -> dict[str, Callable[..., Markup]]:
    """``{"asa2": …, "asa2_expand": …}`` for a host's filter setting (e.g. Pelican's JINJA_FILTERS)."""

    @jinja2.pass_context
    def asa2(context: jinja2.runtime.Context, value: Any, **attributes: Any) -> Markup:
        bound = engine or engine_of(context.environment)
        request = product_request(bound, value, attributes, path=context.name)
        batch = _BATCH.get()
        if batch is not None:
            return batch.defer(bound, lambda: bound.render_request(request), request)
        bound.fetch(request.keys)
        _check_available(bound, [request])
        return Markup(bound.render_request(request))

    @jinja2.pass_context
    def asa2_expand(context: jinja2.runtime.Context, value: Any) -> Markup:
        bound = engine or engine_of(context.environment)
        doc = bound.prepare(str(value), mode="html", path=context.name)
        batch = _BATCH.get()
        if batch is not None:
            return batch.defer(bound, lambda: bound.render(doc), *doc.requests)
        return Markup(bound.render(doc))

    return {FILTER: asa2, EXPAND_FILTER: asa2_expand}


def product_global(engine: Engine | None = None) -> Callable[..., Product | None]:
    """The ``asa2_product(asin, country=None)`` function: the product model, or None if unavailable."""

    @jinja2.pass_context
    def asa2_product(
        context: jinja2.runtime.Context, asin: str, country: str | None = None
    ) -> Product | None:
        bound = engine or engine_of(context.environment)
        request = product_request(bound, asin, {"country": country}, path=context.name)
        if not request.keys:
            return None
        bound.fetch(request.keys)
        item = bound.resolved.get(request.keys[0])
        return item.product if item is not None and item.state != "fallback" else None

    return asa2_product


def product_request(
    engine: Engine, value: Any, attributes: dict[str, Any], *, path: str | None
) -> ProductRequest:
    """Resolve a filter call exactly like the shortcode ``[asa2 asin="value" …attributes]``."""
    asin = ",".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    attrs = {"asin": asin, **{k.lower(): str(v) for k, v in attributes.items() if v is not None}}
    shortcode = Shortcode(BOX_TAG, attrs, (), None, 0, 0, 1, 1)
    request, problems = resolve(shortcode, engine.config, path=path)
    engine.problems.extend(problems)
    engine.enforce_strict(problems)
    return request


def _check_available(engine: Engine, requests: list[ProductRequest]) -> None:
    """Record products that resolved to a fallback; in strict mode, fail."""
    problems = engine.unavailable(requests)
    engine.problems.extend(problems)
    engine.enforce_strict(problems)


# -- static prefetch -------------------------------------------------------------------------


def prefetch(env: jinja2.Environment, templates: Iterable[str], *, engine: Engine | None = None) -> int:
    """Fetch, in one batch, every product the given templates name literally; returns how many.

    ``templates`` are template names (loaded through ``env.loader``) or template source strings (anything
    containing ``{``). Dynamic values are left to rendering (see :func:`render`).
    """
    bound = engine or engine_of(env)
    wanted = literal_keys(env, templates, bound)
    bound.fetch(wanted)
    return len(wanted)


def literal_keys(env: jinja2.Environment, templates: Iterable[str], engine: Engine) -> list[ProductKey]:
    """The products the templates name literally (parsed with ``env``'s parser, never executed)."""
    keys: list[ProductKey] = []
    for template in templates:
        name, source = _source(env, template)
        keys += _literal_keys(engine, env.parse(source, name=name), name)
    return list(dict.fromkeys(keys))


def theme_keys(env: jinja2.Environment, engine: Engine) -> list[ProductKey]:
    """Literal products in every ``.html`` template ``env`` can list; templates that fail to parse are skipped
    (a host's theme may use tags this environment does not know)."""
    keys: list[ProductKey] = []
    for name in env.list_templates(extensions=["html"]):
        try:
            # Every name the parse looks for contains "asa2": a theme's other templates (most of
            # them) are not parsed at all.
            if FILTER not in _source(env, name)[1]:
                continue
            keys += literal_keys(env, [name], engine)
        except jinja2.TemplateError:
            continue
    return list(dict.fromkeys(keys))


def _source(env: jinja2.Environment, template: str) -> tuple[str | None, str]:
    if "{" in template or env.loader is None:
        return None, template
    source, _, _ = env.loader.get_source(env, template)
    return template, source


def _literal_keys(engine: Engine, tree: nodes.Template, name: str | None) -> Iterator[ProductKey]:
    for node in tree.find_all((nodes.Filter, nodes.Call, nodes.FilterBlock)):
        if isinstance(node, nodes.Filter) and node.name == FILTER:
            yield from _filter_keys(engine, node, name)
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
            if node.node.name == PRODUCT_GLOBAL:
                yield from _call_keys(engine, node, name)
        elif isinstance(node, nodes.FilterBlock) and node.filter.name == EXPAND_FILTER:
            text = "".join(data.data for data in node.find_all(nodes.TemplateData))
            yield from engine.prepare(text, mode="html", path=name).keys


def _constant_kwargs(keywords: list[Any]) -> dict[str, Any] | None:
    values = {kw.key: kw.value.value for kw in keywords if isinstance(kw.value, nodes.Const)}
    return values if len(values) == len(keywords) else None


def _filter_keys(engine: Engine, node: nodes.Filter, name: str | None) -> tuple[ProductKey, ...]:
    kwargs = _constant_kwargs(node.kwargs)
    if not isinstance(node.node, nodes.Const) or kwargs is None or node.args:
        return ()
    return _quiet_request(engine, node.node.value, kwargs, name)


def _call_keys(engine: Engine, node: nodes.Call, name: str | None) -> tuple[ProductKey, ...]:
    kwargs = _constant_kwargs(node.kwargs)
    args = node.args
    if not args or kwargs is None or not all(isinstance(arg, nodes.Const) for arg in args):
        return ()
    values = [arg.value for arg in args if isinstance(arg, nodes.Const)]
    if len(values) > 1:
        kwargs.setdefault("country", values[1])
    return _quiet_request(engine, values[0], {"country": kwargs.get("country")}, name)


def _quiet_request(
    engine: Engine, value: Any, attrs: dict[str, Any], name: str | None
) -> tuple[ProductKey, ...]:
    """Keys of a literal use; problems are reported when the template renders, not twice."""
    cleaned = {k.lower(): str(v) for k, v in attrs.items() if v is not None}
    shortcode = Shortcode(BOX_TAG, {"asin": str(value), **cleaned}, (), None, 0, 0, 1, 1)
    request, _ = resolve(shortcode, engine.config, path=name)
    return request.keys


# -- deferred rendering ----------------------------------------------------------------------


@dataclass
class _Pending:
    engine: Engine
    make: Callable[[], str]
    requests: tuple[ProductRequest, ...]


@dataclass
class _Batch:
    """Requests recorded while one template renders, replaced after one fetch."""

    marker: str = field(default_factory=lambda: secrets.token_hex(6))
    pending: list[_Pending] = field(default_factory=list)

    def defer(self, engine: Engine, make: Callable[[], str], *requests: ProductRequest) -> Markup:
        self.pending.append(_Pending(engine, make, requests))
        return Markup(f"<!--asa2:{self.marker}:{len(self.pending) - 1}-->")

    def finish(self, output: str) -> str:
        """Fetch every recorded product (one batch per engine), then fill the placeholders."""
        engines = {id(p.engine): p.engine for p in self.pending}
        for engine in engines.values():
            requests = [r for p in self.pending if p.engine is engine for r in p.requests]
            engine.fetch(key for request in requests for key in request.keys)
            _check_available(engine, requests)
        pattern = re.compile(rf"<!--asa2:{self.marker}:(\d+)-->")
        return pattern.sub(lambda match: self.pending[int(match.group(1))].make(), output)


_BATCH: ContextVar[_Batch | None] = ContextVar("asa2_batch", default=None)


@contextmanager
def deferred() -> Iterator[_Batch]:
    """Within this block the filters emit placeholders; ``batch.finish(output)`` fills them."""
    batch = _Batch()
    token = _BATCH.set(batch)
    try:
        yield batch
    finally:
        _BATCH.reset(token)


def render(template: jinja2.Template, /, *args: Any, **context: Any) -> str:
    """Render ``template`` resolving every ``asa2``/``asa2_expand`` use in one fetch (see module docs)."""
    with deferred() as batch:
        output = template.render(*args, **context)
    return batch.finish(output)


__all__ = [
    "EXPAND_FILTER",
    "FILTER",
    "PRODUCT_GLOBAL",
    "Asa2Extension",
    "configure",
    "deferred",
    "engine_of",
    "filters",
    "install",
    "literal_keys",
    "prefetch",
    "product_global",
    "product_request",
    "render",
    "theme_keys",
]
