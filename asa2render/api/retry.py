"""When and how long to wait before sending a failed request again.

The policy follows protocol.md §3.5: retry 429 and 5xx (and transport failures) with exponential
backoff of 1 s·2^n capped at ``[api] max_backoff``, at most ``[api] max_retries`` times, honouring the
server's ``Retry-After`` / ``retryAfterSeconds``. Anything else in the 4xx class is final.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.model import ApiConfig
from ..errors import ApiError


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry retryable errors."""

    max_retries: int = 3
    max_backoff: float = 30.0
    base: float = 1.0

    @classmethod
    def from_config(cls, api: ApiConfig) -> RetryPolicy:
        return cls(max_retries=api.max_retries, max_backoff=api.max_backoff)

    def delay(self, error: ApiError, attempt: int) -> float | None:
        """Seconds to wait before retry number ``attempt + 1``, or None to give up now.

        A server that asks for a longer pause than ``max_backoff`` is not argued with: the request
        fails now rather than holding the whole build up.
        """
        if error.permanent or not error.retryable or attempt >= self.max_retries:
            return None
        if error.retry_after is not None:
            return error.retry_after if error.retry_after <= self.max_backoff else None
        return min(self.base * 2.0**attempt, self.max_backoff)


__all__ = ["RetryPolicy"]
