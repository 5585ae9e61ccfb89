"""``asa2render refresh``: the cron analogue of ASA2's product update job.

:meth:`ProductStore.refresh <asa2render.products.store.ProductStore.refresh>` re-fetches cached
products oldest first, within the API layer's rate limits; this module decides the order and says
which changes matter to a reader: price, availability, and products that are gone.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import datetime

from .models import Product, ProductKey


@dataclass
class RefreshReport:
    refreshed: int = 0
    failed: int = 0
    changes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return list(self.changes)

    def summary(self) -> str:
        return (
            f"asa2render: refreshed {self.refreshed} product(s), {len(self.changes)} change(s), "
            f"{self.failed} failure(s)"
        )


CHUNK = 100  # products per fetch call: ten full GetItems batches, and a visible step of the progress bar


def refresh_order(
    wanted: list[ProductKey],
    cached: dict[ProductKey, Product],
    local: Container[ProductKey],
    now: datetime,
    *,
    max_age: int = 0,
    limit: int | None = None,
) -> list[ProductKey]:
    """The products worth re-fetching, oldest cached first: never local ones, none younger than ``max_age``.

    Products not in the cache at all come first (they are the oldest there is).
    """
    candidates = [k for k in wanted if k not in local]
    candidates = [
        k for k in candidates if k not in cached or (now - cached[k].fetched_at).total_seconds() >= max_age
    ]
    candidates.sort(key=lambda k: cached[k].fetched_at if k in cached else now.replace(year=1970))
    return candidates if limit is None else candidates[:limit]


def differences(key: ProductKey, old: Product | None, new: Product) -> list[str]:
    """What a reader would notice between the cached product and the fresh one: price, availability."""
    if old is None:
        return [f"{key}: new in cache"]
    changes = []
    old_price = old.price.display if old.price else "no price"
    new_price = new.price.display if new.price else "no price"
    if old_price != new_price:
        changes.append(f"{key}: price {old_price} → {new_price}")
    if old.availability.type != new.availability.type:
        changes.append(f"{key}: availability {old.availability.type} → {new.availability.type}")
    return changes


__all__ = ["CHUNK", "RefreshReport", "differences", "refresh_order"]
