"""Creators camelCase and PA-API PascalCase items → our :class:`~asa2render.products.models.Product`.

PA-API items are first renamed to their Creators twins (protocol.md §5 "Key case mapping rule"), so one
reader serves both APIs. Everything in an item is untrusted: wrong types are ignored rather than
trusted, text stays text (the renderer escapes it), and only ``https://`` links are kept — a detail
page link that is not https is replaced by the store's plain tagged link.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ..marketplaces import get_store
from ..money import format_money
from ..products.models import (
    AVAILABILITY_TYPES,
    OFFER_CONDITIONS,
    Availability,
    Image,
    Images,
    Money,
    OfferCondition,
    OfferSummary,
    Product,
    Savings,
    Source,
    VariationSummary,
    utc_now,
)
from ..products.urls import is_safe_image_url


def item_asin(item: Any) -> str | None:
    """The ASIN of a camelCase item, upper-cased; None when missing."""
    asin = _dig(item, "asin")
    return asin.strip().upper() if isinstance(asin, str) and asin.strip() else None


def product_from_item(item: Mapping[str, Any], *, country: str, source: Source, fallback_url: str) -> Product:
    """Normalise one camelCase item (Creators, or PA-API after :func:`~asa2render.api.casing.camel_keys`)."""
    listing = _pick_listing(item)
    price = _dig(listing, "price")
    asin = item_asin(item) or ""
    language = _language(country)
    money = _money(_dig(price, "money"), language)
    savings = _savings(_dig(price, "savings"), language)
    return Product(
        asin=asin,
        country=country,
        title=_text(_dig(item, "itemInfo", "title", "displayValue")) or asin,
        url=_https(_dig(item, "detailPageURL")) or fallback_url,
        images=_images(_dig(item, "images", "primary")),
        price=money,
        sale_price=money if _on_sale(listing, savings) else None,
        savings=savings,
        list_price=_money(_dig(price, "savingBasis", "money"), language),
        availability=_availability(_dig(listing, "availability")),
        brand=_brand(_dig(item, "itemInfo", "byLineInfo")),
        features=_features(_dig(item, "itemInfo", "features", "displayValues")),
        violates_map=_dig(listing, "violatesMAP") is True,
        rating=_number(_dig(item, "customerReviews", "starRating", "value")),
        review_count=_integer(_dig(item, "customerReviews", "count")),
        merchant=_text(_dig(listing, "merchantInfo", "name")),
        parent_asin=_text(_dig(item, "parentASIN")),
        offer_summaries=_offer_summaries(item, language),
        variations=variation_summary(_dig(item, "variationSummary"), country=country),
        fetched_at=utc_now(),
        source=source,
    )


def variation_summary(node: Any, *, country: str) -> VariationSummary | None:
    """A camelCase ``variationSummary`` (GetVariations) → price range and count; None when empty."""
    language = _language(country)
    summary = VariationSummary(
        lowest=_money(_dig(node, "price", "lowestPrice"), language),
        highest=_money(_dig(node, "price", "highestPrice"), language),
        count=_integer(_dig(node, "variationCount")),
        dimensions=_dimension_names(_dig(node, "variationDimensions")),
    )
    return summary if summary != VariationSummary() else None


def _dimension_names(node: Any) -> tuple[str, ...]:
    if not isinstance(node, list):
        return ()
    names = (_text(_dig(entry, "displayName")) or _text(_dig(entry, "name")) for entry in node)
    return tuple(name for name in names if name)


def _language(country: str) -> str:
    store = get_store(country)
    return store.language if store else "en_US"


def _on_sale(listing: Any, savings: Savings | None) -> bool:
    """OffersV2 has no separate sale price: the offer's price is one when Amazon marks it reduced."""
    if isinstance(_dig(listing, "dealDetails"), Mapping):
        return True
    if savings is None:
        return False
    reduced = savings.money is not None and savings.money.amount > 0
    return reduced or (savings.percentage or 0) > 0


def _offer_summaries(item: Mapping[str, Any], language: str) -> tuple[OfferSummary, ...]:
    """PA-API's v1 ``Offers.Summaries`` when present, else one per condition of the OffersV2 listings."""
    summaries = _dig(item, "offers", "summaries")
    if isinstance(summaries, list):
        found = [_summary(entry, language) for entry in summaries]
        known = tuple(summary for summary in found if summary is not None)
        if known:
            return known
    return _summaries_of_listings(_dig(item, "offersV2", "listings"), language)


def _condition(node: Any) -> OfferCondition | None:
    text = (_text(_dig(node, "value")) or "").lower()
    return next((c for c in OFFER_CONDITIONS if c.lower() == text), None)


def _summary(entry: Any, language: str) -> OfferSummary | None:
    condition = _condition(_dig(entry, "condition"))
    if condition is None:
        return None
    return OfferSummary(
        condition=condition,
        lowest=_money(_dig(entry, "lowestPrice"), language),
        highest=_money(_dig(entry, "highestPrice"), language),
        offer_count=_integer(_dig(entry, "offerCount")),
    )


def _summaries_of_listings(listings: Any, language: str) -> tuple[OfferSummary, ...]:
    # Creators has no summaries: what its listings show per condition is the best there is.
    prices: dict[OfferCondition, list[Money]] = {}
    counts: dict[OfferCondition, int] = {}
    for listing in listings if isinstance(listings, list) else ():
        condition = _condition(_dig(listing, "condition"))
        if condition is None:
            continue
        counts[condition] = counts.get(condition, 0) + 1
        money = _money(_dig(listing, "price", "money"), language)
        if money is not None:
            prices.setdefault(condition, []).append(money)
    return tuple(
        OfferSummary(
            condition=condition,
            lowest=_extreme(prices.get(condition, []), lowest=True),
            highest=_extreme(prices.get(condition, []), lowest=False),
            offer_count=counts[condition],
        )
        for condition in OFFER_CONDITIONS
        if condition in counts
    )


def _extreme(prices: list[Money], *, lowest: bool) -> Money | None:
    same = [m for m in prices if prices and m.currency == prices[0].currency]
    if not same:
        return None
    return min(same, key=lambda m: m.amount) if lowest else max(same, key=lambda m: m.amount)


def _pick_listing(item: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The buy-box winner, else the first listing (protocol.md §5)."""
    listings = _dig(item, "offersV2", "listings")
    if not isinstance(listings, list):
        return None
    candidates = [entry for entry in listings if isinstance(entry, Mapping)]
    winner = next((entry for entry in candidates if entry.get("isBuyBoxWinner") is True), None)
    return winner or (candidates[0] if candidates else None)


def _dig(node: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _https(value: Any) -> str | None:
    text = _text(value)
    return text if text and text.lower().startswith("https://") else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return float(value)


def _integer(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _money(node: Any, language: str) -> Money | None:
    amount = _decimal(_dig(node, "amount"))
    currency = _text(_dig(node, "currency"))
    if amount is None or currency is None or len(currency) != 3 or not currency.isalpha():
        return None
    # Amazon's own displayAmount is kept as it is; without one the store's Babel format stands in.
    display = _text(_dig(node, "displayAmount")) or format_money(amount, currency.upper(), language)
    return Money(amount=amount, currency=currency.upper(), display=display)


def _savings(node: Any, language: str) -> Savings | None:
    money = _money(_dig(node, "money"), language)
    percentage = _integer(_dig(node, "percentage"))
    if money is None and percentage is None:
        return None
    return Savings(money=money, percentage=percentage)


def _availability(node: Any) -> Availability:
    kind = _text(_dig(node, "type"))
    return Availability(
        type=kind if kind in AVAILABILITY_TYPES else "UNKNOWN",
        message=_text(_dig(node, "message")),
        min_order_quantity=_integer(_dig(node, "minOrderQuantity")),
        max_order_quantity=_integer(_dig(node, "maxOrderQuantity")),
    )


def _brand(by_line: Any) -> str | None:
    return _text(_dig(by_line, "brand", "displayValue")) or _text(
        _dig(by_line, "manufacturer", "displayValue")
    )


def _features(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list):
        return ()
    return tuple(text for text in (_text(value) for value in values) if text)


def _images(primary: Any) -> Images:
    # hiRes exists only in the Creators API and is not needed by a product box.
    return Images(
        small=_image(_dig(primary, "small")),
        medium=_image(_dig(primary, "medium")),
        large=_image(_dig(primary, "large")),
    )


def _image(node: Any) -> Image | None:
    # https, or the local sandbox's loopback placeholders (see products.urls.is_safe_image_url)
    url = _text(_dig(node, "url"))
    if not url or not is_safe_image_url(url):
        return None
    return Image(url=url, width=_integer(_dig(node, "width")), height=_integer(_dig(node, "height")))


__all__ = ["item_asin", "product_from_item", "variation_summary"]
