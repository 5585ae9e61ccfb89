"""The demo store ``--sandbox auto`` uses when nothing is configured, so every shortcode renders.

Without ``[[marketplaces]]`` and ``[paapi]`` keys there is no route to any API and an auto-started
sandbox would only ever produce fallbacks. Trying asa2render must not need a configuration file, so
in that case the run gets the sandbox's own demo credentials (they work against nothing else):
Germany as the default store, plus the us, uk, fr and jp stores of the demo catalog, and the demo
PA-API keys for every other store.
"""

from __future__ import annotations

from ..config.model import Config, MarketplaceConfig, PaapiConfig
from ..records import SecretStr
from .options import DEMO_PAAPI_KEYS

DEMO_SECRET = "demo-secret"
# (country, credential type, demo credential id, demo partner tag); the first is the default store.
DEMO_MARKETPLACES: tuple[tuple[str, str, str, str], ...] = (
    ("de", "cognito", "demo-cognito-eu", "asa2demo-21"),
    ("us", "lwa", "demo-lwa-na", "asa2demo-20"),
    ("uk", "cognito", "demo-cognito-eu", "asa2demo-21"),
    ("fr", "lwa", "demo-lwa-eu", "asa2demo-21"),
    ("jp", "cognito", "demo-cognito-fe", "asa2demo-22"),
)


def needs_demo_store(config: Config) -> bool:
    """True when the configuration gives no route to any API (no marketplaces, no PA-API keys)."""
    return not config.marketplaces and not config.paapi.usable


def demo_config(config: Config) -> Config:
    """``config`` with the sandbox's demo marketplaces and PA-API keys added."""
    marketplaces = tuple(
        MarketplaceConfig(
            country=country,
            credential_type=kind,  # type: ignore[arg-type]
            credential_id=credential_id,
            credential_secret=SecretStr(DEMO_SECRET),
            partner_tag=tag,
            default=index == 0,
        )
        for index, (country, kind, credential_id, tag) in enumerate(DEMO_MARKETPLACES)
    )
    access_key, secret_key = DEMO_PAAPI_KEYS[0]
    paapi = PaapiConfig(access_key=access_key, secret_key=SecretStr(secret_key))
    return config.model_copy(update={"marketplaces": marketplaces, "paapi": paapi})


__all__ = ["DEMO_MARKETPLACES", "demo_config", "needs_demo_store"]
