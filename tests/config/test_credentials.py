"""Credential and partner-tag rules: the loader and the CLI apply the same ones, with masked messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from asa2render.cli.app import cli
from asa2render.config.credentials import credential_problem, partner_tag_mismatch, partner_tag_problem
from asa2render.config.model import Config
from asa2render.errors import ConfigError
from asa2render.marketplaces import store_for

LWA_ID = "amzn1.application-oa2-client.0123abcd"


@pytest.mark.parametrize(
    ("country", "kind", "credential_id", "expected"),
    [
        ("de", "cognito", LWA_ID, "is an LWA client id"),
        ("us", "cognito", "demo-cognito-eu", "issued for the EU region, but us (United States) is in NA"),
        ("de", "lwa", "with space", "no spaces"),
        ("de", "lwa", LWA_ID, None),
        ("de", "cognito", "demo-cognito-eu", None),
    ],
)
def test_credential_rules(country: str, kind: str, credential_id: str, expected: str | None) -> None:
    problem = credential_problem(store_for(country), kind, credential_id)  # type: ignore[arg-type]
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem
        assert credential_id not in problem or " " in credential_id


def test_partner_tag_rules_mask_the_tag() -> None:
    problem = partner_tag_problem(store_for("de"), "secrettag")
    assert problem is not None and "se*****" in problem and "secrettag" not in problem
    assert partner_tag_problem(store_for("de"), "mytag-21") is None
    assert partner_tag_mismatch(store_for("de"), "mytag-21") is None
    mismatch = partner_tag_mismatch(store_for("de"), "mytag-20")
    assert mismatch is not None and "does not end in -21" in mismatch and "mytag-20" not in mismatch


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (f'credential_type = "cognito"\ncredential_id = "{LWA_ID}"', "de: credential id ****abcd is an LWA"),
        ('credential_type = "lwa"\ncredential_id = "demo-lwa-na"', "issued for the NA region"),
        ('partner_tag = "secrettag"', "malformed partner tag se*****"),
    ],
)
def test_a_hand_edited_file_breaking_a_rule_fails_to_load(
    write_config: Callable[[str], Config], entry: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        write_config(f'[[marketplaces]]\ncountry = "de"\n{entry}\n')
    assert expected in str(caught.value)
    assert "secrettag" not in str(caught.value) and "0123abcd" not in str(caught.value)


def test_associate_sets_follow_the_tag_rule(write_config: Callable[[str], Config]) -> None:
    with pytest.raises(ConfigError, match=r"associate set 'default': malformed partner tag se\*\*\*\*\*"):
        write_config('[associate_id_sets.default]\nde = "secrettag"\n')


def test_the_cli_refuses_what_the_loader_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["marketplaces", "add", "de", "--partner-tag", "mytag-21", "--type", "cognito", "--id", LWA_ID]
    result = CliRunner().invoke(cli, [*args, "--secret-env", "DE_SECRET"])
    assert result.exit_code == 2
    assert "asa2render: error: credential id ****abcd is an LWA client id" in result.stderr
    assert not (tmp_path / "asa2render.toml").exists()
