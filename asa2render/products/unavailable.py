"""``[site] unavailable``: what a page shows for a product Amazon no longer sells.

A product counts as unavailable when the API reports it gone (not accessible, invalid — a permanent
failure), ``UNAVAILABLE``, or ``OUT_OF_STOCK`` for at least ``[site] out_of_stock_after`` seconds
(remembered across runs in the cache). The policy then decides:

- ``keep``: today's behaviour (the box with its availability, or the fallback link);
- ``hide``: nothing but an HTML comment, and a diagnostic;
- ``replace``: ASA2's auto-replace — the first *available* result of a search by the product's
  title in the same store (never the product itself; a result that is itself unavailable is
  skipped), marked as a replacement; when there is none, a search link;
- ``search-link``: a tagged link to the store's search for the title.

Products of other shops (``shop = …``) are never judged by Amazon's availability.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from ..config.model import Config
from ..marketplaces import get_store
from .cache import ProductCache
from .models import Product, ProductKey, Resolved, SearchQuery, SearchResolved, utc_now

REPLACEMENT_CANDIDATES = 10  # one SearchItems page
Search = Callable[[list[SearchQuery]], Mapping[SearchQuery, SearchResolved]]
Resolve = Callable[[list[ProductKey]], Mapping[ProductKey, Resolved]]


class UnavailablePolicy:
    """Applies ``[site] unavailable`` to freshly resolved products."""

    def __init__(
        self,
        config: Config,
        cache: ProductCache,
        search: Search,
        resolve: Resolve,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.config = config
        self.cache = cache
        self._search = search
        self._resolve = resolve
        self._clock = clock

    def apply(self, resolved: Mapping[ProductKey, Resolved]) -> dict[ProductKey, Resolved]:
        """The same items, those that count as unavailable marked with the reason and the action."""
        now = self._clock()
        policy = self.config.site.unavailable
        result = dict(resolved)
        to_replace: dict[ProductKey, tuple[str, str]] = {}
        for key, item in resolved.items():
            reason = self.reason(key, item, now)
            if reason is None:
                continue
            if policy == "replace":
                to_replace[key] = (reason, self._title(key, item))
            elif policy == "search-link":
                result[key] = self._search_link(key, item, reason)
            else:
                result[key] = item.model_copy(update={"unavailable": reason, "action": policy})
        if to_replace:
            result.update(self._replace(resolved, to_replace))
        return result

    def reason(self, key: ProductKey, item: Resolved, now: datetime) -> str | None:
        """Why the product counts as unavailable, or None when it does not."""
        product = item.product
        if product is None or item.state == "fallback":
            failure = item.failure
            return f"gone: {failure.message}" if failure is not None and failure.permanent else None
        if product.shop is not None:
            return None
        kind = product.availability.type
        if kind == "UNAVAILABLE":
            return "unavailable"
        if kind != "OUT_OF_STOCK":
            return None
        since = self.cache.out_of_stock_since(key, product.fetched_at)
        if (now - since).total_seconds() >= self.config.site.out_of_stock_after:
            return f"out of stock since {since.strftime('%Y-%m-%d %H:%M')} UTC"
        return None

    def _title(self, key: ProductKey, item: Resolved) -> str:
        if item.product is not None:
            return item.product.title
        cached = self.cache.get_products([key]).get(key)
        return cached.title if cached is not None else key.asin

    def _search_link(
        self, key: ProductKey, item: Resolved, reason: str, title: str | None = None
    ) -> Resolved:
        store = get_store(key.country)
        tag, _ = self.config.partner_tag(key.country)
        url = store.search_url(title or self._title(key, item), tag) if store else None
        return item.model_copy(update={"unavailable": reason, "action": "search-link", "search_url": url})

    def _replace(
        self, resolved: Mapping[ProductKey, Resolved], wanted: dict[ProductKey, tuple[str, str]]
    ) -> dict[ProductKey, Resolved]:
        queries = {
            key: SearchQuery(key.country, title, REPLACEMENT_CANDIDATES) for key, (_, title) in wanted.items()
        }
        answers = self._search(list(queries.values()))
        candidates: dict[ProductKey, list[ProductKey]] = {}
        for key, query in queries.items():
            found = answers.get(query)
            asins = found.result.asins if found is not None and found.result is not None else ()
            candidates[key] = [ProductKey(key.country, asin) for asin in asins if asin != key.asin]
        looked_up = self._resolve(list(dict.fromkeys(k for keys in candidates.values() for k in keys)))
        replaced: dict[ProductKey, Resolved] = {}
        for key, (reason, title) in wanted.items():
            choice = self._first_available(candidates[key], looked_up)
            item = resolved[key]
            if choice is None:
                replaced[key] = self._search_link(key, item, f"{reason}; no available replacement", title)
                continue
            replaced[key] = item.model_copy(
                update={
                    "product": choice.product,
                    "state": choice.state,
                    "failure": None,
                    "unavailable": reason,
                    "action": "replace",
                    "replaced_by": choice.key_asin,
                }
            )
        return replaced

    def _first_available(
        self, keys: list[ProductKey], looked_up: Mapping[ProductKey, Resolved]
    ) -> Resolved | None:
        """The first candidate that can be bought now; one that is itself unavailable is skipped."""
        now = self._clock()
        for key in keys:
            item = looked_up.get(key)
            if item is None or item.product is None or item.state == "fallback":
                continue
            if _buyable(item.product) and self.reason(key, item, now) is None:
                return item
        return None


def _buyable(product: Product) -> bool:
    return product.is_available and product.availability.type not in {"OUT_OF_STOCK", "UNAVAILABLE"}


__all__ = ["UnavailablePolicy"]
