"""The translation table: for every product of a site, which offered store has it, with which tag.

Built once per site, after the pages' own products were fetched. Every (store, ASIN) pair not known yet
is resolved through the product store — local products, the product cache with its 24 h rule, then the
API through the router in batched GetItems calls (≤ 10 ASINs each, one group per store, inside the rate
limits) — so a rebuild within the cache lifetime costs no request. Each pair is then:

- **exact**: the ASIN exists in that store → ``https://<store>/dp/<ASIN>?tag=<that store's ID>``;
- **no match**: the store answered "no such item" → a search for the title with that store's ID
  (``close`` mode; left out in ``exact`` mode);
- **no route**: nothing can ask that store → left out (the visitor keeps the page's link).

In ``search`` mode nothing is looked up: every offered store gets a search link.

The JSON keeps tags per store and associate ID set apart from the products, so a big site's table stays
small; :meth:`GeoTable.link` builds the same URLs the browser script builds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote_plus

from ..config.model import Config
from ..marketplaces import STORES, Store, get_store, normalize_country
from ..products.models import ProductKey, Resolved, utc_now
from ..products.resolve import ProductRequest
from ..render.i18n import LABEL_MESSAGES, N_

if TYPE_CHECKING:
    from ..engine import Engine

TABLE_VERSION = 1
SEARCH_TITLE_LIMIT = 100  # characters of the title used as search keywords
Outcome = Literal["exact", "missing", "no_route", "unknown"]


@dataclass(frozen=True, slots=True)
class Miss:
    """A product with no exact match in an offered store, and what visitors from there get instead."""

    asin: str
    country: str
    result: str  # "search link", "left out" or "not checked: <why>"

    def __str__(self) -> str:
        return f"{self.asin} has no exact match in {self.country} ({self.result})"


@dataclass
class GeoTable:
    """The table's JSON data, the misses for the report, and what building it cost."""

    data: dict[str, Any]
    misses: list[Miss] = field(default_factory=list)
    lookups: int = 0  # (store, ASIN) pairs that had to be resolved
    requests: int = 0  # API requests those lookups cost

    def link(self, asin: str, country: str, associate_set: str | None = None) -> str | None:
        """The URL a visitor of ``country``'s store gets for ``asin`` (None: the link is left alone)."""
        entry = self.data["products"].get(asin)
        set_name = associate_set or self.data["set"]
        tag = self.data["tags"].get(set_name, {}).get(country) or self.data["tags"][self.data["set"]].get(
            country
        )
        store = get_store(country)
        if entry is None or tag is None or store is None:
            return None
        if country in entry.get("x", ()):
            return f"{store.base_url}/dp/{asin}?tag={tag}"
        if country in entry.get("s", ()):
            return search_url(store, entry.get("t") or asin, tag)
        return None


def offered_stores(config: Config) -> tuple[str, ...]:
    """``[geo] stores``, or every store with a tracking ID (marketplace tag or the default set)."""
    if config.geo.stores is not None:
        return config.geo.stores
    default_set = config.associate_id_sets.get(config.site.associate_set, {})
    tagged = {m.country for m in config.marketplaces if m.partner_tag} | set(default_set)
    return tuple(store.country for store in STORES if store.country in tagged)


def tracking_id(config: Config, country: str, associate_set: str | None = None) -> str | None:
    """The store's tracking ID: its marketplace's partner tag, else the set's, else the default set's."""
    market = config.marketplace(country)
    if market and market.partner_tag:
        return market.partner_tag
    for name in (associate_set, config.site.associate_set):
        tag = config.associate_id_sets.get(name, {}).get(country) if name else None
        if tag:
            return tag
    return None


def offered_fallbacks(config: Config, stores: Iterable[str]) -> dict[str, str]:
    """Visitor country → offered store, with chains followed (``no`` → ``se`` → ``de``), for the table.

    Countries whose own store is offered need no entry; countries that reach no offered store are
    left out (their visitors keep the page's links).
    """
    offered = set(stores)
    fallbacks = config.geo.all_fallbacks
    resolved: dict[str, str] = {}
    for country in sorted(fallbacks):
        if (normalize_country(country) or "") in offered:
            continue
        seen = {country}
        target = fallbacks[country]
        while target not in offered and target in fallbacks and fallbacks[target] not in seen:
            seen.add(target)
            target = fallbacks[target]
        if target in offered:
            resolved[country] = target
    return resolved


def search_url(store: Store, title: str, tag: str) -> str:
    """A search for the product's title in ``store``, carrying the store's tracking ID."""
    words = " ".join(title.split())
    if len(words) > SEARCH_TITLE_LIMIT:
        words = words[:SEARCH_TITLE_LIMIT].rsplit(" ", 1)[0]
    # Escaped like the browser's encodeURIComponent, so both sides build the very same link.
    keywords = quote_plus(words, safe="!*'()")
    return f"{store.base_url}/s?k={keywords}&tag={tag}"


def classify(item: Resolved | None) -> Outcome:
    """What a resolved (store, ASIN) pair says about the ASIN's existence in that store."""
    if item is None:
        return "unknown"
    if item.product is not None and item.state != "fallback":
        return "exact"
    if item.failure is not None and item.failure.kind == "no_route":
        return "no_route"
    if item.failure is not None and item.failure.permanent:
        return "missing"
    return "unknown"


def site_products(requests: Iterable[ProductRequest]) -> tuple[dict[str, list[ProductKey]], set[str]]:
    """Every ASIN of the site with the keys it was asked under, and the associate sets used."""
    products: dict[str, list[ProductKey]] = {}
    sets: set[str] = set()
    for request in requests:
        if request.associate_set:
            sets.add(request.associate_set)
        for key in request.keys:
            keys = products.setdefault(key.asin, [])
            if key not in keys:
                keys.append(key)
    return products, sets


def build_table(engine: Engine, requests: Iterable[ProductRequest]) -> GeoTable:
    """Look up every product of ``requests`` in every offered store and build the table.

    Args:
        engine: the :class:`~asa2render.engine.Engine` that rendered the pages (its resolved products
            are reused; the lookups go through its product store).
        requests: every shortcode request of the site.
    """
    config = engine.config
    products, sets = site_products(requests)
    stores = [s for s in offered_stores(config) if get_store(s) is not None]
    mode = config.geo.mode
    known: dict[ProductKey, Resolved] = dict(engine.resolved)
    wanted = [] if mode == "search" else [ProductKey(s, a) for a in products for s in stores]
    lookup = [key for key in wanted if key not in known]
    requests_before = engine.store.report.api_requests
    if lookup:
        known.update(engine.store.get_many(lookup, count=False))
    table = GeoTable(
        data=_skeleton(config, stores, sets, _script_labels(engine.renderer.labels().gettext)),
        lookups=len(lookup),
        requests=engine.store.report.api_requests - requests_before,
    )
    titles = _titles(products, known)
    for asin, keys in sorted(products.items()):
        entry = _entry(config, asin, keys, stores, known, table, titles.get(asin, asin))
        if entry:
            table.data["products"][asin] = entry
    return table


def _script_labels(gettext: Callable[[str], str]) -> dict[str, str]:
    """The script's texts in the site's language: the price note ("See price on Amazon", in which the script
    names the store: "Amazon.fr") and the store switcher's accessible name and first choice."""
    return {
        "see_price": gettext(LABEL_MESSAGES["map_label"]),
        "switcher": gettext(N_("Amazon store")),
        "automatic": gettext(N_("Automatic")),
    }


def _skeleton(config: Config, stores: list[str], sets: set[str], labels: dict[str, str]) -> dict[str, Any]:
    default = config.site.associate_set
    tags = {default: {s: tag for s in stores if (tag := tracking_id(config, s, default))}}
    for name in sorted(sets - {default}):
        found = {s: tag for s in stores if (tag := tracking_id(config, s, name))}
        if found != tags[default]:  # a set that changes nothing is not repeated
            tags[name] = found
    return {
        "version": TABLE_VERSION,
        "generated_at": utc_now().isoformat(timespec="seconds"),
        "mode": config.geo.mode,
        "geoip_url": config.geo.geoip_url,
        "set": default,
        "stores": {s: _store_label(s) for s in stores},
        "fallbacks": offered_fallbacks(config, stores),
        "labels": labels,
        "tags": tags,
        "products": {},
    }


def _store_label(country: str) -> str:
    store = get_store(country)
    assert store is not None
    return "Amazon." + store.domain.removeprefix("www.amazon.")


def _entry(
    config: Config,
    asin: str,
    keys: list[ProductKey],
    stores: list[str],
    known: dict[ProductKey, Resolved],
    table: GeoTable,
    title: str,
) -> dict[str, Any]:
    exact: list[str] = []
    search: list[str] = []
    page_stores = {key.country for key in keys}
    for country in stores:
        outcome = "unknown" if config.geo.mode == "search" else classify(known.get(ProductKey(country, asin)))
        if country in page_stores and outcome != "exact":
            outcome = "exact"  # the page links its own store already; the script leaves it alone
        if outcome == "exact":
            exact.append(country)
        elif outcome == "no_route":
            table.misses.append(Miss(asin, country, "left out: no API route"))
        elif config.geo.mode == "exact":
            table.misses.append(Miss(asin, country, "left out (mode exact)"))
        else:
            search.append(country)
            if config.geo.mode == "close":
                why = "search link" if outcome == "missing" else "search link; not checked: the API failed"
                table.misses.append(Miss(asin, country, why))
    entry: dict[str, Any] = {}
    if exact:
        entry["x"] = exact
    if search:
        entry["s"] = search
        entry["t"] = title
    return entry


def _titles(products: dict[str, list[ProductKey]], known: dict[ProductKey, Resolved]) -> dict[str, str]:
    """Each product's title for search links: as shown on its page, else from any store."""
    titles: dict[str, str] = {}
    for key, item in known.items():
        if key.asin in products and item.product is not None and item.product.title:
            titles.setdefault(key.asin, item.product.title)
    for asin, keys in products.items():
        page = next((known[k].product for k in keys if k in known and known[k].product is not None), None)
        if page is not None and page.title:
            titles[asin] = page.title
    return titles


__all__ = [
    "SEARCH_TITLE_LIMIT",
    "TABLE_VERSION",
    "GeoTable",
    "Miss",
    "build_table",
    "classify",
    "offered_fallbacks",
    "offered_stores",
    "search_url",
    "site_products",
    "tracking_id",
]
