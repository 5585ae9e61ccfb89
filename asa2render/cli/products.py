"""``asa2render products``: the product store (``products.toml``) from the command line.

- ``products import FILE.csv`` — add or update products from CSV (or JSON); bad rows are reported
  with their line number and skipped, the file is replaced atomically;
- ``products export [--format csv|json]`` — the whole store, ready to import again;
- ``products add ASIN [--country de] [--refresh]`` — fetch a product through the API once and store it
  (ASA2's "auto-import on first use" as an explicit command).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import click

from ..config.model import Config
from ..errors import Asa2Error, RecordError
from ..marketplaces import normalize_country
from ..products.asins import normalize_asin
from ..products.edit import ProductsDocument
from ..products.local import LocalProduct, read_products
from ..products.models import Product, ProductKey
from ..products.transfer import COLUMNS, ROW_FIELDS, csv_text, export_json, export_rows, read_file
from .content import config_option, load, open_engine
from .errors import EXIT_FAILURES, EXIT_USAGE, CliError
from .output import emit

DEFAULT_STORE = "products.toml"
# The fields ``products add`` takes from the API; the user's own (categories, tags, review, rating) stay.
API_FIELDS = tuple(
    column
    for column in COLUMNS
    if column not in {"asin", "country", "categories", "tags", "rating", "reviews", "review"}
)


@click.group()
def products() -> None:
    """Import, export and add products of the local product store ([site] products)."""


def _store_path(config: Config) -> Path:
    """``[site] products``, else ``products.toml`` beside the configuration (with a hint to configure it)."""
    path = config.resolve_path(config.site.products)
    if path is not None:
        return path
    fallback = config.root / DEFAULT_STORE
    click.echo(
        f"asa2render: [site] products is not set; using {fallback} "
        f'(add products = "{DEFAULT_STORE}" to [site] so that builds use it)',
        err=True,
    )
    return fallback


@products.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Import nothing when any row is bad (exit 1).")
@config_option
def import_(file: Path, strict: bool, config_path: Path | None) -> None:
    """Add or update products from a CSV (or JSON) file; bad rows are reported and skipped."""
    config = load(config_path)
    path = _store_path(config)
    plan = read_file(file, config.default_country)
    for column, target in plan.mapped.items():
        click.echo(f"asa2render: {file}: reading ASA2 column {column!r} as {target}", err=True)
    if plan.ignored:
        click.echo(f"asa2render: {file}: ignored columns: {', '.join(plan.ignored)}", err=True)
    for error in plan.errors:
        click.echo(f"{error}", err=True)
    if strict and plan.errors:
        raise CliError(f"{len(plan.errors)} bad row(s); nothing imported (--strict)", EXIT_FAILURES)
    try:
        document = ProductsDocument.open(path, config.default_country)
        added = sum(document.upsert(entry, replace=plan.columns) for _, entry in plan.entries)
        _validate_store(document, config)
        if plan.entries:
            document.save()
    except (Asa2Error, ValueError, OSError) as exc:  # products.toml is left as it was
        code = (
            EXIT_FAILURES if isinstance(exc, ValueError) else EXIT_USAGE
        )  # ValueError: the merge is invalid
        raise CliError(f"{path}: {exc}" if isinstance(exc, ValueError) else str(exc), code) from None
    updated = len(plan.entries) - added
    click.echo(
        f"imported {len(plan.entries)} product(s) into {path} ({added} new, {updated} updated); "
        f"{len(plan.errors)} bad row(s) skipped"
    )


def _validate_store(document: ProductsDocument, config: Config) -> None:
    """The merged file must load as a whole before it replaces the old one."""
    import tomlkit

    data = tomllib.loads(tomlkit.dumps(document.document))
    for index, entry in enumerate(data.get("products", [])):
        try:
            LocalProduct.model_validate(entry)
        except RecordError as exc:
            key = f"products[{index}].{exc.key}" if exc.key else f"products[{index}]"
            raise ValueError(f"{key}: {exc.reason}") from None


@products.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default stdout)."
)
@config_option
def export(fmt: str, output: Path | None, config_path: Path | None) -> None:
    """Write every stored product as CSV or JSON (``products import`` reads both back)."""
    config = load(config_path)
    path = _store_path(config)
    try:
        pairs = (
            [(item, product.country) for item, product in read_products(path, config)]
            if path.exists()
            else []
        )
    except Asa2Error as exc:  # a ConfigError naming the file and key
        raise CliError(str(exc), EXIT_USAGE) from None
    if fmt == "csv":
        header, rows = export_rows(pairs)
        text = csv_text(header, rows)
    else:
        text = json.dumps(export_json(pairs), indent=2, ensure_ascii=False) + "\n"
    emit(text, output, done=f"wrote {len(pairs)} product(s) to {output}")


@products.command("add")
@click.argument("asin")
@click.option("--country", help="Store code (default: the default marketplace).")
@click.option("--refresh", is_flag=True, help="Update a product that is already stored.")
@click.option(
    "--sandbox", metavar="URL", envvar="ASA2RENDER_SANDBOX", help="Sandbox base URL ('auto' starts one)."
)
@config_option
def add(asin: str, country: str | None, refresh: bool, sandbox: str | None, config_path: Path | None) -> None:
    """Fetch ASIN through the API once and store it in the product store."""
    config = load(config_path)
    path = _store_path(config)
    key = _key(asin, country, config)
    document = ProductsDocument.open(path, config.default_country)
    if document.find(key) is not None and not refresh:
        click.echo(f"{key} is already in {path}; use --refresh to update it")
        return
    with open_engine(config_path, strict=False, sandbox=sandbox, offline=False) as engine:
        outcome = engine.store.fetch_fresh([key])[key]
    if not isinstance(outcome, Product):
        raise CliError(f"{key}: {outcome.message}", EXIT_FAILURES)
    new = document.upsert(api_entry(outcome), replace=API_FIELDS)
    document.save()
    click.echo(f'{"added" if new else "updated"} {key} "{outcome.title}" in {path}')


def _key(raw: str, country: str | None, config: Config) -> ProductKey:
    asin = normalize_asin(raw)
    if asin is None:
        raise CliError(f"invalid ASIN {raw!r}: 10 letters or digits expected", EXIT_USAGE)
    canonical = normalize_country(country) if country else config.default_country
    if canonical is None:
        message = f"unknown country {country!r}" if country else "no --country and no default marketplace"
        raise CliError(message, EXIT_USAGE)
    return ProductKey(canonical, asin)


def api_entry(product: Product) -> dict[str, Any]:
    """A fetched product as an ``origin = "api"`` entry (served only while younger than 24 h)."""
    image = product.images.best
    entry: dict[str, Any] = {
        "asin": product.asin,
        "country": product.country,
        "origin": "api",
        "title": product.title,
        "url": product.url,
        "image": image.url if image else None,
        "price": product.price.amount if product.price else None,
        "currency": product.price.currency if product.price else None,
        "list_price": product.list_price.amount if product.list_price else None,
        "availability": product.availability.type,
        "brand": product.brand,
        "features": product.features or None,
        "updated": product.fetched_at,
    }
    return {k: v for k, v in entry.items() if v is not None}


__all__ = ["API_FIELDS", "ROW_FIELDS", "add", "api_entry", "export", "import_", "products"]
