"""``asa2render export-data``: one data file of resolved products for a generator's data folder.

It reads pages and templates (``[asa2]`` shortcodes and the generators' own ``{{< asa2 >}}``,
``{% asa2 %}`` and ``{% include asa2.html %}``; see :mod:`asa2render.shortcodes.generators`), or
stdin with ``-``; fetches every product once; and writes JSON or YAML that the shortcodes written by
``asa2render init`` read. Problems are printed as ``path:line:column: message``, generator shortcodes
that name no exportable product are reported as skipped, and with ``--strict`` any problem exits 1
without writing the file — the same rule as ``render --strict``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click

from ..config.model import Host
from ..engine import Document, Engine
from ..errors import OutputError
from ..files import atomic_write
from ..outputs import refuse_output_at_input, refuse_overwrite
from ..products.models import ProductKey, Resolved, utc_now
from ..products.resolve import COLLECTION_TAG, Problem, ProductRequest
from ..render.hosts import escape_template_syntax, placement
from ..render.i18n import LABEL_MESSAGES, box_locale, translations
from ..shortcodes.generators import Skipped, find_generator_shortcodes
from ..sources import PAGE_SUFFIXES, Mode, mode_for, read_front_matter
from .content import (
    engine_options,
    host_option,
    open_engine,
    print_problems,
    print_summary,
    walk,
)
from .errors import EXIT_FAILURES, EXIT_USAGE, CliError

# Templates of Eleventy and Jekyll hold generator shortcodes too.
EXPORT_SUFFIXES = {*PAGE_SUFFIXES, ".njk", ".liquid"}
DATA_VERSION = 2
# Stands for the ASIN in ``fallback_html``: ASIN-shaped (so links stay valid) and never a real one.
ASIN_SLOT = "ASA2ASIN00"
INLINE_TEMPLATES = {"textlink"}  # built-in templates whose markup may sit inside a paragraph


@dataclass
class Exported:
    """What the scan of every input found."""

    documents: list[Document]
    skipped: list[Skipped]


@click.command("export-data")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="json")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Data file (default stdout)."
)
@click.option(
    "--mode",
    type=click.Choice(["markdown", "html", "text"]),
    default=None,
    help="How to read stdin (default markdown).",
)
@host_option
@engine_options
def export_data(
    inputs: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    mode: str | None,
    host: Host | None,
    config_path: Path | None,
    strict: bool | None,
    sandbox: str | None,
    offline: bool,
) -> None:
    """Write one data file of resolved products (for Hugo, Eleventy or Jekyll data folders).

    Finds [asa2] shortcodes and the generators' own {{< asa2 … >}}, {% asa2 … %} and
    {% include asa2.html … %} in INPUTS (files, directories, or '-' for stdin).
    """
    if output is not None:
        try:
            files = [p for p in inputs if p != Path("-")]
            refuse_output_at_input(files, output)
            refuse_overwrite((s.path, output) for s in walk(files))
        except OutputError as exc:
            raise CliError(str(exc), EXIT_USAGE) from None
    with open_engine(config_path, strict=strict, sandbox=sandbox, offline=offline, host=host) as engine:
        found = scan_inputs(engine, inputs, (mode or "markdown"))  # type: ignore[arg-type]
        engine.fetch_documents(found.documents)
        for doc in found.documents:
            problems = engine.unavailable(doc.requests)
            doc.problems.extend(problems)
            engine.problems.extend(problems)
        print_problems(engine.problems)
        for skipped in found.skipped:
            click.echo(f"{skipped} (warning)", err=True)
        requests = [r for doc in found.documents for r in doc.requests]
        print_summary(engine, len(requests))
        if found.skipped:
            click.echo(f"asa2render: skipped {len(found.skipped)} generator shortcode(s)", err=True)
        if engine.strict and any(p.severity == "error" for p in engine.problems):
            raise CliError("strict mode: no data file written (see the problems above)", EXIT_FAILURES)
        data = export_payload(engine, requests)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n" if fmt == "json" else _yaml(data)
    if output:
        atomic_write(output, text, create_parents=True)
        count = sum(len(products) for products in data["products"].values())
        click.echo(f"wrote {count} product(s) to {output}", err=True)
    else:
        sys.stdout.write(text)


def scan_inputs(engine: Engine, inputs: tuple[Path, ...], stdin_mode: Mode) -> Exported:
    """Prepare every input: ``[asa2]`` shortcodes plus the generators' own shortcode syntax."""
    found = Exported([], [])
    for item in inputs:
        if item == Path("-"):
            found_in(engine, sys.stdin.read(), stdin_mode, "<stdin>", found)
            continue
        named = item.is_file()
        for source in walk([item]):
            if named or source.path.suffix.lower() in EXPORT_SUFFIXES:
                text = engine.read_page(source.path)  # None: unreadable, recorded as a problem
                if text is not None:
                    found_in(engine, text, mode_for(source.path), str(source.path), found)
    return found


def found_in(engine: Engine, text: str, mode: Mode, path: str, found: Exported) -> None:
    """Prepare one page or template, adding its generator shortcodes' requests to the document."""
    doc = engine.prepare(text, mode=mode, path=path)
    front, body_start = read_front_matter(text) if mode != "text" else ({}, 0)
    country = front.get("asa2_country") if isinstance(front.get("asa2_country"), str) else None
    shortcodes, skipped = find_generator_shortcodes(text, path, start=body_start)
    for shortcode in shortcodes:
        request, problems = engine.resolve(shortcode, path=path, page_country=country)
        if mode == "markdown" and request.template not in INLINE_TEMPLATES:
            problems = [*problems, *_inline_warning(text, request)]
        doc.requests.append(request)
        doc.problems.extend(problems)
        engine.problems.extend(problems)
    found.documents.append(doc)
    found.skipped.extend(skipped)


def _inline_warning(text: str, request: ProductRequest) -> list[Problem]:
    """A generator's shortcode prints a block box; inside a paragraph that is invalid HTML."""
    shortcode = request.shortcode
    if not placement(text, shortcode.start, shortcode.end).inline:
        return []
    message = (
        "a box inside a paragraph is invalid HTML: put the shortcode on a line of its own, "
        'or use tpl="textlink" for a link in the text'
    )
    return [Problem(request.location, "inline-box", message, "warning")]


def export_payload(engine: Engine, requests: list[ProductRequest]) -> dict[str, Any]:
    """The data file: products by store and ASIN, collections by name, and what templates need.

    ``products.<country>.<ASIN>`` holds the product model's fields, ``state``
    (fresh/stale/fallback), ``as_of``, ``fallback_url`` and ``html.<template>``: the markup of the
    built-in (or your) template, exactly what ``render`` would put in a page. For products not in the
    file, ``fallback_html.<country>`` is the built-in fallback (a tagged link, localised label) with
    :data:`ASIN_SLOT` where the ASIN goes, and ``fallback_urls`` the bare link with ``{ASIN}``.
    Markup has ``{`` and ``}`` as character references, so no template engine reads product data
    as code.
    """
    products: dict[str, dict[str, Any]] = {}
    collections: dict[str, Any] = {}
    for request in requests:
        canonical = replace(request, options={}, link_text=None)
        markup = escape_template_syntax(engine.render_request(canonical)) if request.keys else ""
        if request.shortcode.tag == COLLECTION_TAG:
            name = (request.shortcode.attrs.get("name") or request.shortcode.content or "").strip()
            entry = collections.setdefault(
                name, {"country": request.country, "asins": [k.asin for k in request.keys], "html": {}}
            )
            entry["html"][request.template] = markup
        for key in request.keys:
            product = products.setdefault(key.country, {}).get(key.asin) or _product_entry(engine, key)
            products[key.country][key.asin] = product
            if len(request.keys) == 1 and request.shortcode.tag != COLLECTION_TAG:
                product["html"][request.template] = markup
        for key in request.keys:  # every product also gets the default box
            product = products[key.country][key.asin]
            if engine.config.site.template not in product["html"]:
                single = replace(canonical, keys=(key,), template=engine.config.site.template)
                product["html"][single.template] = escape_template_syntax(engine.render_request(single))
    site = engine.config.site
    default = engine.config.default_marketplace
    default_country = default.country if default else None
    locale = box_locale(default_country, site.language)
    return {
        "version": DATA_VERSION,
        "generated_at": utc_now().isoformat(),
        "default_country": default_country,
        "default_template": site.template,
        "rel": site.rel,
        "target": site.target,
        "disclosure": translations(locale).gettext(LABEL_MESSAGES["disclosure"]),
        "labels": {"fallback": translations(locale).gettext(LABEL_MESSAGES["fallback_label"])},
        "asin_slot": ASIN_SLOT,
        "fallback_html": _fallback_html(engine, requests),
        "fallback_urls": _fallback_urls(engine),
        "products": products,
        "collections": collections,
    }


def _product_entry(engine: Engine, key: ProductKey) -> dict[str, Any]:
    item = engine.resolved[key]
    entry: dict[str, Any] = {"state": item.state, "fallback_url": engine.renderer.fallback_url(key)}
    if item.product is not None and item.state != "fallback":
        entry |= item.product.model_dump(mode="json")
        entry["as_of"] = engine.renderer.format_time(item.product.fetched_at)
    entry["html"] = {}
    return entry


def _stores(engine: Engine) -> list[str]:
    countries = {m.country for m in engine.config.marketplaces}
    countries |= {c for tags in engine.config.associate_id_sets.values() for c in tags}
    return sorted(countries)


def _fallback_html(engine: Engine, requests: list[ProductRequest]) -> dict[str, str]:
    """Each store's fallback markup, rendered by the built-in (or your) ``fallback`` template.

    The generators' shortcodes put the ASIN in place of :data:`ASIN_SLOT` — so their fallback follows
    the templates instead of repeating their markup. Rendered straight from the renderer: nothing is
    fetched for the placeholder.
    """
    if not requests:
        return {}
    model = replace(requests[0], options={}, link_text=None, template=engine.config.site.template)
    markup: dict[str, str] = {}
    for country in _stores(engine):
        key = ProductKey(country, ASIN_SLOT)
        request = replace(model, keys=(key,), country=country)
        rendered = engine.renderer.render(request, {key: Resolved(key_country=country, key_asin=ASIN_SLOT)})
        markup[country] = escape_template_syntax(rendered)
    return markup


def _fallback_urls(engine: Engine) -> dict[str, str]:
    """Each configured store's tagged product link, ``{ASIN}`` standing for the product."""
    countries = _stores(engine)
    return {
        country: engine.renderer.fallback_url(ProductKey(country, "{ASIN}"))
        for country in countries
        if engine.renderer.fallback_url(ProductKey(country, "{ASIN}"))
    }


def _yaml(data: dict[str, Any]) -> str:
    import yaml

    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000))


__all__ = ["export_data", "export_payload", "scan_inputs"]
