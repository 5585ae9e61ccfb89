"""``marketplaces test``'s probe: one token and one item per store, each outcome classified with advice."""

from __future__ import annotations

import logging

import httpx
import pytest

from asa2render.cli.probe import TEST_ASIN, check_marketplace
from asa2render.config.model import config_from_dict

SECRET = "Sup3r-Secret-Value"
PAAPI_SECRET = "paapi-Secret-Value"

CREATORS_DE = {
    "api": {"max_retries": 0},
    "marketplaces": [
        {
            "country": "de",
            "credential_type": "cognito",
            "credential_id": "abcdefgh1234wxyz",
            "credential_secret": SECRET,
            "partner_tag": "mytag-21",
        }
    ],
    "paapi": {"access_key": "AKIAEXAMPLE", "secret_key": PAAPI_SECRET},
}
ITEM = {
    "asin": TEST_ASIN,
    "detailPageURL": f"https://www.amazon.de/dp/{TEST_ASIN}?tag=mytag-21",
    "itemInfo": {"title": {"displayValue": "Echo Dot"}},
}


def creators_amazon(token: httpx.Response, items: httpx.Response | Exception) -> httpx.MockTransport:
    """A fake Amazon: a Cognito token endpoint and getItems answering as told; PA-API must not be called."""

    def handler(request: httpx.Request) -> httpx.Response:
        assert "paapi5" not in request.url.path, "a Creators test must not fall back to PA-API"
        if request.url.path.endswith("/oauth2/token"):
            return token
        if isinstance(items, Exception):
            raise items
        return items

    return httpx.MockTransport(handler)


TOKEN_OK = httpx.Response(200, json={"access_token": "tok", "expires_in": 3600, "token_type": "Bearer"})


@pytest.mark.parametrize(
    ("token", "items", "status", "detail"),
    [
        (TOKEN_OK, httpx.Response(200, json={"itemsResult": {"items": [ITEM]}}), "ok", "token OK, fetched"),
        (
            TOKEN_OK,
            httpx.Response(
                404,
                json={
                    "type": "ResourceNotFoundException",
                    "message": "No items found.",
                    "resourceType": "Item",
                },
            ),
            "ok",
            "not sold in this store",
        ),
        (httpx.Response(400, json={"error": "invalid_client"}), None, "invalid client", "invalid client"),
        (
            TOKEN_OK,
            httpx.Response(
                403,
                json={
                    "type": "AccessDeniedException",
                    "reason": "AssociateNotEligible",
                    "message": "Not eligible",
                },
            ),
            "ineligible",
            "10 qualified sales in the trailing 30 days",
        ),
        (
            TOKEN_OK,
            httpx.Response(429, json={"type": "ThrottleException", "message": "Slow down"}),
            "throttled",
            "throttled",
        ),
        (TOKEN_OK, httpx.ConnectError("refused"), "network", "unreachable"),
    ],
)
def test_check_marketplace_outcomes(
    token: httpx.Response, items: httpx.Response | Exception | None, status: str, detail: str,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    config = config_from_dict(CREATORS_DE, environ={})
    transport = creators_amazon(token, items if items is not None else httpx.Response(500))
    check = check_marketplace(config, "de", transport=transport)
    assert (check.country, check.api, check.status) == ("de", "Creators API 2.2", status)
    assert detail in check.detail
    assert check.failed is (status != "ok")
    assert SECRET not in check.detail
    assert all(SECRET not in record.getMessage() for record in caplog.records)


def test_check_marketplace_without_route_is_skipped() -> None:
    config = config_from_dict({"marketplaces": [{"country": "fr", "partner_tag": "mytag-21"}]}, environ={})
    check = check_marketplace(
        config, "fr", transport=httpx.MockTransport(lambda request: httpx.Response(500))
    )
    assert check.status == "skipped"
    assert not check.failed
