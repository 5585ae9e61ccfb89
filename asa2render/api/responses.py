"""Reading Amazon's answers: JSON with exact decimals, and HTTP failures mapped onto the error tree.

This is the one boundary where httpx exceptions and non-2xx responses of either API become
:class:`~asa2render.errors.ApiError` subclasses. Messages quote Amazon's own error type, reason and
message (shortened) and never anything we sent, so credentials and tokens cannot leak through them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from ..errors import (
    ApiError,
    AuthError,
    ForbiddenError,
    InvalidRequestError,
    NetworkError,
    NotFoundError,
    ServerError,
    ThrottledError,
)

_ASIN_IN_TEXT = re.compile(r"\b[A-Z0-9]{10}\b")
_MAX_QUOTED = 200  # Amazon's messages are quoted, but never at unbounded length
# Per-item error codes: the ASIN is bad for good, so the engine may negative-cache it.
PERMANENT_ITEM_CODES = frozenset({"InvalidParameterValue", "ItemNotAccessible", "ItemNotFound"})
_ITEM_ERROR_CLASSES: dict[str, type[ApiError]] = {
    "InvalidParameterValue": InvalidRequestError,
    "ItemNotAccessible": NotFoundError,
    "ItemNotFound": NotFoundError,
}


@dataclass(frozen=True, slots=True)
class Context:
    """Where a request went: carried into every error raised for it."""

    api: str
    marketplace: str
    asins: tuple[str, ...] = ()


def decode_json(response: httpx.Response, context: Context) -> Any:
    """The response body as JSON with floats as :class:`~decimal.Decimal`; ServerError when malformed."""
    try:
        return json.loads(response.content, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise ServerError(
            f"malformed JSON in a {response.status_code} response",
            marketplace=context.marketplace,
            asins=context.asins,
            api=context.api,
            status=response.status_code,
        ) from None


def error_from_response(response: httpx.Response, context: Context, now: float) -> ApiError:
    """The error a non-2xx response stands for, with its retry hint (``now`` is epoch seconds)."""
    body = _safe_json(response)
    type_name, reason, message = _describe_body(body)
    status = response.status_code
    cls = _class_for(status)
    permanent = status == 403 and is_deprecation(reason, message)
    text = f"HTTP {status}" + (f" {type_name}" if type_name else "") + (f" ({reason})" if reason else "")
    if message:
        text += f": {message}"
    return cls(
        text,
        marketplace=context.marketplace,
        asins=context.asins,
        api=context.api,
        reason=reason or type_name,
        status=status,
        retry_after=retry_after(response, body, now),
        permanent=permanent,
    )


def error_from_exception(exc: httpx.HTTPError, context: Context) -> ApiError:
    """Translate a transport-level httpx failure (timeout, refused connection, TLS…)."""
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    return NetworkError(
        f"request {kind}: {type(exc).__name__}",
        marketplace=context.marketplace,
        asins=context.asins,
        api=context.api,
    )


def item_error(code: str, message: str, context: Context, asin: str) -> ApiError:
    """The error for one ASIN named in a partial ``errors[]`` entry."""
    cls = _ITEM_ERROR_CLASSES.get(code, ServerError)
    return cls(
        f"{code}: {_shorten(message)}",
        marketplace=context.marketplace,
        asins=(asin,),
        api=context.api,
        reason=code,
        permanent=code in PERMANENT_ITEM_CODES,
    )


def asins_in_message(message: str, candidates: Sequence[str]) -> list[str]:
    """The requested ASINs an error message names (Amazon puts them only in the text)."""
    wanted = set(candidates)
    return [found for found in _ASIN_IN_TEXT.findall(message) if found in wanted]


def is_deprecation(reason: str | None, message: str | None) -> bool:
    """PA-API's retirement answer: an ``AccessDenied`` whose message says the API is deprecated."""
    return "deprecated" in (message or "").lower() and (reason or "").startswith("AccessDenied")


def with_context(error: ApiError, context: Context) -> ApiError:
    """The same error, filled in with the marketplace, API and ASINs it was raised for."""
    if error.marketplace and error.asins:
        return error
    return type(error)(
        error.bare_message,
        marketplace=error.marketplace or context.marketplace,
        asins=error.asins or context.asins,
        api=error.api or context.api,
        reason=error.reason,
        status=error.status,
        retry_after=error.retry_after,
        permanent=error.permanent,
    )


def retry_after(response: httpx.Response, body: Any, now: float) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or an HTTP date) or the body's ``retryAfterSeconds``."""
    header = response.headers.get("retry-after", "").strip()
    if header:
        seconds = _header_seconds(header, now)
        if seconds is not None:
            return seconds
    if isinstance(body, Mapping):
        value = body.get("retryAfterSeconds")
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value >= 0:
            return float(value)
    return None


def _header_seconds(header: str, now: float) -> float | None:
    try:
        return max(float(header), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return None
    return max(when.timestamp() - now, 0.0)


def _class_for(status: int) -> type[ApiError]:
    fixed: dict[int, type[ApiError]] = {
        401: AuthError,
        403: ForbiddenError,
        404: NotFoundError,
        429: ThrottledError,
    }
    if status in fixed:
        return fixed[status]
    return ServerError if status >= 500 or status < 400 else InvalidRequestError


def _safe_json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        return None


def _describe_body(body: Any) -> tuple[str | None, str | None, str | None]:
    """(type, reason, message) of a Creators ``{type, reason, message}`` or PA-API ``{__type, Errors}``."""
    if not isinstance(body, Mapping):
        return None, None, None
    type_name = _text(body.get("type")) or _text(body.get("__type"))
    if type_name:
        type_name = type_name.rpartition("#")[2]
    reason = _text(body.get("reason")) or _text(body.get("error"))
    message = _text(body.get("message")) or _text(body.get("Message")) or _text(body.get("error_description"))
    errors = body.get("Errors") or body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
        first = errors[0]
        reason = reason or _text(first.get("Code")) or _text(first.get("code"))
        message = message or _text(first.get("Message")) or _text(first.get("message"))
    return type_name, reason, _shorten(message) if message else None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _shorten(message: str) -> str:
    return message if len(message) <= _MAX_QUOTED else message[: _MAX_QUOTED - 1] + "…"


__all__ = [
    "PERMANENT_ITEM_CODES",
    "Context",
    "asins_in_message",
    "decode_json",
    "error_from_exception",
    "error_from_response",
    "is_deprecation",
    "item_error",
    "retry_after",
    "with_context",
]
