"""One key-spelling table for both directions: PA-API PascalCase ↔ Creators camelCase."""

from __future__ import annotations

import pytest

from asa2render.api.casing import ACRONYM_KEYS, camel_key, camel_keys, camel_path, pascal_key, pascal_keys


@pytest.mark.parametrize(
    ("pascal", "camel"),
    [*ACRONYM_KEYS.items(), ("ItemInfo", "itemInfo"), ("OffersV2", "offersV2"), ("Id", "id")],
)
def test_every_key_round_trips(pascal: str, camel: str) -> None:
    assert camel_key(pascal) == camel
    assert pascal_key(camel) == pascal


def test_trees_and_paths() -> None:
    tree = {"ItemsResult": {"Items": [{"ASIN": "B0", "DetailPageURL": "u", "_raw": 1}]}}
    camel = camel_keys(tree)
    assert camel == {"itemsResult": {"items": [{"asin": "B0", "detailPageURL": "u", "_raw": 1}]}}
    back = pascal_keys({"itemsResult": {"items": [{"asin": "B0", "detailPageURL": "u"}]}})
    assert back == {"ItemsResult": {"Items": [{"ASIN": "B0", "DetailPageURL": "u"}]}}
    assert pascal_keys({"images": {"hiRes": 1, "large": 2}}, drop=frozenset({"hiRes"})) == {
        "Images": {"Large": 2}
    }
    assert camel_path("OffersV2.Listings.Price") == "offersV2.listings.price"
    assert camel_path("ParentASIN") == "parentASIN"
