"""The freshness ladder: what each requested product resolves to.

In order, per product:

1. local products (the user's own data) → fresh;
2. a cached copy younger than the configured lifetime → fresh;
3. a remembered "does not exist" answer (negative cache) → fallback, without asking again;
4. the API (one batched fetch for everything still missing) → fresh, and cached;
5. the API failed: a cached copy younger than 24 h → stale, shown with its "as of" stamp;
6. nothing → fallback (a plain tagged link).

All keys of a page or a whole site are resolved in one call, so the API layer can batch.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import msgspec

from ..config.model import MAX_CACHE_AGE, Config
from ..interrupts import deferred_interrupts
from .cache import ProductCache
from .local import LocalProducts
from .models import (
    Failure,
    Product,
    ProductKey,
    Resolved,
    SearchQuery,
    SearchResolved,
    SearchResult,
    utc_now,
)

if TYPE_CHECKING:  # refreshing is its own command: a render does not import it (start-up time)
    from .refresh import RefreshReport

log = logging.getLogger("asa2render.products.store")


class FetchResult(Protocol):
    results: dict[ProductKey, Product | Failure]
    notices: list[str]
    requests: int
    tokens: int


class SearchPageResult(Protocol):
    products: tuple[Product, ...]
    search_url: str | None
    total: int | None


class SearchOutcome(Protocol):
    page: SearchPageResult | None
    failure: Failure | None
    notices: list[str]
    requests: int
    tokens: int


class ProductFetcher(Protocol):
    """What the store needs of the API layer (``asa2render.api.Fetcher``).

    ``on_batch`` receives each batch's results as soon as they arrive, so they are cached before
    the whole fetch ends: a run killed mid-fetch keeps what it was sent.
    """

    def fetch(
        self,
        keys: Iterable[ProductKey],
        on_batch: Callable[[Mapping[ProductKey, Product | Failure]], None] | None = None,
    ) -> FetchResult: ...


class ProductSearcher(Protocol):
    """What searches need of the API layer (``asa2render.api.Fetcher.search``)."""

    def search(self, query: SearchQuery) -> SearchOutcome | None: ...


class StoreReport(msgspec.Struct):
    """What one or more lookups did, for the build summary."""

    fresh: int = 0
    stale: int = 0
    fallback: int = 0
    searches: int = 0
    api_requests: int = 0
    token_requests: int = 0
    notices: list[str] = msgspec.field(default_factory=list)

    def add_notices(self, notices: Iterable[str]) -> None:
        for notice in notices:
            if notice not in self.notices:
                self.notices.append(notice)


class ProductStore:
    """Resolves product keys through local products, the cache and the API."""

    def __init__(
        self,
        config: Config,
        cache: ProductCache,
        local: LocalProducts,
        fetcher_factory: Callable[[], ProductFetcher] | None,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.config = config
        self.cache = cache
        self.local = local
        self._fetcher_factory = fetcher_factory
        self._fetcher: ProductFetcher | None = None
        self._clock = clock
        self.report = StoreReport()
        self.saved = 0  # products fetched and cached by this store (reported when a run is cut short)
        self._lock = threading.Lock()

    def get_many(self, keys: Iterable[ProductKey], *, count: bool = True) -> dict[ProductKey, Resolved]:
        """Resolve every key; never raises for a product that cannot be had.

        Args:
            keys: the products wanted.
            count: add the outcome to the fresh/stale/fallback counts of :attr:`report` (lookups that
                are not shown on a page, such as geo-targeting's store checks, leave them alone; their
                API requests are always counted).
        """
        wanted = list(dict.fromkeys(keys))
        now = self._clock()
        resolved: dict[ProductKey, Resolved] = {}
        for key, product in self.local.get_many(wanted).items():
            resolved[key] = _resolved(key, product, "fresh")
        missing = [k for k in wanted if k not in resolved]
        cached = self.cache.get_products(missing)
        for key, snapshot in self.local.snapshots(missing).items():
            # A product stored by ``products add`` counts as one more cached copy, under the same 24 h cap.
            if key not in cached or snapshot.fetched_at > cached[key].fetched_at:
                cached[key] = snapshot
        fresh_limit = min(self.config.site.cache_ttl, MAX_CACHE_AGE)
        for key, product in cached.items():
            if _age(product, now) < fresh_limit:
                resolved[key] = _resolved(key, product, "fresh")
        missing = [k for k in missing if k not in resolved]
        for key, failure in self.cache.get_failures(missing).items():
            resolved[key] = Resolved(key_country=key.country, key_asin=key.asin, failure=failure)
        missing = [k for k in missing if k not in resolved]
        if missing:
            resolved.update(self._fetch(missing, cached, now))
        for key, item in resolved.items():
            if item.product is not None and item.product.source != "local":
                resolved[key] = item.model_copy(update={"product": self.local.annotate(key, item.product)})
        if count:
            self._count(resolved.values())
        return resolved

    def search_many(self, queries: Iterable[SearchQuery]) -> dict[SearchQuery, SearchResolved]:
        """Resolve searches like products: fresh cache, API (its products cached too), stale, fallback."""
        now = self._clock()
        fresh_limit = min(self.config.site.cache_ttl, MAX_CACHE_AGE)
        answers: dict[SearchQuery, SearchResolved] = {}
        for query in dict.fromkeys(queries):
            cached = self.cache.get_search(query)
            if cached is not None and _age(cached, now) < fresh_limit:
                answers[query] = SearchResolved(query=query, result=cached, state="fresh")
            else:
                answers[query] = self._search(query, cached, now)
        self.report.searches += len(answers)
        return answers

    def _search(self, query: SearchQuery, cached: SearchResult | None, now: datetime) -> SearchResolved:
        fetcher = self._get_fetcher()
        search = getattr(fetcher, "search", None)
        failure = Failure(kind="offline", message="no API was asked")
        outcome: SearchOutcome | None = search(query) if callable(search) else None
        if outcome is not None:
            self.report.api_requests += outcome.requests
            self.report.token_requests += outcome.tokens
            self.report.add_notices(outcome.notices)
            if outcome.page is not None:
                result = self._store_search(query, outcome.page, now)
                return SearchResolved(query=query, result=result, state="fresh")
            failure = outcome.failure or failure
        if cached is not None and _age(cached, now) < MAX_CACHE_AGE:
            return SearchResolved(query=query, result=cached, state="stale", failure=failure)
        return SearchResolved(query=query, failure=failure)

    def _store_search(self, query: SearchQuery, page: SearchPageResult, now: datetime) -> SearchResult:
        for product in page.products:
            self.cache.put_product(product, now)
        result = SearchResult(
            country=query.country,
            keywords=query.keywords,
            asins=tuple(dict.fromkeys(p.asin for p in page.products)),
            search_url=page.search_url,
            total=page.total,
            fetched_at=now,
        )
        self.cache.put_search(query, result, now)
        return result

    def fetch_fresh(self, keys: Iterable[ProductKey]) -> dict[ProductKey, Product | Failure]:
        """Ask the API now, bypassing local products and the cache (which is updated)."""
        wanted = list(dict.fromkeys(keys))
        fetcher = self._get_fetcher()
        if fetcher is None:
            return {key: Failure(kind="offline", message="no API was asked") for key in wanted}
        report = fetcher.fetch(wanted)
        self.report.api_requests += report.requests
        self.report.token_requests += report.tokens
        self.report.add_notices(report.notices)
        now = self._clock()
        results: dict[ProductKey, Product | Failure] = {}
        for key in wanted:
            outcome = report.results.get(key) or Failure(kind="server", message="no result was produced")
            if isinstance(outcome, Product):
                self.cache.put_product(outcome, now)
            results[key] = outcome
        return results

    def _fetch(
        self, keys: list[ProductKey], cached: dict[ProductKey, Product], now: datetime
    ) -> dict[ProductKey, Resolved]:
        results: dict[ProductKey, Product | Failure] = {}
        stored: set[ProductKey] = set()
        fetcher = self._get_fetcher()
        if fetcher is not None:

            def on_batch(batch: Mapping[ProductKey, Product | Failure]) -> None:
                with deferred_interrupts():  # saved and counted whole, even on Ctrl-C
                    for key, outcome in batch.items():
                        self._remember(key, outcome, now)
                        stored.add(key)

            report = fetcher.fetch(keys, on_batch=on_batch)
            results = report.results
            self.report.api_requests += report.requests
            self.report.token_requests += report.tokens
            self.report.add_notices(report.notices)
        resolved: dict[ProductKey, Resolved] = {}
        for key in keys:
            outcome = results.get(key) or Failure(kind="offline", message="no API was asked")
            if key not in stored:
                self._remember(key, outcome, now)
            if isinstance(outcome, Product):
                resolved[key] = _resolved(key, outcome, "fresh")
            else:
                resolved[key] = self._degraded(key, outcome, cached.get(key), now)
        return resolved

    def _remember(self, key: ProductKey, outcome: Product | Failure, now: datetime) -> None:
        """Cache a fetched product, or a permanent "does not exist" answer (may run in a fetch thread)."""
        if isinstance(outcome, Product):
            self.cache.put_product(outcome, now)
            with self._lock:
                self.saved += 1
        elif outcome.permanent:
            self.cache.put_failure(key, outcome, self.config.site.negative_cache_ttl)

    def _degraded(self, key: ProductKey, failure: Failure, cached: Product | None, now: datetime) -> Resolved:
        if cached is not None and not failure.permanent and _age(cached, now) < MAX_CACHE_AGE:
            return _resolved(key, cached, "stale", failure)
        return Resolved(key_country=key.country, key_asin=key.asin, failure=failure)

    def refresh(
        self,
        keys: Iterable[ProductKey],
        *,
        max_age: int = 0,
        limit: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> RefreshReport:
        """Re-fetch the given products (oldest cached first), cache the new data, report what changed.

        Args:
            keys: the products to consider; local products are never fetched.
            max_age: skip products cached less than this many seconds ago.
            limit: re-fetch at most this many.
            progress: ``progress(done, total)`` after each chunk of
                :data:`~asa2render.products.refresh.CHUNK` products.
        """
        from .refresh import CHUNK, RefreshReport, refresh_order

        now = self._clock()
        wanted = list(dict.fromkeys(keys))
        cached = self.cache.get_products(wanted)
        local = self.local.get_many(wanted)
        candidates = refresh_order(wanted, cached, local, now, max_age=max_age, limit=limit)
        report = RefreshReport()
        fetcher = self._get_fetcher()
        if fetcher is None or not candidates:
            return report
        for start in range(0, len(candidates), CHUNK):
            chunk = candidates[start : start + CHUNK]
            self._refresh_chunk(fetcher, chunk, cached, report)
            if progress is not None:
                progress(start + len(chunk), len(candidates))
        return report

    def _refresh_chunk(
        self,
        fetcher: ProductFetcher,
        chunk: list[ProductKey],
        cached: dict[ProductKey, Product],
        report: RefreshReport,
    ) -> None:
        from .refresh import differences

        stored: set[ProductKey] = set()

        def on_batch(batch: Mapping[ProductKey, Product | Failure]) -> None:
            # Cached as each batch arrives: a refresh stopped mid-chunk keeps what it was sent.
            with deferred_interrupts():
                for key, outcome in batch.items():
                    if isinstance(outcome, Product):
                        self._remember(key, outcome, self._clock())
                        stored.add(key)

        result = fetcher.fetch(chunk, on_batch=on_batch)
        self.report.api_requests += result.requests
        self.report.token_requests += result.tokens
        for key in chunk:
            outcome = result.results.get(key)
            if isinstance(outcome, Product):
                report.refreshed += 1
                if key not in stored:
                    self.cache.put_product(outcome, self._clock())
                report.changes.extend(differences(key, cached.get(key), outcome))
            else:
                report.failed += 1
                if isinstance(outcome, Failure) and outcome.permanent:
                    self.cache.delete(key)
                    report.changes.append(f"{key}: gone ({outcome.message})")
        report.changes.extend(n for n in result.notices if n not in report.changes)

    def _get_fetcher(self) -> ProductFetcher | None:
        if self._fetcher is None and self._fetcher_factory is not None:
            self._fetcher = self._fetcher_factory()
        return self._fetcher

    def _count(self, items: Iterable[Resolved]) -> None:
        for item in items:
            if item.state == "fresh":
                self.report.fresh += 1
            elif item.state == "stale":
                self.report.stale += 1
            else:
                self.report.fallback += 1

    def close(self) -> None:
        closer = getattr(self._fetcher, "close", None)
        if callable(closer):
            closer()
        self._fetcher = None


def _age(item: Product | SearchResult, now: datetime) -> float:
    return (now - item.fetched_at).total_seconds()


def _resolved(key: ProductKey, product: Product, state: str, failure: Failure | None = None) -> Resolved:
    return Resolved.model_validate(
        {
            "key_country": key.country,
            "key_asin": key.asin,
            "product": product,
            "state": state,
            "failure": failure,
        }
    )


__all__ = ["ProductFetcher", "ProductSearcher", "ProductStore", "StoreReport"]
