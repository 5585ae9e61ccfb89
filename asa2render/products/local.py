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
    categories = ["kitchen", "coffee"]                           # for smart collections
    tags = ["grinder"]
    review = "My **own** verdict."                               # Markdown: ReviewHTML in templates
    rating = 4.5                                                 # manual rating (0–5) …
    reviews = 120                                                # … and review count

Two more kinds of entry:

- ``shop = "Roastery Shop"`` marks a product of another shop: ``url`` is required and may be any
  ``https`` host, ``asin`` is any id (letters, digits, ``-``, ``_``). Amazon's caching rules do not
  apply to it; its links still carry ``rel="sponsored …"``.
- ``origin = "api"`` (written by ``asa2render products add``) marks an Amazon product whose data came
  from the API: it is resolved like any Amazon product (cache, then API), the stored copy serves only
  while it is younger than 24 h, and the entry's own categories, tags, review and rating are added.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from msgspec import Meta
from msgspec.structs import force_setattr

from ..config.model import Config
from ..errors import ConfigError, EncodingError, RecordError
from ..marketplaces import Store, normalize_country, store_for
from ..money import format_money
from ..records import FieldError, Record
from ..textio import read_text
from .asins import normalize_asin
from .models import AVAILABILITY_TYPES, Availability, Image, Images, Money, Product, ProductKey, Savings
from .urls import is_amazon_url, is_safe_image_url

SHOP_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
Origin = Literal["manual", "api"]


class LocalProduct(Record, frozen=True, kw_only=True):
    """One ``[[products]]`` entry as the user writes it."""

    # ``shop`` comes first: the checks of ``asin`` and ``url`` depend on it.
    shop: str | None = None
    asin: str
    country: str | None = None
    title: str
    url: str | None = None
    image: str | None = None
    price: Decimal | None = None  # >= 0 (checked below: msgspec bounds only plain numbers)
    currency: str | None = None
    list_price: Decimal | None = None  # >= 0
    availability: str = "IN_STOCK"
    availability_message: str | None = None
    features: tuple[str, ...] = ()
    brand: str | None = None
    updated: datetime | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    review: str | None = None
    rating: Annotated[float, Meta(ge=0, le=5)] | None = None
    reviews: Annotated[int, Meta(ge=0)] | None = None
    origin: Origin = "manual"

    def __post_init__(self) -> None:
        # Field by field in declaration order, then the checks across fields (the first problem is reported).
        force_setattr(self, "asin", self._valid_asin(self.asin))
        force_setattr(self, "country", self._valid_country(self.country))
        for name in ("price", "list_price"):
            amount = getattr(self, name)
            if amount is not None and not amount >= 0:  # also refuses NaN
                raise FieldError(name, "must be greater than or equal to 0")
        self._https_url(self.url)
        if self.image is not None and not is_safe_image_url(self.image):
            raise FieldError("image", f"image must be an https:// URL, got {self.image!r}")
        upper = self.availability.upper()
        if upper not in AVAILABILITY_TYPES:
            raise FieldError("availability", f"availability must be one of {sorted(AVAILABILITY_TYPES)}")
        force_setattr(self, "availability", upper)
        if self.shop is not None and self.url is None:
            raise ValueError("a shop product needs an https:// url")
        if self.shop is not None and self.origin == "api":
            raise ValueError('origin = "api" is for Amazon products, not shop products')

    def _valid_asin(self, value: str) -> str:
        if self.shop is not None:
            if not SHOP_ID.match(value):
                raise FieldError(
                    "asin", f"invalid product id {value!r}: letters, digits, '-' or '_' expected"
                )
            return value
        asin = normalize_asin(value)
        if asin is None:
            raise FieldError("asin", f"invalid ASIN {value!r}: 10 letters or digits expected")
        return asin

    def _https_url(self, value: str | None) -> None:
        if value is None:
            return  # a shop product without one is refused below, with its own message
        if self.shop is not None:
            if not is_safe_image_url(value):
                raise FieldError("url", f"a shop product's url must be an https:// link, got {value!r}")
        elif value is not None and not is_amazon_url(value):
            raise FieldError("url", f"url must be an https:// Amazon link, got {value!r}")

    @staticmethod
    def _valid_country(value: str | None) -> str | None:
        if value is None:
            return None
        canonical = normalize_country(value)
        if canonical is None:
            raise FieldError("country", f"unknown country {value!r}")
        return canonical


class LocalProducts:
    """The user's products, indexed by (country, ASIN).

    ``manual`` products are the user's own data and always win; ``snapshots`` are Amazon products
    stored by ``products add`` (served only while younger than 24 h); ``annotations`` hold the
    user's own fields (categories, tags, review, rating) added to whatever the API returns.
    """

    def __init__(
        self,
        products: dict[ProductKey, Product] | None = None,
        snapshots: dict[ProductKey, Product] | None = None,
        dated: set[ProductKey] | None = None,
    ) -> None:
        self._products = products or {}
        self._snapshots = snapshots or {}
        self._dated: set[ProductKey] = set(dated if dated is not None else self._snapshots)

    def __len__(self) -> int:
        return len(self._products) + len(self._snapshots)

    def get_many(self, keys: list[ProductKey]) -> dict[ProductKey, Product]:
        """Manual products (never stale: the user owns their data)."""
        return {key: self._products[key] for key in keys if key in self._products}

    def snapshots(self, keys: list[ProductKey]) -> dict[ProductKey, Product]:
        """Stored API copies of ``origin = "api"`` entries that say when they were fetched (``updated``)."""
        return {key: self._snapshots[key] for key in keys if key in self._snapshots and key in self._dated}

    def annotate(self, key: ProductKey, product: Product) -> Product:
        """An API product with the user's own fields of its store entry added (manual rating wins)."""
        entry = self._snapshots.get(key)
        if entry is None:
            return product
        update: dict[str, Any] = {"categories": entry.categories, "tags": entry.tags, "review": entry.review}
        if entry.rating is not None:
            update["rating"] = entry.rating
        if entry.review_count is not None:
            update["review_count"] = entry.review_count
        return product.model_copy(update=update)

    def all(self) -> list[Product]:
        """Every stored product, in file order within each kind (smart collections query these)."""
        return [*self._products.values(), *self._snapshots.values()]

    @classmethod
    def load(cls, config: Config) -> LocalProducts:
        """Read ``[site] products`` (missing setting → no local products; missing file → error)."""
        path = config.resolve_path(config.site.products)
        if path is None:
            return cls()
        manual: dict[ProductKey, Product] = {}
        snapshots: dict[ProductKey, Product] = {}
        dated: set[ProductKey] = set()
        for item, product in read_products(path, config):
            key = ProductKey(product.country, product.asin)
            if item.origin == "manual":
                manual[key] = product
                continue
            snapshots[key] = product
            if item.updated is not None:  # without it, the entry only annotates what the API returns
                dated.add(key)
        return cls(manual, snapshots, dated)


def read_products(path: Path, config: Config) -> list[tuple[LocalProduct, Product]]:
    """Every ``[[products]]`` entry of a file, validated, with its normalised product."""
    try:
        data = tomllib.loads(read_text(path))
    except OSError as exc:
        raise ConfigError(f"cannot read products file: {exc.strerror}", path=str(path)) from None
    except EncodingError as exc:
        raise ConfigError(exc.reason, path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    found = []
    for index, entry in enumerate(data.get("products", [])):
        item = _validate(entry, path, index)
        found.append((item, _to_product(item, config, modified, path, index)))
    return found


def _validate(entry: Any, path: Path, index: int) -> LocalProduct:
    try:
        return LocalProduct.model_validate(entry)
    except RecordError as exc:
        key = f"products[{index}].{exc.key}" if exc.key else f"products[{index}]"
        raise ConfigError(exc.reason, path=str(path), key=key) from None


def _to_product(item: LocalProduct, config: Config, modified: datetime, path: Path, index: int) -> Product:
    country = item.country or config.default_country
    if country is None:
        raise ConfigError(
            "no country and no default marketplace to assume", path=str(path), key=f"products[{index}]"
        )
    return to_product(item, country, config, item.updated or modified)


def to_product(item: LocalProduct, country: str, config: Config, updated: datetime) -> Product:
    """The normalised product of a validated entry, in a known store."""
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
        fetched_at=_aware(updated),
        source="local" if item.origin == "manual" else "creators",
        categories=item.categories,
        tags=item.tags,
        review=item.review,
        rating=item.rating,
        review_count=item.reviews,
        shop=item.shop,
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


__all__ = ["SHOP_ID", "LocalProduct", "LocalProducts", "Origin", "read_products", "to_product"]
