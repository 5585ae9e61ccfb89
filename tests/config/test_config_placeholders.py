"""``[placeholders]``: ASA2's global AutoPrice, IsAvailable and logo options, validated with clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from asa2render.config.model import PlaceholdersConfig, config_from_dict, load_config
from asa2render.errors import ConfigError


def test_defaults() -> None:
    options = config_from_dict({}).placeholders
    assert options == PlaceholdersConfig()
    assert options.autoprice_lowest_new and not options.autoprice_lowest_used
    assert not options.autoprice_collectible and not options.is_available_if_other_offers
    assert not options.localized_shop_logos and options.logo_base_url is None


def test_read_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "asa2render.toml"
    path.write_text(
        "[placeholders]\n"
        "autoprice_lowest_new = false\n"
        "autoprice_lowest_used_only_if_no_other = true\n"
        "autoprice_collectible = true\n"
        "is_available_if_other_offers = true\n"
        "localized_shop_logos = true\n"
        'logo_base_url = "/assets"\n',
        encoding="utf-8",
    )
    options = load_config(path).placeholders
    assert not options.autoprice_lowest_new
    assert options.autoprice_lowest_used_only_if_no_other and not options.autoprice_lowest_used
    assert options.autoprice_collectible and options.is_available_if_other_offers
    assert options.localized_shop_logos
    assert options.logo_base_url == "/assets/"  # the folder, so file names append cleanly


@pytest.mark.parametrize("kind", ["lowest_new", "lowest_used", "collectible"])
def test_both_modes_of_one_price_are_refused(kind: str) -> None:
    data = {"placeholders": {f"autoprice_{kind}": True, f"autoprice_{kind}_only_if_no_other": True}}
    with pytest.raises(ConfigError) as caught:
        config_from_dict(data, path=Path("site/asa2render.toml"))
    message = str(caught.value)
    assert f"autoprice_{kind}_only_if_no_other" in message and "exclude each other" in message
    assert "site/asa2render.toml" in message


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ({"autoprice_lowest_usd": True}, "placeholders.autoprice_lowest_usd: unknown key"),
        ({"autoprice_lowest_used": "yes"}, "placeholders.autoprice_lowest_used"),
        ({"logo_base_url": "javascript:alert(1)"}, "only http(s) URLs or paths"),
        ({"logo_base_url": '/a" onerror="x'}, "without spaces or quotes"),
        ({"logo_base_url": ""}, "without spaces or quotes"),
    ],
)
def test_bad_values_name_the_key(value: dict[str, object], why: str) -> None:
    with pytest.raises(ConfigError, match=why.replace("(", r"\(").replace(")", r"\)")):
        config_from_dict({"placeholders": value})


def test_full_urls_are_allowed() -> None:
    options = config_from_dict(
        {"placeholders": {"logo_base_url": "https://cdn.example.org/static/"}}
    ).placeholders
    assert options.logo_base_url == "https://cdn.example.org/static/"
