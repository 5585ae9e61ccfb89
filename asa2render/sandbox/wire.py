"""What the sandbox's handlers see and return: one parsed request in, one reply out.

Handlers are plain functions from :class:`Incoming` to :class:`Reply`, so the HTTP plumbing in
``server.py`` stays thin and the protocol logic can be read without it.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Incoming:
    """One HTTP request as received: lower-case header names, raw body bytes."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    scheme: str = "http"

    @property
    def host(self) -> str:
        return self.headers.get("host", "")

    @property
    def base_url(self) -> str:
        """The sandbox's own address as the client reached it (for the URLs of its images)."""
        return f"{self.scheme}://{self.host}" if self.host else ""


@dataclass(slots=True)
class Reply:
    """One HTTP response; ``stall_seconds`` delays it and ``truncate`` cuts its body (injected faults)."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    stall_seconds: float = 0.0


class Rejected(Exception):  # noqa: N818 - a control-flow signal carrying the reply, not an error report
    """Raised inside a request handler to answer at once with ``reply``."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply


def json_reply(status: int, payload: JsonObject, headers: dict[str, str] | None = None) -> Reply:
    """A JSON reply with a fresh ``x-amzn-RequestId``, numbers kept as JSON numbers."""
    try:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    except UnicodeEncodeError:
        # A lone surrogate echoed from a request (``"\\ud800"``) has no UTF-8 form: escape it instead.
        body = json.dumps(payload, separators=(",", ":")).encode()
    all_headers = {"Content-Type": "application/json", "x-amzn-RequestId": str(uuid.uuid4())}
    all_headers.update(headers or {})
    return Reply(status, body, all_headers)


# Amazon's request bodies nest four levels deep at most; deeper ones are refused before parsing, so
# a hostile body cannot drive the decoder into a RecursionError.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*+"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the arrays and objects in ``text`` nest deeper than ``limit`` (strings ignored)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > limit:
            return True
    return False


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def parse_json_object(body: bytes) -> JsonObject | None:
    """The body as a JSON object, or None when it is not one (or nests deeper than Amazon's bodies)."""
    try:
        text = body.decode("utf-8")
        if json_depth_exceeds(text):
            return None
        # NaN/Infinity are not JSON; a number of more than 4300 digits raises ValueError.
        value = json.loads(text, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


__all__ = [
    "MAX_JSON_DEPTH",
    "Incoming",
    "JsonObject",
    "Rejected",
    "Reply",
    "json_depth_exceeds",
    "json_reply",
    "parse_json_object",
]
