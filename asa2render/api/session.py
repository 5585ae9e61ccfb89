"""One request, sent politely: rate-limited per credential, retried with backoff, errors translated.

Both API clients send through :meth:`ApiSession.post`, so the retry policy, the timeouts (set on the
shared ``httpx.Client``) and the translation of httpx errors live in exactly one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from ..errors import ApiError
from .ratelimit import Clock, RateLimiter
from .responses import Context, decode_json, error_from_exception, error_from_response, with_context
from .retry import RetryPolicy

T = TypeVar("T")
Parse = Callable[[httpx.Response, Any], T]


class ApiSession:
    """Sends API requests over a shared ``httpx.Client`` with rate limiting and retries."""

    def __init__(
        self, client: httpx.Client, clock: Clock, policy: RetryPolicy, logger: logging.Logger
    ) -> None:
        self.client = client
        self.clock = clock
        self.policy = policy
        self.logger = logger

    def post(
        self,
        build: Callable[[], httpx.Request],
        *,
        auth: httpx.Auth,
        bucket: RateLimiter,
        context: Context,
        parse: Parse[T],
        passthrough: frozenset[int] = frozenset(),
    ) -> T:
        """Send ``build()`` until it succeeds or may not be retried; ``parse`` turns the body into a result.

        Args:
            build: makes a fresh request for each attempt (signatures carry the time).
            auth: signs or authorises the request.
            bucket: the rate limit of the credential used.
            context: API, marketplace and ASINs, put into every error.
            parse: reads a decoded body; may raise :class:`ApiError` (retried like any other).
            passthrough: non-2xx statuses whose body ``parse`` handles itself (e.g. 404 "all items bad").

        Raises:
            ApiError: the final error after the retries the policy allows.
        """
        attempt = 0
        while True:
            bucket.acquire()
            try:
                return self._attempt(build(), auth, context, parse, passthrough)
            except ApiError as error:
                delay = self.policy.delay(error, attempt)
                if delay is None:
                    raise
                self.logger.info("%s; retry %d in %.1f s", error, attempt + 1, delay)
                self.clock.sleep(delay)
                attempt += 1

    def _attempt(
        self,
        request: httpx.Request,
        auth: httpx.Auth,
        context: Context,
        parse: Parse[T],
        passthrough: frozenset[int],
    ) -> T:
        # Requests built outside the client carry no timeout of their own: give them the client's.
        request.extensions["timeout"] = self.client.timeout.as_dict()
        try:
            response = self.client.send(request, auth=auth)
        except httpx.HTTPError as exc:
            raise error_from_exception(exc, context) from None
        except ApiError as error:  # raised by the token flow inside the auth
            raise with_context(error, context) from None
        if response.is_success or response.status_code in passthrough:
            return parse(response, decode_json(response, context))
        raise error_from_response(response, context, self.clock.time())


__all__ = ["ApiSession"]
