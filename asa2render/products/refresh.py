"""``asa2render refresh``: the cron analogue of ASA2's product update job.

Cached products are re-fetched oldest first, within the API layer's rate limits, and the changes that
matter to a reader are reported: price, availability, and products that are gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..engine import Engine
from .models import Failure, Product, ProductKey, utc_now
from .store import ProductFetcher


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


def refresh_products(
    engine: Engine,
    keys: Iterable[ProductKey],
    *,
    max_age: int = 0,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RefreshReport:
    """Re-fetch the given products (oldest cached first) and store the new data.

    ``progress(done, total)`` is called after each chunk of :data:`CHUNK` products.
    """
    now = utc_now()
    wanted = list(dict.fromkeys(keys))
    cached = engine.cache.get_products(wanted)
    local = engine.store.local.get_many(wanted)
    candidates = [k for k in wanted if k not in local]
    candidates = [
        k for k in candidates if k not in cached or (now - cached[k].fetched_at).total_seconds() >= max_age
    ]
    candidates.sort(key=lambda k: cached[k].fetched_at if k in cached else now.replace(year=1970))
    if limit is not None:
        candidates = candidates[:limit]
    report = RefreshReport()
    fetcher = engine.store._get_fetcher()
    if fetcher is None or not candidates:
        return report
    for start in range(0, len(candidates), CHUNK):
        chunk = candidates[start : start + CHUNK]
        _refresh_chunk(engine, fetcher, chunk, cached, report)
        if progress is not None:
            progress(start + len(chunk), len(candidates))
    return report


def _refresh_chunk(
    engine: Engine,
    fetcher: ProductFetcher,
    chunk: list[ProductKey],
    cached: dict[ProductKey, Product],
    report: RefreshReport,
) -> None:
    result = fetcher.fetch(chunk)
    engine.report.api_requests += result.requests
    engine.report.token_requests += result.tokens
    for key in chunk:
        outcome = result.results.get(key)
        if isinstance(outcome, Product):
            report.refreshed += 1
            engine.cache.put_product(outcome, utc_now())
            report.changes.extend(_differences(key, cached.get(key), outcome))
        else:
            report.failed += 1
            if isinstance(outcome, Failure) and outcome.permanent:
                engine.cache.delete(key)
                report.changes.append(f"{key}: gone ({outcome.message})")
    report.changes.extend(n for n in result.notices if n not in report.changes)


def _differences(key: ProductKey, old: Product | None, new: Product) -> list[str]:
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


__all__ = ["RefreshReport", "refresh_products"]
