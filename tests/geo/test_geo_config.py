"""``[geo]``: validation with file and key in the message, and the built-in fallback map."""

from __future__ import annotations

import pytest

from asa2render.config.model import config_from_dict
from asa2render.errors import ConfigError
from asa2render.geo.defaults import DEFAULT_FALLBACKS
from asa2render.marketplaces import normalize_country


def test_defaults_are_off_and_close() -> None:
    geo = config_from_dict({}).geo
    assert (geo.enabled, geo.stores, geo.mode, geo.geoip_url) == (False, None, "close", None)


def test_values_are_normalised_and_merged_over_the_built_in_map() -> None:
    geo = config_from_dict(
        {"geo": {"enabled": True, "stores": ["DE", "gb", "de"], "fallbacks": {"AT": "uk", "xk": "de"}}}
    ).geo
    assert geo.stores == ("de", "uk")
    assert geo.all_fallbacks["at"] == "uk"
    assert geo.all_fallbacks["xk"] == "de"
    assert geo.all_fallbacks["nz"] == "au"


def test_issue_examples_are_in_the_built_in_map() -> None:
    expected = {"at": "de", "ch": "de", "lu": "de", "be": "fr", "ie": "uk", "nz": "au", "pt": "es"}
    assert expected.items() <= DEFAULT_FALLBACKS.items()
    assert all(normalize_country(store) == store for store in DEFAULT_FALLBACKS.values())


@pytest.mark.parametrize(
    ("geo", "message"),
    [
        ({"stores": ["de", "xx"]}, "geo.stores: unknown store 'xx'"),
        ({"fallbacks": {"at": "zz"}}, "geo.fallbacks: fallbacks.at: unknown store 'zz'"),
        ({"fallbacks": {"austria": "de"}}, "not a two-letter country code"),
        ({"mode": "fuzzy"}, "geo.mode"),
        ({"geoip_url": "http://geo.example.com"}, "geoip_url must be an https:// URL"),
        ({"enable": True}, "geo.enable: unknown key"),
    ],
)
def test_invalid_values_name_the_key(geo: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")) as caught:
        config_from_dict({"geo": geo})
    assert message in str(caught.value)


def test_geoip_endpoint_may_be_a_path_on_the_site() -> None:
    assert config_from_dict({"geo": {"geoip_url": "/cdn-cgi/trace"}}).geo.geoip_url == "/cdn-cgi/trace"
