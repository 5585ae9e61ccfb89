"""Fetching through the shared pool: each missing product is fetched by one builder only.

:class:`SharedFetcher` wraps the API fetcher. It offers the products a run misses to the pool, then
takes batches of ten (its own products or other builders' — any pending product of a store it serves)
and fetches them, storing each batch in the shared cache *before* settling it, so builders waiting for
those products find them there. When the pool has nothing left to take, it waits for the products
other builders claimed, and offers again any whose claim lapsed without a result (a builder died).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ..config.model import Config
from ..interrupts import deferred_interrupts
from ..products.cache import ProductCache
from ..products.models import Failure, Product, ProductKey, SearchQuery, utc_now
from ..products.store import SearchOutcome
from .coordination import Coordinator
from .marking import Mark, MarkingCache

log = logging.getLogger("asa2render.shared")
BATCH = 10  # GetItems takes at most ten ASINs: one pool batch is one request
POLL_SECONDS = 0.05
_MAX_WORKERS = 8


class _Report(Protocol):
    results: dict[ProductKey, Product | Failure]
    notices: list[str]
    requests: int
    tokens: int


class _Inner(Protocol):
    def fetch(self, keys: Iterable[ProductKey]) -> _Report: ...


BatchListener = Callable[[Mapping[ProductKey, Product | Failure]], None]


@dataclass
class SharedReport:
    """What a shared fetch produced: a result for every key asked for, and this builder's cost."""

    results: dict[ProductKey, Product | Failure] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    requests: int = 0
    tokens: int = 0

    def add(self, report: _Report) -> None:
        self.requests += report.requests
        self.tokens += report.tokens
        self.notices.extend(n for n in report.notices if n not in self.notices)


def claim_timeout(config: Config) -> float:
    """How long a claim holds: the longest one batch may take with every retry, plus a margin."""
    api = config.api
    return api.timeout * (api.max_retries + 2) + api.max_backoff * api.max_retries + 10.0


class SharedFetcher:
    """A :class:`~asa2render.products.store.ProductFetcher` that fetches each product once across builders.

    Args:
        inner: the API fetcher (rate-limited by the shared limiter).
        cache: the shared product cache, where fetched products land for the other builders.
        coordinator: the shared pool, claims and result markers.
        config: for the claim timeout and the negative-cache lifetime.
        mark: when the cache was last looked at (default: the moment each fetch starts).
        sleep: how waiting is done (tests pass a fake).
    """

    def __init__(
        self,
        inner: _Inner,
        cache: ProductCache,
        coordinator: Coordinator,
        config: Config,
        *,
        mark: Mark | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._mark = mark or Mark()
        self._inner = inner
        self._cache = cache
        self._coordinator = coordinator
        self._config = config
        self._claim_ttl = claim_timeout(config)
        self._sleep = sleep
        self._stop = threading.Event()  # set when the run is interrupted: take no more batches
        self._lock = threading.Lock()  # the per-store threads add to one report

    def __repr__(self) -> str:
        return f"SharedFetcher({self._coordinator!r})"

    def close(self) -> None:
        closer = getattr(self._inner, "close", None)
        if callable(closer):
            closer()

    def search(self, query: SearchQuery) -> SearchOutcome | None:
        """A search goes straight to the API fetcher (one request; its result list is cached by the
        store like a product). None when the inner fetcher cannot search (tests' fakes)."""
        search = getattr(self._inner, "search", None)
        return search(query) if callable(search) else None

    def fetch(self, keys: Iterable[ProductKey], on_batch: BatchListener | None = None) -> SharedReport:
        """A result for every key; never raises for API or shared-store failures."""
        wanted = list(dict.fromkeys(ProductKey(*key) for key in keys))
        report = SharedReport()
        totals = getattr(self._inner, "totals", None)
        sent_before = totals() if callable(totals) else None
        countries = sorted({key.country for key in wanted})
        pending = set(wanted)
        since = self._mark.since if self._mark.since is not None else self._coordinator.now()
        looked_at = self._mark.looked_at or utc_now()
        self._mark.since = self._mark.looked_at = None
        self._stop.clear()
        self._coordinator.offer(wanted, since)
        while pending:
            if not self._coordinator.healthy:
                self._fetch_alone(sorted(pending, key=wanted.index), report, on_batch)
                break
            fetched = self._drain(countries, report, on_batch)
            before = len(pending)
            pending -= fetched.keys() & pending
            self._collect(pending, since, looked_at, report)
            if len(pending) == before and not fetched:
                self._sleep(POLL_SECONDS)
        report.notices.extend(n for n in self._coordinator.notices if n not in report.notices)
        report.results = {key: report.results[key] for key in wanted if key in report.results}
        if sent_before is not None and callable(totals):
            # The stores' threads ran their batches at the same time, so the batches' own counts
            # overlap; the fetcher's totals count each request once.
            requests, tokens = totals()
            report.requests, report.tokens = requests - sent_before[0], tokens - sent_before[1]
        return report

    def _drain(
        self, countries: list[str], report: SharedReport, on_batch: BatchListener | None
    ) -> dict[ProductKey, Product | Failure]:
        """Take and fetch batches until the pools of these stores are empty (one thread per store)."""
        fetched: dict[ProductKey, Product | Failure] = {}

        def drain(country: str) -> None:
            while not self._stop.is_set():
                batch = self._coordinator.take([country], BATCH, self._claim_ttl)
                if not batch:
                    return
                fetched.update(self._fetch_batch(batch, report, on_batch))

        if len(countries) == 1:
            drain(countries[0])
        else:
            from concurrent.futures import ThreadPoolExecutor  # several stores only

            with ThreadPoolExecutor(max_workers=min(len(countries), _MAX_WORKERS)) as pool:
                futures = [pool.submit(drain, country) for country in countries]
                try:
                    for future in futures:
                        future.result()
                except BaseException:
                    self._stop.set()  # Ctrl-C or SIGTERM: the threads finish their batch and stop
                    raise
        report.results.update(fetched)
        return fetched

    def _fetch_batch(
        self, batch: list[ProductKey], report: SharedReport, on_batch: BatchListener | None
    ) -> dict[ProductKey, Product | Failure]:
        try:
            result = self._inner.fetch(batch)
        except BaseException:
            # Interrupted: give the claims back so other builders take these over at once.
            self._coordinator.release(batch)
            raise
        with self._lock:
            report.add(result)
        results = {key: result.results.get(key) or _lost(key) for key in batch}
        try:
            with deferred_interrupts():  # stored and counted whole, even on Ctrl-C
                self._store(results)
                if on_batch is not None:
                    on_batch(results)
        finally:
            outcome = {key: None if isinstance(value, Product) else value for key, value in results.items()}
            self._coordinator.settle(outcome)
        return results

    def _store(self, results: Mapping[ProductKey, Product | Failure]) -> None:
        now = utc_now()
        for key, value in results.items():
            if isinstance(value, Product):
                self._cache.put_product(value, now)
            elif value.permanent:
                self._cache.put_failure(key, value, self._config.site.negative_cache_ttl)

    def _collect(
        self, pending: set[ProductKey], since: float, looked_at: datetime, report: SharedReport
    ) -> None:
        """Pick up what other builders settled; offer again what nobody holds any more."""
        if not pending:
            return
        statuses = self._coordinator.status(sorted(pending), since)
        done = [key for key, status in statuses.items() if status == "done"]
        found = self._cache.get_products(done)
        lost: list[ProductKey] = []
        for key, status in statuses.items():
            if isinstance(status, Failure):
                report.results[key] = status
                pending.discard(key)
            elif status == "done" and key in found:
                report.results[key] = found[key]
                pending.discard(key)
            elif status == "lost":
                lost.append(key)  # a claim that lapsed, or a marker that expired: offer it again
        vanished = [key for key in done if key not in found]
        if vanished:
            # Fetched by another builder but not in the cache (a write that failed, an entry evicted):
            # the marker would only make this builder wait, so it asks for these itself.
            self._fetch_alone(vanished, report, None)
            pending.difference_update(vanished)
        if lost:
            # A marker outlives neither a long run nor a builder busy fetching for longer than its
            # lifetime: what another builder fetched after this one looked is in the cache, not lost.
            arrived = self._cache.get_products(lost)
            for key in lost:
                product = arrived.get(key)
                if product is not None and product.fetched_at >= looked_at:
                    report.results[key] = product
                    pending.discard(key)
            lost = [key for key in lost if key in pending]
        if lost:
            log.debug("offering %d product(s) again", len(lost))
            self._coordinator.offer(lost, since)

    def _fetch_alone(
        self, keys: list[ProductKey], report: SharedReport, on_batch: BatchListener | None
    ) -> None:
        """The shared store failed: fetch the rest without coordination (as a lone builder would)."""
        result = self._inner.fetch(keys)
        report.add(result)
        report.results.update(result.results)
        if on_batch is not None:
            on_batch(result.results)


def _lost(key: ProductKey) -> Failure:
    return Failure(kind="server", message=f"{key}: no result was produced", permanent=False)


__all__ = ["BATCH", "Mark", "MarkingCache", "SharedFetcher", "SharedReport", "claim_timeout"]
