"""refresh: oldest first, within a limit, reporting what changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from asa2_fakes import FakeFetcher, make_product

from asa2render.config.model import Config
from asa2render.engine import Engine
from asa2render.products.cache import ProductCache
from asa2render.products.models import Availability, Failure, Money, ProductKey

NOW = datetime.now(UTC)
OLD = ProductKey("de", "B0TEST0001")
NEWER = ProductKey("de", "B0TEST0002")
GONE = ProductKey("de", "B0TEST0003")


def test_refresh_reports_changes_oldest_first(config: Config) -> None:
    cache = ProductCache.in_memory()
    cache.put_product(make_product(OLD.asin, fetched_at=NOW - timedelta(hours=3)), NOW)
    cache.put_product(make_product(NEWER.asin, fetched_at=NOW - timedelta(hours=1)), NOW)
    cache.put_product(make_product(GONE.asin, fetched_at=NOW - timedelta(hours=2)), NOW)
    cheaper = make_product(
        OLD.asin,
        price=Money(amount=Decimal("9.99"), currency="EUR", display="9,99 €"),
        availability=Availability(type="OUT_OF_STOCK"),
        fetched_at=NOW,
    )
    fetcher = FakeFetcher({OLD: cheaper, GONE: Failure(kind="not_found", message="gone", permanent=True)})
    with Engine(config, cache=cache, fetcher_factory=lambda: fetcher) as engine:
        report = engine.store.refresh([NEWER, OLD, GONE], limit=2)
        assert fetcher.batches == [[OLD, GONE]]  # oldest two, one batch
        assert "de:B0TEST0001: price 19,99 € → 9,99 €" in report.changes
        assert "de:B0TEST0001: availability UNKNOWN → OUT_OF_STOCK" in report.changes
        assert any(line.startswith("de:B0TEST0003: gone") for line in report.changes)
        assert engine.cache.get_products([GONE]) == {}
        assert engine.cache.get_products([OLD])[OLD].price.amount == Decimal("9.99")  # type: ignore[union-attr]


def test_max_age_skips_recent_products(config: Config) -> None:
    cache = ProductCache.in_memory()
    cache.put_product(make_product(OLD.asin, fetched_at=NOW - timedelta(minutes=5)), NOW)
    fetcher = FakeFetcher()
    with Engine(config, cache=cache, fetcher_factory=lambda: fetcher) as engine:
        report = engine.store.refresh([OLD], max_age=3600)
    assert fetcher.batches == [] and report.refreshed == 0


def test_progress_is_reported_per_chunk(config: Config) -> None:
    keys = [ProductKey("de", f"B0CHUNK{i:03}") for i in range(250)]
    fetcher = FakeFetcher({k: make_product(k.asin, fetched_at=NOW) for k in keys})
    calls: list[tuple[int, int]] = []
    with Engine(config, cache=ProductCache.in_memory(), fetcher_factory=lambda: fetcher) as engine:
        report = engine.store.refresh(keys, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(100, 250), (200, 250), (250, 250)]
    assert report.refreshed == 250
    assert [len(batch) for batch in fetcher.batches] == [100, 100, 50]
