"""Where requests go: Amazon's real hosts, or one sandbox base URL with the paths unchanged."""

from __future__ import annotations

from dataclasses import dataclass

from ..marketplaces import CREATORS_HOST, TOKEN_ENDPOINTS, Store

CREATORS_GET_ITEMS = "/catalog/v1/getItems"
CREATORS_GET_VARIATIONS = "/catalog/v1/getVariations"
PAAPI_GET_ITEMS = "/paapi5/getitems"
PAAPI_GET_VARIATIONS = "/paapi5/getvariations"
COGNITO_TOKEN_PATH = "/oauth2/token"
LWA_TOKEN_PATH = "/auth/o2/token"


@dataclass(frozen=True, slots=True)
class Endpoints:
    """URLs for tokens, Creators and PA-API; with ``sandbox`` set, every one of them points there."""

    sandbox: str | None = None

    @property
    def base(self) -> str | None:
        return self.sandbox.rstrip("/") if self.sandbox else None

    def token_url(self, version: str) -> str:
        """The token endpoint of a Creators API version (2.x Cognito, 3.x LWA)."""
        if self.base:
            return self.base + (COGNITO_TOKEN_PATH if version.startswith("2.") else LWA_TOKEN_PATH)
        return TOKEN_ENDPOINTS[version]

    def creators_get_items(self) -> str:
        return (self.base or CREATORS_HOST) + CREATORS_GET_ITEMS

    def creators_get_variations(self) -> str:
        return (self.base or CREATORS_HOST) + CREATORS_GET_VARIATIONS

    def paapi_get_variations(self, store: Store) -> str | None:
        """The PA-API GetVariations URL of a store; None where PA-API has no host."""
        url = self.paapi_get_items(store)
        return url.removesuffix(PAAPI_GET_ITEMS) + PAAPI_GET_VARIATIONS if url else None

    def paapi_get_items(self, store: Store) -> str | None:
        """The PA-API GetItems URL of a store; None where PA-API has no host (Ireland)."""
        if store.paapi_host is None:
            return None
        return (self.base or f"https://{store.paapi_host}") + PAAPI_GET_ITEMS


__all__ = [
    "COGNITO_TOKEN_PATH",
    "CREATORS_GET_ITEMS",
    "CREATORS_GET_VARIATIONS",
    "LWA_TOKEN_PATH",
    "PAAPI_GET_ITEMS",
    "PAAPI_GET_VARIATIONS",
    "Endpoints",
]
