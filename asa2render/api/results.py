"""A GetItems answer (camelCase) → one result per requested ASIN, mapped by ASIN, never by position."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ApiError, NotFoundError, ServerError
from ..marketplaces import Store
from ..products.models import Product, Source
from .normalize import item_asin, product_from_item
from .responses import Context, asins_in_message, item_error

ItemResults = dict[str, Product | ApiError]


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of SearchItems results, in Amazon's order; empty when Amazon found nothing."""

    products: tuple[Product, ...] = ()
    search_url: str | None = None
    total: int | None = None


def search_page_from_body(
    body: Any, *, context: Context, store: Store, partner_tag: str | None, source: Source
) -> SearchPage:
    """Products of a SearchItems answer (camelCase); a body without ``searchResult`` found nothing.

    Raises:
        ServerError: the body is not a SearchItems answer at all (retryable).
    """
    if not isinstance(body, Mapping):
        raise _malformed(context, "the response is not a JSON object")
    container = body.get("searchResult")
    if container is None:
        return SearchPage()
    items = container.get("items") if isinstance(container, Mapping) else None
    if not isinstance(items, list):
        raise _malformed(context, "searchResult.items is not a list")
    products = []
    for item in items:
        asin = item_asin(item) if isinstance(item, Mapping) else None
        if asin is None:
            continue
        fallback = store.product_url(asin, partner_tag)
        products.append(product_from_item(item, country=store.country, source=source, fallback_url=fallback))
    url = container.get("searchURL")
    total = container.get("totalResultCount")
    return SearchPage(
        tuple(products),
        url if isinstance(url, str) and url.startswith("https://") else None,
        total if isinstance(total, int) else None,
    )


def results_from_body(
    body: Any, *, context: Context, store: Store, partner_tag: str | None, source: Source
) -> ItemResults:
    """Products for the items returned, errors for the ASINs in ``errors[]`` or missing altogether.

    Raises:
        ServerError: the body is not a GetItems answer at all (retryable).
    """
    if not isinstance(body, Mapping):
        raise _malformed(context, "the response is not a JSON object")
    results: ItemResults = {}
    wanted = set(context.asins)
    for item in _items(body, context):
        asin = item_asin(item)
        if asin in wanted and asin not in results:
            fallback = store.product_url(asin, partner_tag)
            results[asin] = product_from_item(
                item, country=store.country, source=source, fallback_url=fallback
            )
    for asin, error in item_errors(body, context).items():
        results.setdefault(asin, error)
    for asin in context.asins:
        results.setdefault(asin, _missing(context, asin))
    return results


def item_errors(body: Mapping[str, Any], context: Context) -> dict[str, ApiError]:
    """Per-ASIN errors from ``errors[]``; the ASIN is only ever in the message text."""
    found: dict[str, ApiError] = {}
    entries = body.get("errors")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        code, message = entry.get("code"), entry.get("message")
        if not isinstance(code, str) or not isinstance(message, str):
            continue
        for asin in asins_in_message(message, context.asins):
            found.setdefault(asin, item_error(code, message, context, asin))
    return found


def _items(body: Mapping[str, Any], context: Context) -> list[Mapping[str, Any]]:
    # The SDK reads itemsResult; the GetItems reference page shows itemResults (protocol.md §3.3).
    container = body.get("itemsResult") or body.get("itemResults")
    if container is None:
        return []
    items = container.get("items") if isinstance(container, Mapping) else container
    if not isinstance(items, list):
        raise _malformed(context, "itemsResult.items is not a list")
    return [item for item in items if isinstance(item, Mapping)]


def _missing(context: Context, asin: str) -> ApiError:
    return NotFoundError(
        "no item and no error returned for this ASIN",
        marketplace=context.marketplace,
        asins=(asin,),
        api=context.api,
    )


def _malformed(context: Context, what: str) -> ServerError:
    return ServerError(
        f"unexpected answer: {what}",
        marketplace=context.marketplace,
        asins=context.asins,
        api=context.api,
    )


def all_items_not_found(context: Context, message: str) -> ItemResults:
    """Every ASIN of the request unknown (Creators answers 404): a permanent miss for each."""
    return {
        asin: NotFoundError(
            message,
            marketplace=context.marketplace,
            asins=(asin,),
            api=context.api,
            status=404,
            permanent=True,
        )
        for asin in context.asins
    }


__all__ = [
    "ItemResults",
    "SearchPage",
    "all_items_not_found",
    "item_errors",
    "results_from_body",
    "search_page_from_body",
]
