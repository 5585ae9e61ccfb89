"""``asa2render marketplaces …``: the seed's Configured Marketplaces table and its actions."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from asa2render.cli.app import cli
from asa2render.cli.table import marketplace_rows, rich_table
from asa2render.config.model import SECRETS_FILENAME, load_config
from asa2render.config.routing import decide_route
from asa2render.marketplaces import STORES

SECRET = "Sup3r-Secret-Value"
PAAPI_SECRET = "paapi-Secret-Value"
ENV = {
    "DE_CREATORS_SECRET": SECRET,
    "PAAPI_ACCESS_KEY": "AKIAEXAMPLE",
    "PAAPI_SECRET_KEY": PAAPI_SECRET,
}
# The site before the migration: PA-API 5.0 keys and one associate set, no Creators credentials yet.
BEFORE_MIGRATION = """\
# asa2render settings for my blog
[site]
associate_set = "default"

[paapi]
access_key = "${PAAPI_ACCESS_KEY}"
secret_key = "${PAAPI_SECRET_KEY}"   # never in this file

[associate_id_sets.default]
de = "mytag-21"
fr = "mytag-21"
uk = "mytag-21"
us = "mytag-20"
"""

Run = Callable[..., Result]


@pytest.fixture
def config_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "asa2render.toml"
    path.write_text(BEFORE_MIGRATION, encoding="utf-8")
    return path


@pytest.fixture
def run(config_path: Path, caplog: pytest.LogCaptureFixture) -> Run:
    """Invoke ``asa2render marketplaces --config … ARGS`` and check no secret leaked anywhere."""
    caplog.set_level(logging.DEBUG)

    def invoke(*args: str, input: str | None = None, secrets: tuple[str, ...] = ()) -> Result:
        result = CliRunner().invoke(cli, ["marketplaces", "--config", str(config_path), *args], input=input)
        logged = "\n".join(record.getMessage() for record in caplog.records)
        for secret in (SECRET, PAAPI_SECRET, *secrets):
            assert secret not in result.stdout
            assert secret not in result.stderr
            assert secret not in logged
        return result

    return invoke


def build_seed_table(run: Run) -> None:
    """The seed's example configuration, built only through the commands."""
    de = run(
        "add", "de", "--type", "cognito", "--id", "abcdefgh1234wxyz", "--secret-env", "DE_CREATORS_SECRET",
        "--partner-tag", "mytag-21", "--enable", "--default",
    )  # fmt: skip
    assert de.exit_code == 0, de.output
    us = run(
        "add", "us", "--type", "lwa", "--id", "amzn1.application-oa2-client.0123abcd", "--secret-stdin",
        "--partner-tag", "mytag-20", input="us-Secret-Value\n", secrets=("us-Secret-Value",),
    )  # fmt: skip
    assert us.exit_code == 0, us.output
    uk = run("add", "uk", "--partner-tag", "mytag-21", "--disable")
    assert uk.exit_code == 0, uk.output


def test_seed_example_table_as_json(run: Run) -> None:
    build_seed_table(run)
    result = run("list", "--all", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    by_country = {row["country"]: row for row in rows}
    assert by_country["de"] == {
        "marketplace": "Germany",
        "country": "de",
        "status": "enabled",
        "credential_type": "cognito",
        "api_version": "2.2",
        "partner_tag": "my*****-21",
        "default": True,
        "api_used": "Creators API 2.2",
    }
    assert by_country["us"] == {
        "marketplace": "United States",
        "country": "us",
        "status": "enabled",
        "credential_type": "lwa",
        "api_version": "3.1",
        "partner_tag": "my*****-20",
        "default": False,
        "api_used": "Creators API 3.1",
    }
    assert by_country["uk"] == {
        "marketplace": "United Kingdom",
        "country": "uk",
        "status": "disabled",
        "credential_type": None,
        "api_version": None,
        "partner_tag": "my*****-21",
        "default": False,
        "api_used": "PA API 5.0",
    }
    assert by_country["fr"] == {
        "marketplace": "France",
        "country": "fr",
        "status": "not configured",
        "credential_type": None,
        "api_version": None,
        "partner_tag": "my*****-21",
        "default": False,
        "api_used": "PA API 5.0",
    }
    assert [row["country"] for row in rows[:3]] == ["de", "us", "uk"]
    assert len(rows) == len(STORES)
    assert sum(row["default"] for row in rows) == 1
    assert "mytag-21" not in result.stdout


def test_list_without_all_shows_only_configured(run: Run) -> None:
    build_seed_table(run)
    rows = json.loads(run("list", "--format", "json").stdout)
    assert [row["country"] for row in rows] == ["de", "us", "uk"]


def test_plain_table_has_the_seed_columns(run: Run) -> None:
    build_seed_table(run)
    result = run("list", "--all")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("  ")[0] == "Marketplace"
    for column in ("Status", "Credential Type", "API Version", "Partner Tag", "Default", "API Used"):
        assert column in lines[0]
    germany = next(line for line in lines if line.startswith("Germany"))
    assert "Enabled" in germany
    assert "Cognito (v2)" in germany
    assert "★" in germany
    assert "Creators API 2.2" in germany
    uk = next(line for line in lines if line.startswith("United Kingdom"))
    assert "Disabled" in uk
    assert "—" in uk
    assert "PA API 5.0" in uk
    france = next(line for line in lines if line.startswith("France"))
    assert "Not configured" in france
    assert "mytag" not in result.stdout
    assert "abcdefgh1234wxyz" not in result.stdout


def test_rich_table_colours_status(config_path: Path, run: Run) -> None:
    build_seed_table(run)
    rows = marketplace_rows(load_config(config_path), include_all=True)
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=True, color_system="standard", width=200).print(rich_table(rows))
    text = buffer.getvalue()
    assert "\x1b[32mEnabled" in text
    assert "Disabled" in text
    assert "★" in text
    assert "mytag" not in text


def test_empty_list_says_how_to_add(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["marketplaces", "list"])
    assert result.exit_code == 0
    assert "asa2render marketplaces add" in result.stdout


def test_add_stores_env_reference_not_the_secret(config_path: Path, run: Run) -> None:
    result = run(
        "add", "de", "--type", "cognito", "--id", "abcdefgh1234wxyz", "--secret-env", "DE_CREATORS_SECRET",
        "--partner-tag", "mytag-21",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = config_path.read_text(encoding="utf-8")
    assert 'credential_secret = "${DE_CREATORS_SECRET}"' in text
    assert not config_path.with_name(SECRETS_FILENAME).exists()
    assert "****wxyz" in result.stdout
    assert "my*****-21" in result.stdout
    assert (
        "de: cognito credentials, enabled → Creators API 2.2 (tracking ID from marketplace)" in result.stdout
    )
    assert "abcdefgh1234wxyz" not in result.output


def test_add_from_stdin_writes_the_private_secrets_file(config_path: Path, run: Run) -> None:
    (config_path.parent / ".gitignore").write_text("*.pyc\n", encoding="utf-8")
    result = run(
        "add", "de", "--type", "cognito", "--id", "abcdefgh1234wxyz", "--secret-stdin", "--partner-tag", "mytag-21",
        input=SECRET + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    secrets_path = config_path.with_name(SECRETS_FILENAME)
    assert stat.S_IMODE(secrets_path.stat().st_mode) == 0o600
    assert SECRET in secrets_path.read_text(encoding="utf-8")
    assert SECRET not in config_path.read_text(encoding="utf-8")
    assert f"add {SECRETS_FILENAME} to your .gitignore" in result.stdout
    assert f"does not list {SECRETS_FILENAME}" in result.stderr
    assert load_config(config_path).marketplace("de").uses_creators  # type: ignore[union-attr]


def test_add_prompts_for_the_secret_hidden(config_path: Path, run: Run) -> None:
    result = run(
        "add", "de", "--type", "cognito", "--id", "abcdefgh1234wxyz", "--partner-tag", "mytag-21",
        input=SECRET + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Credential secret for de" in result.output
    assert SECRET in config_path.with_name(SECRETS_FILENAME).read_text(encoding="utf-8")


def test_secret_in_config_only_when_insisted_and_with_a_warning(config_path: Path, run: Run) -> None:
    result = run(
        "add", "de", "--type", "cognito", "--id", "abcdefgh1234wxyz", "--secret-stdin", "--secret-in-config",
        "--partner-tag", "mytag-21", input=SECRET + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert SECRET in config_path.read_text(encoding="utf-8")
    assert "warning: the credential secret for de is written into asa2render.toml" in result.stderr


def test_add_without_type_lists_without_credentials(config_path: Path, run: Run) -> None:
    result = run("add", "uk", "--partner-tag", "mytag-21", "--disable")
    assert result.exit_code == 0, result.output
    market = load_config(config_path).marketplace("uk")
    assert market is not None
    assert (market.credential_type, market.enabled) == (None, False)
    assert decide_route(load_config(config_path), "uk").explain() + "\n" in result.stdout
    assert "→ PA API 5.0 (tracking ID from marketplace)" in result.stdout


def test_add_creates_the_file_when_there_is_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["marketplaces", "add", "fr", "--partner-tag", "mytag-21"])
    assert result.exit_code == 0, result.output
    assert "created" in result.stdout
    assert load_config(tmp_path / "asa2render.toml").marketplace("fr") is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "xx", "--partner-tag", "mytag-21"), 'unknown country "xx"; allowed: us, ca, mx'),
        (("add", "de", "--partner-tag", "not a tag"), "malformed partner tag"),
        (("add", "de", "--partner-tag", "mytag-21", "--type", "oauth", "--id", "x"), "'oauth' is not one of"),
        (("add", "de", "--partner-tag", "mytag-21", "--id", "abc"), "need --type cognito|lwa"),
        (("add", "de", "--partner-tag", "mytag-21", "--type", "lwa"), "--type lwa needs --id"),
        (
            ("add", "de", "--partner-tag", "mytag-21", "--type", "cognito", "--id",
             "amzn1.application-oa2-client.0123abcd", "--secret-env", "X"),
            "is an LWA client id",
        ),
        (
            ("add", "us", "--partner-tag", "mytag-20", "--type", "cognito", "--id", "demo-cognito-eu",
             "--secret-env", "X"),
            "issued for the EU region, but us (United States) is in NA",
        ),
        (
            ("add", "de", "--partner-tag", "mytag-21", "--type", "cognito", "--id", "abcd1234",
             "--secret-env", "X", "--secret-stdin"),
            "cannot be combined",
        ),
        (
            ("add", "de", "--partner-tag", "mytag-21", "--type", "cognito", "--id", "abcd1234",
             "--secret-env", "not-a-name"),
            "--secret-env wants a variable name",
        ),
    ],
)  # fmt: skip
def test_add_validation(config_path: Path, run: Run, args: tuple[str, ...], message: str) -> None:
    before = config_path.read_text(encoding="utf-8")
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert config_path.read_text(encoding="utf-8") == before


def test_malformed_tag_is_masked_in_the_message(run: Run) -> None:
    result = run("add", "de", "--partner-tag", "secrettag")
    assert result.exit_code == 2
    assert "secrettag" not in result.stderr
    assert "se*****" in result.stderr


def test_add_refuses_a_duplicate(run: Run) -> None:
    assert run("add", "de", "--partner-tag", "mytag-21").exit_code == 0
    result = run("add", "DE", "--partner-tag", "mytag-21")
    assert result.exit_code == 2
    assert "de (Germany) is already configured" in result.stderr
    assert "edit de" in result.stderr


def test_tag_of_another_store_is_a_warning(run: Run) -> None:
    result = run("add", "de", "--partner-tag", "mytag-20")
    assert result.exit_code == 0
    assert "does not end in -21" in result.stderr
    assert "mytag-20" not in result.output


def test_default_moves_and_only_one_remains(config_path: Path, run: Run) -> None:
    build_seed_table(run)
    result = run("edit", "us", "--default")
    assert result.exit_code == 0, result.output
    assert "de is no longer the default marketplace" in result.stdout
    assert load_config(config_path).default_country == "us"
    result = run("set-default", "uk")
    assert result.exit_code == 0, result.output
    assert "uk (United Kingdom) is now the default marketplace ★" in result.stdout
    assert "us is no longer the default marketplace" in result.stdout
    rows = json.loads(run("list", "--format", "json").stdout)
    assert [row["country"] for row in rows if row["default"]] == ["uk"]


def test_hand_edited_second_default_is_a_loader_error(config_path: Path, run: Run) -> None:
    config_path.write_text(
        BEFORE_MIGRATION
        + '\n[[marketplaces]]\ncountry = "de"\ndefault = true\n\n[[marketplaces]]\ncountry = "fr"\ndefault = true\n',
        encoding="utf-8",
    )
    result = run("list")
    assert result.exit_code == 2
    assert "only one marketplace may be the default, found 2: de, fr" in result.stderr
    # set-default repairs it: the edit is validated after it is applied.
    assert run("set-default", "fr").exit_code == 0
    assert load_config(config_path).default_country == "fr"


def test_loader_errors_are_masked(config_path: Path, run: Run) -> None:
    config_path.write_text(
        BEFORE_MIGRATION + '\n[[marketplaces]]\ncountry = "de"\npartner_tag = "hiddentag"\n', encoding="utf-8"
    )
    result = run("list")
    assert result.exit_code == 2
    assert "malformed partner tag" in result.stderr
    assert "hiddentag" not in result.stderr


def test_edit_changes_only_what_is_given(config_path: Path, run: Run) -> None:
    build_seed_table(run)
    result = run("edit", "uk", "--partner-tag", "othertag-21")
    assert result.exit_code == 0, result.output
    market = load_config(config_path).marketplace("uk")
    assert market is not None
    assert (market.partner_tag, market.enabled, market.credential_type) == ("othertag-21", False, None)
    assert "ot*****-21" in result.stdout


def test_edit_adds_credentials_and_prompts_for_a_missing_secret(config_path: Path, run: Run) -> None:
    build_seed_table(run)
    result = run("edit", "uk", "--type", "lwa", "--id", "amzn1.application-oa2-client.99ffeedd", "--enable",
                 input="uk-Secret-Value\n", secrets=("uk-Secret-Value",))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Credential secret for uk" in result.output
    assert "uk: lwa credentials, enabled → Creators API 3.2" in result.stdout
    assert "****eedd" in result.stdout


def test_edit_moves_a_secret_from_env_to_the_secrets_file(config_path: Path, run: Run) -> None:
    build_seed_table(run)
    result = run("edit", "de", "--secret-stdin", input="new-Secret-Value\n", secrets=("new-Secret-Value",))
    assert result.exit_code == 0, result.output
    assert "${DE_CREATORS_SECRET}" not in config_path.read_text(encoding="utf-8")
    assert "new-Secret-Value" in config_path.with_name(SECRETS_FILENAME).read_text(encoding="utf-8")
    market = load_config(config_path).marketplace("de")
    assert market is not None
    assert market.credential_secret is not None
    assert market.credential_secret.get_secret_value() == "new-Secret-Value"


def test_edit_refusals(run: Run) -> None:
    build_seed_table(run)
    nothing = run("edit", "de")
    assert nothing.exit_code == 2
    assert "nothing to change" in nothing.stderr
    missing = run("edit", "fr", "--enable")
    assert missing.exit_code == 2
    assert "fr (France) is not configured" in missing.stderr
    half = run("edit", "uk", "--id", "abcd1234")
    assert half.exit_code == 2
    assert "need both --type" in half.stderr


def test_disable_keeps_credentials_and_routes_to_paapi(config_path: Path, run: Run) -> None:
    build_seed_table(run)
    result = run("disable", "de")
    assert result.exit_code == 0, result.output
    assert "de: Creators API disabled → PA API 5.0 (tracking ID from marketplace)" in result.stdout
    assert (
        "de is the default marketplace: shortcodes without country= still use it, now through PA API 5.0"
        in (result.stdout)
    )
    market = load_config(config_path).marketplace("de")
    assert market is not None
    assert market.has_credentials
    assert not market.enabled
    again = run("enable", "de")
    assert again.exit_code == 0
    assert "Creators API 2.2" in again.stdout


def test_enable_unknown_marketplace(run: Run) -> None:
    result = run("enable", "fr")
    assert result.exit_code == 2
    assert "add it with `asa2render marketplaces add fr" in result.stderr


def test_remove_with_confirmation(config_path: Path, run: Run) -> None:
    build_seed_table(run)
    declined = run("remove", "us", input="n\n")
    assert declined.exit_code == 1
    assert load_config(config_path).marketplace("us") is not None
    accepted = run("remove", "us", input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert load_config(config_path).marketplace("us") is None
    assert "us-Secret-Value" not in config_path.with_name(SECRETS_FILENAME).read_text(encoding="utf-8")
    assert "us: no Creators API credentials → PA API 5.0" in accepted.stdout


def test_removing_the_default_explains_shortcodes_without_country(config_path: Path, run: Run) -> None:
    build_seed_table(run)
    result = run("remove", "de", "--yes")
    assert result.exit_code == 0, result.output
    assert "de was the default marketplace: shortcodes without country= will now fail" in result.stdout
    assert "set-default COUNTRY" in result.stdout
    assert load_config(config_path).default_country is None


def test_route_prints_the_seeds_example_line(run: Run) -> None:
    build_seed_table(run)
    result = run("route", "fr")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == 'fr: no Creators API credentials → PA API 5.0 (tracking ID from associate set "default")\n'
    )


@pytest.mark.parametrize(
    ("country", "fragment"),
    [
        ("de", "de: cognito credentials, enabled → Creators API 2.2 (tracking ID from marketplace)"),
        ("us", "us: lwa credentials, enabled → Creators API 3.1 (tracking ID from marketplace)"),
        ("GB", "→ PA API 5.0 (tracking ID from marketplace)"),
        ("ca", "no tracking ID for PA-API → local products and cache only"),
    ],
)
def test_route_is_exactly_the_routing_rules_explanation(
    config_path: Path, run: Run, country: str, fragment: str
) -> None:
    build_seed_table(run)
    result = run("route", country)
    assert result.exit_code == 0, result.output
    assert result.stdout == decide_route(load_config(config_path), country).explain() + "\n"
    assert fragment in result.stdout


def test_route_unknown_country(run: Run) -> None:
    result = run("route", "zz")
    assert result.exit_code == 2
    assert 'unknown country "zz"' in result.stderr


def test_config_option_after_the_sub_command(
    config_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(
        cli, ["marketplaces", "add", "fr", "--partner-tag", "mytag-21", "--config", str(config_path)]
    )
    assert result.exit_code == 0, result.output
    assert load_config(config_path).marketplace("fr") is not None
    assert not (elsewhere / "asa2render.toml").exists()


def test_explicit_missing_config_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["marketplaces", "--config", str(tmp_path / "nope.toml"), "list"])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_cli_edits_keep_comments(config_path: Path, run: Run) -> None:
    build_seed_table(run)
    run("disable", "us")
    run("remove", "uk", "--yes")
    text = config_path.read_text(encoding="utf-8")
    assert text.startswith("# asa2render settings for my blog\n[site]\n")
    assert 'secret_key = "${PAAPI_SECRET_KEY}"   # never in this file' in text
    assert text.index("[associate_id_sets.default]") < text.index("[[marketplaces]]")


def test_interrupted_cli_write_leaves_the_file_unchanged(
    config_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(source: object, target: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    result = run("add", "de", "--partner-tag", "mytag-21")
    assert result.exit_code != 0
    assert config_path.read_text(encoding="utf-8") == BEFORE_MIGRATION
    assert sorted(p.name for p in config_path.parent.iterdir()) == ["asa2render.toml"]


def test_secrets_never_printed_by_any_command(config_path: Path, run: Run) -> None:
    # ``run`` asserts the secrets are absent from stdout, stderr and log records after every call.
    build_seed_table(run)
    for args in (
        ("list",),
        ("list", "--all"),
        ("list", "--all", "--format", "json"),
        ("route", "de"),
        ("route", "us"),
        ("disable", "de"),
        ("enable", "de"),
        ("set-default", "us"),
        ("edit", "de", "--partner-tag", "mytag-21"),
        ("remove", "uk", "--yes"),
    ):
        result = run(*args, secrets=("us-Secret-Value",))
        assert result.exit_code == 0, (args, result.output)
        assert "abcdefgh1234wxyz" not in result.output
        assert "amzn1.application-oa2-client.0123abcd" not in result.output


# -- test ----------------------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_test_command_reports_failures_and_exits_1(config_path: Path, run: Run) -> None:
    config_path.write_text("[api]\nmax_retries = 0\n" + BEFORE_MIGRATION, encoding="utf-8")
    build_seed_table(run)
    result = run(
        "test", "de", "--sandbox", f"http://127.0.0.1:{_closed_port()}", secrets=("us-Secret-Value",)
    )
    assert result.exit_code == 1
    assert "FAIL  de  Creators API 2.2: network: unreachable" in result.stdout
    assert "1 of 1 marketplace(s) failed: de" in result.stderr
    assert "abcdefgh1234wxyz" not in result.output


def test_test_command_needs_marketplaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["marketplaces", "test"])
    assert result.exit_code == 2
    assert "no marketplaces configured" in result.stderr


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    from asa2render.sandbox import Sandbox, SandboxOptions

    with Sandbox(SandboxOptions(port=0, ineligible=("us",))) as sandbox:
        yield sandbox.url


def test_test_command_against_the_sandbox(
    config_path: Path, run: Run, sandbox_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMO_SECRET", "demo-secret")
    monkeypatch.setenv("PAAPI_ACCESS_KEY", "DEMOACCESSKEY")
    monkeypatch.setenv("PAAPI_SECRET_KEY", "demo-paapi-secret")
    config_path.write_text("[api]\nmax_retries = 0\n" + BEFORE_MIGRATION, encoding="utf-8")
    for args in (
        ("add", "de", "--type", "cognito", "--id", "demo-cognito-eu", "--secret-env", "DEMO_SECRET"),
        ("add", "us", "--type", "lwa", "--id", "demo-lwa-na", "--secret-stdin"),
        ("add", "fr", "--type", "cognito", "--id", "wrong-credential", "--secret-stdin"),
        ("add", "uk", "--disable"),
    ):
        tag = "mytag-20" if args[1] == "us" else "mytag-21"
        assert (
            run(*args, "--partner-tag", tag, input="demo-secret\n", secrets=("demo-secret",)).exit_code == 0
        )

    passing = run("test", "de", "uk", "--sandbox", sandbox_url, secrets=("demo-secret", "demo-paapi-secret"))
    assert passing.exit_code == 0, passing.output
    assert "ok    de  Creators API 2.2: token OK, fetched" in passing.stdout
    assert "ok    uk  PA API 5.0: signed request OK, fetched" in passing.stdout

    everything = run("test", "--sandbox", sandbox_url, secrets=("demo-secret", "demo-paapi-secret"))
    assert everything.exit_code == 1
    lines = everything.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["ok", "de"],
        ["FAIL", "us"],
        ["FAIL", "fr"],
        ["ok", "uk"],
    ]
    assert "ineligible (AssociateNotEligible)" in lines[1]
    assert "10 qualified sales in the trailing 30 days" in lines[1]
    assert "invalid client" in lines[2]
    assert "2 of 4 marketplace(s) failed: us, fr" in everything.stderr
    assert "wrong-credential" not in everything.output
