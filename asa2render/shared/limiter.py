"""A rate limit shared by every process that shares a store: one credential, one budget.

Each request reserves its slot in the shared store (:meth:`Coordinator.reserve`, a GCRA step that is
atomic there) and sleeps until it. If the store fails, the process falls back to its own token
bucket: it can then exceed the shared rate, which the API's 429 handling absorbs, but never stops.
"""

from __future__ import annotations

import hashlib

from ..api.ratelimit import Clock, TokenBucket
from .coordination import Coordinator


class SharedLimiter:
    """:class:`~asa2render.api.ratelimit.RateLimiter` over a coordinator's shared GCRA state."""

    def __init__(self, coordinator: Coordinator, credential: str, rate: float, clock: Clock) -> None:
        self._coordinator = coordinator
        # One schedule per credential, whatever rate each builder was configured with: the budget is
        # the credential's. (The name is already a hash; this keeps key names short and uniform.)
        self._name = hashlib.sha256(credential.encode()).hexdigest()[:24]
        self._interval = 1.0 / (rate * TokenBucket.HEADROOM)
        self._clock = clock
        self._fallback = TokenBucket(rate, clock)

    def __repr__(self) -> str:
        return f"SharedLimiter(interval={self._interval:.3f})"

    def acquire(self) -> None:
        wait = self._coordinator.reserve(self._name, self._interval)
        if wait is None:
            self._fallback.acquire()
        else:
            self._clock.sleep(wait)


__all__ = ["SharedLimiter"]
