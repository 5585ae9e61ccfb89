"""Politeness: an injectable clock and a token bucket per credential.

Amazon counts a 10-ASIN GetItems as one transaction and starts at 1 request per second, so every
credential gets its own bucket (rate from ``[api] requests_per_second``, burst 1). Tests inject a
:class:`Clock` whose ``sleep`` only advances a counter, so no test ever really waits.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    """Time as the API layer sees it."""

    def time(self) -> float:
        """Wall-clock seconds since the epoch (token expiry, HTTP dates)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (rate limiting)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait; the only place the API layer ever blocks on time."""
        ...


class SystemClock:
    """The real clock."""

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class RateLimiter(Protocol):
    """What a client needs of a rate limit: wait for the next request's turn."""

    def acquire(self) -> None:
        """Block until one request may be sent."""
        ...


class TokenBucket:
    """Lets at most ``rate`` requests a second through, with a burst of ``burst``; thread-safe.

    Callers that find the bucket empty sleep while holding the lock, which keeps the requests of one
    credential in order.
    """

    # Amazon (and the sandbox) count *arrivals* in a sliding one-second window. Sends spaced exactly
    # 1/rate apart arrive with network jitter, so one late and one early arrival put rate + 1 requests
    # in a window and earn a 429 (seen in the cold-fetch benchmark). A few percent of headroom makes
    # the configured rate a ceiling that holds at the server.
    HEADROOM = 0.97

    def __init__(self, rate: float, clock: Clock, burst: int = 1) -> None:
        self._rate = rate * self.HEADROOM
        self._burst = float(burst)
        self._clock = clock
        self._tokens = float(burst)
        self._last = clock.monotonic()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Take one token, sleeping until one is available."""
        with self._lock:
            self._refill()
            if self._tokens < 1.0:
                self._clock.sleep((1.0 - self._tokens) / self._rate)
                self._refill()
            self._tokens = max(self._tokens - 1.0, 0.0)

    def _refill(self) -> None:
        now = self._clock.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
        self._last = now


__all__ = ["Clock", "RateLimiter", "SystemClock", "TokenBucket"]
