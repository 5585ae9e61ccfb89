"""When a builder looked at the shared cache: what the shared fetcher's result markers are compared with.

Apart from :mod:`.fetching` because every run's cache is a :class:`MarkingCache` (``open_backing``),
while only a run that fetches needs the shared fetcher: a one-file render does not import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import msgspec

from ..products.cache import Backend, ProductCache
from ..products.models import Product, ProductKey, utc_now
from .coordination import Coordinator


class Mark(msgspec.Struct):
    """When this builder last looked at the cache, on the shared store's clock (see :class:`MarkingCache`)."""

    since: float | None = None
    # The same moment on this builder's own clock, which products' fetch times are written in.
    looked_at: datetime | None = None


class MarkingCache(ProductCache):
    """A product cache that notes when products were looked up, before any fetch follows.

    A builder asks the API for what the cache did not have *when it looked*; results other builders
    settle after that moment answer it, results settled before do not (see :mod:`.coordination`).
    """

    def __init__(self, backend: Backend, coordinator: Coordinator, mark: Mark) -> None:
        super().__init__(backend)
        self._coordinator = coordinator
        self._mark = mark

    def get_products(self, keys: Iterable[ProductKey]) -> dict[ProductKey, Product]:
        self._mark.since = self._coordinator.now()
        self._mark.looked_at = utc_now()
        return super().get_products(keys)


__all__ = ["Mark", "MarkingCache"]
