"""Error translation, Retry-After parsing and the retry policy."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from asa2render.api.responses import Context, error_from_exception, error_from_response, retry_after
from asa2render.api.retry import RetryPolicy
from asa2render.errors import (
    AuthError,
    ForbiddenError,
    InvalidRequestError,
    NetworkError,
    NotFoundError,
    ServerError,
    ThrottledError,
)

CONTEXT = Context(api="Creators API 2.2", marketplace="de", asins=("B0TEST0001",))
NOW = 1_750_000_000.0


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, InvalidRequestError),
        (401, AuthError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, InvalidRequestError),
        (429, ThrottledError),
        (500, ServerError),
        (503, ServerError),
    ],
)
def test_status_classes(status: int, cls: type[Exception]) -> None:
    error = error_from_response(httpx.Response(status, json={"type": "X"}), CONTEXT, NOW)
    assert type(error) is cls
    assert error.marketplace == "de"
    assert error.asins == ("B0TEST0001",)
    assert error.status == status


def test_creators_error_body_reason_and_message() -> None:
    body = {"type": "AccessDeniedException", "reason": "AssociateNotEligible", "message": "needs 10 sales"}
    error = error_from_response(httpx.Response(403, json=body), CONTEXT, NOW)
    assert error.reason == "AssociateNotEligible"
    assert not error.permanent
    assert (
        str(error)
        == "[Creators API 2.2 de] HTTP 403 AccessDeniedException (AssociateNotEligible): needs 10 sales"
    )


def test_paapi_deprecation_is_permanent() -> None:
    body = {
        "__type": "com.amazon.paapi5#AccessDeniedException",
        "Errors": [
            {"Code": "AccessDenied", "Message": "Product Advertising API is deprecated. Please migrate."}
        ],
    }
    error = error_from_response(httpx.Response(403, json=body), CONTEXT, NOW)
    assert isinstance(error, ForbiddenError)
    assert error.permanent
    assert error.reason == "AccessDenied"


def test_retry_after_seconds_date_and_body() -> None:
    assert retry_after(httpx.Response(429, headers={"Retry-After": "3"}), None, NOW) == 3.0
    when = format_datetime(datetime.fromtimestamp(NOW + 12, UTC), usegmt=True)
    assert retry_after(httpx.Response(429, headers={"Retry-After": when}), None, NOW) == 12.0
    assert retry_after(httpx.Response(429), {"retryAfterSeconds": 5}, NOW) == 5.0
    assert retry_after(httpx.Response(429, headers={"Retry-After": "soon"}), None, NOW) is None


def test_transport_errors_become_network_errors() -> None:
    error = error_from_exception(httpx.ConnectTimeout("no"), CONTEXT)
    assert isinstance(error, NetworkError)
    assert error.retryable
    assert "timed out" in str(error)


def test_retry_policy() -> None:
    policy = RetryPolicy(max_retries=3, max_backoff=5.0)
    server = ServerError("x")
    assert [policy.delay(server, n) for n in range(4)] == [1.0, 2.0, 4.0, None]
    assert RetryPolicy(max_retries=9, max_backoff=5.0).delay(server, 4) == 5.0
    assert policy.delay(ThrottledError("x", retry_after=2.5), 0) == 2.5
    assert policy.delay(ThrottledError("x", retry_after=60), 0) is None  # longer than we will wait
    assert policy.delay(InvalidRequestError("x"), 0) is None
    assert policy.delay(ForbiddenError("x"), 0) is None
