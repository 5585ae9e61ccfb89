"""The sandbox's HTTP edge: reading a request body within limits, and the replies to malformed requests.

Amazon's front ends answer a malformed request at once with a 4xx in the error shape of the API the
path belongs to; they never drop the connection or answer 500. So does the sandbox:

* ``Content-Length`` that is not a decimal number, a bad chunk size, both ``Content-Length`` and
  ``Transfer-Encoding``, or a transfer coding other than ``chunked`` → 400;
* a body larger than ``max_body_bytes`` → 413, checked before it is read (chunked: while reading);
* a body that stops arriving (``Content-Length`` larger than what is sent, a slow client) → 408 once
  the socket's read timeout expires.

The body shape follows the path: the OAuth2 token endpoints answer ``{"error", "error_description"}``,
PA-API 5.0 ``{"__type", "Errors": [{"Code", "Message"}]}`` and everything else the Creators API's
``{"type", "message", "reason"}``.
"""

from __future__ import annotations

import re
from typing import Protocol

from .wire import Reply, json_reply

TOKEN_PATHS = frozenset({"/oauth2/token", "/auth/o2/token"})
_DECIMAL = re.compile(rb"[0-9]{1,18}")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,15})[ \t]*(?:;[^\r\n]*)?\r?\n")
# Longest chunk-size line or trailer line we read; a longer one is malformed, not a reason to buffer.
_MAX_LINE = 4096
_MAX_TRAILERS = 64

# status → (Creators type, Creators reason, PA-API exception name, PA-API code)
_KINDS: dict[int, tuple[str, str, str, str]] = {
    400: ("ValidationException", "CannotParse", "ValidationException", "InvalidParameterValue"),
    405: ("ValidationException", "UnknownOperation", "UnknownOperationException", "UnknownOperation"),
    408: ("RequestTimeoutException", "Other", "RequestTimeoutException", "RequestTimeout"),
    413: ("ValidationException", "Other", "RequestEntityTooLargeException", "RequestEntityTooLarge"),
    500: ("InternalServerException", "Other", "InternalFailure", "InternalFailure"),
}
_DEFAULT_KIND = ("ValidationException", "Other", "ValidationException", "InvalidParameterValue")


class _Stream(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...


class EdgeError(Exception):
    """A request the sandbox cannot read: answer ``status`` with ``message`` and close the connection."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def edge_reply(path: str, status: int, message: str) -> Reply:
    """The reply to a malformed request on ``path``, in the error shape of that path's API."""
    kind, reason, name, code = _KINDS.get(status, _DEFAULT_KIND)
    if path in TOKEN_PATHS:
        error = "server_error" if status >= 500 else "invalid_request"
        return json_reply(status, {"error": error, "error_description": message})
    if path.startswith("/paapi5/"):
        body = {"__type": f"com.amazon.paapi5#{name}", "Errors": [{"Code": code, "Message": message}]}
        return json_reply(status, body)
    return json_reply(status, {"type": kind, "message": message, "reason": reason})


def read_body(headers: dict[str, str], stream: _Stream, max_bytes: int) -> bytes:
    """Read the body announced by ``headers`` (lower-case names) from ``stream``.

    Raises:
        EdgeError: the framing is malformed (400), the body is too large (413) or it stops
            arriving before the stream's timeout (408).
    """
    encoding = headers.get("transfer-encoding")
    length = headers.get("content-length")
    if encoding is not None and length is not None:
        raise EdgeError(400, "A request may not carry both Content-Length and Transfer-Encoding.")
    try:
        if encoding is not None:
            if encoding.strip().lower() != "chunked":
                raise EdgeError(400, f"Unsupported Transfer-Encoding {encoding.strip()[:40]!r}.")
            return _read_chunked(stream, max_bytes)
        if length is None:
            return b""
        return _read_exactly(stream, _content_length(length, max_bytes))
    except TimeoutError:
        raise EdgeError(408, "The request body was not received in time.") from None


def _content_length(value: str, max_bytes: int) -> int:
    raw = value.strip().encode("latin-1", "replace")
    if _DECIMAL.fullmatch(raw) is None:
        raise EdgeError(400, "Content-Length must be a non-negative decimal number.")
    length = int(raw)
    if length > max_bytes:
        raise EdgeError(413, f"The request body is larger than {max_bytes} bytes.")
    return length


def _read_exactly(stream: _Stream, length: int) -> bytes:
    data = stream.read(length) if length else b""
    if len(data) < length:
        raise EdgeError(400, f"The request body ended after {len(data)} of {length} bytes.")
    return data


def _read_chunked(stream: _Stream, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        match = _CHUNK_SIZE.fullmatch(stream.readline(_MAX_LINE))
        if match is None:
            raise EdgeError(400, "Malformed chunk size in a chunked request body.")
        size = int(match.group(1), 16)
        if size == 0:
            _skip_trailers(stream)
            return b"".join(chunks)
        total += size
        if total > max_bytes:
            raise EdgeError(413, f"The request body is larger than {max_bytes} bytes.")
        chunks.append(_read_exactly(stream, size))
        if stream.readline(3) not in (b"\r\n", b"\n"):
            raise EdgeError(400, "A chunk of the request body is not followed by CRLF.")


def _skip_trailers(stream: _Stream) -> None:
    for _ in range(_MAX_TRAILERS):
        line = stream.readline(_MAX_LINE)
        if line in (b"\r\n", b"\n"):
            return
        if not line.endswith(b"\n"):
            raise EdgeError(400, "Malformed trailer in a chunked request body.")
    raise EdgeError(400, "Too many trailers in a chunked request body.")


__all__ = ["TOKEN_PATHS", "EdgeError", "edge_reply", "read_body"]
