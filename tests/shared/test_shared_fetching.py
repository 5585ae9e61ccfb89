"""SharedFetcher over the cache-folder coordinator, with a counting fake API: each product fetched once."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from asa2_fakes import make_product

from asa2render.api.ratelimit import SystemClock
from asa2render.config.model import config_from_dict
from asa2render.products.cache import ProductCache
from asa2render.products.models import Failure, Product, ProductKey, utc_now
from asa2render.shared import local
from asa2render.shared.fetching import Mark, MarkingCache, SharedFetcher
from asa2render.shared.limiter import SharedLimiter
from asa2render.shared.local import LocalCoordinator

CONFIG = config_from_dict({"api": {"timeout": 1, "max_retries": 0, "max_backoff": 0}}, environ={})


@dataclass
class Report:
    results: dict[ProductKey, Product | Failure] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    requests: int = 0
    tokens: int = 0


class CountingApi:
    """Answers every key with a product (or a failure for ASINs ending in 'F'); records each batch."""

    def __init__(self) -> None:
        self.batches: list[list[ProductKey]] = []
        self.stale = False
        self._lock = threading.Lock()

    def fetch(self, keys: Iterable[ProductKey]) -> Report:
        batch = list(keys)
        with self._lock:
            self.batches.append(batch)
        results: dict[ProductKey, Product | Failure] = {}
        for key in batch:
            if key.asin.endswith("F"):
                results[key] = Failure(kind="server", message="boom")
            else:
                fetched = make_product(key.asin, key.country).fetched_at if self.stale else utc_now()
                results[key] = make_product(key.asin, key.country, fetched_at=fetched)
        return Report(results, requests=1)


def builder(folder: Path, api: CountingApi) -> tuple[SharedFetcher, MarkingCache]:
    coordinator = LocalCoordinator(folder)
    mark = Mark()
    cache = MarkingCache(ProductCache.on_disk(folder).backend, coordinator, mark)
    return SharedFetcher(api, cache, coordinator, CONFIG, mark=mark), cache


def keys(start: int, stop: int, country: str = "de") -> list[ProductKey]:
    return [ProductKey(country, f"B0SF{country.upper()}{i:04}") for i in range(start, stop)]


def test_overlapping_builders_fetch_each_product_once_in_full_batches(tmp_path: Path) -> None:
    api = CountingApi()
    wanted = [keys(0, 40) + keys(0, 20, "fr"), keys(20, 60) + keys(10, 30, "fr"), keys(10, 50)]
    builders = [builder(tmp_path, api) for _ in wanted]
    answers: list[dict[ProductKey, Product | Failure]] = [{} for _ in wanted]

    def run(number: int) -> None:
        # As the product store does: look in the cache, then fetch what it lacks.
        fetcher, cache = builders[number]
        found: dict[ProductKey, Product | Failure] = dict(cache.get_products(wanted[number]))
        missing = [key for key in wanted[number] if key not in found]
        answers[number] = found | fetcher.fetch(missing).results

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(wanted))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    fetched = [key for batch in api.batches for key in batch]
    assert len(fetched) == len(set(fetched)) == 60 + 30  # every unique product once
    assert len(api.batches) == 6 + 3  # ten per batch
    for number, asked in enumerate(wanted):
        assert set(answers[number]) == set(asked)
        assert all(isinstance(value, Product) for value in answers[number].values())


def test_products_fetched_by_another_builder_but_missing_from_the_cache_are_fetched_again(
    tmp_path: Path,
) -> None:
    api = CountingApi()
    api.stale = True  # products too old to cache: the "done" marker points at nothing
    first, _ = builder(tmp_path, api)
    second, cache = builder(tmp_path, api)
    wanted = keys(0, 10)
    cache.get_products(wanted)
    first.fetch(wanted)  # settles "done" after the second builder looked at the cache
    results = second.fetch(wanted).results
    assert all(isinstance(results[key], Product) for key in wanted)
    assert len(api.batches) == 2


def test_a_failure_reaches_the_builders_waiting_for_it_and_a_later_run_retries(tmp_path: Path) -> None:
    api = CountingApi()
    first, _ = builder(tmp_path, api)
    key = ProductKey("de", "B0SFFAILEF")
    assert isinstance(first.fetch([key]).results[key], Failure)
    later, cache = builder(tmp_path, api)
    cache.get_products([key])  # a new run looks at the cache after the failure was settled
    assert isinstance(later.fetch([key]).results[key], Failure)
    assert len(api.batches) == 2  # asked again, not answered by the old marker


def test_a_builder_that_died_holding_claims_is_taken_over(tmp_path: Path) -> None:
    api = CountingApi()
    dead = LocalCoordinator(tmp_path)
    wanted = keys(0, 5)
    dead.offer(wanted, dead.now())
    assert dead.take(["de"], 10, 0.0) == wanted  # claimed, then never settled; the claim has lapsed
    alive, _ = builder(tmp_path, api)
    results = alive.fetch(wanted).results
    assert all(isinstance(results[key], Product) for key in wanted)


def test_when_the_shared_store_fails_the_builder_fetches_alone(tmp_path: Path) -> None:
    api = CountingApi()
    fetcher, _ = builder(tmp_path, api)
    coordinator = fetcher._coordinator
    assert isinstance(coordinator, LocalCoordinator)
    coordinator.close()  # every later operation fails
    results = fetcher.fetch(keys(0, 3)).results
    assert len(results) == 3 and len(api.batches) == 1
    report_notices = fetcher.fetch(keys(3, 4)).notices
    assert any("no longer coordinates" in notice for notice in report_notices)


def test_the_shared_limiter_falls_back_to_its_own_bucket(tmp_path: Path) -> None:
    coordinator = LocalCoordinator(tmp_path)
    limiter = SharedLimiter(coordinator, "creators:abc", 1000.0, SystemClock())
    limiter.acquire()
    coordinator.close()
    limiter.acquire()  # the store failed: the local token bucket answers, nothing raises
    assert not coordinator.healthy


def test_a_product_whose_marker_expired_is_read_from_the_cache_not_fetched_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A builder busy fetching for longer than a marker lives finds the others' markers gone when it
    # collects at last (the four-builder benchmark asked 20 products twice that way).
    monkeypatch.setattr(local, "RESULT_TTL", -1.0)  # every marker has expired by the time anyone reads it
    api = CountingApi()
    wanted = keys(0, 10)
    other = LocalCoordinator(tmp_path)  # another builder, which claimed these first
    other.offer(wanted, other.now())
    assert other.take(["de"], 10, 600.0) == wanted
    shared_cache = ProductCache.on_disk(tmp_path)

    def other_builder_finishes(seconds: float) -> None:
        for key in wanted:
            shared_cache.put_product(make_product(key.asin, key.country, fetched_at=utc_now()), utc_now())
        other.settle(dict.fromkeys(wanted))

    coordinator = LocalCoordinator(tmp_path)
    mark = Mark()
    cache = MarkingCache(shared_cache.backend, coordinator, mark)
    waiting = SharedFetcher(api, cache, coordinator, CONFIG, mark=mark, sleep=other_builder_finishes)
    cache.get_products(wanted)  # this builder looks before the other one has fetched them
    results = waiting.fetch(wanted).results
    assert all(isinstance(results[key], Product) for key in wanted)
    assert api.batches == []  # read from the cache, not asked again
