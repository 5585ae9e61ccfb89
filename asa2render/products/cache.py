"""The product cache: JSON values keyed by marketplace + ASIN, on disk (diskcache) or in memory.

Values are JSON text, never pickle: a cache shared between build machines must not be able to run
code when it is read. An entry that cannot be read is a miss — logged, dropped and later replaced —
never a crash. Nothing older than Amazon's 24 h cap is ever kept: entries expire after
``MAX_CACHE_AGE`` whatever the configured lifetime, which only decides what counts as *fresh*.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import msgspec

from ..config.model import MAX_CACHE_AGE
from ..errors import CacheError, RecordError
from ..sqlite_probe import probe
from .models import Failure, Product, ProductKey, SearchQuery, SearchResult

log = logging.getLogger("asa2render.products.cache")
FORMAT_VERSION = 1
_T = TypeVar("_T")


def _product_id(key: ProductKey) -> str:
    return f"p:{key.country}:{key.asin}"


def _negative_id(key: ProductKey) -> str:
    return f"n:{key.country}:{key.asin}"


def _search_id(query: SearchQuery) -> str:
    # Keywords are free text: a digest keeps the id short and free of separators.
    import hashlib  # (here: loading OpenSSL costs a start-up whose page has no search)

    words = " ".join(query.keywords.casefold().split())
    return f"s:{query.country}:{query.limit}:{hashlib.sha256(words.encode()).hexdigest()[:32]}"


def _out_of_stock_id(key: ProductKey) -> str:
    return f"o:{key.country}:{key.asin}"


# How long "out of stock since" is remembered: a product restocked and sold out again starts over.
OUT_OF_STOCK_MEMORY = 30 * 24 * 3600


class Backend(Protocol):
    """The few operations the cache needs of a key-value store."""

    def get_many(self, ids: list[str]) -> dict[str, str]: ...
    def set(self, id_: str, value: str, expire: float) -> None: ...
    def delete(self, id_: str) -> None: ...
    def clear(self) -> int: ...
    def ids(self) -> Iterator[str]: ...
    def expire(self) -> int: ...
    def close(self) -> None: ...
    def size(self) -> int: ...


class MemoryBackend:
    """An in-memory store with the same semantics, for tests and embedders that want no files."""

    def __init__(self, clock: Any = None) -> None:
        import time

        self._clock = clock or time.time
        self._data: dict[str, tuple[str, float]] = {}

    def get_many(self, ids: list[str]) -> dict[str, str]:
        now = self._clock()
        return {i: v for i in ids if (entry := self._data.get(i)) and (v := entry[0]) and entry[1] > now}

    def set(self, id_: str, value: str, expire: float) -> None:
        self._data[id_] = (value, self._clock() + expire)

    def delete(self, id_: str) -> None:
        self._data.pop(id_, None)

    def clear(self) -> int:
        count = len(self._data)
        self._data.clear()
        return count

    def ids(self) -> Iterator[str]:
        return iter(list(self._data))

    def expire(self) -> int:
        now = self._clock()
        dead = [i for i, (_, at) in self._data.items() if at <= now]
        for i in dead:
            del self._data[i]
        return len(dead)

    def close(self) -> None:
        """Nothing to release."""

    def size(self) -> int:
        return 0

    def raw_set(self, id_: str, value: str) -> None:
        """Write an arbitrary value (tests use it to plant corrupt entries)."""
        self._data[id_] = (value, self._clock() + MAX_CACHE_AGE)


def _text_only_disk() -> Any:
    """A diskcache ``Disk`` that keeps every value inside SQLite and never follows a stored path.

    diskcache writes large values to files named by the row's ``filename`` column, and deletes that
    file (and its empty parent folders) when the row goes. A cache restored from an untrusted place
    can name any path there, so this disk never writes value files, refuses to read one, and deletes
    one only when it lies inside the cache folder. Pickles are refused too: reading a cache must not
    run code. A refused value reads as a corrupt entry (a miss, dropped and replaced).
    """
    import diskcache

    class TextOnlyDisk(diskcache.Disk):  # type: ignore[misc]
        def store(self, value: Any, read: bool, key: Any = diskcache.core.UNKNOWN) -> Any:
            if type(value) is str:  # every value we write: JSON text, always a column value
                return 0, diskcache.core.MODE_RAW, None, value
            return super().store(value, read, key)

        def fetch(self, mode: int, filename: str, value: Any, read: bool) -> Any:
            if mode != diskcache.core.MODE_RAW:
                raise ValueError("cache values stored as pickles or files are refused")
            return super().fetch(mode, filename, value, read)

        def remove(self, file_path: str) -> None:
            _remove_inside(Path(self._directory), file_path)

    return TextOnlyDisk


def _remove_inside(root: Path, file_path: str) -> None:
    """Delete a value file named by a cache row, only when it really lies inside ``root``.

    A row's ``filename`` is data, not trust: absolute paths, ``..`` and symbolic links that lead
    out of the cache folder are logged and left alone. Empty sub-folders are removed up to, never
    including, the cache folder itself (diskcache's own ``os.removedirs`` climbs past it).
    """
    base = root.resolve()
    relative = Path(file_path)
    target = (base / relative).resolve()
    if relative.is_absolute() or ".." in relative.parts or not target.is_relative_to(base) or target == base:
        log.warning("cache row names a file outside the cache (%s); not deleting it", file_path)
        return
    try:
        if target.is_file():
            target.unlink()
    except OSError:
        return  # another process may have removed it first
    folder = target.parent
    while folder != base and folder.is_relative_to(base):
        try:
            folder.rmdir()
        except OSError:
            return  # not empty, or already gone
        folder = folder.parent


# SQLite's primary result codes meaning "this file is damaged", whatever the extended code says.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_DB_FILES = ("cache.db", "cache.db-wal", "cache.db-shm")
# The columns diskcache's Cache table has (and its open indexes): a database without them is not ours.
_CACHE_COLUMNS = (
    "rowid, key, raw, store_time, expire_time, access_time, access_count, tag, size, mode, filename, value"
)


def is_corruption(exc: BaseException) -> bool:
    """Whether an SQLite error means the cache file is damaged (not locked, not read-only)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    text = str(exc)
    return (
        "malformed" in text
        or "not a database" in text
        or text.startswith(("no such table", "no such column"))
    )


class DiskBackend:
    """diskcache on disk; one SQLite file, safe for several processes.

    A damaged database (random bytes, a truncated file, garbage pages) is disposable: it is moved
    aside inside the cache folder as ``cache.db.corrupt-<UTC time>``, a fresh one is started, one
    warning says so, and the operation that hit it is answered from the fresh cache.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.moved_aside: list[Path] = []
        self._lock = threading.Lock()
        self._generation = 0  # bumped by every recovery
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(f"cannot create the cache folder {directory}: {exc.strerror or exc}") from None
        if not directory.is_dir():
            raise CacheError(f"the cache folder {directory} is not a folder")
        # diskcache (its import, ~20 statements and a write on every open) waits for the first
        # lookup: a run whose products are all local never needs it. What its open would find
        # wrong is still found here, by the same first read (_looks_usable), so a damaged cache is
        # moved aside and an unusable one refused at start as before.
        self._opened: Any = None
        self._opening = threading.Lock()
        if not self._looks_usable():
            self._opened = self._guarded(self._open)

    def _looks_usable(self) -> bool:
        """Whether the existing database passes what diskcache's open checks first; False: open it now.

        diskcache's first statement on a connection is ``SELECT key, value FROM Settings``: random
        bytes, a truncated file and garbage pages fail it; a foreign database fails on the ``Cache``
        columns; a read-only database or folder fails the write lock. A missing database (the first
        run) is created at once, as before. Any doubt opens diskcache here, with its own messages.
        """
        statements = ("SELECT key, value FROM Settings", f"SELECT {_CACHE_COLUMNS} FROM Cache LIMIT 0")
        return probe(self.directory / _DB_FILES[0], statements) is not None

    @property
    def _cache(self) -> Any:
        """The diskcache ``Cache``, opened on first use (see ``__init__``)."""
        if self._opened is None:
            with self._opening:  # fetch threads store batches too: one of them opens it
                if self._opened is None:
                    self._opened = self._guarded(self._open)
        return self._opened

    def _open(self) -> Any:
        import diskcache

        try:
            return diskcache.Cache(
                str(self.directory),
                disk=_text_only_disk(),
                size_limit=2**30,
                eviction_policy="least-recently-stored",
            )
        except OSError as exc:
            raise CacheError(f"cannot open the cache in {self.directory}: {exc.strerror or exc}") from None

    def _guarded(self, operation: Callable[[], _T]) -> _T:
        """Run one cache operation; on a damaged database move it aside and run it once more."""
        generation = self._generation
        try:
            return operation()
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                raise CacheError(f"cannot use the cache in {self.directory}: {exc}") from None
            with self._lock:  # fetch threads store batches too: one of them recovers, once
                if generation == self._generation:
                    self._recover(exc)
        try:
            return operation()
        except sqlite3.DatabaseError as exc:
            raise CacheError(f"cannot use the cache in {self.directory}: {exc}") from None

    def _recover(self, exc: BaseException) -> None:
        old = self._opened
        if old is not None:
            with contextlib.suppress(Exception):
                old.close()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        moved = None
        try:
            for name in _DB_FILES:
                path = self.directory / name
                if path.exists():
                    target = _free_name(self.directory / f"{name}.corrupt-{stamp}")
                    path.replace(target)
                    moved = moved or target
        except OSError as error:
            raise CacheError(
                f"the cache in {self.directory} is damaged ({exc}) and cannot be moved aside: "
                f"{error.strerror or error}; delete the folder"
            ) from None
        self.moved_aside.append(moved or self.directory)
        log.warning(
            "the cache in %s is damaged (%s); moved it aside to %s and started a fresh one",
            self.directory,
            exc,
            moved or "(nothing to move)",
        )
        self._opened = self._open()
        self._generation += 1

    def get_many(self, ids: list[str]) -> dict[str, str]:
        if not ids:  # a page of local products asks for nothing: no need to open the cache
            return {}
        return self._guarded(lambda: self._get_many(ids))

    def _get_many(self, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        # One transaction for the whole batch: one SQLite lock instead of one per key.
        with self._cache.transact(retry=True):
            for id_ in ids:
                value = self._safe_get(id_)
                if value is not None:
                    found[id_] = value
        return found

    def _safe_get(self, id_: str) -> str | None:
        try:
            value = self._cache.get(id_, default=None, retry=True)
        except sqlite3.DatabaseError:
            raise  # the whole database is damaged: handled by _guarded, not per entry
        except Exception as exc:  # diskcache raises pickle/OS errors for damaged entries
            log.warning("cache entry %s is unreadable (%s); treating it as a miss", id_, type(exc).__name__)
            self.delete(id_)
            return None
        if value is not None and not isinstance(value, str):
            log.warning("cache entry %s has an unexpected type; treating it as a miss", id_)
            self.delete(id_)
            return None
        return value

    def set(self, id_: str, value: str, expire: float) -> None:
        self._guarded(lambda: self._cache.set(id_, value, expire=expire, retry=True))

    def delete(self, id_: str) -> None:
        try:
            self._guarded(lambda: self._cache.delete(id_, retry=True))
        except CacheError:  # a damaged entry that cannot even be deleted is left to expiry
            log.debug("could not delete cache entry %s", id_)

    def clear(self) -> int:
        return int(self._guarded(lambda: self._cache.clear(retry=True)))

    def ids(self) -> Iterator[str]:
        return iter(self._guarded(lambda: [str(key) for key in self._cache.iterkeys()]))

    def expire(self) -> int:
        return int(self._guarded(lambda: self._cache.expire(retry=True)))

    def close(self) -> None:
        if self._opened is None:
            return
        with contextlib.suppress(sqlite3.DatabaseError):
            self._opened.close()

    def size(self) -> int:
        return int(self._guarded(lambda: self._cache.volume()))


def _free_name(path: Path) -> Path:
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate


class CacheStats(msgspec.Struct, frozen=True):
    products: int
    negative: int
    bytes_on_disk: int
    oldest: datetime | None
    newest: datetime | None


class ProductCache:
    """Typed access to cached products and short-lived "not found" answers."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    @classmethod
    def on_disk(cls, directory: Path) -> ProductCache:
        return cls(DiskBackend(directory))

    @classmethod
    def in_memory(cls) -> ProductCache:
        return cls(MemoryBackend())

    @property
    def backend(self) -> Backend:
        return self._backend

    def get_products(self, keys: Iterable[ProductKey]) -> dict[ProductKey, Product]:
        """Cached products (any age below the 24 h cap) for the keys that have one."""
        wanted = {_product_id(k): k for k in keys}
        found: dict[ProductKey, Product] = {}
        for id_, text in self._backend.get_many(list(wanted)).items():
            product = self._decode_product(id_, text)
            if product is not None:
                found[wanted[id_]] = product
        return found

    def get_failures(self, keys: Iterable[ProductKey]) -> dict[ProductKey, Failure]:
        """Remembered permanent failures ("this ASIN does not exist") still within their lifetime."""
        wanted = {_negative_id(k): k for k in keys}
        found: dict[ProductKey, Failure] = {}
        for id_, text in self._backend.get_many(list(wanted)).items():
            try:
                found[wanted[id_]] = Failure.model_validate(json.loads(text)["failure"])
            except (ValueError, KeyError, TypeError, RecordError):
                self._drop_corrupt(id_)
        return found

    def put_product(self, product: Product, now: datetime) -> None:
        """Store a product until 24 h after it was fetched."""
        remaining = MAX_CACHE_AGE - (now - product.fetched_at).total_seconds()
        if remaining <= 0:
            return
        key = ProductKey(product.country, product.asin)
        payload = {"v": FORMAT_VERSION, "product": product.model_dump(mode="json")}
        self._backend.set(_product_id(key), json.dumps(payload, separators=(",", ":")), remaining)
        self._backend.delete(_negative_id(key))
        if product.availability.type != "OUT_OF_STOCK":
            self._backend.delete(_out_of_stock_id(key))  # back in stock: a later sell-out starts over

    def put_failure(self, key: ProductKey, failure: Failure, ttl: float) -> None:
        if ttl <= 0:
            return
        payload = {"v": FORMAT_VERSION, "failure": failure.model_dump(mode="json")}
        self._backend.set(_negative_id(key), json.dumps(payload, separators=(",", ":")), ttl)

    def get_search(self, query: SearchQuery) -> SearchResult | None:
        """A cached search result (any age below the 24 h cap)."""
        id_ = _search_id(query)
        text = self._backend.get_many([id_]).get(id_)
        if text is None:
            return None
        try:
            payload = json.loads(text)
            if payload.get("v") != FORMAT_VERSION:
                raise ValueError("unknown format version")
            return SearchResult.model_validate(payload["search"])
        except (ValueError, KeyError, TypeError, AttributeError, RecordError):
            self._drop_corrupt(id_)
            return None

    def put_search(self, query: SearchQuery, result: SearchResult, now: datetime) -> None:
        """Store a search result until 24 h after it was fetched (its products are stored one by one)."""
        remaining = MAX_CACHE_AGE - (now - result.fetched_at).total_seconds()
        if remaining > 0:
            payload = {"v": FORMAT_VERSION, "search": result.model_dump(mode="json")}
            self._backend.set(_search_id(query), json.dumps(payload, separators=(",", ":")), remaining)

    def out_of_stock_since(self, key: ProductKey, seen: datetime) -> datetime:
        """Since when an out-of-stock product has been out of stock, remembered across runs.

        The first call for a product records ``seen`` (when the out-of-stock data was fetched); storing
        the product in stock again (:meth:`put_product`) forgets it.
        """
        id_ = _out_of_stock_id(key)
        text = self._backend.get_many([id_]).get(id_)
        if text is not None:
            try:
                return datetime.fromisoformat(text)
            except ValueError:
                self._drop_corrupt(id_)
        self._backend.set(id_, seen.isoformat(), OUT_OF_STOCK_MEMORY)
        return seen

    def delete(self, key: ProductKey) -> None:
        self._backend.delete(_product_id(key))
        self._backend.delete(_negative_id(key))

    def cached_keys(self) -> list[ProductKey]:
        keys = []
        for id_ in self._backend.ids():
            kind, _, rest = id_.partition(":")
            country, _, asin = rest.partition(":")
            if kind == "p" and asin:
                keys.append(ProductKey(country, asin))
        return keys

    def stats(self) -> CacheStats:
        products = self.get_products(self.cached_keys())
        negative = sum(1 for id_ in self._backend.ids() if id_.startswith("n:"))
        stamps = sorted(p.fetched_at for p in products.values())
        return CacheStats(
            len(products),
            negative,
            self._backend.size(),
            stamps[0] if stamps else None,
            stamps[-1] if stamps else None,
        )

    def prune(self) -> int:
        """Drop expired and unreadable entries; returns how many were removed."""
        removed = self._backend.expire()
        for id_ in list(self._backend.ids()):
            text = self._backend.get_many([id_]).get(id_)
            if text is None:
                continue
            if id_.startswith("p:") and self._decode_product(id_, text) is None:
                removed += 1
        return removed

    def clear(self) -> int:
        return self._backend.clear()

    def close(self) -> None:
        self._backend.close()

    def _decode_product(self, id_: str, text: str) -> Product | None:
        try:
            payload = json.loads(text)
            if payload.get("v") != FORMAT_VERSION:
                raise ValueError("unknown format version")
            return Product.model_validate(payload["product"])
        except (ValueError, KeyError, TypeError, AttributeError, RecordError):
            self._drop_corrupt(id_)
            return None

    def _drop_corrupt(self, id_: str) -> None:
        log.warning("cache entry %s is corrupt; treating it as a miss and replacing it", id_)
        self._backend.delete(id_)


__all__ = ["CacheStats", "DiskBackend", "MemoryBackend", "ProductCache", "is_corruption"]
