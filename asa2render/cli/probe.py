"""``asa2render marketplaces test``: get a token and fetch one item per store, the way rendering would.

Each outcome is classified (invalid client, ineligible, throttled …) with advice the user can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..config.model import Config
from ..config.routing import decide_route

if TYPE_CHECKING:
    import httpx

    from ..api import Clock

CheckStatus = Literal[
    "ok", "invalid client", "ineligible", "access denied", "throttled", "network", "failed", "skipped"
]
TEST_ASIN = "B08N5WRWNW"  # any valid ASIN will do: "not found" still proves the token and the access
_INELIGIBLE_ADVICE = (
    "ineligible (AssociateNotEligible): this Associates account may not use the Creators API yet; it needs "
    "10 qualified sales in the trailing 30 days. Until then keep the marketplace disabled "
    "(PA API 5.0 serves it)"
)


@dataclass(frozen=True, slots=True)
class MarketplaceCheck:
    """The outcome of ``marketplaces test`` for one store."""

    country: str
    api: str  # the route's label: "Creators API 2.2", "PA API 5.0" or "none"
    status: CheckStatus
    detail: str

    @property
    def failed(self) -> bool:
        return self.status not in {"ok", "skipped"}


def check_marketplace(
    config: Config,
    country: str,
    *,
    sandbox: str | None = None,
    asin: str = TEST_ASIN,
    transport: httpx.BaseTransport | None = None,
    clock: Clock | None = None,
) -> MarketplaceCheck:
    """Get a token (Creators API) and fetch one item from a store, the way rendering would.

    A Creators route is tested on its own: PA-API keys are left out so a failure is reported
    instead of silently falling back. Tokens are kept in memory, so a fresh one is always requested.

    Args:
        config: the validated configuration.
        country: a canonical store code.
        sandbox: base URL of an ``asa2render sandbox`` that receives every request.
        asin: the item to fetch; "not found" still counts as success (the credentials worked).
        transport: an httpx transport for tests (``httpx.MockTransport``).
        clock: an :class:`asa2render.api.Clock` for tests, so retries never sleep.
    """
    from ..api import Fetcher, TokenStore  # imported here: only ``test`` needs the HTTP stack
    from ..config.model import PaapiConfig
    from ..products.models import Failure, ProductKey

    route = decide_route(config, country)
    if route.api == "none":
        return MarketplaceCheck(country, route.label, "skipped", route.explain())
    isolated = config.model_copy(update={"paapi": PaapiConfig()}) if route.api == "creators" else config
    key = ProductKey(country, asin)
    with Fetcher(
        isolated, sandbox=sandbox, transport=transport, token_store=TokenStore(None), clock=clock
    ) as fetcher:
        report = fetcher.fetch([key])
    result = report.results[key]
    what = "token OK" if route.api == "creators" else "signed request OK"
    if not isinstance(result, Failure):
        return MarketplaceCheck(country, route.label, "ok", f"{what}, fetched {asin}")
    return _failed_check(country, route.label, what, asin, result.kind, result.message)


def _failed_check(country: str, api: str, what: str, asin: str, kind: str, message: str) -> MarketplaceCheck:
    if kind == "not_found":
        return MarketplaceCheck(country, api, "ok", f"{what}; test item {asin} is not sold in this store")
    if kind == "auth":
        detail = f"invalid client: the credentials were refused ({message}); check the ID, secret and type"
        return MarketplaceCheck(country, api, "invalid client", detail)
    if kind == "forbidden" and "AssociateNotEligible" in message:
        return MarketplaceCheck(country, api, "ineligible", _INELIGIBLE_ADVICE)
    if kind == "forbidden":
        return MarketplaceCheck(country, api, "access denied", f"access denied: {message}")
    if kind == "throttled":
        detail = f"throttled after retries ({message}); try later or lower [api] requests_per_second"
        return MarketplaceCheck(country, api, "throttled", detail)
    if kind == "network":
        return MarketplaceCheck(country, api, "network", f"network: unreachable ({message})")
    return MarketplaceCheck(country, api, "failed", f"failed: {message}")


__all__ = ["TEST_ASIN", "CheckStatus", "MarketplaceCheck", "check_marketplace"]
