"""The one normalised product model, and the request/result types that flow through the engine.

Backends (local products, cache, Creators API, PA-API 5.0) all return :class:`Product`; nothing
downstream ever sees raw API JSON.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from ..money import minor_units

Source = Literal["local", "creators", "paapi"]
State = Literal["fresh", "stale", "fallback"]

# Amazon's availability types (OffersV2); anything else is mapped to UNKNOWN.
AVAILABILITY_TYPES = frozenset(
    {
        "AVAILABLE_DATE",
        "BACKORDER",
        "IN_STOCK",
        "IN_STOCK_SCARCE",
        "LEADTIME",
        "OUT_OF_STOCK",
        "PREORDER",
        "UNAVAILABLE",
        "UNKNOWN",
    }
)
AVAILABLE_TYPES = frozenset({"IN_STOCK", "IN_STOCK_SCARCE", "PREORDER", "BACKORDER", "LEADTIME"})


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Image(_Model):
    """A hot-linked image: only its URL is ever stored, never the bytes."""

    url: str
    width: int | None = None
    height: int | None = None


class Images(_Model):
    small: Image | None = None
    medium: Image | None = None
    large: Image | None = None

    @property
    def best(self) -> Image | None:
        return self.large or self.medium or self.small


class Money(_Model):
    amount: Decimal
    currency: str
    display: str

    @property
    def minor_units(self) -> int:
        """Amount in minor units (ASA2's ``…Integer`` placeholders): 47.67 EUR → 4767, 1980 JPY → 1980."""
        return minor_units(self.amount, self.currency)

    def is_lower_than(self, other: Money | None) -> bool:
        """Whether this price is lower than ``other``: always when there is none, never across currencies."""
        if other is None:
            return True
        return self.currency == other.currency and self.amount < other.amount


class Savings(_Model):
    money: Money | None = None
    percentage: int | None = None


OfferCondition = Literal["New", "Used", "Collectible", "Refurbished"]
OFFER_CONDITIONS: tuple[OfferCondition, ...] = ("New", "Used", "Collectible", "Refurbished")


class OfferSummary(_Model):
    """All offers of one condition: PA-API's ``Offers.Summaries``, or derived from OffersV2 listings."""

    condition: OfferCondition
    lowest: Money | None = None
    highest: Money | None = None
    offer_count: int | None = None


class VariationSummary(_Model):
    """A parent product's variations (``VariationSummary`` of GetVariations): price range and count."""

    lowest: Money | None = None
    highest: Money | None = None
    count: int | None = None
    dimensions: tuple[str, ...] = ()


class Availability(_Model):
    type: str = "UNKNOWN"
    message: str | None = None
    min_order_quantity: int | None = None
    max_order_quantity: int | None = None


class Product(_Model):
    """One product in one marketplace, normalised from whichever source produced it."""

    asin: str
    country: str
    title: str
    url: str
    images: Images = Field(default_factory=Images)
    price: Money | None = None
    # The buy-box price again when Amazon marks it reduced (a live deal, or savings against a basis).
    sale_price: Money | None = None
    savings: Savings | None = None
    list_price: Money | None = None
    availability: Availability = Field(default_factory=Availability)
    brand: str | None = None
    features: tuple[str, ...] = ()
    violates_map: bool = False
    rating: float | None = None
    review_count: int | None = None
    merchant: str | None = None
    parent_asin: str | None = None
    offer_summaries: tuple[OfferSummary, ...] = ()
    variations: VariationSummary | None = None
    fetched_at: datetime = Field(default_factory=utc_now)
    source: Source = "local"

    @property
    def is_available(self) -> bool:
        """ASA2's ``IsAvailable``: a price exists and the offer can be bought."""
        if self.price is None:
            return False
        return self.availability.type in AVAILABLE_TYPES or self.availability.type == "UNKNOWN"

    def offer_summary(self, condition: OfferCondition) -> OfferSummary | None:
        """The summary of one offer condition, when the data has one."""
        return next((s for s in self.offer_summaries if s.condition == condition), None)

    def age(self, now: datetime | None = None) -> timedelta:
        return (now or utc_now()) - self.fetched_at


class ProductKey(NamedTuple):
    """What identifies a product everywhere: store and ASIN."""

    country: str
    asin: str

    def __str__(self) -> str:
        return f"{self.country}:{self.asin}"


class Failure(_Model):
    """Why a product could not be resolved; rendered as a compliant fallback link."""

    kind: str  # "not_found", "invalid", "auth", "forbidden", "throttled", "server", "network", …
    message: str
    permanent: bool = False


class Resolved(_Model):
    """What a shortcode shows for one product: the product (if any) and its freshness state."""

    key_country: str
    key_asin: str
    product: Product | None = None
    state: State = "fallback"
    failure: Failure | None = None

    @property
    def key(self) -> ProductKey:
        return ProductKey(self.key_country, self.key_asin)


__all__ = [
    "AVAILABILITY_TYPES",
    "AVAILABLE_TYPES",
    "OFFER_CONDITIONS",
    "Availability",
    "Failure",
    "Image",
    "Images",
    "Money",
    "OfferCondition",
    "OfferSummary",
    "Product",
    "ProductKey",
    "Resolved",
    "Savings",
    "Source",
    "State",
    "VariationSummary",
    "utc_now",
]
