"""The seed's example table, decided by the one routing rule."""

from __future__ import annotations

import pytest

from asa2render.config.model import config_from_dict
from asa2render.config.routing import decide_route

SEED = config_from_dict(
    {
        "marketplaces": [
            {
                "country": "de",
                "credential_type": "cognito",
                "credential_id": "i",
                "credential_secret": "s",
                "partner_tag": "mytag-21",
                "default": True,
            },
            {
                "country": "us",
                "credential_type": "lwa",
                "credential_id": "j",
                "credential_secret": "t",
                "partner_tag": "mytag-20",
            },
            {"country": "uk", "partner_tag": "mytag-21", "enabled": False},
        ],
        "paapi": {"access_key": "AK", "secret_key": "SK"},
        "associate_id_sets": {"default": {"fr": "montag-21"}},
    },
    environ={},
)


@pytest.mark.parametrize(
    ("country", "label"),
    [("de", "Creators API 2.2"), ("us", "Creators API 3.1"), ("uk", "PA API 5.0"), ("fr", "PA API 5.0")],
)
def test_seed_example_table(country: str, label: str) -> None:
    assert decide_route(SEED, country).label == label


def test_explanations() -> None:
    assert decide_route(SEED, "fr").explain() == (
        'fr: no Creators API credentials → PA API 5.0 (tracking ID from associate set "default")'
    )
    assert "disabled" in decide_route(SEED, "uk").explain()


def test_disabled_marketplace_keeps_credentials_but_uses_paapi() -> None:
    config = config_from_dict(
        {
            "marketplaces": [
                {
                    "country": "de",
                    "credential_type": "cognito",
                    "credential_id": "i",
                    "credential_secret": "s",
                    "partner_tag": "mytag-21",
                    "enabled": False,
                }
            ],
            "paapi": {"access_key": "AK", "secret_key": "SK"},
        },
        environ={},
    )
    route = decide_route(config, "de")
    assert route.api == "paapi" and route.partner_tag == "mytag-21"
    assert config.marketplaces[0].credential_id == "i"


def test_no_route_without_paapi_keys() -> None:
    config = config_from_dict({"associate_id_sets": {"default": {"fr": "montag-21"}}}, environ={})
    route = decide_route(config, "fr")
    assert route.api == "none" and "no PA-API keys" in route.reason


def test_unusable_paapi_route_keeps_the_seed_label_and_says_why() -> None:
    config = config_from_dict({"associate_id_sets": {"default": {"fr": "montag-21"}}}, environ={})
    route = decide_route(config, "ca")
    assert route.label == "PA API 5.0"
    assert not route.usable
    assert (
        route.explain() == "ca: no Creators API credentials; no PA-API keys → local products and cache only"
    )
