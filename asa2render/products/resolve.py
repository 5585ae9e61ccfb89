"""From a scanned shortcode to a product request: ASINs, marketplace, template and options.

This is where ASA2's shortcodes get their meaning:

- ``[asa2]ASIN[/asa2]`` and ``[asa2 asin="ASIN"]`` (``asin`` may be an Amazon product URL, whose store
  sets the country unless ``country`` is given; ``asin="A,B,C"`` renders one list box);
- ``[asa2_textlink asin="…"]link text[/asa2_textlink]``;
- ``[asa2_collection]name[/asa2_collection]`` — a named ASIN list from ``[collections]``;
- ``[asa2_smart_collection category="…" …]`` — stored products chosen by their properties
  (:mod:`.smart`); its keys are only known once the products are resolved;
- ``[asa2_search keywords="…" limit="5"]`` — a list from the API's SearchItems; its keys are only
  known once the search has run.

Country resolution: the shortcode's ``country``, else the URL's store, else the page's front matter
``asa2_country``, else the default marketplace. A product whose country cannot be determined (an
unknown code) uses the default marketplace too, as the seed says, with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import msgspec

from ..config.model import Config
from ..errors import Location
from ..marketplaces import country_codes, normalize_country
from ..shortcodes import Severity, Shortcode
from .asins import normalize_asin, parse_asin_ref
from .models import ProductKey, SearchQuery, State

if TYPE_CHECKING:
    # Imported where a search or smart collection is read: a page of boxes never needs the module.
    from .smart import SmartQuery

BOX_TAG = "asa2"
TEXTLINK_TAG = "asa2_textlink"
COLLECTION_TAG = "asa2_collection"
SMART_TAG = "asa2_smart_collection"
SEARCH_TAG = "asa2_search"
TAGS = (BOX_TAG, TEXTLINK_TAG, COLLECTION_TAG, SMART_TAG, SEARCH_TAG)
SEARCH_ATTRIBUTES = frozenset({"keywords", "country", "limit", "tpl", "set"})
DEFAULT_SEARCH_LIMIT = 5
MAX_SEARCH_LIMIT = 10  # one SearchItems page


@cache
def _list_attributes() -> frozenset[str]:
    """Attributes of a search or smart collection that choose products (never template options)."""
    from .smart import FILTERS, ORDERING

    return FILTERS | ORDERING | SEARCH_ATTRIBUTES


# Attributes with a meaning of their own; every other attribute is passed to the template as an option.
CONTROL_ATTRIBUTES = frozenset({"asin", "country", "tpl", "set"})
# Options the built-in templates understand; a name close to one of these or to a control attribute
# is most likely a typo and is reported.
TEMPLATE_OPTIONS = frozenset(
    {"title", "button", "class", "features", "image", "price", "rating", "align", "width", "rel", "target"}
)
_KNOWN = sorted(CONTROL_ATTRIBUTES | TEMPLATE_OPTIONS)


class Problem(msgspec.Struct, frozen=True):
    """Something wrong with a shortcode, where it is, and how bad."""

    location: Location
    code: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(frozen=True, slots=True)
class ProductRequest:
    """What one shortcode asks for. ``keys`` is empty when nothing could be resolved."""

    shortcode: Shortcode
    location: Location
    keys: tuple[ProductKey, ...]
    template: str
    country: str | None
    options: Mapping[str, str] = field(default_factory=dict)
    link_text: str | None = None
    associate_set: str | None = None
    label: str = ""  # what the user typed, for fallbacks that have no product (e.g. an invalid ASIN)
    search: SearchQuery | None = None  # [asa2_search]: keys come from the search result
    smart: SmartQuery | None = None  # [asa2_smart_collection]: keys come from the product store
    fallback_url: str | None = None  # shown when a search has no result (a tagged store search)
    list_state: State | None = None  # a search list's own state (a stale result list makes it stale)


def resolve(
    shortcode: Shortcode,
    config: Config,
    *,
    path: str | None = None,
    page_country: str | None = None,
    shop_ids: frozenset[str] = frozenset(),
) -> tuple[ProductRequest, list[Problem]]:
    """Resolve one shortcode; problems are returned, never raised (strict mode is the caller's).

    ``shop_ids`` are the ids of the user's non-Amazon products, valid where an ASIN is expected.
    """
    resolver = _Resolver(shortcode, config, Location(path, shortcode.line, shortcode.column), page_country)
    resolver.shop_ids = shop_ids
    return resolver.run(), resolver.problems


class _Resolver:
    def __init__(self, shortcode: Shortcode, config: Config, location: Location, page_country: str | None):
        self.shortcode = shortcode
        self.config = config
        self.location = location
        self.page_country = page_country
        self.problems: list[Problem] = []
        self.shop_ids: frozenset[str] = frozenset()

    def report(self, code: str, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(self.location, code, message, severity))

    def run(self) -> ProductRequest:
        if self.shortcode.tag == SEARCH_TAG:
            return self._search()
        if self.shortcode.tag == SMART_TAG:
            return self._smart()
        self._check_attributes()
        raw_ids, url_country = self._asins()
        country = self._country(url_country)
        asins = [a for a in (self._asin(raw) for raw in raw_ids) if a]
        keys = tuple(dict.fromkeys(ProductKey(country, asin) for asin in asins)) if country else ()
        return ProductRequest(
            shortcode=self.shortcode,
            location=self.location,
            keys=keys,
            template=self._template(len(raw_ids)),
            country=country,
            options=self._options(),
            link_text=self._link_text(),
            associate_set=self.shortcode.attrs.get("set"),
            label=", ".join(raw_ids),
        )

    def _search(self) -> ProductRequest:
        sc = self.shortcode
        for name in sc.attrs:
            if name not in SEARCH_ATTRIBUTES and name not in TEMPLATE_OPTIONS:
                self.report("unknown-attribute", f'unknown attribute "{name}" in [{SEARCH_TAG}]')
        keywords = " ".join((sc.attrs.get("keywords") or sc.content or " ".join(sc.args)).split())
        if not keywords:
            self.report("missing-keywords", f'[{SEARCH_TAG}] needs keywords: write keywords="burr grinder"')
        country = self._country(None)
        limit = self._limit(sc.attrs.get("limit"))
        query = SearchQuery(country, keywords, limit) if country and keywords else None
        return self._list_request(country, search=query, label=keywords)

    def _limit(self, raw: str | None) -> int:
        if raw is None:
            return DEFAULT_SEARCH_LIMIT
        if raw.strip().isdigit() and 1 <= int(raw) <= MAX_SEARCH_LIMIT:
            return int(raw)
        self.report(
            "invalid-limit", f'limit="{raw}" must be 1 to {MAX_SEARCH_LIMIT}; using {MAX_SEARCH_LIMIT}'
        )
        return MAX_SEARCH_LIMIT

    def _smart(self) -> ProductRequest:
        from .smart import parse_smart

        query = parse_smart(self.shortcode.attrs, self.report, TEMPLATE_OPTIONS | {"set"})
        return self._list_request(query.countries[0] if len(query.countries) == 1 else None, smart=query)

    def _list_request(
        self,
        country: str | None,
        *,
        search: SearchQuery | None = None,
        smart: SmartQuery | None = None,
        label: str = "",
    ) -> ProductRequest:
        return ProductRequest(
            shortcode=self.shortcode,
            location=self.location,
            keys=(),
            template=self.shortcode.attrs.get("tpl") or "list",
            country=country,
            # Filters and search terms are not template options (price="10-100" is not price="no").
            options={k: v for k, v in self._options().items() if k not in _list_attributes()},
            associate_set=self.shortcode.attrs.get("set"),
            label=label,
            search=search,
            smart=smart,
        )

    def _asins(self) -> tuple[list[str], str | None]:
        """The raw ASIN strings asked for, and a country named by a product URL."""
        sc = self.shortcode
        if sc.tag == COLLECTION_TAG:
            return self._collection(), None
        raw = sc.attrs.get("asin")
        if raw is None and sc.tag == BOX_TAG:
            raw = (sc.content or "").strip() or next((a for a in sc.args if normalize_asin(a)), None)
        if not raw:
            self.report("missing-asin", f'[{sc.tag}] needs an ASIN: write asin="B0…"')
            return [], None
        if "/" in raw:  # a product URL; commas may appear in its query string
            ref = parse_asin_ref(raw)
            if ref is None:
                self.report("invalid-asin", f"not an Amazon product URL: {raw!r}")
                return [raw], None
            return [ref.asin], ref.store.country if ref.store else None
        return [part.strip() for part in raw.split(",") if part.strip()], None

    def _collection(self) -> list[str]:
        sc = self.shortcode
        name = (sc.attrs.get("name") or sc.content or (sc.args[0] if sc.args else "")).strip()
        if not name:
            self.report("missing-collection", "[asa2_collection] needs a collection name")
            return []
        members = self.config.collections.get(name)
        if members is None:
            known = ", ".join(sorted(self.config.collections)) or "none configured"
            self.report("unknown-collection", f'unknown collection "{name}"; known: {known}')
            return []
        return list(members)

    def _asin(self, raw: str) -> str | None:
        if raw.strip() in self.shop_ids:
            return raw.strip()
        asin = normalize_asin(raw) if "/" not in raw else None
        if asin is None and "/" in raw:
            ref = parse_asin_ref(raw)
            asin = ref.asin if ref else None
        if asin is None:
            self.report("invalid-asin", f"invalid ASIN {raw!r}: 10 letters or digits expected")
        elif asin != raw.strip():
            self.report("normalized-asin", f"ASIN {raw!r} read as {asin}", "warning")
        return asin

    def _country(self, url_country: str | None) -> str | None:
        typed = self.shortcode.attrs.get("country")
        if typed is not None:
            canonical = normalize_country(typed)
            if canonical:
                return canonical
            return self._unknown_country(typed)
        if url_country:
            return url_country
        if self.page_country:
            canonical = normalize_country(self.page_country)
            if canonical:
                return canonical
            return self._unknown_country(self.page_country)
        default = self.config.default_country
        if default is None:
            self.report(
                "no-country",
                'no country= and no default marketplace; add country="de" or mark a marketplace default',
            )
        return default

    def _unknown_country(self, typed: str) -> str | None:
        configured = ", ".join(m.country for m in self.config.marketplaces) or "none"
        default = self.config.default_country
        fallback = f"; using the default marketplace {default}" if default else ""
        self.report(
            "unknown-country",
            f'unknown country "{typed}" in [{self.shortcode.tag} …]; configured marketplaces: '
            f"{configured}; known stores: {', '.join(country_codes())}{fallback}",
        )
        return default

    def _template(self, count: int) -> str:
        chosen = self.shortcode.attrs.get("tpl")
        if chosen:
            return chosen
        if self.shortcode.tag == TEXTLINK_TAG:
            return "textlink"
        if self.shortcode.tag == COLLECTION_TAG or count > 1:
            return "list"
        return self.config.site.template

    def _options(self) -> dict[str, str]:
        return {k: v for k, v in self.shortcode.attrs.items() if k not in CONTROL_ATTRIBUTES}

    def _link_text(self) -> str | None:
        if self.shortcode.tag == TEXTLINK_TAG:
            return (self.shortcode.content or "").strip() or None
        return None

    def _check_attributes(self) -> None:
        for name in self.shortcode.attrs:
            if name in CONTROL_ATTRIBUTES or name in TEMPLATE_OPTIONS:
                continue
            import difflib  # only a misspelt attribute needs a suggestion

            close = difflib.get_close_matches(name, _KNOWN, n=1, cutoff=0.75)
            if close:
                self.report("unknown-attribute", f'unknown attribute "{name}" (did you mean "{close[0]}"?)')
        for arg in self.shortcode.args:
            if self.shortcode.tag == BOX_TAG and normalize_asin(arg) and "asin" not in self.shortcode.attrs:
                continue
            self.report("unknown-attribute", f'unknown attribute "{arg}" without a value', "warning")


__all__ = [
    "BOX_TAG",
    "COLLECTION_TAG",
    "CONTROL_ATTRIBUTES",
    "SEARCH_TAG",
    "SMART_TAG",
    "TAGS",
    "TEMPLATE_OPTIONS",
    "TEXTLINK_TAG",
    "Problem",
    "ProductRequest",
    "resolve",
]
