"""Offer summaries, sale prices and variation summaries from both APIs' shapes (protocol.md §3.3, §4.5)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from asa2render.api.casing import camel_keys, pascal_keys
from asa2render.api.normalize import product_from_item, variation_summary
from asa2render.products.models import Money

FALLBACK = "https://www.amazon.de/dp/B0TEST0001"


def money(amount: float | int, currency: str = "EUR", display: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"amount": amount, "currency": currency}
    if display is not None:
        node["displayAmount"] = display
    return node


def listing(amount: float, condition: str, *, winner: bool = False, **extra: Any) -> dict[str, Any]:
    return {
        "isBuyBoxWinner": winner,
        "condition": {"value": condition},
        "price": {"money": money(amount, display=f"{amount:.2f} €".replace(".", ","))},
        **extra,
    }


CREATORS = {
    "asin": "B0TEST0001",
    "itemInfo": {"title": {"displayValue": "Tastatur"}},
    "offersV2": {
        "listings": [
            listing(104.99, "New", winner=True),
            listing(100.49, "New"),
            listing(99.49, "New"),
            listing(78.5, "Used"),
            listing(82.0, "Used"),
            {"isBuyBoxWinner": False, "condition": {"value": "Refurbished"}},  # no price: counted only
            {"isBuyBoxWinner": False, "condition": {"value": "Broken"}},  # unknown condition: ignored
        ]
    },
}

PAAPI = {
    "ASIN": "B0TEST0001",
    "ItemInfo": {"Title": {"DisplayValue": "Tastatur"}},
    "OffersV2": {"Listings": [pascal_keys(listing(104.99, "New", winner=True))]},
    "Offers": {
        "Summaries": [
            {
                "Condition": {"Value": "New"},
                "LowestPrice": {"Amount": 99.49, "Currency": "EUR", "DisplayAmount": "99,49 €"},
                "HighestPrice": {"Amount": 104.99, "Currency": "EUR", "DisplayAmount": "104,99 €"},
                "OfferCount": 5,
            },
            {
                "Condition": {"Value": "Used"},
                "LowestPrice": {"Amount": 78.5, "Currency": "EUR", "DisplayAmount": "78,50 €"},
                "HighestPrice": {"Amount": 79.5, "Currency": "EUR", "DisplayAmount": "79,50 €"},
                "OfferCount": 2,
            },
            {"Condition": {"Value": "collectible"}, "OfferCount": 1},
            {"Condition": {"Value": 3}, "OfferCount": 9},
        ]
    },
}


def normalise(item: dict[str, Any], *, country: str = "de", source: str = "creators") -> Any:
    text = json.dumps(item)  # the clients parse amounts as Decimal
    return product_from_item(
        json.loads(text, parse_float=Decimal),
        country=country,
        source=source,
        fallback_url=FALLBACK,  # type: ignore[arg-type]
    )


def test_creators_listings_give_a_summary_per_condition() -> None:
    product = normalise(CREATORS)
    new, used, refurbished = product.offer_summaries
    assert (new.condition, new.offer_count) == ("New", 3)
    assert new.lowest == Money(amount=Decimal("99.49"), currency="EUR", display="99,49 €")
    assert new.highest is not None and new.highest.amount == Decimal("104.99")
    assert (used.condition, used.offer_count, used.lowest and used.lowest.amount) == (
        "Used",
        2,
        Decimal("78.5"),
    )
    assert (refurbished.condition, refurbished.offer_count, refurbished.lowest) == ("Refurbished", 1, None)
    assert product.price is not None and product.price.amount == Decimal("104.99")  # the buy box, as before


def test_paapi_summaries_are_read_after_camel_casing() -> None:
    product = normalise(camel_keys(PAAPI), source="paapi")
    assert [s.condition for s in product.offer_summaries] == ["New", "Used", "Collectible"]
    new = product.offer_summary("New")
    assert new is not None and new.offer_count == 5
    assert new.lowest is not None and new.lowest.display == "99,49 €"
    assert new.highest is not None and new.highest.amount == Decimal("104.99")
    collectible = product.offer_summary("Collectible")
    assert collectible is not None and (collectible.offer_count, collectible.lowest) == (1, None)


def test_paapi_without_summaries_falls_back_to_its_listings() -> None:
    bare = {key: value for key, value in PAAPI.items() if key != "Offers"}
    product = normalise(camel_keys(bare), source="paapi")
    (new,) = product.offer_summaries
    assert (new.condition, new.offer_count) == ("New", 1)


def test_no_listings_no_summaries() -> None:
    product = normalise({"asin": "B0TEST0001"})
    assert product.offer_summaries == () and product.price is None and product.sale_price is None


def test_sale_price_is_the_price_of_a_reduced_offer() -> None:
    deal = listing(19.99, "New", winner=True, dealDetails={"badge": "Blitzangebot", "accessType": "ALL"})
    assert normalise({**CREATORS, "offersV2": {"listings": [deal]}}).sale_price == Money(
        amount=Decimal("19.99"), currency="EUR", display="19,99 €"
    )
    saved = listing(19.99, "New", winner=True)
    saved["price"]["savings"] = {"money": money(5.0, display="5,00 €"), "percentage": 20}
    assert normalise({**CREATORS, "offersV2": {"listings": [saved]}}).sale_price is not None
    plain = listing(19.99, "New", winner=True)
    assert normalise({**CREATORS, "offersV2": {"listings": [plain]}}).sale_price is None
    zero = listing(19.99, "New", winner=True)
    zero["price"]["savings"] = {"money": money(0, display="0,00 €"), "percentage": 0}
    assert normalise({**CREATORS, "offersV2": {"listings": [zero]}}).sale_price is None


def test_a_missing_display_amount_is_written_the_stores_way() -> None:
    item = {
        "asin": "B0TEST0001",
        "offersV2": {"listings": [{"isBuyBoxWinner": True, "price": {"money": money(1234.5)}}]},
    }
    assert normalise(item).price == Money(amount=Decimal("1234.5"), currency="EUR", display="1.234,50\xa0€")
    yen = {"asin": "B0TEST0001", "offersV2": {"listings": [{"price": {"money": money(4780, "JPY")}}]}}
    price = normalise(yen, country="jp").price
    assert price is not None and price.display == "￥4,780" and price.minor_units == 4780


def test_a_bad_currency_is_not_a_price() -> None:
    item = {"asin": "B0TEST0001", "offersV2": {"listings": [{"price": {"money": money(5, "€")}}]}}
    assert normalise(item).price is None


def test_variation_summary_both_shapes() -> None:
    creators = {
        "pageCount": 1,
        "variationCount": 4,
        "price": {
            "lowestPrice": money(29.99, display="29,99 €"),
            "highestPrice": money(44.99, display="44,99 €"),
        },
        "variationDimensions": [{"displayName": "Farbe", "name": "color_name", "values": ["Rot", "Blau"]}],
    }
    summary = variation_summary(creators, country="de")
    assert summary is not None and summary.count == 4 and summary.dimensions == ("Farbe",)
    assert summary.lowest is not None and summary.lowest.amount == Decimal("29.99")
    assert summary.highest is not None and summary.highest.display == "44,99 €"
    assert variation_summary(camel_keys(pascal_keys(creators)), country="de") == summary
    assert variation_summary({}, country="de") is None and variation_summary(None, country="de") is None


def test_an_item_carrying_a_variation_summary_keeps_it() -> None:
    parent = {
        "asin": "B0PARENT01",
        "variationSummary": {"variationCount": 3, "price": {"lowestPrice": money(9.5)}},
    }
    product = normalise(parent)
    assert product.variations is not None and product.variations.count == 3
    assert product.variations.lowest is not None and product.variations.lowest.display == "9,50\xa0€"
