"""The freshness ladder: local → fresh cache → API → stale (< 24 h) → fallback."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta

import pytest
from asa2_fakes import FakeFetcher, FakeReport, make_product

from asa2render.config.model import Config
from asa2render.products.cache import ProductCache
from asa2render.products.local import LocalProducts
from asa2render.products.models import Failure, Product, ProductKey
from asa2render.products.store import ProductStore

KEY = ProductKey("de", "B0TEST0001")
NOON = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _store(config: Config, fetcher: FakeFetcher, cache: ProductCache, now: datetime) -> ProductStore:
    return ProductStore(config, cache, LocalProducts(), lambda: fetcher, clock=lambda: now)


def test_fresh_cache_makes_no_request(config: Config) -> None:
    cache = ProductCache.in_memory()
    cache.put_product(make_product(fetched_at=NOON), NOON)
    fetcher = FakeFetcher()
    result = _store(config, fetcher, cache, NOON + timedelta(minutes=30)).get_many([KEY])
    assert result[KEY].state == "fresh" and fetcher.batches == []


def test_api_result_is_cached(config: Config) -> None:
    cache = ProductCache.in_memory()
    fetcher = FakeFetcher({KEY: make_product(fetched_at=NOON)})
    store = _store(config, fetcher, cache, NOON)
    assert store.get_many([KEY, KEY])[KEY].state == "fresh"
    assert fetcher.batches == [[KEY]]
    assert KEY in cache.get_products([KEY])


def test_failure_shows_stale_copy_younger_than_a_day(config: Config) -> None:
    cache = ProductCache.in_memory()
    cache.put_product(make_product(fetched_at=NOON), NOON)
    later = NOON + timedelta(hours=5)
    result = _store(config, FakeFetcher(fail_all="throttled"), cache, later).get_many([KEY])
    assert result[KEY].state == "stale" and result[KEY].product is not None


def test_older_than_a_day_is_never_shown(config: Config) -> None:
    cache = ProductCache.in_memory()
    cache.put_product(make_product(fetched_at=NOON), NOON)
    store = _store(config, FakeFetcher(fail_all="network"), cache, NOON + timedelta(hours=24, minutes=1))
    result = store.get_many([KEY])
    assert result[KEY].state == "fallback" and result[KEY].product is None


def test_negative_cache_avoids_repeated_requests(config: Config) -> None:
    cache = ProductCache.in_memory()
    fetcher = FakeFetcher()  # answers not_found, permanent
    store = _store(config, fetcher, cache, NOON)
    assert store.get_many([KEY])[KEY].state == "fallback"
    assert store.get_many([KEY])[KEY].state == "fallback"
    assert len(fetcher.batches) == 1


def test_local_products_come_first(config: Config) -> None:
    local = LocalProducts({KEY: make_product(source="local")})
    fetcher = FakeFetcher()
    store = ProductStore(config, ProductCache.in_memory(), local, lambda: fetcher, clock=lambda: NOON)
    assert store.get_many([KEY])[KEY].product.source == "local"  # type: ignore[union-attr]
    assert fetcher.batches == []


class _KilledAfterOneBatch(FakeFetcher):
    """Answers the first half of the keys as one batch, then is interrupted (Ctrl-C mid-fetch)."""

    def fetch(
        self,
        keys: Iterable[ProductKey],
        on_batch: Callable[[Mapping[ProductKey, Product | Failure]], None] | None = None,
    ) -> FakeReport:
        wanted = list(keys)
        if on_batch is not None:
            on_batch(
                {k: make_product(k.asin, k.country, fetched_at=NOON) for k in wanted[: len(wanted) // 2]}
            )
        raise KeyboardInterrupt


def test_each_batch_is_cached_as_it_arrives(config: Config) -> None:
    cache = ProductCache.in_memory()
    store = _store(config, _KilledAfterOneBatch(), cache, NOON)
    keys = [ProductKey("de", f"B0KILL{n:04d}") for n in range(20)]
    with pytest.raises(KeyboardInterrupt):
        store.get_many(keys)
    assert store.saved == 10
    assert sorted(cache.get_products(keys)) == keys[:10]
