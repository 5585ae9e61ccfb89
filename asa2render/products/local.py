"""Local products: the user's own product data (ASA2's "Products" section), always used first.

``products.toml``::

    [[products]]
    asin = "B0DEMO0001"
    country = "de"
    title = "Espresso grinder"
    url = "https://www.amazon.de/dp/B0DEMO0001?tag=mytag-21"   # optional; default: /dp/ASIN?tag=…
    image = "https://m.media-amazon.com/images/I/….jpg"          # hot-linked, never downloaded
    price = "49.99"                                              # shown as the store writes it: 49,99 €
    list_price = "59.99"                                         # optional; gives the savings shown
    currency = "EUR"                                             # default: the store's currency
    availability = "IN_STOCK"
    availability_message = "Only 3 left"                         # optional; a localised default otherwise
    features = ["…", "…"]
    brand = "…"
    updated = 2026-11-20T10:00:00Z                               # shown as the "as of" time
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from ..config.model import Config
from ..errors import ConfigError, EncodingError
from ..marketplaces import Store, normalize_country, store_for
from ..money import format_money
from ..textio import read_text
from .asins import normalize_asin
from .models import AVAILABILITY_TYPES, Availability, Image, Images, Money, Product, ProductKey, Savings
from .urls import is_amazon_url, is_safe_image_url

# field → (the check a link must pass, what the message says it must be)
_LINK_RULES: dict[str, tuple[Callable[[str], bool], str]] = {
    "url": (is_amazon_url, "an https:// Amazon link"),
    "image": (is_safe_image_url, "an https:// URL"),
}


class LocalProduct(BaseModel):
    """One ``[[products]]`` entry as the user writes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    asin: str
    country: str | None = None
    title: str
    url: str | None = None
    image: str | None = None
    price: Decimal | None = Field(default=None, ge=0)
    currency: str | None = None
    list_price: Decimal | None = Field(default=None, ge=0)
    availability: str = "IN_STOCK"
    availability_message: str | None = None
    features: tuple[str, ...] = ()
    brand: str | None = None
    updated: datetime | None = None

    @field_validator("asin")
    @classmethod
    def _valid_asin(cls, value: str) -> str:
        asin = normalize_asin(value)
        if asin is None:
            raise ValueError(f"invalid ASIN {value!r}: 10 letters or digits expected")
        return asin

    @field_validator("country")
    @classmethod
    def _valid_country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        canonical = normalize_country(value)
        if canonical is None:
            raise ValueError(f"unknown country {value!r}")
        return canonical

    @field_validator("url", "image")
    @classmethod
    def _safe_link(cls, value: str | None, info: ValidationInfo) -> str | None:
        allowed, wanted = _LINK_RULES[info.field_name or ""]
        if value is not None and not allowed(value):
            raise ValueError(f"{info.field_name} must be {wanted}, got {value!r}")
        return value

    @field_validator("availability")
    @classmethod
    def _known_availability(cls, value: str) -> str:
        upper = value.upper()
        if upper not in AVAILABILITY_TYPES:
            raise ValueError(f"availability must be one of {sorted(AVAILABILITY_TYPES)}")
        return upper


class LocalProducts:
    """The user's products, indexed by (country, ASIN)."""

    def __init__(self, products: dict[ProductKey, Product] | None = None) -> None:
        self._products = products or {}

    def __len__(self) -> int:
        return len(self._products)

    def get_many(self, keys: list[ProductKey]) -> dict[ProductKey, Product]:
        return {key: self._products[key] for key in keys if key in self._products}

    @classmethod
    def load(cls, config: Config) -> LocalProducts:
        """Read ``[site] products`` (missing setting → no local products; missing file → error)."""
        path = config.resolve_path(config.site.products)
        if path is None:
            return cls()
        return cls(_read_products(path, config))


def _read_products(path: Path, config: Config) -> dict[ProductKey, Product]:
    try:
        data = tomllib.loads(read_text(path))
    except OSError as exc:
        raise ConfigError(f"cannot read products file: {exc.strerror}", path=str(path)) from None
    except EncodingError as exc:
        raise ConfigError(exc.reason, path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    products: dict[ProductKey, Product] = {}
    for index, entry in enumerate(data.get("products", [])):
        product = _to_product(_validate(entry, path, index), config, modified, path, index)
        products[ProductKey(product.country, product.asin)] = product
    return products


def _validate(entry: Any, path: Path, index: int) -> LocalProduct:
    try:
        return LocalProduct.model_validate(entry)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise ConfigError(message, path=str(path), key=f"products[{index}].{key}") from None


def _to_product(item: LocalProduct, config: Config, modified: datetime, path: Path, index: int) -> Product:
    country = item.country or config.default_country
    if country is None:
        raise ConfigError(
            "no country and no default marketplace to assume", path=str(path), key=f"products[{index}]"
        )
    store = store_for(country)
    tag, _ = config.partner_tag(country)
    currency = (item.currency or store.currency).upper()
    price = _money(item.price, currency, store)
    list_price = _money(item.list_price, currency, store)
    return Product(
        asin=item.asin,
        country=country,
        title=item.title,
        url=item.url or store.product_url(item.asin, tag),
        images=Images(large=Image(url=item.image)) if item.image else Images(),
        price=price,
        list_price=list_price,
        savings=_savings(price, list_price, store),
        availability=Availability(type=item.availability, message=item.availability_message),
        brand=item.brand,
        features=item.features,
        fetched_at=_aware(item.updated) if item.updated else modified,
        source="local",
    )


def _money(amount: Decimal | None, currency: str, store: Store) -> Money | None:
    """Written like the API writes it for this store (Babel's CLDR data), never hand-formatted."""
    if amount is None:
        return None
    return Money(amount=amount, currency=currency, display=format_money(amount, currency, store.language))


def _savings(price: Money | None, list_price: Money | None, store: Store) -> Savings | None:
    """What the API reports as savings: list price minus price, and the percentage, when positive."""
    if price is None or list_price is None or list_price.amount <= price.amount or not list_price.amount:
        return None
    saved = _money(list_price.amount - price.amount, price.currency, store)
    percentage = int((saved.amount / list_price.amount * 100).to_integral_value()) if saved else None
    return Savings(money=saved, percentage=percentage)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


__all__ = ["LocalProduct", "LocalProducts"]
