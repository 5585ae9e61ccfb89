"""PA-API 5.0 against the sandbox: SigV4 checked with the request's own SignedHeaders, PascalCase bodies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from asa2render.api.sigv4 import SigV4Auth
from asa2render.sandbox import Sandbox, SandboxOptions

TARGET = "com.amazon.paapi5.v1.ProductAdvertisingAPIv1."
DEPRECATION = (
    "Product Advertising API is deprecated. Please migrate to Creators API using the migration guide at "
    "https://affiliate-program.amazon.com/creatorsapi/docs/en-us/migrating-to-creatorsapi-from-paapi."
)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions(paapi_keys=(("AKIDSANDBOX", "sandbox-secret"),))) as running:
        yield running


def call(
    http: httpx.Client,
    payload: dict[str, Any],
    *,
    operation: str = "GetItems",
    secret: str = "sandbox-secret",
    region: str = "eu-west-1",
    target: str | None = None,
    host: str | None = None,
) -> httpx.Response:
    headers = {
        "content-type": "application/json; charset=utf-8",
        "content-encoding": "amz-1.0",
        "x-amz-target": target or TARGET + operation,
    }
    if host:
        headers["host"] = host
    request = http.build_request(
        "POST", f"/paapi5/{operation.lower()}", content=json.dumps(payload), headers=headers
    )
    signed = next(SigV4Auth("AKIDSANDBOX", secret, region).auth_flow(request))
    return http.send(signed)


def items_body(*asins: str, **extra: Any) -> dict[str, Any]:
    return {
        "ItemIds": list(asins),
        "PartnerTag": "mytag-21",
        "PartnerType": "Associates",
        "Marketplace": "www.amazon.de",
        "Resources": [
            "ItemInfo.Title",
            "Images.Primary.Large",
            "OffersV2.Listings.Price",
            "Offers.Listings.DeliveryInfo.IsPrimeEligible",
        ],
        **extra,
    }


def test_signed_get_items_returns_pascal_case(http: httpx.Client, sandbox: Sandbox) -> None:
    response = call(http, items_body("B0DEMO0001", "B0DEMO0003"))

    assert response.status_code == 200, response.text
    items = response.json()["ItemsResult"]["Items"]
    assert [item["ASIN"] for item in items] == ["B0DEMO0003", "B0DEMO0001"]
    first = items[1]
    assert first["DetailPageURL"].startswith("https://www.amazon.de/dp/B0DEMO0001?tag=mytag-21")
    assert first["ItemInfo"]["Title"]["DisplayValue"].startswith("Moltano")
    assert (
        first["Images"]["Primary"]["Large"]["URL"] == f"{sandbox.url}/_sandbox/images/B0DEMO0001._SL500_.svg"
    )
    assert first["OffersV2"]["Listings"][0]["Price"]["Money"]["Amount"] == 84.99
    assert first["Offers"]["Listings"][0]["DeliveryInfo"] == {"IsPrimeEligible": True}
    assert sandbox.stats()["requests"] == [
        {
            "api": "paapi",
            "operation": "GetItems",
            "marketplace": "www.amazon.de",
            "version": None,
            "asins": ["B0DEMO0001", "B0DEMO0003"],
            "status": 200,
        }
    ]


def test_store_from_a_paapi_host_header(http: httpx.Client) -> None:
    body = items_body("B0DEMO0001")
    del body["Marketplace"]

    response = call(http, {**body, "PartnerTag": "mytag-21"}, host="webservices.amazon.fr")

    assert response.status_code == 200, response.text
    assert response.json()["ItemsResult"]["Items"][0]["DetailPageURL"].startswith("https://www.amazon.fr/")


def test_own_host_needs_marketplace_in_body(http: httpx.Client) -> None:
    body = items_body("B0DEMO0001")
    del body["Marketplace"]

    response = call(http, body)

    assert response.status_code == 400
    assert response.json()["Errors"][0]["Code"] == "MissingParameter"


def test_wrong_secret_is_an_invalid_signature(http: httpx.Client) -> None:
    response = call(http, items_body("B0DEMO0001"), secret="not-the-secret")

    assert response.status_code == 401
    assert response.json()["__type"] == "com.amazon.paapi5#InvalidSignatureException"
    assert response.json()["Errors"][0]["Code"] == "InvalidSignature"


def test_body_changed_after_signing_is_rejected(http: httpx.Client) -> None:
    request = http.build_request(
        "POST",
        "/paapi5/getitems",
        content=json.dumps(items_body("B0DEMO0001")),
        headers={
            "content-type": "application/json",
            "content-encoding": "amz-1.0",
            "x-amz-target": TARGET + "GetItems",
        },
    )
    signed = next(SigV4Auth("AKIDSANDBOX", "sandbox-secret", "eu-west-1").auth_flow(request))
    tampered = http.build_request(
        "POST", "/paapi5/getitems", content=json.dumps(items_body("B0DEMO0002")), headers=signed.headers
    )

    assert http.send(tampered).status_code == 401


def test_unknown_access_key_and_wrong_region(http: httpx.Client) -> None:
    region = call(http, items_body("B0DEMO0001"), region="us-east-1")
    request = http.build_request("POST", "/paapi5/getitems", content=b"{}", headers={"content-encoding": "amz-1.0",
                                 "content-type": "application/json", "x-amz-target": TARGET + "GetItems"})  # fmt: skip
    unknown = http.send(next(SigV4Auth("AKIDUNKNOWN", "x", "eu-west-1").auth_flow(request)))

    assert region.status_code == 401
    assert unknown.status_code == 401
    assert unknown.json()["Errors"][0]["Code"] == "UnrecognizedClient"


def test_target_must_match_the_path(http: httpx.Client) -> None:
    response = call(http, items_body("B0DEMO0001"), target=TARGET + "SearchItems")

    assert response.status_code == 400
    assert response.json()["__type"] == "com.amazon.paapi5#UnknownOperationException"


def test_partial_errors_carry_type(http: httpx.Client) -> None:
    response = call(http, items_body("B0DEMO0001", "B0BAD00009", "B0NOACC009"))

    assert response.status_code == 200
    assert response.json()["Errors"] == [
        {"__type": "com.amazon.paapi5#ErrorData", "Code": "InvalidParameterValue",
         "Message": "The ItemId B0BAD00009 provided in the request is invalid."},
        {"__type": "com.amazon.paapi5#ErrorData", "Code": "ItemNotAccessible",
         "Message": "The ItemId B0NOACC009 is not accessible through the Product Advertising API."},
    ]  # fmt: skip


def test_all_bad_ids_are_a_client_error_with_item_errors(http: httpx.Client) -> None:
    response = call(http, items_body("B0BAD00009"))

    assert response.status_code == 400
    assert response.json()["Errors"][0]["Code"] == "InvalidParameterValue"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"ItemIds": [f"B0DEMO{n:04}" for n in range(11)]}, "InvalidParameterValue"),
        ({"PartnerTag": "nosuffix"}, "InvalidPartnerTag"),
        ({"PartnerType": "Other"}, "InvalidParameterValue"),
        ({"Resources": ["Images.Primary.HighRes"]}, "InvalidParameterValue"),
    ],
)
def test_request_validation(http: httpx.Client, change: dict[str, Any], code: str) -> None:
    response = call(http, {**items_body("B0DEMO0001"), **change})

    assert response.status_code == 400
    assert response.json()["Errors"][0]["Code"] == code


def test_search_items_in_pascal_case(http: httpx.Client) -> None:
    body = {"Keywords": "Rucksack", "PartnerTag": "mytag-21", "PartnerType": "Associates",
            "Marketplace": "www.amazon.de", "Resources": ["ItemInfo.Title"]}  # fmt: skip

    response = call(http, body, operation="SearchItems")

    assert response.status_code == 200, response.text
    assert response.json()["SearchResult"]["Items"][0]["ASIN"] == "B0DEMO0005"
    assert "SearchURL" in response.json()["SearchResult"]


def test_deprecated_mode_answers_access_denied() -> None:
    options = SandboxOptions(paapi_deprecated=True)
    with Sandbox(options) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        request = http.build_request("POST", "/paapi5/getitems", content=json.dumps(items_body("B0DEMO0001")),
                                     headers={"content-encoding": "amz-1.0", "content-type": "application/json",
                                              "x-amz-target": TARGET + "GetItems"})  # fmt: skip
        response = http.send(
            next(SigV4Auth("DEMOACCESSKEY", "demo-paapi-secret", "eu-west-1").auth_flow(request))
        )
        stats = sandbox.stats()

    assert response.status_code == 403
    body = response.json()
    assert body["__type"] == "com.amazon.paapi5#AccessDeniedException"
    assert body["Errors"] == [{"Code": "AccessDenied", "Message": DEPRECATION}]
    assert stats["requests"][0]["status"] == 403
