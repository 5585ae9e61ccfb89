"""The product cache: JSON only, corrupt entries are misses, nothing kept past 24 hours."""

from __future__ import annotations

import logging
import pickle
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from asa2_fakes import make_product

from asa2render.products.cache import DiskBackend, MemoryBackend, ProductCache
from asa2render.products.models import Failure, ProductKey

KEY = ProductKey("de", "B0TEST0001")


def test_round_trip_on_disk(tmp_path: Path) -> None:
    cache = ProductCache.on_disk(tmp_path / "c")
    product = make_product()
    cache.put_product(product, product.fetched_at)
    assert cache.get_products([KEY]) == {KEY: product}
    assert cache.cached_keys() == [KEY]
    cache.close()


def test_values_are_json_text_not_pickle(tmp_path: Path) -> None:
    cache = ProductCache.on_disk(tmp_path / "c")
    product = make_product()
    cache.put_product(product, product.fetched_at)
    cache.close()
    rows = sqlite3.connect(tmp_path / "c" / "cache.db").execute("SELECT value, mode FROM Cache").fetchall()
    assert rows and all(isinstance(value, str) and value.startswith("{") for value, _ in rows)


def test_corrupt_entry_is_a_logged_miss_and_replaced(caplog: pytest.LogCaptureFixture) -> None:
    backend = MemoryBackend()
    cache = ProductCache(backend)
    backend.raw_set("p:de:B0TEST0001", "{not json")
    with caplog.at_level(logging.WARNING):
        assert cache.get_products([KEY]) == {}
    assert "corrupt" in caplog.text
    product = make_product()
    cache.put_product(product, product.fetched_at)
    assert cache.get_products([KEY]) == {KEY: product}


def test_planted_pickle_is_never_loaded(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import diskcache

    directory = tmp_path / "c"
    raw = diskcache.Cache(str(directory))
    raw.set("p:de:B0TEST0001", {"not": "text"})  # stored pickled by diskcache's default disk
    raw.close()
    cache = ProductCache.on_disk(directory)
    with caplog.at_level(logging.WARNING):
        assert cache.get_products([KEY]) == {}
    assert "unreadable" in caplog.text
    cache.close()


def test_nothing_is_stored_past_24_hours() -> None:
    cache = ProductCache.in_memory()
    product = make_product()
    cache.put_product(product, product.fetched_at + timedelta(hours=25))
    assert cache.get_products([KEY]) == {}


def test_negative_cache() -> None:
    cache = ProductCache.in_memory()
    failure = Failure(kind="not_found", message="gone", permanent=True)
    cache.put_failure(KEY, failure, 60)
    assert cache.get_failures([KEY]) == {KEY: failure}
    product = make_product()
    cache.put_product(product, product.fetched_at)
    assert cache.get_failures([KEY]) == {}


def test_stats_prune_clear(tmp_path: Path) -> None:
    cache = ProductCache.on_disk(tmp_path / "c")
    product = make_product()
    cache.put_product(product, product.fetched_at)
    stats = cache.stats()
    assert stats.products == 1 and stats.oldest == product.fetched_at
    assert cache.prune() == 0
    assert cache.clear() == 1
    cache.close()


def test_pickle_module_is_not_what_we_write() -> None:
    # Guard against a refactor that stores model objects directly (diskcache would pickle them).
    cache = ProductCache.in_memory()
    product = make_product()
    cache.put_product(product, product.fetched_at)
    backend = cache.backend
    assert isinstance(backend, MemoryBackend)
    ((value, _),) = backend._data.values()
    with pytest.raises(pickle.UnpicklingError):
        pickle.loads(value.encode())


def test_search_results_round_trip_and_respect_the_24_hour_cap() -> None:
    from asa2render.products.models import SearchQuery, SearchResult

    cache = ProductCache.in_memory()
    query = SearchQuery("de", "Burr  Grinder", 5)
    result = SearchResult(country="de", keywords="Burr Grinder", asins=("B0TEST0001",), search_url=None)
    cache.put_search(query, result, result.fetched_at)
    assert cache.get_search(SearchQuery("de", "burr grinder", 5)) == result  # case and spacing do not matter
    assert cache.get_search(SearchQuery("de", "burr grinder", 3)) is None
    old = result.model_copy(update={"fetched_at": result.fetched_at - timedelta(hours=25)})
    cache.put_search(SearchQuery("us", "x", 5), old, result.fetched_at)
    assert cache.get_search(SearchQuery("us", "x", 5)) is None


def test_out_of_stock_since_is_remembered_until_back_in_stock() -> None:
    from asa2render.products.models import Availability

    cache = ProductCache.in_memory()
    first = make_product(availability=Availability(type="OUT_OF_STOCK"))
    later = first.fetched_at + timedelta(hours=5)
    assert cache.out_of_stock_since(KEY, first.fetched_at) == first.fetched_at
    assert cache.out_of_stock_since(KEY, later) == first.fetched_at
    cache.put_product(make_product(), first.fetched_at)  # in stock again
    assert cache.out_of_stock_since(KEY, later) == later


def _opens(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record each time a DiskBackend opens diskcache (the expensive part of starting a run)."""
    opened: list[Path] = []
    real = DiskBackend._open

    def counting(self: DiskBackend) -> object:
        opened.append(self.directory)
        return real(self)

    monkeypatch.setattr(DiskBackend, "_open", counting)
    return opened


def test_an_existing_healthy_cache_is_opened_on_first_lookup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ProductCache.on_disk(tmp_path / "c")
    product = make_product()
    cache.put_product(product, product.fetched_at)
    cache.close()
    opened = _opens(monkeypatch)
    again = ProductCache.on_disk(tmp_path / "c")
    assert again.get_products([]) == {} and again.get_failures([]) == {}  # a page of local products
    assert opened == []
    assert again.get_products([KEY]) == {KEY: product}
    assert opened == [tmp_path / "c"]
    again.close()


def test_a_new_cache_is_created_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = _opens(monkeypatch)
    ProductCache.on_disk(tmp_path / "c").close()
    assert opened == [tmp_path / "c"]
    assert (tmp_path / "c" / "cache.db").is_file()


@pytest.mark.parametrize("damage", ["bytes", "foreign"])
def test_a_damaged_cache_is_found_and_moved_aside_at_start(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Opening waits for the first lookup, but what diskcache's open would find is still found at start."""
    folder = tmp_path / "c"
    ProductCache.on_disk(folder).close()
    database = folder / "cache.db"
    if damage == "bytes":
        database.write_bytes(b"\x00not a database" * 1000)
    else:  # another program's SQLite file
        database.unlink()
        with sqlite3.connect(database) as other:
            other.execute("CREATE TABLE Settings (key, value)")
            other.execute("CREATE TABLE Cache (x)")
    with caplog.at_level(logging.WARNING, logger="asa2render.products.cache"):
        backend = DiskBackend(folder)
    assert len(backend.moved_aside) == 1 and backend.moved_aside[0].name.startswith("cache.db.corrupt-")
    assert "damaged" in caplog.text
    backend.set("p:de:B0TEST0001", "{}", 60)
    assert backend.get_many(["p:de:B0TEST0001"]) == {"p:de:B0TEST0001": "{}"}
    backend.close()
