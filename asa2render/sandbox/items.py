"""Catalog products as API items: the full Creators (camelCase) item, the requested slice of it, and
its PA-API (PascalCase) twin.

An item carries only what was asked for (``resources``); ``asin`` and ``detailPageURL`` are always there.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from ..api.casing import pascal_keys
from ..marketplaces import Store
from .catalog import CatalogProduct, OtherOffer, display_amount, round_amount
from .wire import JsonObject

_ITEM_RESOURCES = (
    "browseNodeInfo.browseNodes",
    "browseNodeInfo.browseNodes.ancestor",
    "browseNodeInfo.browseNodes.salesRank",
    "browseNodeInfo.websiteSalesRank",
    "customerReviews.count",
    "customerReviews.starRating",
    "images.primary.small",
    "images.primary.medium",
    "images.primary.large",
    "images.primary.highRes",
    "images.variants.small",
    "images.variants.medium",
    "images.variants.large",
    "images.variants.highRes",
    "itemInfo.byLineInfo",
    "itemInfo.contentInfo",
    "itemInfo.contentRating",
    "itemInfo.classifications",
    "itemInfo.externalIds",
    "itemInfo.features",
    "itemInfo.manufactureInfo",
    "itemInfo.productInfo",
    "itemInfo.technicalInfo",
    "itemInfo.title",
    "itemInfo.tradeInInfo",
    "parentASIN",
    "offersV2.listings.availability",
    "offersV2.listings.condition",
    "offersV2.listings.dealDetails",
    "offersV2.listings.isBuyBoxWinner",
    "offersV2.listings.loyaltyPoints",
    "offersV2.listings.merchantInfo",
    "offersV2.listings.price",
    "offersV2.listings.type",
)
# The Creators resource names each operation accepts (the SDK's enums, protocol.md §3.2).
CREATORS_RESOURCES: dict[str, frozenset[str]] = {
    "GetItems": frozenset(_ITEM_RESOURCES),
    "SearchItems": frozenset((*_ITEM_RESOURCES, "searchRefinements")),
    "GetVariations": frozenset(
        (
            *_ITEM_RESOURCES,
            "variationSummary.price.highestPrice",
            "variationSummary.price.lowestPrice",
            "variationSummary.variationDimension",
        )
    ),
    "GetBrowseNodes": frozenset(("browseNodes.ancestor", "browseNodes.children")),
}
DEFAULT_RESOURCES = ("itemInfo.title",)

# Keys below a resource that are resources of their own: copied only when asked for.
_SUB_RESOURCE_KEYS: dict[tuple[str, ...], frozenset[str]] = {
    ("browseNodeInfo", "browseNodes"): frozenset({"ancestor", "salesRank"}),
}
_RESPONSE_KEYS = {"highRes": "hiRes"}
_NOT_IN_PAAPI = frozenset({"hiRes"})

_MERCHANT_IDS = {
    "us": "ATVPDKIKX0DER",
    "uk": "A3P5ROKL5A1OLE",
    "de": "A3JWKAKR8XB7XF",
    "fr": "A1X6FK5RDHNB96",
}
_IN_STOCK_MESSAGES = {
    "de": "Auf Lager",
    "fr": "En stock",
    "it": "Disponibilità immediata",
    "es": "En stock",
    "ja": "在庫あり",
    "nl": "Op voorraad",
    "pl": "W magazynie",
    "sv": "I lager",
}
_OUT_OF_STOCK_MESSAGES = {
    "de": "Derzeit nicht verfügbar",
    "fr": "Actuellement indisponible",
    "ja": "現在在庫切れです",
}
_LIST_PRICE_LABELS = {
    "de": "UVP",
    "fr": "Prix conseillé",
    "ja": "参考価格",
    "it": "Prezzo consigliato",
    "es": "PVPR",
}
_IMAGE_SIZES = {"small": 75, "medium": 160, "large": 500, "hiRes": 1500}


def _language(store: Store) -> str:
    return store.language.split("_")[0]


def _text(value: str, label: str, store: Store) -> JsonObject:
    return {"displayValue": value, "label": label, "locale": store.language}


def _money(amount: float, store: Store) -> JsonObject:
    return {
        "amount": round_amount(amount, store),
        "currency": store.currency,
        "displayAmount": display_amount(amount, store),
    }


def _digits(text: str, count: int) -> str:
    return str(int(hashlib.sha256(text.encode()).hexdigest(), 16))[:count]


def _images(product: CatalogProduct, image_base: str) -> JsonObject:
    if not product.image:
        return {}
    # A catalog path ("/_sandbox/images/…") is one of the sandbox's own placeholders; a full URL is
    # passed through as the catalog's author wrote it.
    image = image_base + product.image if product.image.startswith("/") else product.image
    stem, dot, ext = image.rpartition(".")
    sizes = {
        name: {"url": f"{stem}._SL{px}_.{ext}" if dot else image, "height": px, "width": px}
        for name, px in _IMAGE_SIZES.items()
    }
    sizes["hiRes"]["url"] = image
    return {"images": {"primary": sizes}}


def _item_info(product: CatalogProduct, store: Store) -> JsonObject:
    info: JsonObject = {"title": _text(product.title, "Title", store)}
    if product.brand:
        info["byLineInfo"] = {
            "brand": _text(product.brand, "Brand", store),
            "manufacturer": _text(product.manufacturer or product.brand, "Manufacturer", store),
        }
    if product.features:
        info["features"] = {
            "displayValues": list(product.features),
            "label": "Features",
            "locale": store.language,
        }
    info["classifications"] = {
        "binding": _text(product.category or "Misc.", "Binding", store),
        "productGroup": _text(product.category or "Home", "ProductGroup", store),
    }
    info["externalIds"] = {
        "eans": {
            "displayValues": ["40" + _digits(product.asin, 11)],
            "label": "EAN",
            "locale": store.language,
        }
    }
    return info


def _browse_node_info(product: CatalogProduct, store: Store) -> JsonObject:
    node_id = _digits(product.asin + store.country, 9)
    name = product.category or "Home"
    rank = int(_digits(product.asin, 4)) + 1
    return {
        "browseNodes": [
            {
                "id": node_id,
                "displayName": name,
                "contextFreeName": name,
                "isRoot": False,
                "salesRank": rank,
                "ancestor": {
                    "id": _digits(name, 8),
                    "displayName": "Categories",
                    "contextFreeName": "Categories",
                },
            }
        ],
        "websiteSalesRank": {
            "id": "home",
            "displayName": name,
            "contextFreeName": name,
            "salesRank": rank * 7,
        },
    }


def _price(product: CatalogProduct, store: Store) -> JsonObject | None:
    if product.price is None:
        return None
    price: JsonObject = {"money": _money(product.price, store)}
    if product.list_price and product.list_price > product.price:
        saved = product.list_price - product.price
        price["savings"] = {
            "money": _money(saved, store),
            "percentage": round(100 * saved / product.list_price),
        }
        price["savingBasis"] = {
            "money": _money(product.list_price, store),
            "savingBasisType": "LIST_PRICE",
            "savingBasisTypeLabel": _LIST_PRICE_LABELS.get(_language(store), "List Price"),
        }
    return price


def _availability(product: CatalogProduct, store: Store) -> JsonObject:
    messages = _OUT_OF_STOCK_MESSAGES if product.availability == "OUT_OF_STOCK" else _IN_STOCK_MESSAGES
    default = "Currently unavailable." if product.availability == "OUT_OF_STOCK" else "In Stock"
    message = product.availability_message or messages.get(_language(store), default)
    return {"type": product.availability, "message": message, "minOrderQuantity": 1, "maxOrderQuantity": 10}


def _merchant(product: CatalogProduct, store: Store) -> JsonObject:
    default_name = "Amazon." + store.domain.removeprefix("www.amazon.")
    return {
        "name": product.merchant or default_name,
        "id": _MERCHANT_IDS.get(store.country, "A" + _digits(store.domain, 12)),
    }


def _deal(product: CatalogProduct) -> JsonObject:
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=2)
    return {
        "accessType": "ALL",
        "badge": product.deal_badge,
        "startTime": start.strftime("%Y-%m-%dT%H:%MZ"),
        "endTime": (start + timedelta(hours=12)).strftime("%Y-%m-%dT%H:%MZ"),
        "percentClaimed": int(_digits(product.asin, 2)) % 90 + 5,
    }


def _listing(product: CatalogProduct, store: Store) -> JsonObject:
    listing: JsonObject = {
        "availability": _availability(product, store),
        "condition": {"value": "New", "subCondition": "Unknown"},
        "isBuyBoxWinner": True,
        "merchantInfo": _merchant(product, store),
        "violatesMAP": False,
    }
    price = _price(product, store)
    if price is not None:
        listing["price"] = price
    if product.deal_badge:
        listing["dealDetails"] = _deal(product)
        listing["type"] = "LIGHTNING_DEAL"
    if store.country == "jp" and product.price:
        listing["loyaltyPoints"] = {"points": max(1, round(product.price / 100))}
    return listing


_SUB_CONDITIONS = {"New": "New", "Used": "VeryGood", "Collectible": "Good", "Refurbished": "Refurbished"}
_LISTED_OFFERS = 3  # other offers shown as listings per condition; summaries count them all


def _offer_price(offer: OtherOffer, index: int, store: Store) -> float | int:
    """The price of the index-th offer of a kind: the cheapest first, each next one a little dearer."""
    return round_amount(offer.price + index * (1 if offer.price < 1000 else 100), store)


def _offer_prices(offer: OtherOffer, store: Store) -> list[float | int]:
    return [_offer_price(offer, index, store) for index in range(min(offer.count, _LISTED_OFFERS))]


def _other_listings(product: CatalogProduct, store: Store) -> list[JsonObject]:
    listings: list[JsonObject] = []
    for offer in product.other_offers:
        for index, amount in enumerate(_offer_prices(offer, store)):
            name = offer.merchant or "Marketplace seller"
            listings.append(
                {
                    "availability": {
                        "type": "IN_STOCK",
                        "message": _IN_STOCK_MESSAGES.get(_language(store), "In Stock"),
                    },
                    "condition": {"value": offer.condition, "subCondition": _SUB_CONDITIONS[offer.condition]},
                    "isBuyBoxWinner": False,
                    "merchantInfo": {
                        "name": name if index == 0 else f"{name} {index + 1}",
                        "id": "A" + _digits(name + str(index), 13),
                    },
                    "price": {"money": _money(amount, store)},
                    "violatesMAP": False,
                }
            )
    return listings


def offer_summaries(product: CatalogProduct, store: Store) -> list[JsonObject]:
    """PA-API's ``Offers.Summaries``: per condition, the lowest and highest price and how many offers."""
    prices: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    if product.price is not None:
        prices["New"], counts["New"] = [product.price], 1
    for offer in product.other_offers:
        cheapest, dearest = _offer_price(offer, 0, store), _offer_price(offer, offer.count - 1, store)
        prices.setdefault(offer.condition, []).extend((float(cheapest), float(dearest)))
        counts[offer.condition] = counts.get(offer.condition, 0) + offer.count
    return [
        {
            "condition": {"value": condition},
            "lowestPrice": _money(min(amounts), store),
            "highestPrice": _money(max(amounts), store),
            "offerCount": counts[condition],
        }
        for condition, amounts in prices.items()
    ]


def full_item(product: CatalogProduct, store: Store, partner_tag: str, image_base: str = "") -> JsonObject:
    """Every field the sandbox knows for a product, in Creators camelCase."""
    item: JsonObject = {
        "asin": product.asin,
        "detailPageURL": f"https://{store.domain}/dp/{product.asin}?tag={partner_tag}&linkCode=ogi&th=1&psc=1",
        "itemInfo": _item_info(product, store),
        "browseNodeInfo": _browse_node_info(product, store),
        **_images(product, image_base),
    }
    if not product.parent:  # a parent is not for sale itself: its variations are
        item["offersV2"] = {"listings": [_listing(product, store), *_other_listings(product, store)]}
    if product.parent_asin:
        item["parentASIN"] = product.parent_asin
    if product.rating is not None:
        item["customerReviews"] = {"count": product.reviews or 0, "starRating": {"value": product.rating}}
    return item


def legacy_offers(product: CatalogProduct, store: Store) -> JsonObject:
    """PA-API's deprecated v1 ``Offers`` (camelCase here; converted with the rest of the item)."""
    if product.parent:
        return {}
    listing: JsonObject = {
        "id": _digits(product.asin + "offer", 16),
        "isBuyBoxWinner": True,
        "availability": {
            "type": "Now" if product.availability != "OUT_OF_STOCK" else "Unknown",
            "message": _availability(product, store)["message"],
        },
        "condition": {"value": "New"},
        "deliveryInfo": {"isAmazonFulfilled": True, "isFreeShippingEligible": True, "isPrimeEligible": True},
        "merchantInfo": _merchant(product, store),
        "programEligibility": {"isPrimeExclusive": False, "isPrimePantry": False},
        "violatesMAP": False,
    }
    price = _price(product, store)
    if price is not None:
        listing["price"] = {**price["money"]}
        if "savings" in price:
            listing["price"]["savings"] = {
                **price["savings"]["money"],
                "percentage": price["savings"]["percentage"],
            }
            listing["savingBasis"] = price["savingBasis"]["money"]
    return {"listings": [listing], "summaries": offer_summaries(product, store)}


def select(item: JsonObject, resources: Iterable[str]) -> JsonObject:
    """The part of ``item`` that the resource names ask for, plus ``asin`` and ``detailPageURL``."""
    out: JsonObject = {"asin": item["asin"], "detailPageURL": item["detailPageURL"]}
    requested = set(resources)
    for resource in sorted(requested):
        keys = tuple(_RESPONSE_KEYS.get(key, key) for key in resource.split("."))
        _copy_path(item, out, keys, (), requested)
    _add_summary_conditions(item, out)
    pruned: JsonObject = _prune(out)
    return pruned


def _add_summary_conditions(item: JsonObject, out: JsonObject) -> None:
    """A summary always names its condition, like Amazon's (it is not a resource of its own)."""
    requested = out.get("offers", {}).get("summaries")
    if not isinstance(requested, list):
        return
    for source, target in zip(item["offers"]["summaries"], requested, strict=True):
        if target:
            target["condition"] = source["condition"]


def _copy_path(
    src: JsonObject, dst: JsonObject, keys: Sequence[str], done: tuple[str, ...], requested: set[str]
) -> None:
    key, rest = keys[0], keys[1:]
    if key not in src:
        return
    value, here = src[key], (*done, key)
    if not rest:
        dst[key] = _without_sub_resources(value, here, requested)
    elif isinstance(value, list):
        targets = dst.setdefault(key, [{} for _ in value])
        for source, target in zip(value, targets, strict=True):
            _copy_path(source, target, rest, here, requested)
    elif isinstance(value, dict):
        _copy_path(value, dst.setdefault(key, {}), rest, here, requested)


def _without_sub_resources(value: Any, path: tuple[str, ...], requested: set[str]) -> Any:
    value = copy.deepcopy(value)
    hidden = _SUB_RESOURCE_KEYS.get(path, frozenset())
    wanted = {key for key in hidden if ".".join((*path, key)) in requested}
    for element in value if isinstance(value, list) else [value]:
        for key in hidden - wanted:
            element.pop(key, None)
    return value


def _prune(value: Any) -> Any:
    """Drop the empty containers left by resources an item does not have."""
    if isinstance(value, dict):
        pruned = {key: _prune(child) for key, child in value.items()}
        return {key: child for key, child in pruned.items() if child not in ({}, [])}
    if isinstance(value, list):
        return [child for child in (_prune(c) for c in value) if child != {}]
    return value


def to_pascal(value: Any) -> Any:
    """A camelCase response tree with PA-API's PascalCase keys (``hiRes`` dropped: PA-API has none)."""
    return pascal_keys(value, drop=_NOT_IN_PAAPI)


__all__ = [
    "CREATORS_RESOURCES",
    "DEFAULT_RESOURCES",
    "full_item",
    "legacy_offers",
    "offer_summaries",
    "select",
    "to_pascal",
]
