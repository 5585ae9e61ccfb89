"""The sandbox catalog: bundled demo data, custom catalog files, synthetic products, resource selection."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

import asa2render.sandbox as sandbox_package
from asa2render.errors import ConfigError
from asa2render.marketplaces import store_for
from asa2render.sandbox import Sandbox, SandboxOptions
from asa2render.sandbox.catalog import Catalog, display_amount, synthetic_product
from asa2render.sandbox.items import full_item, select, to_pascal


def test_public_names() -> None:
    assert sandbox_package.__all__ == sorted(sandbox_package.__all__)
    assert set(sandbox_package.__all__) == {
        "DEMO_CREDENTIALS",
        "DEMO_PAAPI_KEYS",
        "Sandbox",
        "SandboxOptions",
        "start_local_sandbox",
    }


@pytest.mark.parametrize("country", ["de", "us", "uk", "fr", "jp"])
def test_demo_catalog_covers_the_example_stores(country: str) -> None:
    catalog = Catalog.load()

    products = catalog.in_store(store_for(country))

    last = 6 if country == "de" else 5  # de also has a parent product (B0DEMO0006, for GetVariations)
    assert [p.asin for p in products] == [f"B0DEMO000{n}" for n in range(1, last + 1)]
    # The sandbox's own placeholder pictures, never Amazon's image host.
    assert all(p.image == f"/_sandbox/images/{p.asin}.svg" for p in products)
    assert all(p.title and p.brand and p.features and p.rating for p in products)


@pytest.mark.parametrize(
    ("country", "amount", "expected"),
    [
        ("de", 1234.5, "1.234,50\u00a0€"),
        ("us", 1234.5, "$1,234.50"),
        ("uk", 9.99, "£9.99"),
        ("jp", 12800, "￥12,800"),
    ],
)
def test_display_amounts_follow_the_store(country: str, amount: float, expected: str) -> None:
    assert display_amount(amount, store_for(country)) == expected


def test_synthetic_products_depend_on_asin_and_store_only() -> None:
    de, us = store_for("de"), store_for("us")

    assert synthetic_product("B0SYNTH001", de) == synthetic_product("B0SYNTH001", de)
    assert synthetic_product("B0SYNTH001", de) != synthetic_product("B0SYNTH002", de)
    assert synthetic_product("B0SYNTH001", us).title  # every store gets one


def test_select_keeps_only_requested_resources_and_renames_high_res() -> None:
    item = full_item(Catalog.load().get("B0DEMO0001", store_for("de")), store_for("de"), "t-21")

    chosen = select(
        item, ["images.primary.highRes", "offersV2.listings.availability", "browseNodeInfo.browseNodes"]
    )

    assert set(chosen) == {"asin", "detailPageURL", "images", "offersV2", "browseNodeInfo"}
    assert set(chosen["images"]["primary"]) == {"hiRes"}
    assert set(chosen["offersV2"]["listings"][0]) == {"availability"}
    assert "salesRank" not in chosen["browseNodeInfo"]["browseNodes"][0]
    assert "HiRes" not in json.dumps(to_pascal(chosen))


def test_custom_catalog_file(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    product = {
        "asin": "B0MINE0001",
        "country": "it",
        "title": "Moka 6 tazze",
        "price": 29.9,
        "list_price": 39.9,
    }
    path.write_text(json.dumps({"products": [product]}), encoding="utf-8")
    form = {"grant_type": "client_credentials", "scope": "creatorsapi::default", "client_id": "demo-lwa-eu"}

    with Sandbox(SandboxOptions(catalog=path)) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        token = http.post("/auth/o2/token", json={**form, "client_secret": "demo-secret"}).json()[
            "access_token"
        ]
        response = http.post(
            "/catalog/v1/getItems",
            json={
                "partnerTag": "t-21",
                "itemIds": ["B0MINE0001"],
                "resources": ["itemInfo.title", "offersV2.listings.price"],
            },
            headers={"Authorization": f"Bearer {token}", "x-marketplace": "www.amazon.it"},
        )

    (item,) = response.json()["itemsResult"]["items"]
    assert item["itemInfo"]["title"]["displayValue"] == "Moka 6 tazze"
    price = item["offersV2"]["listings"][0]["price"]
    assert price["money"]["displayAmount"] == "29,90\u00a0€"
    assert price["savings"]["percentage"] == 25


def test_invalid_catalog_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"products": [{"asin": "short", "country": "de", "title": "x"}]}', encoding="utf-8")

    with pytest.raises(ConfigError, match=r"bad\.json"):
        Sandbox(SandboxOptions(catalog=path))
