"""The one normalised product model, and the request/result types that flow through the engine.

Backends (local products, cache, Creators API, PA-API 5.0) all return :class:`Product`; nothing
downstream ever sees raw API JSON.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Literal, NamedTuple

from msgspec import field

from ..money import minor_units
from ..records import LenientRecord

Source = Literal["local", "creators", "paapi"]
State = Literal["fresh", "stale", "fallback"]
# What ``[site] unavailable`` did with a product the API reports as gone or out of stock.
Action = Literal["keep", "hide", "replace", "search-link"]

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


# Unknown fields are ignored: cache entries written by a newer version still read back.
# ``gc=False``: the cyclic garbage collector never tracks these records. A build holds thousands of
# them (every product read from the cache, its images, prices and offers), and each tracked one is
# walked by every collection that finds it young and counted towards the next. They cannot be part
# of a reference cycle: they are frozen, and every field holds only atoms (str, int, float, bool,
# None, Decimal, datetime), tuples of atoms, named tuples of atoms, or other records of this family
# (checked for every subclass by tests/products/test_models.py). A record can only refer to values
# that existed before it, so no record can be reached from itself.
class _Model(LenientRecord, frozen=True, kw_only=True, gc=False):
    pass


class Image(_Model, frozen=True, kw_only=True):
    """A hot-linked image: only its URL is ever stored, never the bytes."""

    url: str
    width: int | None = None
    height: int | None = None


class Images(_Model, frozen=True, kw_only=True):
    small: Image | None = None
    medium: Image | None = None
    large: Image | None = None

    @property
    def best(self) -> Image | None:
        return self.large or self.medium or self.small


class Money(_Model, frozen=True, kw_only=True):
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


class Savings(_Model, frozen=True, kw_only=True):
    money: Money | None = None
    percentage: int | None = None


OfferCondition = Literal["New", "Used", "Collectible", "Refurbished"]
OFFER_CONDITIONS: tuple[OfferCondition, ...] = ("New", "Used", "Collectible", "Refurbished")


class OfferSummary(_Model, frozen=True, kw_only=True):
    """All offers of one condition: PA-API's ``Offers.Summaries``, or derived from OffersV2 listings."""

    condition: OfferCondition
    lowest: Money | None = None
    highest: Money | None = None
    offer_count: int | None = None


class VariationSummary(_Model, frozen=True, kw_only=True):
    """A parent product's variations (``VariationSummary`` of GetVariations): price range and count."""

    lowest: Money | None = None
    highest: Money | None = None
    count: int | None = None
    dimensions: tuple[str, ...] = ()


class Availability(_Model, frozen=True, kw_only=True):
    type: str = "UNKNOWN"
    message: str | None = None
    min_order_quantity: int | None = None
    max_order_quantity: int | None = None


class Product(_Model, frozen=True, kw_only=True):
    """One product in one marketplace, normalised from whichever source produced it."""

    asin: str
    country: str
    title: str
    url: str
    images: Images = field(default_factory=Images)
    price: Money | None = None
    # The buy-box price again when Amazon marks it reduced (a live deal, or savings against a basis).
    sale_price: Money | None = None
    savings: Savings | None = None
    list_price: Money | None = None
    availability: Availability = field(default_factory=Availability)
    brand: str | None = None
    features: tuple[str, ...] = ()
    violates_map: bool = False
    rating: float | None = None
    review_count: int | None = None
    merchant: str | None = None
    parent_asin: str | None = None
    offer_summaries: tuple[OfferSummary, ...] = ()
    variations: VariationSummary | None = None
    fetched_at: datetime = field(default_factory=utc_now)
    source: Source = "local"
    # The user's own data from the product store (ASA2's "Products" section), never from Amazon.
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    review: str | None = None  # Markdown
    shop: str | None = None  # a non-Amazon shop: its url may be any https host

    @property
    def is_amazon(self) -> bool:
        return self.shop is None

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


class Failure(_Model, frozen=True, kw_only=True):
    """Why a product could not be resolved; rendered as a compliant fallback link."""

    kind: str  # "not_found", "invalid", "auth", "forbidden", "throttled", "server", "network", …
    message: str
    permanent: bool = False


class SearchQuery(NamedTuple):
    """One ``[asa2_search]``: keywords in one store, at most ``limit`` results."""

    country: str
    keywords: str
    limit: int

    def __str__(self) -> str:
        return f'{self.country}:"{self.keywords}"'


class SearchResult(_Model, frozen=True, kw_only=True):
    """The answer to a search: the ASINs in Amazon's order (their products are cached on their own)."""

    country: str
    keywords: str
    asins: tuple[str, ...] = ()
    search_url: str | None = None
    total: int | None = None
    fetched_at: datetime = field(default_factory=utc_now)


class SearchResolved(_Model, frozen=True, kw_only=True):
    """What an ``[asa2_search]`` shows: its result list (if any) and its freshness state."""

    query: SearchQuery
    result: SearchResult | None = None
    state: State = "fallback"
    failure: Failure | None = None


class Resolved(_Model, frozen=True, kw_only=True):
    """What a shortcode shows for one product: the product (if any) and its freshness state."""

    key_country: str
    key_asin: str
    product: Product | None = None
    state: State = "fallback"
    failure: Failure | None = None
    # Set when ``[site] unavailable`` applied: why the product counts as unavailable, and what was done.
    unavailable: str | None = None
    action: Action | None = None
    replaced_by: str | None = None  # the ASIN shown instead (``product`` is then the replacement)
    search_url: str | None = None  # the tagged store search shown for ``search-link``

    @property
    def key(self) -> ProductKey:
        return ProductKey(self.key_country, self.key_asin)


__all__ = [
    "AVAILABILITY_TYPES",
    "AVAILABLE_TYPES",
    "OFFER_CONDITIONS",
    "Action",
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
    "SearchQuery",
    "SearchResolved",
    "SearchResult",
    "Source",
    "State",
    "VariationSummary",
    "utc_now",
]
