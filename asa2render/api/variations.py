"""GetVariations for parent products: the variation summary behind ASA2's ``Variations…`` placeholders.

GetItems never returns a variation summary, and a parent ASIN (a T-shirt, not its sizes) has no offer of
its own — so its box would show no price. ASA2 shows "the variations price" then, so for such products
the fetcher asks GetVariations for the summary only (price range, count, dimensions; one variation item,
the smallest answer Amazon allows). One request per parent product, behind the credential's rate limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..products.models import Product, VariationSummary
from .normalize import variation_summary

# Creators resource names (protocol.md §3.2); PA-API spells them in PascalCase.
VARIATION_RESOURCES = (
    "variationSummary.price.highestPrice",
    "variationSummary.price.lowestPrice",
    "variationSummary.variationDimension",
)
PAAPI_VARIATION_RESOURCES = (
    "VariationSummary.Price.HighestPrice",
    "VariationSummary.Price.LowestPrice",
    "VariationSummary.VariationDimension",
)


def needs_variations(product: Product) -> bool:
    """A parent product: no offer, no offer summary, no parent of its own, no summary yet."""
    return (
        product.price is None
        and not product.offer_summaries
        and product.variations is None
        and product.parent_asin in (None, product.asin)
        and product.source in ("creators", "paapi")
    )


def summary_from_body(body: Any, *, country: str) -> VariationSummary | None:
    """The ``variationsResult.variationSummary`` of a camelCase GetVariations answer, if any."""
    result = body.get("variationsResult") if isinstance(body, Mapping) else None
    node = result.get("variationSummary") if isinstance(result, Mapping) else None
    return variation_summary(node, country=country)


__all__ = [
    "PAAPI_VARIATION_RESOURCES",
    "VARIATION_RESOURCES",
    "needs_variations",
    "summary_from_body",
]
