"""Creators API calls against the loopback sandbox: headers, validation, partial results, versions."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from asa2render.sandbox import Sandbox, SandboxOptions

RESOURCES = [
    "itemInfo.title",
    "itemInfo.features",
    "itemInfo.byLineInfo",
    "images.primary.large",
    "offersV2.listings.price",
    "offersV2.listings.availability",
    "customerReviews.starRating",
    "customerReviews.count",
]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions(ineligible=("FR",))) as running:
        yield running


def token(http: httpx.Client, credential_id: str) -> str:
    if "cognito" in credential_id:
        form = {"grant_type": "client_credentials", "scope": "creatorsapi/default"}
        response = http.post(
            "/oauth2/token", data={**form, "client_id": credential_id, "client_secret": "demo-secret"}
        )
    else:
        body = {"grant_type": "client_credentials", "scope": "creatorsapi::default"}
        response = http.post(
            "/auth/o2/token", json={**body, "client_id": credential_id, "client_secret": "demo-secret"}
        )
    value: str = response.json()["access_token"]
    return value


def get_items(
    http: httpx.Client, authorization: str, marketplace: str | None, body: dict[str, Any], **headers: str
) -> httpx.Response:
    all_headers = {"Authorization": authorization, **headers}
    if marketplace:
        all_headers["x-marketplace"] = marketplace
    return http.post("/catalog/v1/getItems", json=body, headers=all_headers)


def body(*asins: str, tag: str = "mytag-21", resources: list[str] | None = None) -> dict[str, Any]:
    return {"partnerTag": tag, "itemIds": list(asins), "resources": resources or RESOURCES}


@pytest.fixture
def eu_auth(http: httpx.Client) -> str:
    return f"Bearer {token(http, 'demo-cognito-eu')}, Version 2.2"


def test_cognito_token_with_version_gets_demo_items(http: httpx.Client, eu_auth: str) -> None:
    response = get_items(http, eu_auth, "www.amazon.de", body("B0DEMO0001", "B0DEMO0002"))

    assert response.status_code == 200
    assert response.headers["x-amzn-RequestId"]
    items = response.json()["itemsResult"]["items"]
    assert [item["asin"] for item in items] == ["B0DEMO0002", "B0DEMO0001"]  # not request order
    first = items[1]
    assert first["itemInfo"]["title"]["displayValue"].startswith("Moltano")
    assert (
        first["detailPageURL"] == "https://www.amazon.de/dp/B0DEMO0001?tag=mytag-21&linkCode=ogi&th=1&psc=1"
    )
    listing = first["offersV2"]["listings"][0]
    assert listing["price"]["money"] == {"amount": 84.99, "currency": "EUR", "displayAmount": "84,99\u00a0€"}
    assert isinstance(listing["price"]["savings"]["percentage"], int)
    assert isinstance(first["customerReviews"]["starRating"]["value"], float)
    assert isinstance(first["customerReviews"]["count"], int)
    large = first["images"]["primary"]["large"]
    assert large["url"] == str(http.base_url.join("/_sandbox/images/B0DEMO0001._SL500_.svg"))
    served = http.get(large["url"])
    assert served.headers["content-type"] == "image/svg+xml" and served.content.startswith(b"<svg")
    assert "errors" not in response.json()


def test_only_requested_resources_are_present(http: httpx.Client, eu_auth: str) -> None:
    response = get_items(http, eu_auth, "www.amazon.de", body("B0DEMO0001", resources=["itemInfo.title"]))

    (item,) = response.json()["itemsResult"]["items"]
    assert set(item) == {"asin", "detailPageURL", "itemInfo"}
    assert set(item["itemInfo"]) == {"title"}


def test_lwa_token_uses_plain_bearer_and_charset_content_type(http: httpx.Client) -> None:
    auth = f"Bearer {token(http, 'demo-lwa-na')}"

    response = http.post(
        "/catalog/v1/getItems",
        content=b'{"partnerTag": "mytag-20", "itemIds": ["B0DEMO0003"]}',
        headers={
            "Authorization": auth,
            "x-marketplace": "www.amazon.com",
            "Content-Type": "application/json; charset=utf-8",
        },
    )

    assert response.status_code == 200
    (item,) = response.json()["itemsResult"]["items"]
    assert item["itemInfo"] == {"title": {"displayValue": item["itemInfo"]["title"]["displayValue"], "label": "Title",
                                          "locale": "en_US"}}  # fmt: skip


@pytest.mark.parametrize("suffix", ["", ", Version 2.1", ", Version 3.2"])
def test_cognito_token_needs_its_own_version(http: httpx.Client, suffix: str) -> None:
    auth = f"Bearer {token(http, 'demo-cognito-eu')}{suffix}"

    response = get_items(http, auth, "www.amazon.de", body("B0DEMO0001"))

    assert response.status_code == 401
    assert response.json()["type"] == "UnauthorizedException"
    assert response.json()["reason"] == "InvalidIssuer"


def test_lwa_token_with_a_version_part_is_rejected(http: httpx.Client) -> None:
    auth = f"Bearer {token(http, 'demo-lwa-eu')}, Version 3.2"

    response = get_items(http, auth, "www.amazon.de", body("B0DEMO0001"))

    assert (response.status_code, response.json()["reason"]) == (401, "InvalidIssuer")


def test_unknown_token_is_invalid(http: httpx.Client) -> None:
    response = get_items(http, "Bearer nope, Version 2.2", "www.amazon.de", body("B0DEMO0001"))

    assert (response.status_code, response.json()["reason"]) == (401, "InvalidToken")


def test_expired_token() -> None:
    with Sandbox(SandboxOptions(token_ttl=2)) as short, httpx.Client(base_url=short.url) as http:
        auth = f"Bearer {token(http, 'demo-lwa-eu')}"
        assert get_items(http, auth, "www.amazon.de", body("B0DEMO0001")).status_code == 200
        time.sleep(2.05)  # past the 2 s lifetime; 2 s leaves a slow first request room

        response = get_items(http, auth, "www.amazon.de", body("B0DEMO0001"))

    assert (response.status_code, response.json()["reason"]) == (401, "TokenExpired")


def test_missing_x_marketplace(http: httpx.Client, eu_auth: str) -> None:
    response = get_items(http, eu_auth, None, body("B0DEMO0001"))

    assert response.status_code == 400
    assert response.json()["type"] == "ValidationException"
    assert response.json()["fieldList"][0]["name"] == "x-marketplace"


def test_marketplace_outside_the_credential_region(http: httpx.Client, eu_auth: str) -> None:
    response = get_items(http, eu_auth, "www.amazon.com", body("B0DEMO0001", tag="mytag-20"))

    assert response.status_code == 403
    assert response.json() | {"message": ""} == {
        "type": "AccessDeniedException",
        "reason": "AuthorizationFailed",
        "message": "",
    }


def test_body_marketplace_must_match_the_header(http: httpx.Client, eu_auth: str) -> None:
    ok = get_items(http, eu_auth, "www.amazon.de", {**body("B0DEMO0001"), "marketplace": "www.amazon.de"})
    mismatch = get_items(
        http, eu_auth, "www.amazon.de", {**body("B0DEMO0001"), "marketplace": "www.amazon.co.uk"}
    )

    assert ok.status_code == 200
    assert mismatch.status_code == 400


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"partnerTag": "mytag-21", "itemIds": [f"B0DEMO{n:04}" for n in range(11)]}, "itemIds"),
        ({"partnerTag": "mytag-21", "itemIds": []}, "itemIds"),
        ({"itemIds": ["B0DEMO0001"]}, "partnerTag"),
        ({"partnerTag": "no-suffix", "itemIds": ["B0DEMO0001"]}, "partnerTag"),
        (
            {"partnerTag": "mytag-21", "itemIds": ["B0DEMO0001"], "resources": ["offers.listings.price"]},
            "resources",
        ),
    ],
)
def test_validation_errors_name_the_field(
    http: httpx.Client, eu_auth: str, payload: dict[str, Any], field: str
) -> None:
    response = get_items(http, eu_auth, "www.amazon.de", payload)

    assert response.status_code == 400
    assert response.json()["type"] == "ValidationException"
    assert response.json()["fieldList"][0]["name"] == field
    assert response.json()["reason"] in {"FieldValidationFailed", "InvalidPartnerTag"}


def test_partial_errors_next_to_good_items(http: httpx.Client, eu_auth: str, sandbox: Sandbox) -> None:
    response = get_items(
        http, eu_auth, "www.amazon.de", body("B0DEMO0001", "B0BAD00001", "B0NOACC001", "B0SYNTH123")
    )

    assert response.status_code == 200
    payload = response.json()
    assert sorted(item["asin"] for item in payload["itemsResult"]["items"]) == ["B0DEMO0001", "B0SYNTH123"]
    assert payload["errors"] == [
        {
            "code": "InvalidParameterValue",
            "message": "The ItemId B0BAD00001 provided in the request is invalid.",
        },
        {
            "code": "ItemNotAccessible",
            "message": "The ItemId B0NOACC001 is not accessible through the Creators API.",
        },
    ]
    (entry,) = sandbox.stats()["requests"]
    assert entry == {
        "api": "creators",
        "operation": "GetItems",
        "marketplace": "www.amazon.de",
        "version": "2.2",
        "asins": ["B0DEMO0001", "B0BAD00001", "B0NOACC001", "B0SYNTH123"],
        "status": 200,
    }


def test_all_bad_ids_give_404(http: httpx.Client, eu_auth: str) -> None:
    response = get_items(http, eu_auth, "www.amazon.de", body("B0BAD00001", "B0NOACC002"))

    assert response.status_code == 404
    assert response.json()["type"] == "ResourceNotFoundException"
    assert response.json()["resourceType"] == "Item"


def test_synthetic_products_are_deterministic_and_priced_in_the_store_currency(http: httpx.Client) -> None:
    auth = f"Bearer {token(http, 'demo-lwa-fe')}"
    first = get_items(http, auth, "www.amazon.co.jp", body("B0ANYTHING", tag="mytag-22"))
    second = get_items(http, auth, "www.amazon.co.jp", body("B0ANYTHING", tag="mytag-22"))

    (item,) = first.json()["itemsResult"]["items"]
    assert item == second.json()["itemsResult"]["items"][0]
    money = item["offersV2"]["listings"][0].get("price", {}).get("money")
    if money:  # a synthetic product may be out of stock
        assert money["currency"] == "JPY"
        assert isinstance(money["amount"], int)
        assert money["displayAmount"].startswith("￥")


def test_ineligible_store_answers_403_while_others_work(http: httpx.Client, eu_auth: str) -> None:
    blocked = get_items(http, eu_auth, "www.amazon.fr", body("B0DEMO0001"))
    fine = get_items(http, eu_auth, "www.amazon.de", body("B0DEMO0001"))

    assert blocked.status_code == 403
    assert blocked.json()["reason"] == "AssociateNotEligible"
    assert "10 qualified sales in the trailing 30 days" in blocked.json()["message"]
    assert fine.status_code == 200


def test_other_operations_have_their_result_shapes(http: httpx.Client, eu_auth: str) -> None:
    headers = {"Authorization": eu_auth, "x-marketplace": "www.amazon.de"}
    search = http.post(
        "/catalog/v1/searchItems", json={"partnerTag": "mytag-21", "keywords": "Kaffeemühle"}, headers=headers
    )
    variations = http.post(
        "/catalog/v1/getVariations", json={"partnerTag": "mytag-21", "asin": "B0DEMO0005"}, headers=headers
    )
    nodes = http.post(
        "/catalog/v1/getBrowseNodes",
        json={"partnerTag": "mytag-21", "browseNodeIds": ["123", "0"]},
        headers=headers,
    )

    assert [i["asin"] for i in search.json()["searchResult"]["items"]] == ["B0DEMO0001"]
    assert variations.json()["variationsResult"]["variationSummary"]["variationCount"] >= 2
    assert nodes.json()["browseNodesResult"]["browseNodes"][0]["id"] == "123"
    assert nodes.json()["errors"][0]["code"] == "InvalidParameterValue"
