"""What builders sharing one store agree on, whichever store it is (a cache folder or Redis).

Products wanted by any builder go into a shared **pool** per marketplace. A builder *takes* up to ten
of them at a time — claiming each with a timeout, so a builder that dies blocks nobody for longer —
fetches them, stores them in the product cache and *settles* them: a short-lived result marker says
"done" (read the cache) or carries the failure, and when it was settled. A marker answers only
builders that looked at the cache *before* it was settled (their ``since``): a later run, or a later
look, asks again, so a run after a failure retries and ``cache_ttl = 0`` still means "always ask".
Builders whose products are claimed by others wait for those markers, and put products back in the
pool when their claim lapsed with no result. Because any builder takes any pending product of a
store, batches stay full across builders: the requests made by all of them together are the minimum,
one per ten unique products per store.

The same store holds the rate limit of every credential as a GCRA "theoretical arrival time": each
request reserves the next free slot atomically and sleeps until it, so N processes together keep the
configured rate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, Protocol

from ..products.models import Failure, ProductKey

# How a product stands in the shared store: waiting in the pool, claimed by a builder, fetched
# ("done": read it from the cache), failed (the failure), or "lost": none of these, so whoever needs
# it must offer it again (a claim that lapsed, a marker that expired).
Status = Literal["pending", "claimed", "done", "lost"] | Failure

RESULT_TTL = 30.0  # seconds a result marker lives: long enough for every waiting builder to see it


def key_id(key: ProductKey) -> str:
    return f"{key.country}:{key.asin}"


def parse_id(text: str) -> ProductKey:
    country, _, asin = text.partition(":")
    return ProductKey(country, asin)


class Coordinator(Protocol):
    """The operations several builders need to share one Amazon budget; each one is atomic."""

    @property
    def healthy(self) -> bool:
        """False once the shared store failed; callers then work on their own."""
        ...

    @property
    def notices(self) -> list[str]:
        """What degraded, for the run's summary (the store's address without any password)."""
        ...

    def now(self) -> float:
        """The store's clock (seconds): markers and ``since`` compare on it, whichever machine asks."""
        ...

    def offer(self, keys: Sequence[ProductKey], since: float) -> None:
        """Put products in the pool unless they are claimed or were settled at or after ``since``."""
        ...

    def take(self, countries: Sequence[str], limit: int, claim_ttl: float) -> list[ProductKey]:
        """Claim up to ``limit`` pooled products of one of ``countries`` (the fullest pool)."""
        ...

    def settle(self, outcomes: Mapping[ProductKey, Failure | None]) -> None:
        """Release this builder's claims and leave result markers (None = fetched and cached)."""
        ...

    def release(self, keys: Sequence[ProductKey]) -> None:
        """Give up this builder's claims without a result (interrupted): others take them over at once."""
        ...

    def status(self, keys: Sequence[ProductKey], since: float) -> dict[ProductKey, Status]:
        """Where each product stands (markers settled before ``since`` do not count)."""
        ...

    def reserve(self, name: str, interval: float) -> float | None:
        """Reserve the next request slot of a rate limit; seconds to wait, or None if the store failed."""
        ...

    def close(self) -> None: ...


__all__ = ["RESULT_TTL", "Coordinator", "Status", "key_id", "parse_id"]
