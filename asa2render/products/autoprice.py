"""ASA2's price rules: the main price, AutoPrice and ``IsAvailable``, from the normalised product.

ASA2 documents AutoPrice as (asa2-reference.md §2, options_placeholders.html):

1. the sale price if there is one;
2. otherwise the main price — for a product with variations, the variations price;
3. the lowest new price when "consider LowestNewPrice" is on and it is lower;
4. the same for the lowest used price, then the collectible price;

and each of the last three has an "only if there is no other price" variant. The options are global
(``[placeholders]``), never per template.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from ..config.model import PlaceholdersConfig
from .models import AVAILABLE_TYPES, Money, OfferCondition, Product

PriceSource = Literal["sale", "main", "lowest_new", "lowest_used", "collectible"]
# The offers AutoPrice may fall back to, in ASA2's order: (config key stem, offer condition).
_OFFER_STEPS: tuple[tuple[PriceSource, OfferCondition], ...] = (
    ("lowest_new", "New"),
    ("lowest_used", "Used"),
    ("collectible", "Collectible"),
)


class AutoPrice(msgspec.Struct, frozen=True):
    """The price AutoPrice chose and which rule chose it."""

    money: Money
    source: PriceSource


def main_price(product: Product) -> Money | None:
    """``OffersMainPrice``: the buy-box offer's price, else a parent's lowest variation price."""
    if product.price is not None:
        return product.price
    return product.variations.lowest if product.variations else None


def lowest_offer_price(product: Product, condition: OfferCondition) -> Money | None:
    """The lowest price of all offers of a condition (``OffersLowestNewPrice`` …), when known."""
    summary = product.offer_summary(condition)
    return summary.lowest if summary else None


def auto_price(product: Product, options: PlaceholdersConfig) -> AutoPrice | None:
    """ASA2's AutoPrice for a product under the global options; None when no rule finds a price.

    A product whose price must not be shown (``violatesMAP``) has no AutoPrice.
    """
    if product.violates_map:
        return None
    chosen: AutoPrice | None = None
    if product.sale_price is not None:
        chosen = AutoPrice(product.sale_price, "sale")
    elif (main := main_price(product)) is not None:
        chosen = AutoPrice(main, "main")
    for source, condition in _OFFER_STEPS:
        offer = lowest_offer_price(product, condition)
        if offer is None:
            continue
        if getattr(options, f"autoprice_{source}_only_if_no_other"):
            considered = chosen is None
        elif getattr(options, f"autoprice_{source}"):
            considered = offer.is_lower_than(chosen.money if chosen else None)
        else:
            considered = False
        if considered:
            chosen = AutoPrice(offer, source)
    return chosen


def has_other_offers(product: Product) -> bool:
    """New or used offers from any seller exist (a count above zero, or a lowest price)."""
    for condition in ("New", "Used"):
        summary = product.offer_summary(condition)
        if summary and ((summary.offer_count or 0) > 0 or summary.lowest is not None):
            return True
    return False


def is_available(product: Product, options: PlaceholdersConfig) -> bool:
    """``IsAvailable``: a main price exists for a buyable offer, or — with ``is_available_if_other_offers``
    — other new or used offers exist.
    """
    # An out-of-stock offer still carries a price in OffersV2: "a main price exists" means a buyable one.
    kind = product.availability.type
    if main_price(product) is not None and (kind in AVAILABLE_TYPES or kind == "UNKNOWN"):
        return True
    return options.is_available_if_other_offers and has_other_offers(product)


__all__ = [
    "AutoPrice",
    "PriceSource",
    "auto_price",
    "has_other_offers",
    "is_available",
    "lowest_offer_price",
    "main_price",
]
