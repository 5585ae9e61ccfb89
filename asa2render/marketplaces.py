"""The table of Amazon stores: one typed row per store, static data kept as data.

Sources: ``shared/docs/protocol.md`` §1 (domains, PA-API hosts and regions, Creators region groups,
currencies, default languages). The Creators API version is never typed by a user: it is derived from
the credential type (Cognito → 2.x, LWA → 3.x) and the store's region group (NA → .1, EU → .2, FE → .3).
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlencode

import msgspec

RegionGroup = Literal["NA", "EU", "FE"]
CredentialType = Literal["cognito", "lwa"]

_MINOR_BY_GROUP: dict[RegionGroup, int] = {"NA": 1, "EU": 2, "FE": 3}
_MAJOR_BY_TYPE: dict[CredentialType, int] = {"cognito": 2, "lwa": 3}
CREDENTIAL_TYPE_LABELS: dict[CredentialType, str] = {"cognito": "Cognito (v2)", "lwa": "LWA (v3)"}

# Token endpoints per Creators API version (protocol.md §2.1).
TOKEN_ENDPOINTS: dict[str, str] = {
    "2.1": "https://creatorsapi.auth.us-east-1.amazoncognito.com/oauth2/token",
    "2.2": "https://creatorsapi.auth.eu-south-2.amazoncognito.com/oauth2/token",
    "2.3": "https://creatorsapi.auth.us-west-2.amazoncognito.com/oauth2/token",
    "3.1": "https://api.amazon.com/auth/o2/token",
    "3.2": "https://api.amazon.co.uk/auth/o2/token",
    "3.3": "https://api.amazon.co.jp/auth/o2/token",
}
CREATORS_HOST = "https://creatorsapi.amazon"


class Store(msgspec.Struct, frozen=True):
    """One Amazon store (marketplace) and everything the APIs need to address it."""

    country: str  # our canonical two-letter code, lower case ("uk" for the United Kingdom)
    name: str
    domain: str  # www.amazon.de — Creators `x-marketplace`, PA-API `Marketplace`
    paapi_host: str | None
    paapi_region: str
    group: RegionGroup
    currency: str
    language: str
    tag_suffix: str  # the usual tracking-ID suffix: -20 (NA), -21 (EU), -22 (JP) …

    def api_version(self, credential_type: CredentialType) -> str:
        """The Creators API version for a credential of this type in this store's region."""
        return f"{_MAJOR_BY_TYPE[credential_type]}.{_MINOR_BY_GROUP[self.group]}"

    @property
    def base_url(self) -> str:
        return f"https://{self.domain}"

    def product_url(self, asin: str, partner_tag: str | None) -> str:
        """The plain detail-page link for an ASIN, tagged when a tracking ID is known."""
        url = f"{self.base_url}/dp/{asin}"
        return f"{url}?tag={partner_tag}" if partner_tag else url

    def search_url(self, keywords: str, partner_tag: str | None) -> str:
        """The store's search page for some keywords, tagged when a tracking ID is known."""
        query = {"k": keywords, **({"tag": partner_tag} if partner_tag else {})}
        return f"{self.base_url}/s?{urlencode(query)}"


def _store(
    country: str,
    name: str,
    domain: str,
    region: str,
    group: RegionGroup,
    currency: str,
    language: str,
    suffix: str,
    *,
    paapi: bool = True,
) -> Store:
    host = "webservices." + domain.removeprefix("www.") if paapi else None
    return Store(country, name, domain, host, region, group, currency, language, suffix)


STORES: tuple[Store, ...] = (
    _store("us", "United States", "www.amazon.com", "us-east-1", "NA", "USD", "en_US", "-20"),
    _store("ca", "Canada", "www.amazon.ca", "us-east-1", "NA", "CAD", "en_CA", "-20"),
    _store("mx", "Mexico", "www.amazon.com.mx", "us-east-1", "NA", "MXN", "es_MX", "-20"),
    _store("br", "Brazil", "www.amazon.com.br", "us-east-1", "NA", "BRL", "pt_BR", "-20"),
    _store("uk", "United Kingdom", "www.amazon.co.uk", "eu-west-1", "EU", "GBP", "en_GB", "-21"),
    _store("de", "Germany", "www.amazon.de", "eu-west-1", "EU", "EUR", "de_DE", "-21"),
    _store("fr", "France", "www.amazon.fr", "eu-west-1", "EU", "EUR", "fr_FR", "-21"),
    _store("it", "Italy", "www.amazon.it", "eu-west-1", "EU", "EUR", "it_IT", "-21"),
    _store("es", "Spain", "www.amazon.es", "eu-west-1", "EU", "EUR", "es_ES", "-21"),
    _store("nl", "Netherlands", "www.amazon.nl", "eu-west-1", "EU", "EUR", "nl_NL", "-21"),
    _store("be", "Belgium", "www.amazon.com.be", "eu-west-1", "EU", "EUR", "fr_BE", "-21"),
    _store("pl", "Poland", "www.amazon.pl", "eu-west-1", "EU", "PLN", "pl_PL", "-21"),
    _store("se", "Sweden", "www.amazon.se", "eu-west-1", "EU", "SEK", "sv_SE", "-21"),
    _store("tr", "Turkey", "www.amazon.com.tr", "eu-west-1", "EU", "TRY", "tr_TR", "-21"),
    _store("ae", "United Arab Emirates", "www.amazon.ae", "eu-west-1", "EU", "AED", "en_AE", "-21"),
    _store("sa", "Saudi Arabia", "www.amazon.sa", "eu-west-1", "EU", "SAR", "en_AE", "-21"),
    _store("eg", "Egypt", "www.amazon.eg", "eu-west-1", "EU", "EGP", "en_AE", "-21"),
    _store("in", "India", "www.amazon.in", "eu-west-1", "EU", "INR", "en_IN", "-21"),
    # No PA-API host is documented for Ireland: it is reachable through the Creators API only.
    _store("ie", "Ireland", "www.amazon.ie", "eu-west-1", "EU", "EUR", "en_IE", "-21", paapi=False),
    _store("jp", "Japan", "www.amazon.co.jp", "us-west-2", "FE", "JPY", "ja_JP", "-22"),
    _store("sg", "Singapore", "www.amazon.sg", "us-west-2", "FE", "SGD", "en_SG", "-22"),
    _store("au", "Australia", "www.amazon.com.au", "us-west-2", "FE", "AUD", "en_AU", "-22"),
)

_BY_COUNTRY: dict[str, Store] = {store.country: store for store in STORES}
_BY_DOMAIN: dict[str, Store] = {store.domain.removeprefix("www."): store for store in STORES}
_ALIASES = {"gb": "uk"}


def normalize_country(code: str) -> str | None:
    """The canonical code for a user-typed country (``GB`` → ``uk``), or None when unknown."""
    key = code.strip().lower()
    key = _ALIASES.get(key, key)
    return key if key in _BY_COUNTRY else None


def get_store(code: str) -> Store | None:
    """The store for a country code (case-insensitive; ``gb`` and ``uk`` are the same)."""
    canonical = normalize_country(code)
    return _BY_COUNTRY[canonical] if canonical else None


def store_for(code: str) -> Store:
    """Like :func:`get_store` for a code already validated; raises KeyError otherwise."""
    store = get_store(code)
    if store is None:
        raise KeyError(code)
    return store


def store_for_host(host: str) -> Store | None:
    """The store whose domain is ``host`` (``www.amazon.de``, ``amazon.de``, ``smile.amazon.de``)."""
    host = host.lower().split(":")[0]
    for candidate in (host, host.partition(".")[2]):
        store = _BY_DOMAIN.get(candidate.removeprefix("www."))
        if store:
            return store
    return None


def store_for_paapi_host(host: str) -> Store | None:
    """The store served by a PA-API host name (``webservices.amazon.de``)."""
    host = host.lower().split(":")[0]
    return next((s for s in STORES if s.paapi_host == host), None)


def country_codes() -> list[str]:
    """Every canonical country code, in table order."""
    return [store.country for store in STORES]


__all__ = [
    "CREATORS_HOST",
    "CREDENTIAL_TYPE_LABELS",
    "STORES",
    "TOKEN_ENDPOINTS",
    "CredentialType",
    "RegionGroup",
    "Store",
    "country_codes",
    "get_store",
    "normalize_country",
    "store_for",
    "store_for_host",
    "store_for_paapi_host",
]
