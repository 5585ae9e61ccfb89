"""Style-preserving, atomic edits of asa2render.toml and the secrets file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from asa2render.config.edit import ConfigDocument, gitignore_lists
from asa2render.config.model import SECRETS_FILENAME, load_config
from asa2render.errors import ConfigError

HAND_WRITTEN = """\
# My site's settings — hand written, keep my comments!
[site]
cache_ttl   =   600     # ten minutes

# Marketplaces, most important first
[[marketplaces]]
country = "DE"          # Germany, in capitals on purpose
partner_tag = "mytag-21"
default = true

[paapi]
access_key = "${PAAPI_KEY}"   # from the environment
"""


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "asa2render.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    return path


def test_edits_keep_comments_order_and_spacing(config_path: Path) -> None:
    document = ConfigDocument.open(config_path)
    entry = document.add_marketplace("us")
    entry["partner_tag"] = "mytag-20"
    document.set_value("de", "enabled", False)
    document.validate(environ={})
    document.save()

    text = config_path.read_text(encoding="utf-8")
    for kept in (
        "# My site's settings — hand written, keep my comments!",
        "cache_ttl   =   600     # ten minutes",
        'country = "DE"          # Germany, in capitals on purpose',
        'access_key = "${PAAPI_KEY}"   # from the environment',
    ):
        assert kept in text
    assert (
        text.index("[site]")
        < text.index('country = "DE"')
        < text.index('country = "us"')
        < text.index("[paapi]")
    )
    assert '[[marketplaces]]\ncountry = "us"\npartner_tag = "mytag-20"\n\n[paapi]' in text
    config = load_config(config_path, environ={})
    assert [m.country for m in config.marketplaces] == ["de", "us"]
    assert config.marketplace("de") is not None
    assert config.marketplace("de").enabled is False  # type: ignore[union-attr]


def test_countries_are_matched_canonically(config_path: Path) -> None:
    document = ConfigDocument.open(config_path)
    assert document.countries() == ["de"]
    assert document.marketplace("de") is not None
    assert document.marketplace("fr") is None


def test_set_default_moves_the_star(config_path: Path) -> None:
    document = ConfigDocument.open(config_path)
    document.add_marketplace("us")
    assert document.set_default("us") == ["de"]
    config = document.validate(environ={})
    assert config.default_country == "us"


def test_a_missing_file_is_created_with_a_first_marketplace(tmp_path: Path) -> None:
    path = tmp_path / "asa2render.toml"
    document = ConfigDocument.open(path)
    document.add_marketplace("fr")
    report = document.save()
    assert report.config_created
    assert not report.secrets_written
    assert load_config(path, environ={}).marketplace("fr") is not None
    assert not (tmp_path / SECRETS_FILENAME).exists()


def test_secrets_go_to_a_private_file_the_loader_merges(config_path: Path) -> None:
    document = ConfigDocument.open(config_path)
    document.set_value("de", "credential_type", "cognito")
    document.set_value("de", "credential_id", "abcd1234")
    document.set_secret("de", "s3cret-value")
    report = document.save()

    secrets_path = config_path.with_name(SECRETS_FILENAME)
    assert report.secrets_created
    assert stat.S_IMODE(secrets_path.stat().st_mode) == 0o600
    assert "s3cret-value" not in config_path.read_text(encoding="utf-8")
    assert (
        secrets_path.read_text(encoding="utf-8") == '[marketplaces.de]\ncredential_secret = "s3cret-value"\n'
    )
    market = load_config(config_path, environ={}).marketplace("de")
    assert market is not None
    assert market.has_credentials


def test_removing_a_marketplace_removes_its_secret(config_path: Path) -> None:
    document = ConfigDocument.open(config_path)
    document.set_secret("de", "s3cret-value")
    document.save()
    document = ConfigDocument.open(config_path)
    assert document.remove_marketplace("de")
    assert not document.remove_marketplace("de")
    document.save()
    assert "s3cret-value" not in config_path.with_name(SECRETS_FILENAME).read_text(encoding="utf-8")
    text = config_path.read_text(encoding="utf-8")
    assert "[[marketplaces]]" not in text
    assert "cache_ttl   =   600     # ten minutes" in text


def test_invalid_result_is_refused_by_the_loaders_rules(config_path: Path) -> None:
    document = ConfigDocument.open(config_path)
    document.add_marketplace("us")
    document.set_value("us", "default", True)  # a second default, as a hand edit would make it
    with pytest.raises(ConfigError, match="only one marketplace may be the default"):
        document.validate(environ={})


def test_interrupted_write_leaves_the_original_and_no_temporary_file(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = ConfigDocument.open(config_path)
    document.add_marketplace("us")

    def crash(source: object, target: object) -> None:
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        document.save()
    assert config_path.read_text(encoding="utf-8") == HAND_WRITTEN
    assert sorted(p.name for p in config_path.parent.iterdir()) == ["asa2render.toml"]


def test_inline_array_style_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "asa2render.toml"
    path.write_text('marketplaces = [{ country = "de", partner_tag = "mytag-21" }]\n', encoding="utf-8")
    document = ConfigDocument.open(path)
    document.add_marketplace("fr")
    document.save()
    assert path.read_text(encoding="utf-8").startswith("marketplaces = [")
    assert [m.country for m in load_config(path, environ={}).marketplaces] == ["de", "fr"]


def test_sensitive_values_resolve_environment_references(config_path: Path) -> None:
    document = ConfigDocument.open(config_path)
    document.set_value("de", "credential_id", "abcd1234")
    document.set_value("de", "credential_secret", "${DE_SECRET}")
    values = document.sensitive_values({"DE_SECRET": "from-env"})
    assert values == {"mytag-21": "partner_tag", "abcd1234": "credential_id", "from-env": "secret"}


def test_broken_toml_is_reported_without_its_content(tmp_path: Path) -> None:
    path = tmp_path / "asa2render.toml"
    path.write_text('[paapi]\nsecret_key = "hunter2\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        ConfigDocument.open(path)
    assert "hunter2" not in str(caught.value)
    assert "line" in str(caught.value)


@pytest.mark.parametrize(
    ("lines", "listed"),
    [
        ("asa2render.secrets.toml\n", True),
        ("/asa2render.secrets.toml\n", True),
        ("*.secrets.toml\n", True),
        ("# asa2render.secrets.toml\n*.pyc\n", False),
        ("", False),
    ],
)
def test_gitignore_lists(tmp_path: Path, lines: str, listed: bool) -> None:
    gitignore = tmp_path / ".gitignore"
    gitignore.write_text(lines, encoding="utf-8")
    assert gitignore_lists(gitignore, SECRETS_FILENAME) is listed
