"""The sandbox's other offers: extra OffersV2 listings (both APIs) and PA-API's ``Offers.Summaries``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from asa2render.api.sigv4 import SigV4Auth
from asa2render.marketplaces import store_for, store_for_host
from asa2render.sandbox import Sandbox, SandboxOptions
from asa2render.sandbox.catalog import Catalog, OtherOffer, synthetic_product
from asa2render.sandbox.items import offer_summaries

PAAPI_TARGET = "com.amazon.paapi5.v1.ProductAdvertisingAPIv1.GetItems"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions()) as running:  # the demo credentials and keys
        yield running


def creators_items(http: httpx.Client, asin: str, resources: list[str]) -> list[dict[str, Any]]:
    form = {"grant_type": "client_credentials", "scope": "creatorsapi/default"}
    token = http.post(
        "/oauth2/token", data={**form, "client_id": "demo-cognito-eu", "client_secret": "demo-secret"}
    ).json()["access_token"]
    response = http.post(
        "/catalog/v1/getItems",
        json={"partnerTag": "mytag-21", "itemIds": [asin], "resources": resources},
        headers={"Authorization": f"Bearer {token}, Version 2.2", "x-marketplace": "www.amazon.de"},
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["itemsResult"]["items"]
    return items


def paapi_items(http: httpx.Client, asin: str, resources: list[str], domain: str) -> list[dict[str, Any]]:
    store = store_for_host(domain)
    assert store is not None and store.paapi_host is not None
    payload = {
        "ItemIds": [asin],
        "PartnerTag": "mytag-21",
        "PartnerType": "Associates",
        "Marketplace": domain,
        "Resources": resources,
    }
    request = http.build_request(
        "POST",
        "/paapi5/getitems",
        content=json.dumps(payload),
        headers={
            "content-type": "application/json; charset=utf-8",
            "content-encoding": "amz-1.0",
            "x-amz-target": PAAPI_TARGET,
            "host": store.paapi_host,
        },
    )
    response = http.send(
        next(SigV4Auth("DEMOACCESSKEY", "demo-paapi-secret", store.paapi_region).auth_flow(request))
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["ItemsResult"]["Items"]
    return items


def test_creators_lists_other_offers_with_their_condition(http: httpx.Client) -> None:
    (item,) = creators_items(
        http,
        "B0DEMO0004",
        ["offersV2.listings.price", "offersV2.listings.condition", "offersV2.listings.isBuyBoxWinner"],
    )
    listings = item["offersV2"]["listings"]
    assert listings[0]["isBuyBoxWinner"] is True and listings[0]["condition"]["value"] == "New"
    assert listings[0]["price"]["money"] == {
        "amount": 104.99,
        "currency": "EUR",
        "displayAmount": "104,99\xa0€",
    }
    others = [(entry["condition"]["value"], entry["price"]["money"]["amount"]) for entry in listings[1:]]
    # four new offers (three listed, the cheapest first), two used ones
    assert others == [("New", 99.49), ("New", 100.49), ("New", 101.49), ("Used", 78.5), ("Used", 79.5)]
    assert all(entry["isBuyBoxWinner"] is False for entry in listings[1:])


def test_creators_leaves_conditions_out_unless_asked(http: httpx.Client) -> None:
    (item,) = creators_items(http, "B0DEMO0004", ["offersV2.listings.price"])
    assert all("condition" not in entry for entry in item["offersV2"]["listings"])


def test_paapi_summarises_offers_per_condition(http: httpx.Client) -> None:
    resources = [
        "Offers.Summaries.LowestPrice",
        "Offers.Summaries.HighestPrice",
        "Offers.Summaries.OfferCount",
    ]
    (item,) = paapi_items(http, "B0DEMO0004", resources, "www.amazon.de")
    new, used = item["Offers"]["Summaries"]
    assert new["Condition"] == {"Value": "New"} and new["OfferCount"] == 5
    assert new["LowestPrice"] == {"Amount": 99.49, "Currency": "EUR", "DisplayAmount": "99,49\xa0€"}
    assert new["HighestPrice"]["Amount"] == 104.99
    assert used["Condition"] == {"Value": "Used"} and used["OfferCount"] == 2
    assert (used["LowestPrice"]["Amount"], used["HighestPrice"]["Amount"]) == (78.5, 79.5)
    assert "Listings" not in item["Offers"] and "OffersV2" not in item


def test_paapi_summaries_of_an_out_of_stock_product_with_used_offers(http: httpx.Client) -> None:
    (item,) = paapi_items(http, "B0DEMO0004", ["Offers.Summaries.LowestPrice"], "www.amazon.co.uk")
    (used,) = item["Offers"]["Summaries"]
    assert used == {
        "Condition": {"Value": "Used"},
        "LowestPrice": {"Amount": 54.99, "Currency": "GBP", "DisplayAmount": "£54.99"},
    }


def test_paapi_keeps_the_yen_whole(http: httpx.Client) -> None:
    resources = ["Offers.Summaries.LowestPrice", "OffersV2.Listings.Price", "OffersV2.Listings.Condition"]
    (item,) = paapi_items(http, "B0DEMO0003", resources, "www.amazon.co.jp")
    lowest = {s["Condition"]["Value"]: s["LowestPrice"]["Amount"] for s in item["Offers"]["Summaries"]}
    assert lowest == {"New": 4780, "Collectible": 6500}
    assert [entry["Condition"]["Value"] for entry in item["OffersV2"]["Listings"]] == [
        "New",
        "New",
        "New",
        "Collectible",
    ]


def test_summaries_count_the_buy_box_as_a_new_offer() -> None:
    de = store_for("de")
    product = (
        Catalog.load()
        .get("B0DEMO0001", de)
        .model_copy(update={"other_offers": (OtherOffer(condition="New", price=90, count=2),)})
    )
    (new,) = offer_summaries(product, de)
    assert (
        new["offerCount"] == 3
        and new["lowestPrice"]["amount"] == 84.99
        and new["highestPrice"]["amount"] == 91
    )


def test_some_synthetic_products_have_used_offers() -> None:
    us = store_for("us")
    products = [synthetic_product(f"B0SYN{n:05d}", us) for n in range(60)]
    with_used = [p for p in products if p.other_offers]
    assert 5 < len(with_used) < 40
    for product in with_used:
        (offer,) = product.other_offers
        assert offer.condition == "Used" and product.price is not None and offer.price < product.price
