"""Creators camelCase and PA-API PascalCase items normalised into one Product (protocol.md §5)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from asa2render.api.casing import camel_keys
from asa2render.api.normalize import product_from_item

FALLBACK = "https://www.amazon.de/dp/B0TEST0001?tag=mytag-21"

CREATORS_ITEM = """
{"asin": "B0TEST0001", "parentASIN": "B0PARENT01",
 "detailPageURL": "https://www.amazon.de/dp/B0TEST0001?tag=mybox-21&linkCode=ogi&th=1&psc=1",
 "itemInfo": {"title": {"displayValue": "Beispiel <b>500 ml</b>"},
              "byLineInfo": {"manufacturer": {"displayValue": "Hersteller"}},
              "features": {"displayValues": ["Punkt eins", "", "Punkt zwei"]}},
 "images": {"primary": {"small": {"url": "http://insecure.example/s.jpg", "width": 75, "height": 75},
                        "large": {"url": "https://m.media-amazon.com/I/x.jpg", "height": 500, "width": 375},
                        "hiRes": {"url": "https://m.media-amazon.com/images/I/x.jpg"}}},
 "customerReviews": {"count": 1234, "starRating": {"value": 4.5}},
 "offersV2": {"listings": [
   {"isBuyBoxWinner": false,
    "price": {"money": {"amount": 99.99, "currency": "EUR", "displayAmount": "99,99 €"}}},
   {"isBuyBoxWinner": true,
    "availability": {"type": "IN_STOCK", "message": "Auf Lager",
                     "minOrderQuantity": 1, "maxOrderQuantity": 10},
    "merchantInfo": {"name": "Amazon.de", "id": "A3JWKAKR8XB7XF"},
    "price": {"money": {"amount": 19.99, "currency": "EUR", "displayAmount": "19,99 €"},
              "savings": {"money": {"amount": 5.0, "currency": "EUR", "displayAmount": "5,00 €"},
                          "percentage": 20},
              "savingBasis": {"money": {"amount": 24.99, "currency": "EUR", "displayAmount": "24,99 €"},
                              "savingBasisType": "LIST_PRICE"}},
    "violatesMAP": true}]}}
"""


def load(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def test_creators_item_normalised() -> None:
    product = product_from_item(load(CREATORS_ITEM), country="de", source="creators", fallback_url=FALLBACK)
    assert product.asin == "B0TEST0001"
    assert product.parent_asin == "B0PARENT01"
    assert product.title == "Beispiel <b>500 ml</b>"  # kept as text; escaping happens at render time
    assert product.url.endswith("linkCode=ogi&th=1&psc=1")
    assert product.brand == "Hersteller"  # manufacturer when no brand
    assert product.features == ("Punkt eins", "Punkt zwei")
    assert product.price is not None
    assert product.price.amount == Decimal("19.99")  # the buy-box listing, exact decimal
    assert product.price.display == "19,99 €"
    assert product.savings is not None
    assert product.savings.percentage == 20
    assert product.list_price is not None
    assert product.list_price.amount == Decimal("24.99")
    assert product.availability.type == "IN_STOCK"
    assert product.availability.max_order_quantity == 10
    assert product.merchant == "Amazon.de"
    assert product.violates_map is True
    assert product.rating == 4.5
    assert product.review_count == 1234
    assert product.images.small is None  # not https
    assert product.images.large is not None
    assert product.images.large.width == 375
    assert product.source == "creators"


def test_unknown_availability_and_untrusted_urls() -> None:
    item = {
        "asin": "b0test0001",
        "detailPageURL": "javascript:alert(1)",
        "offersV2": {"listings": [{"availability": {"type": "Now"}, "price": {"money": {"amount": "1"}}}]},
        "itemInfo": {"title": {"displayValue": 42}},
    }
    product = product_from_item(item, country="de", source="creators", fallback_url=FALLBACK)
    assert product.url == FALLBACK
    assert product.availability.type == "UNKNOWN"
    assert product.price is None  # a string amount is not trusted
    assert product.title == "B0TEST0001"


def test_nulls_and_missing_containers_are_fine() -> None:
    item = {"asin": "B0TEST0001", "itemInfo": None, "images": None, "offersV2": None, "customerReviews": None}
    product = product_from_item(item, country="de", source="creators", fallback_url=FALLBACK)
    assert product.price is None
    assert product.images.best is None
    assert product.features == ()


def test_paapi_pascal_case_maps_to_the_same_product() -> None:
    pascal = {
        "ASIN": "B0TEST0001",
        "ParentASIN": "B0PARENT01",
        "DetailPageURL": "https://www.amazon.co.uk/dp/B0TEST0001?tag=mytag-21",
        "ItemInfo": {
            "Title": {"DisplayValue": "Example"},
            "ByLineInfo": {"Brand": {"DisplayValue": "Brand"}},
            "Features": {"DisplayValues": ["One"]},
        },
        "Images": {
            "Primary": {"Medium": {"URL": "https://m.media-amazon.com/m.jpg", "Width": 160, "Height": 120}}
        },
        "CustomerReviews": {"Count": 7, "StarRating": {"Value": Decimal("4.1")}},
        "OffersV2": {
            "Listings": [
                {
                    "IsBuyBoxWinner": True,
                    "Availability": {"Type": "OUT_OF_STOCK"},
                    "MerchantInfo": {"Name": "Shop"},
                    "Price": {
                        "Money": {"Amount": Decimal("9.50"), "Currency": "GBP", "DisplayAmount": "£9.50"}
                    },
                    "ViolatesMAP": False,
                }
            ]
        },
    }
    camel = camel_keys(pascal)
    assert set(camel) == {
        "asin",
        "parentASIN",
        "detailPageURL",
        "itemInfo",
        "images",
        "customerReviews",
        "offersV2",
    }
    product = product_from_item(camel, country="uk", source="paapi", fallback_url=FALLBACK)
    assert (product.title, product.brand, product.features) == ("Example", "Brand", ("One",))
    assert product.price is not None
    assert product.price.amount == Decimal("9.50")
    assert product.images.medium is not None
    assert product.images.medium.url == "https://m.media-amazon.com/m.jpg"
    assert product.availability.type == "OUT_OF_STOCK"
    assert (product.rating, product.review_count, product.merchant) == (4.1, 7, "Shop")
    assert product.parent_asin == "B0PARENT01"
    assert product.source == "paapi"
