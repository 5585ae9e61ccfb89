"""The PA-API 5.0 client: ``POST /paapi5/getitems``, SigV4-signed, PascalCase in, our model out.

PA-API is being retired (protocol.md §0): an ``AccessDenied`` that says "deprecated" arrives as a
permanent :class:`~asa2render.errors.ForbiddenError`, which the fetcher treats as final for the run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import httpx

from ..marketplaces import Store
from ..products.models import VariationSummary
from ..records import SecretStr
from .casing import camel_keys
from .creators import MAX_ITEM_IDS
from .ratelimit import RateLimiter
from .responses import PERMANENT_ITEM_CODES, Context, error_from_response
from .results import ItemResults, SearchPage, item_errors, results_from_body, search_page_from_body
from .session import ApiSession
from .sigv4 import SigV4Auth
from .variations import PAAPI_VARIATION_RESOURCES, summary_from_body

T = TypeVar("T")
PAAPI_LABEL = "PA-API 5.0"
GET_ITEMS_TARGET = "com.amazon.paapi5.v1.ProductAdvertisingAPIv1.GetItems"
SEARCH_ITEMS_TARGET = "com.amazon.paapi5.v1.ProductAdvertisingAPIv1.SearchItems"
GET_VARIATIONS_TARGET = "com.amazon.paapi5.v1.ProductAdvertisingAPIv1.GetVariations"
# The v1 Offers.Summaries (lowest/highest price and offer count per condition) feed ASA2's AutoPrice;
# PA-API still serves them next to OffersV2.
PAAPI_RESOURCES = (
    "ItemInfo.Title",
    "ItemInfo.Features",
    "ItemInfo.ByLineInfo",
    "Images.Primary.Large",
    "OffersV2.Listings.Price",
    "OffersV2.Listings.Availability",
    "OffersV2.Listings.IsBuyBoxWinner",
    "OffersV2.Listings.MerchantInfo",
    "OffersV2.Listings.DealDetails",
    "OffersV2.Listings.Condition",
    "Offers.Summaries.LowestPrice",
    "Offers.Summaries.HighestPrice",
    "Offers.Summaries.OfferCount",
    "CustomerReviews.StarRating",
    "CustomerReviews.Count",
    "ParentASIN",
)


class PaapiClient:
    """GetItems on PA-API 5.0 with one access key (valid in every store)."""

    label = PAAPI_LABEL

    def __init__(
        self, session: ApiSession, *, access_key: str, secret_key: SecretStr, bucket: RateLimiter
    ) -> None:
        self._session = session
        self._access_key = access_key
        self._secret_key = secret_key
        self._bucket = bucket

    def __repr__(self) -> str:
        return "PaapiClient(secret_key=***)"

    def get_items(self, store: Store, url: str, asins: Sequence[str], partner_tag: str) -> ItemResults:
        """One result per ASIN (a product or the error for that ASIN).

        Raises:
            ApiError: the whole request failed after the retries allowed.
        """
        if len(asins) > MAX_ITEM_IDS:
            raise ValueError(f"at most {MAX_ITEM_IDS} ASINs per request, got {len(asins)}")
        context = Context(api=self.label, marketplace=store.country, asins=tuple(asins))
        payload = {
            "ItemIds": list(asins),
            "PartnerTag": partner_tag,
            "PartnerType": "Associates",
            "Marketplace": store.domain,
            "Resources": list(PAAPI_RESOURCES),
        }

        def parse(response: httpx.Response, body: Any) -> ItemResults:
            camel = camel_keys(body)
            if not response.is_success:
                return _all_items_bad(response, camel, context, self._session.clock.time())
            return results_from_body(
                camel, context=context, store=store, partner_tag=partner_tag, source="paapi"
            )

        return self._call(store, url, GET_ITEMS_TARGET, payload, context, parse, frozenset({400, 404}))

    def get_variation_summary(
        self, store: Store, url: str, asin: str, partner_tag: str
    ) -> VariationSummary | None:
        """A parent ASIN's variation summary (GetVariations); None when Amazon has none.

        Raises:
            ApiError: the request failed after the retries allowed.
        """
        context = Context(api=self.label, marketplace=store.country, asins=(asin,))
        payload = {
            "ASIN": asin,
            "PartnerTag": partner_tag,
            "PartnerType": "Associates",
            "Marketplace": store.domain,
            "VariationCount": 1,
            "Resources": list(PAAPI_VARIATION_RESOURCES),
        }

        def parse(response: httpx.Response, body: Any) -> VariationSummary | None:
            if not response.is_success:
                return None  # 400/404: not a parent, or an ASIN without variations
            return summary_from_body(camel_keys(body), country=store.country)

        return self._call(store, url, GET_VARIATIONS_TARGET, payload, context, parse, frozenset({400, 404}))

    def search_items(self, store: Store, url: str, keywords: str, count: int, partner_tag: str) -> SearchPage:
        """SearchItems: up to ``count`` (1–10) products; ``NoResults`` (404) means none were found.

        Raises:
            ApiError: the whole request failed after the retries allowed.
        """
        context = Context(api=self.label, marketplace=store.country)
        payload = {
            "Keywords": keywords,
            "ItemCount": max(1, min(count, MAX_ITEM_IDS)),
            "PartnerTag": partner_tag,
            "PartnerType": "Associates",
            "Marketplace": store.domain,
            "Resources": list(PAAPI_RESOURCES),
        }

        def parse(response: httpx.Response, body: Any) -> SearchPage:
            camel = camel_keys(body)
            if response.status_code == 404:
                if _no_results(camel):
                    return SearchPage()
                raise error_from_response(response, context, self._session.clock.time())
            return search_page_from_body(
                camel, context=context, store=store, partner_tag=partner_tag, source="paapi"
            )

        return self._call(store, url, SEARCH_ITEMS_TARGET, payload, context, parse, frozenset({404}))

    def _call(
        self,
        store: Store,
        url: str,
        target: str,
        payload: Mapping[str, Any],
        context: Context,
        parse: Callable[[httpx.Response, Any], T],
        passthrough: frozenset[int],
    ) -> T:
        """One SigV4-signed PA-API operation: the JSON body, Amazon's headers, the shared session."""
        content = json.dumps(payload).encode()
        headers = {
            "content-encoding": "amz-1.0",
            "content-type": "application/json; charset=utf-8",
            "x-amz-target": target,
        }
        auth = SigV4Auth(self._access_key, self._secret_key.get_secret_value(), store.paapi_region)

        def build() -> httpx.Request:
            return httpx.Request("POST", url, headers=headers, content=content)

        return self._session.post(
            build, auth=auth, bucket=self._bucket, context=context, parse=parse, passthrough=passthrough
        )


def _no_results(body: Any) -> bool:
    errors = body.get("errors") if isinstance(body, Mapping) else None
    return isinstance(errors, list) and any(
        isinstance(e, Mapping) and e.get("code") == "NoResults" for e in errors
    )


def _all_items_bad(response: httpx.Response, body: Any, context: Context, now: float) -> ItemResults:
    """PA-API may answer 400/404 when every ItemId is bad; anything else is a request-level error."""
    errors = item_errors(body, context) if isinstance(body, Mapping) else {}
    codes = {error.reason for error in errors.values()}
    if errors and set(errors) == set(context.asins) and codes <= PERMANENT_ITEM_CODES:
        return dict(errors)
    raise error_from_response(response, context, now)


__all__ = [
    "GET_ITEMS_TARGET",
    "GET_VARIATIONS_TARGET",
    "PAAPI_LABEL",
    "PAAPI_RESOURCES",
    "SEARCH_ITEMS_TARGET",
    "PaapiClient",
]
