"""The Creators API client: ``POST /catalog/v1/getItems`` for up to 10 ASINs of one store."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import httpx

from ..marketplaces import Store
from ..products.models import VariationSummary
from .ratelimit import RateLimiter
from .responses import Context
from .results import ItemResults, SearchPage, all_items_not_found, results_from_body, search_page_from_body
from .session import ApiSession
from .tokens import CreatorsAuth
from .variations import VARIATION_RESOURCES, summary_from_body

MAX_ITEM_IDS = 10
# What a product box needs (protocol.md §3.2), and nothing more: a smaller answer is a faster one.
# Creators has no offer summaries; the listings' conditions give ASA2's lowest new/used prices.
CREATORS_RESOURCES = (
    "itemInfo.title",
    "itemInfo.features",
    "itemInfo.byLineInfo",
    "images.primary.large",
    "offersV2.listings.price",
    "offersV2.listings.availability",
    "offersV2.listings.isBuyBoxWinner",
    "offersV2.listings.merchantInfo",
    "offersV2.listings.dealDetails",
    "offersV2.listings.condition",
    "customerReviews.starRating",
    "customerReviews.count",
    "parentASIN",
)

T = TypeVar("T")


class CreatorsClient:
    """GetItems on the Creators API for one credential."""

    def __init__(
        self,
        session: ApiSession,
        *,
        url: str,
        auth: CreatorsAuth,
        bucket: RateLimiter,
        version: str,
        search_url: str | None = None,
        variations_url: str | None = None,
    ) -> None:
        self._session = session
        self._url = url
        self._search_url = search_url or url.replace("/getItems", "/searchItems")
        self._variations_url = variations_url
        self._auth = auth
        self._bucket = bucket
        self.label = f"Creators API {version}"

    def get_items(self, store: Store, asins: Sequence[str], partner_tag: str) -> ItemResults:
        """One result per ASIN (a product or the error for that ASIN).

        Raises:
            ApiError: the whole request failed after the retries allowed.
        """
        if len(asins) > MAX_ITEM_IDS:
            raise ValueError(f"at most {MAX_ITEM_IDS} ASINs per request, got {len(asins)}")
        context = Context(api=self.label, marketplace=store.country, asins=tuple(asins))
        payload = {"partnerTag": partner_tag, "itemIds": list(asins), "resources": list(CREATORS_RESOURCES)}

        def parse(response: httpx.Response, body: Any) -> ItemResults:
            if response.status_code == 404:
                return all_items_not_found(context, "no items found for the requested item IDs (HTTP 404)")
            return results_from_body(
                body, context=context, store=store, partner_tag=partner_tag, source="creators"
            )

        return self._post(store, self._url, payload, context, parse)

    def search_items(self, store: Store, keywords: str, count: int, partner_tag: str) -> SearchPage:
        """SearchItems: up to ``count`` (1–10) products for some keywords; 404 means none were found.

        Raises:
            ApiError: the whole request failed after the retries allowed.
        """
        context = Context(api=self.label, marketplace=store.country)
        payload = {
            "partnerTag": partner_tag,
            "keywords": keywords,
            "itemCount": max(1, min(count, MAX_ITEM_IDS)),
            "resources": list(CREATORS_RESOURCES),
        }

        def parse(response: httpx.Response, body: Any) -> SearchPage:
            if response.status_code == 404:
                return SearchPage()
            return search_page_from_body(
                body, context=context, store=store, partner_tag=partner_tag, source="creators"
            )

        return self._post(store, self._search_url, payload, context, parse)

    def get_variation_summary(self, store: Store, asin: str, partner_tag: str) -> VariationSummary | None:
        """A parent ASIN's variation summary (GetVariations); None when Amazon has none.

        Raises:
            ApiError: the request failed after the retries allowed.
        """
        if self._variations_url is None:
            return None
        url = self._variations_url
        context = Context(api=self.label, marketplace=store.country, asins=(asin,))
        payload = {
            "partnerTag": partner_tag,
            "asin": asin,
            "variationCount": 1,
            "resources": list(VARIATION_RESOURCES),
        }

        def parse(response: httpx.Response, body: Any) -> VariationSummary | None:
            # 404: not a parent (or no variations): nothing to add, not an error
            return None if response.status_code == 404 else summary_from_body(body, country=store.country)

        return self._post(store, url, payload, context, parse)

    def _post(
        self,
        store: Store,
        url: str,
        payload: Mapping[str, Any],
        context: Context,
        parse: Callable[[httpx.Response, Any], T],
    ) -> T:
        """One Creators API operation: JSON in and out, the store in ``x-marketplace``; a 404 is the
        operation's own "nothing found" answer, so ``parse`` sees it instead of an error."""
        headers = {
            "x-marketplace": store.domain,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }

        def build() -> httpx.Request:
            return httpx.Request("POST", url, headers=headers, json=payload)

        return self._session.post(
            build,
            auth=self._auth,
            bucket=self._bucket,
            context=context,
            parse=parse,
            passthrough=frozenset({404}),
        )


__all__ = ["CREATORS_RESOURCES", "MAX_ITEM_IDS", "CreatorsClient"]
