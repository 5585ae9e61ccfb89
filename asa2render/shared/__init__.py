"""What several builders share: one product cache, one token per credential, one rate limit, one fetch.

Without ``cache_url`` the shared store is the cache folder (diskcache for products, a small SQLite
file for claims and rate limits, the per-user token file under a file lock), so processes on one
machine that share a ``cache_dir`` share everything. With ``[site] cache_url = "redis://…"`` (or
``$ASA2RENDER_CACHE_URL``) all of it lives in Redis, for builders on several machines.

:func:`open_backing` is the one place that chooses; the engine asks it for a cache, a fetcher
wrapper and a token store, and knows nothing of Redis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from ..config.model import Config
from ..products.cache import ProductCache
from .coordination import Coordinator
from .location import CACHE_URL_ENV, CacheUrl, cache_url_setting, parse_cache_url
from .marking import Mark, MarkingCache

if TYPE_CHECKING:
    from ..api.tokens import TokenStore
    from .redis import RedisShared


class Backing(msgspec.Struct):
    """The shared store of one run: the product cache, the coordinator, and the token store.

    ``tokens`` None means the per-user token file (the default of the API layer); ``mark`` is when
    the cache was last looked at, which the shared fetcher needs (:class:`.fetching.MarkingCache`).
    """

    cache: ProductCache
    coordinator: Coordinator | None
    tokens: TokenStore | None
    where: str
    mark: Mark = msgspec.field(default_factory=Mark)
    _redis: RedisShared | None = None

    def __repr__(self) -> str:  # as the dataclass it was: everything but the Redis connection
        shown = (f"{name}={getattr(self, name)!r}" for name in self.__struct_fields__[:-1])
        return f"Backing({', '.join(shown)})"

    @property
    def in_redis(self) -> bool:
        return self._redis is not None

    def close(self) -> None:
        self.cache.close()
        if self.coordinator is not None:
            self.coordinator.close()
        if self._redis is not None:
            self._redis.close()


def open_backing(config: Config, location: CacheUrl | None) -> Backing:
    """The cache folder's store, or Redis at ``location``.

    Raises:
        CacheError: the cache folder cannot be used, or Redis cannot be reached
            (``cannot reach redis://host:port/db: connection refused``).
    """
    if location is not None:
        from .redis import RedisBackend, RedisCoordinator, RedisShared, RedisTokenStore

        shared = RedisShared(location)
        coordinator: Coordinator = RedisCoordinator(shared)
        mark = Mark()
        cache = MarkingCache(RedisBackend(shared), coordinator, mark)
        return Backing(cache, coordinator, RedisTokenStore(shared), location.display, mark, shared)
    from .local import LocalCoordinator

    directory = config.resolve_path(config.site.cache_dir)
    assert directory is not None  # cache_dir always has a value
    backend = ProductCache.on_disk(directory).backend
    coordinator = LocalCoordinator(directory)
    mark = Mark()
    return Backing(MarkingCache(backend, coordinator, mark), coordinator, None, str(directory), mark)


__all__ = [
    "CACHE_URL_ENV",
    "Backing",
    "CacheUrl",
    "Coordinator",
    "cache_url_setting",
    "open_backing",
    "parse_cache_url",
]
