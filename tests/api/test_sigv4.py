"""SigV4 against the vector of protocol.md §4.3, and the verifier the sandbox uses."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from asa2render.api import sigv4

BODY = (
    b'{"ItemIds": ["B0TEST0001"], "PartnerTag": "x-21", "PartnerType": "Associates", '
    b'"Marketplace": "www.amazon.de", "Resources": ["ItemInfo.Title"]}'
)
HEADERS = {
    "content-encoding": "amz-1.0",
    "content-type": "application/json; charset=utf-8",
    "host": "webservices.amazon.de",
    "x-amz-date": "20250101T000000Z",
    "x-amz-target": "com.amazon.paapi5.v1.ProductAdvertisingAPIv1.GetItems",
}
SIGNED = sorted(HEADERS)


def test_body_hash_matches_vector() -> None:
    assert sigv4.sha256_hex(BODY) == "8d61fb658f229f769e3ce290cc66bb69355983ab2a80d9a2e9fefe537f66123c"


def test_canonical_request_hash_matches_vector() -> None:
    canonical = sigv4.canonical_request("POST", "/paapi5/getitems", "", HEADERS, SIGNED, BODY)
    assert sigv4.sha256_hex(canonical.encode()) == (
        "71ace34e6da7df13cc8cddc103f72f05ced4c751f2168d10a6b47b6d19db2338"
    )


def test_signature_matches_vector() -> None:
    canonical = sigv4.canonical_request("POST", "/paapi5/getitems", "", HEADERS, SIGNED, BODY)
    sig = sigv4.signature("SECRETEXAMPLE", "20250101T000000Z", "eu-west-1", canonical)
    assert sig == "3e38296e1a7c7393fc0396f7d6fb2bf082b59f60a1aab7c3d0dc3c0fd43823b1"


class _FixedClock(datetime):
    @classmethod
    def now(cls, tz: object = None) -> _FixedClock:  # type: ignore[override]
        return cls(2025, 1, 1, tzinfo=UTC)


def _signed_request() -> httpx.Request:
    auth = sigv4.SigV4Auth("AKIDEXAMPLE", "SECRETEXAMPLE", "eu-west-1", clock=_FixedClock)
    request = httpx.Request(
        "POST",
        "https://webservices.amazon.de/paapi5/getitems",
        content=BODY,
        headers={k: v for k, v in HEADERS.items() if k not in {"host", "x-amz-date"}},
    )
    flow = auth.sync_auth_flow(request)
    return next(flow)


def test_auth_signs_like_the_vector() -> None:
    request = _signed_request()
    assert request.headers["authorization"].endswith(
        "Signature=3e38296e1a7c7393fc0396f7d6fb2bf082b59f60a1aab7c3d0dc3c0fd43823b1"
    )
    assert (
        "SignedHeaders=content-encoding;content-type;host;x-amz-date;x-amz-target"
        in (request.headers["authorization"])
    )


def test_verify_accepts_signed_and_rejects_tampered() -> None:
    request = _signed_request()
    headers = {k.lower(): v for k, v in request.headers.items()}
    common = {"method": "POST", "path": "/paapi5/getitems", "query": "", "headers": headers}
    assert sigv4.verify(**common, body=BODY, secrets={"AKIDEXAMPLE": "SECRETEXAMPLE"}) == (True, "")
    assert sigv4.verify(**common, body=BODY + b" ", secrets={"AKIDEXAMPLE": "SECRETEXAMPLE"}) == (
        False,
        "InvalidSignature",
    )
    assert sigv4.verify(**common, body=BODY, secrets={"OTHER": "x"}) == (False, "UnrecognizedClient")


def test_repr_hides_secret() -> None:
    assert "SECRETEXAMPLE" not in repr(sigv4.SigV4Auth("AKIDEXAMPLE", "SECRETEXAMPLE", "eu-west-1"))
