"""Smart collections: ``[asa2_smart_collection …]`` lists of stored products chosen by their properties.

ASA2 builds these from its Products section; here the product store (``products.toml``) supplies the
candidates and each candidate's resolved data (local, cached or fresh from the API) decides the
filters that change over time (price, availability, rating) and the order::

    [asa2_smart_collection category="kitchen" tag="grinder" max_price="100" available="yes"
                           sort="price" limit="5"]

Filters (all must match; a comma-separated value matches any of its parts):
``category``, ``tag``, ``country``, ``brand``, ``min_price``, ``max_price``, ``price="10-100"``,
``available="yes|no"``, ``min_rating`` (alias ``rating``). ``sort`` is ``price``, ``title``, ``rating``
or ``updated``, ascending unless written ``-price``, ``price:desc`` or with ``order="desc"``;
``limit`` caps the list. Anything else is reported, never silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ..marketplaces import normalize_country
from .models import Product, ProductKey, Resolved

FILTERS = frozenset(
    {
        "category",
        "tag",
        "country",
        "brand",
        "min_price",
        "max_price",
        "price",
        "available",
        "min_rating",
        "rating",
    }
)
ORDERING = frozenset({"sort", "order", "limit"})
SORT_KEYS = ("price", "title", "rating", "updated")
_YES = {"yes", "true", "1", "on"}
_NO = {"no", "false", "0", "off"}

Report = Callable[[str, str], None]  # (code, message)


@dataclass(frozen=True, slots=True)
class SmartQuery:
    """A parsed smart collection: static filters, dynamic filters and the order."""

    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    available: bool | None = None
    min_rating: float | None = None
    sort: str | None = None
    descending: bool = False
    limit: int | None = None

    def matches_static(self, product: Product) -> bool:
        """Category, tag and country: the user's own data, known before anything is fetched."""
        return (
            _any_of(self.categories, product.categories)
            and _any_of(self.tags, product.tags)
            and (not self.countries or product.country in self.countries)
        )

    def matches_dynamic(self, product: Product) -> bool:
        """Brand, price, availability and rating: the current data of a resolved product."""
        if not _any_of(self.brands, (product.brand,) if product.brand else ()):
            return False
        amount = product.price.amount if product.price and not product.violates_map else None
        if (self.min_price is not None or self.max_price is not None) and amount is None:
            return False
        if self.min_price is not None and amount is not None and amount < self.min_price:
            return False
        if self.max_price is not None and amount is not None and amount > self.max_price:
            return False
        if self.available is not None and product.is_available != self.available:
            return False
        return self.min_rating is None or (product.rating is not None and product.rating >= self.min_rating)


def parse_smart(attrs: Mapping[str, str], report: Report, template_options: Iterable[str] = ()) -> SmartQuery:
    """Read a smart collection's attributes; every problem is reported as ``(code, message)``."""
    fields: dict[str, Any] = {}
    known = sorted(FILTERS | ORDERING | {"tpl", *template_options})
    for name, value in attrs.items():
        if name in FILTERS:
            _filter(name, value, fields, report)
        elif name in ORDERING:
            _ordering(name, value, fields, report)
        elif name not in known:
            import difflib  # only a misspelt filter needs a suggestion

            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            report(
                "unknown-filter",
                f'unknown smart collection filter "{name}"{hint}; known: {", ".join(sorted(FILTERS))}',
            )
    if attrs.get("order", "").lower() == "desc":
        fields["descending"] = True
    return SmartQuery(**fields)


def _filter(name: str, value: str, fields: dict[str, Any], report: Report) -> None:
    parts = tuple(p.strip() for p in value.split(",") if p.strip())
    if name in {"category", "tag", "brand"}:
        fields[{"category": "categories", "tag": "tags", "brand": "brands"}[name]] = parts
    elif name == "country":
        countries = tuple(c for c in (normalize_country(p) for p in parts) if c)
        if len(countries) != len(parts):
            report("invalid-filter", f'unknown country in country="{value}"')
        fields["countries"] = countries
    elif name in {"min_price", "max_price"}:
        fields[name] = _decimal(name, value, report)
    elif name == "price":
        low, sep, high = value.partition("-")
        if not sep:
            report("invalid-filter", f'price="{value}" must be a range such as "10-100"')
            return
        fields["min_price"] = _decimal(name, low, report) if low.strip() else None
        fields["max_price"] = _decimal(name, high, report) if high.strip() else None
    elif name == "available":
        if value.lower() in _YES | _NO:
            fields["available"] = value.lower() in _YES
        else:
            report("invalid-filter", f'available="{value}" must be yes or no')
    else:  # min_rating / rating
        try:
            fields["min_rating"] = float(value)
        except ValueError:
            report("invalid-filter", f'{name}="{value}" must be a number from 0 to 5')


def _ordering(name: str, value: str, fields: dict[str, Any], report: Report) -> None:
    if name == "limit":
        if value.isdigit() and int(value) > 0:
            fields["limit"] = int(value)
        else:
            report("invalid-filter", f'limit="{value}" must be a positive whole number')
    elif name == "order":
        if value.lower() not in {"asc", "desc"}:
            report("invalid-filter", f'order="{value}" must be asc or desc')
    else:
        text = value.strip().lower().replace(" ", ":")
        descending = text.startswith("-") or text.endswith(":desc")
        key = text.lstrip("-+").removesuffix(":desc").removesuffix(":asc")
        if key not in SORT_KEYS:
            report(
                "invalid-filter",
                f'sort="{value}" must be one of {", ".join(SORT_KEYS)} (add ":desc" to reverse)',
            )
            return
        fields["sort"], fields["descending"] = key, descending


def _decimal(name: str, value: str, report: Report) -> Decimal | None:
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        report("invalid-filter", f'{name}="{value}" must be a number')
        return None


def _any_of(wanted: tuple[str, ...], present: Iterable[str]) -> bool:
    if not wanted:
        return True
    have = {p.casefold() for p in present}
    return any(w.casefold() in have for w in wanted)


def candidates(query: SmartQuery, products: Iterable[Product]) -> list[ProductKey]:
    """Keys of stored products that pass the static filters, in store order."""
    return [ProductKey(p.country, p.asin) for p in products if query.matches_static(p)]


def select(
    query: SmartQuery, keys: Iterable[ProductKey], resolved: Mapping[ProductKey, Resolved]
) -> list[ProductKey]:
    """The keys whose resolved products pass the dynamic filters, sorted and limited.

    A product that cannot be shown (fallback) never matches a price, availability or rating filter,
    and sorts last.
    """
    shown: list[tuple[ProductKey, Product]] = []
    for key in keys:
        item = resolved.get(key)
        product = item.product if item is not None and item.state != "fallback" else None
        if product is not None and query.matches_dynamic(product):
            shown.append((key, product))
    if query.sort:
        shown = _sorted(shown, query.sort, query.descending)
    chosen = [key for key, _ in shown]
    return chosen[: query.limit] if query.limit else chosen


def _sorted(
    items: list[tuple[ProductKey, Product]], key: str, descending: bool
) -> list[tuple[ProductKey, Product]]:
    def value(product: Product) -> Any:
        if key == "price":
            return product.price.amount if product.price and not product.violates_map else None
        if key == "title":
            return product.title.casefold()
        if key == "rating":
            return product.rating
        return product.fetched_at

    known = [item for item in items if value(item[1]) is not None]
    unknown = [item for item in items if value(item[1]) is None]  # no price/rating: always last
    return sorted(known, key=lambda item: value(item[1]), reverse=descending) + unknown


__all__ = ["FILTERS", "ORDERING", "SORT_KEYS", "SmartQuery", "candidates", "parse_smart", "select"]
