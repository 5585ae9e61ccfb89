"""AWS Signature Version 4 for PA-API 5.0, written once and shared by the client and the sandbox.

botocore's signer is built around its own request objects and would pull a large dependency into a
renderer; the algorithm is short, so it lives here, verified against the vector in protocol.md §4.3.
The client signs with :class:`SigV4Auth` (an ``httpx.Auth``); the sandbox checks incoming requests with
:func:`verify`, using the request's own ``SignedHeaders`` list over the raw body bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "ProductAdvertisingAPI"
# The minimum our client signs (protocol.md §4.2); the sandbox accepts any list that covers these.
REQUIRED_SIGNED_HEADERS = ("content-encoding", "content-type", "host", "x-amz-date", "x-amz-target")
_AUTH_HEADER = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request,\s*SignedHeaders=(?P<signed>[a-z0-9;-]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_request(
    method: str, path: str, query: str, headers: Mapping[str, str], signed: Sequence[str], body: bytes
) -> str:
    """The canonical request: method, path, query, sorted signed headers, their list, body hash."""
    lines = "".join(f"{name}:{' '.join(headers[name].split())}\n" for name in signed)
    return "\n".join([method, path or "/", query, lines, ";".join(signed), sha256_hex(body)])


def signing_key(secret: str, date: str, region: str, service: str = SERVICE) -> bytes:
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def signature(secret: str, amz_date: str, region: str, canonical: str, service: str = SERVICE) -> str:
    """Hex signature of a canonical request."""
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    to_sign = "\n".join([ALGORITHM, amz_date, scope, sha256_hex(canonical.encode())])
    key = signing_key(secret, amz_date[:8], region, service)
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def authorization_header(access_key: str, amz_date: str, region: str, signed: Sequence[str], sig: str) -> str:
    scope = f"{amz_date[:8]}/{region}/{SERVICE}/aws4_request"
    return f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={';'.join(signed)}, Signature={sig}"


class SigV4Auth(httpx.Auth):
    """Signs each request for PA-API 5.0 (service ``ProductAdvertisingAPI``)."""

    requires_request_body = True

    def __init__(self, access_key: str, secret_key: str, region: str, clock: type[datetime] = datetime):
        self._access_key = access_key
        self._secret_key = secret_key
        self._region = region
        self._clock = clock

    def __repr__(self) -> str:
        return f"SigV4Auth(access_key={self._access_key!r}, region={self._region!r}, secret_key=***)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        amz_date = self._clock.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        request.headers["x-amz-date"] = amz_date
        headers = {name.lower(): value for name, value in request.headers.items()}
        signed = sorted(name for name in REQUIRED_SIGNED_HEADERS if name in headers)
        canonical = canonical_request(
            request.method,
            request.url.raw_path.decode().split("?")[0],
            request.url.query.decode(),
            headers,
            signed,
            request.content,
        )
        sig = signature(self._secret_key, amz_date, self._region, canonical)
        request.headers["Authorization"] = authorization_header(
            self._access_key, amz_date, self._region, signed, sig
        )
        yield request


@dataclass(frozen=True, slots=True)
class ParsedAuthorization:
    access_key: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str) -> ParsedAuthorization | None:
    """Split an ``AWS4-HMAC-SHA256 Credential=…`` header; None when it is malformed."""
    match = _AUTH_HEADER.match(value.strip())
    if match is None:
        return None
    return ParsedAuthorization(
        match["key"],
        match["date"],
        match["region"],
        match["service"],
        tuple(match["signed"].split(";")),
        match["signature"],
    )


def verify(
    *,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    secrets: Mapping[str, str],
) -> tuple[bool, str]:
    """Check a signed request as Amazon would; returns (ok, reason when not ok).

    ``headers`` must have lower-case names; ``secrets`` maps access keys to secret keys.
    """
    parsed = parse_authorization(headers.get("authorization", ""))
    if parsed is None:
        return False, "IncompleteSignature"
    if parsed.access_key not in secrets:
        return False, "UnrecognizedClient"
    missing = [name for name in REQUIRED_SIGNED_HEADERS if name not in parsed.signed_headers]
    if missing or any(name not in headers for name in parsed.signed_headers):
        return False, "IncompleteSignature"
    amz_date = headers.get("x-amz-date", "")
    if parsed.service != SERVICE or not amz_date.startswith(parsed.date):
        return False, "InvalidSignature"
    canonical = canonical_request(method, path, query, headers, parsed.signed_headers, body)
    expected = signature(secrets[parsed.access_key], amz_date, parsed.region, canonical)
    if not hmac.compare_digest(expected, parsed.signature):
        return False, "InvalidSignature"
    return True, ""


__all__ = [
    "ALGORITHM",
    "REQUIRED_SIGNED_HEADERS",
    "SERVICE",
    "ParsedAuthorization",
    "SigV4Auth",
    "authorization_header",
    "canonical_request",
    "parse_authorization",
    "sha256_hex",
    "signature",
    "signing_key",
    "verify",
]
