"""The seed's "API Routing Logic", as one pure decision per marketplace.

1. Take the product's marketplace (country code).
2. Look for Creators API credentials for that marketplace.
3. Credentials exist and the marketplace is enabled → Creators API (version from type + region).
4. Otherwise → PA-API 5.0 with the PA-API keys and that store's tracking ID.
5. Neither usable → local products and cache only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..marketplaces import store_for
from .model import Config

Api = Literal["creators", "paapi", "none"]
API_LABELS: dict[Api, str] = {"creators": "Creators API", "paapi": "PA API 5.0", "none": "none"}


@dataclass(frozen=True, slots=True)
class Route:
    """Which API serves a store, with which version and tracking ID, and why."""

    country: str
    api: Api
    version: str | None
    partner_tag: str | None
    tag_source: str
    reason: str

    @property
    def label(self) -> str:
        """As the seed's table shows it: ``Creators API 2.2`` or ``PA API 5.0``.

        The seed's rule sends every store without usable Creators credentials to PA-API 5.0; when
        PA-API cannot serve it either (``api == "none"``), :meth:`explain` says so.
        """
        if self.api == "creators":
            return f"Creators API {self.version}"
        return API_LABELS["paapi"]

    @property
    def usable(self) -> bool:
        """Whether an API can actually be asked (else: local products and cache only)."""
        return self.api != "none"

    def explain(self) -> str:
        """One line, e.g. ``fr: no Creators API credentials → PA API 5.0 (tracking ID from …)``."""
        if not self.usable:
            return f"{self.country}: {self.reason} → local products and cache only"
        tag = f" (tracking ID from {self.tag_source})" if self.partner_tag else ""
        return f"{self.country}: {self.reason} → {self.label}{tag}"


def decide_route(config: Config, country: str, associate_set: str | None = None) -> Route:
    """Apply the seed's rule to one store."""
    store = store_for(country)
    market = config.marketplace(store.country)
    tag, tag_source = config.partner_tag(store.country, associate_set)
    if market is not None and market.uses_creators:
        reason = f"{market.credential_type} credentials, enabled"
        return Route(store.country, "creators", market.api_version, tag, tag_source, reason)
    reason = _why_not_creators(config, store.country)
    if not config.paapi.usable:
        return Route(store.country, "none", None, tag, tag_source, reason + "; no PA-API keys")
    if store.paapi_host is None:
        return Route(store.country, "none", None, tag, tag_source, reason + "; PA-API 5.0 has no host here")
    if tag is None:
        return Route(store.country, "none", None, None, tag_source, reason + "; no tracking ID for PA-API")
    return Route(store.country, "paapi", None, tag, tag_source, reason)


def _why_not_creators(config: Config, country: str) -> str:
    market = config.marketplace(country)
    if market is None:
        return "no Creators API credentials"
    if not market.credential_type:
        return "no Creators API credentials" + ("" if market.enabled else ", marketplace disabled")
    if not market.has_credentials:
        return "Creators API credential secret not set"
    return "Creators API disabled"


__all__ = ["API_LABELS", "Api", "Route", "decide_route"]
