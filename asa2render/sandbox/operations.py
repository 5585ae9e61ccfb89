"""The four catalog operations, independent of which API asked: camelCase request fields in, an
:class:`Outcome` out. ``creators.py`` and ``paapi.py`` validate the envelope and shape the answer.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from ..marketplaces import Store
from ..products.asins import ASIN_PATTERN
from .catalog import Catalog, CatalogProduct, display_amount, round_amount, synthetic_product
from .items import full_item, legacy_offers, select
from .wire import JsonObject

MAX_IDS = 10
INVALID_PREFIX = "B0BAD"
NOT_ACCESSIBLE_PREFIX = "B0NOACC"
_COLOURS = ("Black", "White", "Blue", "Red", "Green", "Grey", "Navy", "Sand", "Olive", "Rose")
_NODE_NAMES = (
    "Kitchen & Dining",
    "Electronics",
    "Sports & Outdoors",
    "Books",
    "Home & Garden",
    "Toys",
    "Office",
)


@dataclass(frozen=True, slots=True)
class Request:
    """One operation call: the store, the caller's tracking ID, its (camelCase) body, resources."""

    store: Store
    partner_tag: str
    body: JsonObject
    resources: tuple[str, ...]
    api_label: str  # "Creators API" / "Product Advertising API", as Amazon's messages name them
    legacy_offers: bool = False  # PA-API still serves the deprecated v1 Offers
    image_base: str = ""  # the sandbox's own base URL, for its placeholder images


@dataclass(slots=True)
class Outcome:
    """What an operation produced: a result payload, item errors, or one request-level failure."""

    payload: JsonObject = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    invalid_field: tuple[str, str] | None = None  # (field name, message) → 400
    not_found: tuple[str, str] | None = None  # (resource type, resource id) → 404


class _Items:
    """Builds response items for one request."""

    def __init__(self, catalog: Catalog, request: Request) -> None:
        self._catalog = catalog
        self._request = request

    def product(self, asin: str) -> CatalogProduct:
        return self._catalog.get(asin, self._request.store)

    def item(self, product: CatalogProduct) -> JsonObject:
        store, request = self._request.store, self._request
        full = full_item(product, store, request.partner_tag, request.image_base)
        if request.legacy_offers:
            full["offers"] = legacy_offers(product, store)
        return select(full, request.resources)


def item_error(asin: str, api_label: str) -> tuple[str, str] | None:
    """The per-item error of an ASIN the sandbox treats as bad, or None for a good one."""
    if not ASIN_PATTERN.match(asin) or asin.startswith(INVALID_PREFIX):
        return "InvalidParameterValue", f"The ItemId {asin} provided in the request is invalid."
    if asin.startswith(NOT_ACCESSIBLE_PREFIX):
        return "ItemNotAccessible", f"The ItemId {asin} is not accessible through the {api_label}."
    return None


def _not_in_store(catalog: Catalog, asin: str, store: Store) -> tuple[str, str] | None:
    # Amazon answers an ASIN that exists elsewhere but not in this store like an unknown one.
    if catalog.is_missing(asin, store):
        return "InvalidParameterValue", f"The ItemId {asin} provided in the request is invalid."
    return None


def _id_list(body: JsonObject, name: str) -> list[str] | None:
    value = body.get(name)
    if (
        not isinstance(value, list)
        or not 1 <= len(value) <= MAX_IDS
        or not all(isinstance(v, str) for v in value)
    ):
        return None
    return list(dict.fromkeys(value))


def _bounded_int(body: JsonObject, name: str, default: int, upper: int) -> int | None:
    value = body.get(name, default)
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= upper else None


def get_items(catalog: Catalog, request: Request) -> Outcome:
    """GetItems: good ASINs as items (in reverse request order), bad ones as item errors."""
    asins = _id_list(request.body, "itemIds")
    if asins is None:
        return Outcome(invalid_field=("itemIds", f"itemIds must hold 1 to {MAX_IDS} item ids."))
    if request.body.get("itemIdType", "ASIN") != "ASIN":
        return Outcome(invalid_field=("itemIdType", "itemIdType must be ASIN."))
    builder, outcome, items = _Items(catalog, request), Outcome(), []
    for asin in asins:
        error = item_error(asin, request.api_label) or _not_in_store(catalog, asin, request.store)
        if error:
            outcome.errors.append(error)
        else:
            items.append(builder.item(builder.product(asin)))
    if not items:
        outcome.not_found = ("Item", asins[0])
        return outcome
    # Amazon does not promise request order; reversing makes clients that map by position fail loudly.
    outcome.payload = {"itemsResult": {"items": items[::-1]}}
    return outcome


_SEARCH_FIELDS = ("keywords", "browseNodeId", "brand", "title", "actor", "artist", "author")


def _search_asin(words: str, store: Store, index: int) -> str:
    digest = hashlib.sha256(f"{words}:{store.country}:{index}".encode()).hexdigest().upper()
    return "B0" + digest[:8]


def _matches(product: CatalogProduct, words: list[str]) -> bool:
    text = " ".join((product.title, product.brand or "", *product.features)).lower()
    return all(word in text for word in words)


def search_items(catalog: Catalog, request: Request) -> Outcome:
    """SearchItems: catalog products matching every keyword, else synthetic hits for the keywords."""
    body, store = request.body, request.store
    query = " ".join(str(body[name]) for name in _SEARCH_FIELDS if body.get(name))
    if not query:
        return Outcome(invalid_field=("keywords", "Provide keywords or another search criterion."))
    count, page = _bounded_int(body, "itemCount", 10, 10), _bounded_int(body, "itemPage", 1, 10)
    if count is None or page is None:
        return Outcome(invalid_field=("itemCount" if count is None else "itemPage", "Out of range."))
    builder = _Items(catalog, request)
    hits = [p for p in catalog.in_store(store) if _matches(p, query.lower().split())]
    total = len(hits)
    if not hits:
        total = 50
        first = (page - 1) * count
        hits = [
            _titled(synthetic_product(_search_asin(query, store, first + i), store), query)
            for i in range(count)
        ]
    else:
        hits = hits[(page - 1) * count : page * count]
    result: JsonObject = {
        "totalResultCount": total,
        "searchURL": f"https://{store.domain}/s?k={quote_plus(query)}&tag={request.partner_tag}&linkCode=osi",
        "items": [builder.item(p) for p in hits],
    }
    if "searchRefinements" in request.resources:
        department = {"id": "All", "displayName": "All Departments"}
        result["searchRefinements"] = {
            "searchIndex": {"id": "SearchIndex", "displayName": "Department", "bins": [department]}
        }
    return Outcome(payload={"searchResult": result})


def _titled(product: CatalogProduct, query: str) -> CatalogProduct:
    return product.model_copy(update={"title": f"{query.title()} – {product.title}"})


def get_variations(catalog: Catalog, request: Request) -> Outcome:
    """GetVariations: a few colour variations of any good ASIN."""
    asin = request.body.get("asin")
    if not isinstance(asin, str) or not asin:
        return Outcome(invalid_field=("asin", "asin is required."))
    count = _bounded_int(request.body, "variationCount", 10, 10)
    if count is None:
        return Outcome(invalid_field=("variationCount", "variationCount must be 1 to 10."))
    if item_error(asin, request.api_label):
        return Outcome(not_found=("Item", asin))
    builder, parent, store = _Items(catalog, request), catalog.get(asin, request.store), request.store
    colours = _COLOURS[: 2 + int(hashlib.sha256(asin.encode()).hexdigest(), 16) % 4]
    variations = [_variation(parent, colour, index) for index, colour in enumerate(colours)]
    items = [
        {**builder.item(v), "variationAttributes": [{"name": "color_name", "value": c}]}
        for v, c in zip(variations[:count], colours, strict=False)
    ]
    prices = [v.price for v in variations if v.price is not None]
    summary: JsonObject = {"pageCount": 1, "variationCount": len(variations)}
    if prices and "variationSummary.price.highestPrice" in request.resources:
        summary.setdefault("price", {})["highestPrice"] = _money(max(prices), store)
    if prices and "variationSummary.price.lowestPrice" in request.resources:
        summary.setdefault("price", {})["lowestPrice"] = _money(min(prices), store)
    if "variationSummary.variationDimension" in request.resources:
        summary["variationDimensions"] = [
            {"displayName": "Colour", "locale": store.language, "name": "color_name", "values": list(colours)}
        ]
    return Outcome(payload={"variationsResult": {"items": items, "variationSummary": summary}})


def _variation(parent: CatalogProduct, colour: str, index: int) -> CatalogProduct:
    price = None if parent.price is None else parent.price + index * (1 if parent.price < 1000 else 100)
    return parent.model_copy(
        update={
            "parent": False,
            "asin": parent.asin[:8] + f"V{index}",
            "title": f"{parent.title} – {colour}",
            "parent_asin": parent.asin,
            "price": price,
            "list_price": None,
        }
    )


def _money(amount: float, store: Store) -> JsonObject:
    return {
        "amount": round_amount(amount, store),
        "currency": store.currency,
        "displayAmount": display_amount(amount, store),
    }


_NODE_ID = re.compile(r"^[1-9][0-9]{0,19}$")


def get_browse_nodes(catalog: Catalog, request: Request) -> Outcome:
    """GetBrowseNodes: any positive numeric id is a node; other ids are item errors."""
    ids = _id_list(request.body, "browseNodeIds")
    if ids is None:
        return Outcome(invalid_field=("browseNodeIds", f"browseNodeIds must hold 1 to {MAX_IDS} ids."))
    outcome, nodes = Outcome(), []
    for node_id in ids:
        if _NODE_ID.match(node_id):
            nodes.append(_browse_node(node_id, request.resources))
        else:
            outcome.errors.append(
                ("InvalidParameterValue", f"The BrowseNodeId {node_id} provided in the request is invalid.")
            )
    if not nodes:
        outcome.not_found = ("BrowseNode", ids[0])
        return outcome
    outcome.payload = {"browseNodesResult": {"browseNodes": nodes}}
    return outcome


def _browse_node(node_id: str, resources: tuple[str, ...]) -> JsonObject:
    name = _NODE_NAMES[int(node_id) % len(_NODE_NAMES)]
    node: JsonObject = {"id": node_id, "displayName": name, "contextFreeName": name, "isRoot": False}
    if "browseNodes.ancestor" in resources:
        node["ancestor"] = {
            "id": str(int(node_id) // 10 or 1),
            "displayName": "Categories",
            "contextFreeName": "Categories",
        }
    if "browseNodes.children" in resources:
        node["children"] = [
            {"id": f"{node_id}{i}", "displayName": f"{name} {i}", "contextFreeName": f"{name} {i}"}
            for i in (1, 2)
        ]
    return node


Operation = Callable[[Catalog, Request], Outcome]
OPERATIONS: dict[str, Operation] = {
    "GetItems": get_items,
    "SearchItems": search_items,
    "GetVariations": get_variations,
    "GetBrowseNodes": get_browse_nodes,
}


def requested_asins(operation: str, body: JsonObject) -> list[str]:
    """The ASINs a request names, for the stats log."""
    if operation == "GetItems" and isinstance(body.get("itemIds"), list):
        return [str(asin) for asin in body["itemIds"]]
    if operation == "GetVariations" and isinstance(body.get("asin"), str):
        return [body["asin"]]
    return []


__all__ = [
    "MAX_IDS",
    "OPERATIONS",
    "Operation",
    "Outcome",
    "Request",
    "get_browse_nodes",
    "get_items",
    "get_variations",
    "item_error",
    "requested_asins",
    "search_items",
]
