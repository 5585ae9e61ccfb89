"""The sandbox's products: a JSON catalog (the bundled demo or ``--catalog FILE``) plus synthetic ones.

Catalog file format (UTF-8 JSON)::

    {
      "products": [
        {
          "asin": "B0DEMO0001",            # 10 upper-case letters/digits
          "country": "de",                 # store code (us, uk, de, fr, jp, …)
          "title": "…",
          "brand": "…",                    # optional; "manufacturer" defaults to it
          "features": ["…", "…"],          # optional
          "image": "/_sandbox/images/B0DEMO0001.svg",  # optional; a path = the sandbox's own
                                           # placeholder, or any https URL; sizes are derived
          "price": 19.99,                  # optional number in the store's currency; none = no offer
          "list_price": 24.99,             # optional; gives savings and a LIST_PRICE saving basis
          "availability": "IN_STOCK",      # OffersV2 type (IN_STOCK, IN_STOCK_SCARCE, OUT_OF_STOCK, …)
          "availability_message": "…",     # optional; a localised default otherwise
          "rating": 4.5, "reviews": 1234,  # optional
          "merchant": "Amazon.de",         # optional; defaults to the store's Amazon retail merchant
          "parent_asin": "B0DEMO0000",     # optional
          "deal_badge": "Blitzangebot",    # optional; makes the listing a LIGHTNING_DEAL
          "category": "Küche",             # optional; the browse node's name
          "violates_map": false,           # optional; the price breaks the Minimum Advertised Price
          "parent": false,                 # optional; true: a parent ASIN — GetItems shows no offer,
                                           # GetVariations prices its variations from "price"
          "other_offers": [                # optional; offers besides the buy box, by condition
            {"condition": "Used", "price": 14.5, "merchant": "…", "count": 3}
          ]                                # → extra OffersV2 listings, and PA-API Offers.Summaries
        }
      ],
      "missing": {"B0DEMO0003": ["uk", "jp"]}   # optional: ASINs not sold in these stores
    }

An ASIN listed under ``missing`` for a store does not exist there: GetItems answers it with Amazon's
``InvalidParameterValue`` item error (``--missing ASIN:STORE`` adds more). Every other valid ASIN gets a
synthetic product, the same for the same (ASIN, store) on every run.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from babel.numbers import get_currency_precision
from msgspec import Meta, field

from ..errors import ConfigError, RecordError
from ..marketplaces import Store, normalize_country
from ..money import format_store_money, quantize
from ..products.models import AVAILABILITY_TYPES as MODEL_AVAILABILITY_TYPES
from ..records import Record
from .images import image_path

# Amazon's OffersV2 enum: our model's list less BACKORDER, which only ASA2's placeholders know.
AVAILABILITY_TYPES = MODEL_AVAILABILITY_TYPES - {"BACKORDER"}


class OtherOffer(Record, frozen=True, kw_only=True):
    """Offers of one condition besides the buy box: ``count`` sellers, the cheapest at ``price``."""

    condition: Literal["New", "Used", "Collectible", "Refurbished"]
    price: Annotated[float, Meta(gt=0)]
    merchant: str | None = None
    count: Annotated[int, Meta(ge=1, le=999)] = 1


class CatalogProduct(Record, frozen=True, kw_only=True):
    """One product in one store, as written in a catalog file."""

    asin: Annotated[str, Meta(pattern=r"^[A-Z0-9]{10}$")]
    country: str
    title: str
    brand: str | None = None
    manufacturer: str | None = None
    features: tuple[str, ...] = ()
    image: str | None = None
    price: Annotated[float, Meta(ge=0)] | None = None
    list_price: Annotated[float, Meta(ge=0)] | None = None
    availability: str = "IN_STOCK"
    availability_message: str | None = None
    rating: Annotated[float, Meta(ge=0, le=5)] | None = None
    reviews: Annotated[int, Meta(ge=0)] | None = None
    merchant: str | None = None
    parent_asin: str | None = None
    deal_badge: str | None = None
    category: str | None = None
    violates_map: bool = False
    other_offers: tuple[OtherOffer, ...] = ()
    parent: bool = False


class _CatalogFile(Record, frozen=True, kw_only=True):
    products: list[CatalogProduct]
    missing: dict[str, list[str]] = field(default_factory=dict)


# Rough price level of each currency against the US dollar, so synthetic prices look plausible.
_PRICE_SCALE: dict[str, float] = {
    "JPY": 150,
    "INR": 83,
    "EGP": 48,
    "TRY": 32,
    "MXN": 17,
    "SEK": 10,
    "BRL": 5,
    "PLN": 4,
    "AED": 3.7,
    "SAR": 3.7,
    "AUD": 1.5,
    "CAD": 1.4,
    "SGD": 1.35,
    "EUR": 0.95,
    "GBP": 0.8,
}


def round_amount(amount: float, store: Store) -> float | int:
    """The amount as the store's currency counts it (whole yen, cents elsewhere)."""
    counted = quantize(amount, store.currency)
    return int(counted) if get_currency_precision(store.currency) == 0 else float(counted)


def display_amount(amount: float, store: Store) -> str:
    """The amount written the way the store writes it, e.g. ``1.234,50 €`` or ``$1,234.50`` (Babel)."""
    return format_store_money(amount, store)


_ADJECTIVES = (
    "Compact",
    "Premium",
    "Classic",
    "Portable",
    "Smart",
    "Ergonomic",
    "Wireless",
    "Eco",
    "Pro",
    "Mini",
)
_NOUNS = (
    "Desk Lamp",
    "Water Bottle",
    "Bluetooth Speaker",
    "Chef's Knife",
    "Yoga Mat",
    "Backpack",
    "Kettle",
    "USB-C Charger",
    "Notebook",
    "Coffee Mug",
    "Phone Stand",
    "Travel Pillow",
    "LED Strip",
    "Garden Hose",
)
_BRANDS = ("Nordlicht", "Aurora Home", "Kestrel", "Bluefin", "Marlow & Co.", "Tessera", "Oakridge", "Lumina")
_FEATURES = (
    "Durable construction for everyday use",
    "Easy to clean and maintain",
    "Backed by a 2-year manufacturer warranty",
    "Lightweight design, easy to carry",
    "Energy-efficient and quiet in operation",
    "Includes everything you need to get started",
)


def synthetic_product(asin: str, store: Store) -> CatalogProduct:
    """A plausible product for any ASIN, the same for the same (ASIN, store) on every run."""
    seed = int.from_bytes(hashlib.sha256(f"{asin}:{store.country}".encode()).digest()[:8], "big")
    rng = random.Random(seed)
    noun = rng.choice(_NOUNS)
    brand = rng.choice(_BRANDS)
    usd = rng.choice((9, 14, 19, 24, 29, 39, 49, 79, 99, 149)) + 0.99
    price = round_amount(usd * _PRICE_SCALE.get(store.currency, 1.0), store)
    in_stock = rng.random() >= 0.05
    list_price = round_amount(price * rng.choice((1.15, 1.25, 1.4)), store) if rng.random() < 0.4 else None
    # Drawn after everything above, so older synthetic products keep their values.
    used = round_amount(price * rng.choice((0.7, 0.8, 0.85)), store) if rng.random() < 0.3 else None
    other = (
        (OtherOffer(condition="Used", price=used, count=rng.randrange(1, 6)),) if used and in_stock else ()
    )
    return CatalogProduct(
        asin=asin,
        country=store.country,
        other_offers=other,
        title=f"{brand} {rng.choice(_ADJECTIVES)} {noun} {asin[-4:]}",
        brand=brand,
        features=tuple(rng.sample(_FEATURES, 3)),
        image=image_path(asin),
        price=price if in_stock else None,
        list_price=list_price if in_stock else None,
        availability=rng.choice(("IN_STOCK", "IN_STOCK", "IN_STOCK", "IN_STOCK_SCARCE"))
        if in_stock
        else "OUT_OF_STOCK",
        rating=rng.choice((3.8, 4.1, 4.3, 4.5, 4.6, 4.8)),
        reviews=rng.randrange(3, 25_000),
        category=noun,
    )


class Catalog:
    """Products by (ASIN, store), falling back to synthetic products for unknown ASINs."""

    def __init__(self, products: list[CatalogProduct], missing: Iterable[tuple[str, str]] = ()) -> None:
        self._products = {(p.asin, p.country): p for p in products}
        self._missing = frozenset(_missing_pair(asin, country) for asin, country in missing)

    @classmethod
    def load(cls, path: Path | None = None) -> Catalog:
        """Read a catalog file, or the bundled demo catalog when ``path`` is None."""
        if path is None:
            text = resources.files(__package__).joinpath("demo_catalog.json").read_text("utf-8")
            where = "demo_catalog.json"
        else:
            where = str(path)
            try:
                text = path.read_text("utf-8")
            except OSError as error:
                raise ConfigError(f"cannot read the catalog: {error.strerror}", path=where) from error
        try:
            parsed = _CatalogFile.model_validate(json.loads(text))
        except (json.JSONDecodeError, RecordError) as error:
            raise ConfigError(f"invalid sandbox catalog: {error}", path=where) from error
        pairs = [(asin, country) for asin, countries in parsed.missing.items() for country in countries]
        try:
            return cls(parsed.products, pairs)
        except ValueError as error:
            raise ConfigError(f"invalid sandbox catalog: missing: {error}", path=where) from error

    def with_missing(self, pairs: Iterable[tuple[str, str]]) -> Catalog:
        """The same catalog with more (ASIN, store) pairs that do not exist."""
        return Catalog(list(self._products.values()), [*self._missing, *pairs])

    def is_missing(self, asin: str, store: Store) -> bool:
        """Whether this ASIN is not sold in this store (``missing`` / ``--missing``)."""
        return (asin, store.country) in self._missing

    def get(self, asin: str, store: Store) -> CatalogProduct:
        """The catalog product for this store, else a synthetic one."""
        return self._products.get((asin, store.country)) or synthetic_product(asin, store)

    def in_store(self, store: Store) -> list[CatalogProduct]:
        """The catalog's own products of one store, in file order."""
        return [p for (_, country), p in self._products.items() if country == store.country]


def _missing_pair(asin: str, country: str) -> tuple[str, str]:
    code = normalize_country(country)
    if code is None:
        raise ValueError(f"unknown store {country!r} for {asin}")
    return asin.strip().upper(), code


def parse_missing(text: str) -> tuple[str, str]:
    """Split ``ASIN:STORE`` (``--missing B0DEMO0003:uk``); ValueError when malformed."""
    asin, _, country = text.partition(":")
    if not asin or not country:
        raise ValueError("expected ASIN:STORE, e.g. B0DEMO0003:uk")
    return _missing_pair(asin, country)


__all__ = [
    "AVAILABILITY_TYPES",
    "Catalog",
    "CatalogProduct",
    "OtherOffer",
    "display_amount",
    "parse_missing",
    "round_amount",
    "synthetic_product",
]
