"""Configuration: validation messages, environment references, the secrets file, partner tags."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from asa2render.config.model import Config, config_from_dict, find_config, load_config
from asa2render.errors import ConfigError


def test_loads_marketplaces_and_derives_versions(config: Config) -> None:
    de, us = config.marketplaces
    assert (de.country, de.api_version, de.uses_creators) == ("de", "2.2", True)
    assert (us.country, us.api_version) == ("us", "3.1")
    assert config.default_country == "de"


def test_two_defaults_is_an_error_naming_the_file(
    write_config: Callable[[str], Config], tmp_path: Path
) -> None:
    text = '[[marketplaces]]\ncountry="de"\ndefault=true\n[[marketplaces]]\ncountry="us"\ndefault=true\n'
    with pytest.raises(ConfigError) as caught:
        write_config(text)
    assert str(tmp_path / "asa2render.toml") in str(caught.value)
    assert "only one marketplace may be the default" in str(caught.value)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('country = "xx"', "unknown country 'xx'"),
        ('country = "de"\ncredential_type = "cognito"', "credential_type needs credential_id"),
        ('country = "de"\npartner_tag = "no suffix"', "malformed partner tag"),
        ('country = "de"\ncredential_type = "oauth"\ncredential_id = "x"', "marketplaces.0.credential_type"),
        ('country = "de"\ncolour = "red"', "marketplaces.0.colour: unknown key"),
    ],
)
def test_invalid_marketplace_entries(
    write_config: Callable[[str], Config], entry: str, expected: str
) -> None:
    with pytest.raises(ConfigError, match=expected):
        write_config(f"[[marketplaces]]\n{entry}\n")


def test_duplicate_marketplace(write_config: Callable[[str], Config]) -> None:
    with pytest.raises(ConfigError, match="configured twice"):
        write_config('[[marketplaces]]\ncountry="uk"\n[[marketplaces]]\ncountry="gb"\n')


def test_environment_references_and_unresolved_secrets() -> None:
    data = {
        "marketplaces": [
            {
                "country": "de",
                "credential_type": "cognito",
                "credential_id": "id",
                "credential_secret": "${DE}",
            },
            {"country": "us", "credential_type": "lwa", "credential_id": "id2", "credential_secret": "${US}"},
        ]
    }
    config = config_from_dict(data, environ={"DE": "s3cret"})
    de, us = config.marketplaces
    assert de.uses_creators and not us.uses_creators
    assert config.unresolved_secrets == ("US",)
    assert "s3cret" not in repr(config)


def test_secrets_file_fills_missing_secret(tmp_path: Path) -> None:
    (tmp_path / "asa2render.toml").write_text(
        '[[marketplaces]]\ncountry="de"\ncredential_type="cognito"\ncredential_id="id"\n', encoding="utf-8"
    )
    (tmp_path / "asa2render.secrets.toml").write_text(
        '[marketplaces.de]\ncredential_secret="from-file"\n[paapi]\nsecret_key="pa"\n', encoding="utf-8"
    )
    config = load_config(tmp_path / "asa2render.toml", environ={})
    secret = config.marketplaces[0].credential_secret
    assert secret is not None and secret.get_secret_value() == "from-file"
    assert config.paapi.secret_key is not None


def test_partner_tag_marketplace_wins_then_associate_set() -> None:
    config = config_from_dict(
        {
            "marketplaces": [{"country": "uk", "partner_tag": "own-21"}],
            "associate_id_sets": {
                "default": {"uk": "set-21", "fr": "montag-21"},
                "promo": {"fr": "promo-21"},
            },
        },
        environ={},
    )
    assert config.partner_tag("uk") == ("own-21", "marketplace")
    assert config.partner_tag("fr") == ("montag-21", 'associate set "default"')
    assert config.partner_tag("fr", "promo") == ("promo-21", 'associate set "promo"')
    assert config.partner_tag("jp") == (None, 'associate set "default"')


def test_find_config_walks_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "asa2render.toml").write_text("", encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert find_config() == tmp_path / "asa2render.toml"


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "asa2render.toml"
    path.write_text("[site\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(path)


def test_the_records_field_types_are_objects_not_strings() -> None:
    """msgspec would compile and evaluate string annotations at every run's first validation."""
    from asa2render.config import model
    from asa2render.records import Record

    records = [
        value for value in vars(model).values() if isinstance(value, type) and issubclass(value, Record)
    ]
    assert Config in records and len(records) > 10
    for record in records:
        strings = {
            name: kind
            for name, kind in vars(record).get("__annotations__", {}).items()
            if isinstance(kind, str)
        }
        assert strings == {}, record
