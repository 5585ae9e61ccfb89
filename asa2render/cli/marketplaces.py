"""``asa2render marketplaces …``: the seed's "Configured Marketplaces" screen, in the terminal.

Every action of the seed's admin table is a sub-command: ``list`` (the table itself, see
:mod:`~asa2render.cli.table`), ``add``, ``edit``, ``remove``, ``enable``/``disable``, ``set-default``,
plus ``route`` (which API a store would use, and why) and ``test`` (see :mod:`~asa2render.cli.probe`).
Edits go through :mod:`asa2render.config.edit`, which keeps the user's formatting and writes
atomically, after the loader's own rules (:mod:`asa2render.config.credentials`) accepted the result;
credentials are taken as :mod:`~asa2render.cli.secrets_input` describes.

Everything printed is masked: partner tags keep two characters and their store suffix, credential ids
their last four characters, and secrets are never shown at all.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from ..config.credentials import credential_problem, partner_tag_mismatch, partner_tag_problem
from ..config.edit import ConfigDocument, gitignore_lists
from ..config.model import CONFIG_FILENAME, SECRETS_FILENAME, Config, find_config, load_config
from ..config.routing import decide_route
from ..edges import SANDBOX_ENV
from ..errors import ConfigError
from ..marketplaces import CREDENTIAL_TYPE_LABELS, CredentialType, Store, country_codes, get_store
from ..masking import Redactor, mask_credential_id, mask_partner_tag
from .errors import EXIT_FAILURES, CliError
from .probe import TEST_ASIN, check_marketplace
from .secrets_input import (
    SecretChoice,
    check_secret_flags,
    credential_options,
    has_secret,
    known_type,
    store_secret,
)
from .table import DEFAULT_MARK, marketplace_rows, plain_table, rich_table

F = TypeVar("F", bound=Callable[..., Any])

_NO_DEFAULT_ADVICE = (
    "shortcodes without country= will now fail (there is no default marketplace); "
    "choose one with `asa2render marketplaces set-default COUNTRY`"
)


# -- shared plumbing ---------------------------------------------------------------------------------


@dataclass
class _Settings:
    """Options of the ``marketplaces`` group, shared by its sub-commands."""

    explicit_path: Path | None = None

    @property
    def path(self) -> Path:
        """The file to read and edit: ``--config``, else the nearest one, else ``./asa2render.toml``."""
        return self.explicit_path or find_config() or Path.cwd() / CONFIG_FILENAME


def _settings() -> _Settings:
    settings = click.get_current_context().find_object(_Settings)
    return settings if settings is not None else _Settings()


def _remember_config(ctx: click.Context, _: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.ensure_object(_Settings).explicit_path = value


def _config_option(function: F) -> F:
    """``--config FILE`` on every sub-command too, so it may follow the sub-command's name."""
    option = click.option(
        "--config",
        type=click.Path(dir_okay=False, path_type=Path),
        expose_value=False,
        callback=_remember_config,
        help="asa2render.toml to use (default: the nearest one, else ./asa2render.toml).",
    )
    return option(function)


def _redactor(document: ConfigDocument | None) -> Redactor:
    return Redactor(document.sensitive_values(os.environ) if document else {})


def _canonical(country: str) -> Store:
    store = get_store(country)
    if store is None:
        raise CliError(f'unknown country "{country}"; allowed: {", ".join(country_codes())}')
    return store


def _load() -> Config:
    """The validated configuration for read-only commands (empty when there is no file yet)."""
    settings = _settings()
    path = settings.path
    if not path.is_file():
        if settings.explicit_path is not None:
            raise CliError(f"{path}: no such file; create it with `asa2render marketplaces add …`")
        return Config()
    try:
        return load_config(path)
    except ConfigError as exc:
        raise CliError(_redact_error(exc, path)) from None


def _redact_error(exc: ConfigError, path: Path) -> str:
    try:
        document: ConfigDocument | None = ConfigDocument.open(path)
    except ConfigError:
        document = None
    return _redactor(document)(str(exc))


def _open_document() -> ConfigDocument:
    try:
        return ConfigDocument.open(_settings().path)
    except ConfigError as exc:
        raise CliError(str(exc)) from None


def _commit(document: ConfigDocument) -> Config:
    """Validate the edit with the loader's rules, then write it; refuse (writing nothing) if invalid."""
    redact = _redactor(document)
    try:
        config = document.validate()
    except ConfigError as exc:
        raise CliError(f"not saved, the result would be invalid: {redact(str(exc))}") from None
    report = document.save()
    if report.config_created:
        click.echo(f"created {document.path}")
    if report.secrets_written:
        _secrets_file_advice(document.secrets_path, created=report.secrets_created)
    return config


def _secrets_file_advice(path: Path, *, created: bool) -> None:
    if created:
        click.echo(
            f"created {path} (mode 0600) for credential secrets; never commit it: "
            f"add {SECRETS_FILENAME} to your .gitignore"
        )
    gitignore = path.with_name(".gitignore")
    if gitignore.is_file() and not gitignore_lists(gitignore, SECRETS_FILENAME):
        click.echo(f"warning: {gitignore} does not list {SECRETS_FILENAME}; add it", err=True)


def _require(document: ConfigDocument, store: Store) -> None:
    if document.marketplace(store.country) is None:
        raise CliError(
            f"{store.country} ({store.name}) is not configured; "
            f"add it with `asa2render marketplaces add {store.country} --partner-tag …`"
        )


def _check_credential(store: Store, credential_type: CredentialType, credential_id: str) -> None:
    """The loader's credential rule, applied to the options before anything is edited."""
    problem = credential_problem(store, credential_type, credential_id)
    if problem:
        raise CliError(problem)


def _check_partner_tag(store: Store, tag: str) -> None:
    """The loader's partner-tag rule; a tag of another store's suffix is only a warning."""
    problem = partner_tag_problem(store, tag)
    if problem:
        raise CliError(problem)
    warning = partner_tag_mismatch(store, tag)
    if warning:
        click.echo(f"warning: {warning}", err=True)


def _summary(config: Config, country: str) -> str:
    """One masked line about a marketplace, then its route."""
    market = config.marketplace(country)
    assert market is not None  # just written and validated
    parts = [f"{market.country} ({market.store.name})"]
    if market.credential_type:
        parts.append(
            f"{CREDENTIAL_TYPE_LABELS[market.credential_type]} {mask_credential_id(market.credential_id)}, "
            f"version {market.api_version}"
        )
    else:
        parts.append("no Creators API credentials")
    if market.partner_tag:
        parts.append(f"partner tag {mask_partner_tag(market.partner_tag)}")
    parts.append("enabled" if market.enabled else "disabled")
    if market.default:
        parts.append(f"default {DEFAULT_MARK}")
    return ", ".join(parts) + "\n" + decide_route(config, country).explain()


def _default_disabled_note(config: Config, country: str) -> str:
    route = decide_route(config, country)
    target = route.label if route.api != "none" else "no API (local products and cache only)"
    return (
        f"{country} is the default marketplace: shortcodes without country= still use it, "
        f"now through {target}"
    )


# -- commands ----------------------------------------------------------------------------------------


@click.group()
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="asa2render.toml to use (default: the nearest one, else ./asa2render.toml).",
)
@click.pass_context
def marketplaces(ctx: click.Context, config_path: Path | None) -> None:
    """Manage the Amazon marketplaces (stores) and their Creators API credentials."""
    ctx.obj = _Settings(config_path)


@marketplaces.command("list")
@click.option(
    "--all", "include_all", is_flag=True, help="Also list every other Amazon store (not configured)."
)
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@_config_option
def list_command(include_all: bool, output_format: str) -> None:
    """Show the configured marketplaces and which API each one uses."""
    rows = marketplace_rows(_load(), include_all=include_all)
    if output_format == "json":
        click.echo(json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False))
    elif sys.stdout.isatty():
        from rich.console import Console

        Console().print(rich_table(rows))
    elif rows:
        click.echo(plain_table(rows))
    else:
        click.echo(
            "no marketplaces configured; add one with `asa2render marketplaces add COUNTRY --partner-tag …`"
        )


@marketplaces.command()
@click.argument("country")
@click.option("--partner-tag", required=True, help="Tracking ID for this store, e.g. mytag-21.")
@credential_options
@click.option(
    "--enable/--disable", "enabled", default=True, show_default=True, help="Use the Creators API here."
)
@click.option("--default", "make_default", is_flag=True, help="Make this the default marketplace.")
@_config_option
def add(
    country: str,
    partner_tag: str,
    credential_type: CredentialType | None,
    credential_id: str | None,
    secret_env: str | None,
    secret_stdin: bool,
    secret_in_config: bool,
    enabled: bool,
    make_default: bool,
) -> None:
    """Add a marketplace; without --type it is listed without Creators API credentials."""
    store = _canonical(country)
    choice = SecretChoice(secret_env, secret_stdin, secret_in_config)
    check_secret_flags(choice)
    if credential_type is None and (credential_id or choice.given):
        raise CliError("--id and the --secret-… options need --type cognito|lwa")
    if credential_type is not None and not credential_id:
        raise CliError(f"--type {credential_type} needs --id (the credential ID from Associates Central)")
    if credential_type is not None and credential_id:
        _check_credential(store, credential_type, credential_id)
    _check_partner_tag(store, partner_tag)
    document = _open_document()
    if document.marketplace(store.country) is not None:
        raise CliError(
            f"{store.country} ({store.name}) is already configured; "
            f"change it with `asa2render marketplaces edit {store.country} …`"
        )
    document.add_marketplace(store.country)
    document.set_value(store.country, "credential_type", credential_type)
    document.set_value(store.country, "credential_id", credential_id)
    if credential_type is not None:
        store_secret(document, store.country, choice)
    document.set_value(store.country, "partner_tag", partner_tag)
    document.set_value(store.country, "enabled", enabled)
    previous = document.set_default(store.country) if make_default else []
    config = _commit(document)
    click.echo("added " + _summary(config, store.country))
    _report_previous_defaults(previous, store.country)


@marketplaces.command()
@click.argument("country")
@credential_options
@click.option("--partner-tag", help="Tracking ID for this store, e.g. mytag-21.")
@click.option(
    "--enable/--disable", "enabled", default=None, help="Use the Creators API here, or stop using it."
)
@click.option("--default", "make_default", is_flag=True, help="Make this the default marketplace.")
@_config_option
def edit(
    country: str,
    credential_type: CredentialType | None,
    credential_id: str | None,
    secret_env: str | None,
    secret_stdin: bool,
    secret_in_config: bool,
    partner_tag: str | None,
    enabled: bool | None,
    make_default: bool,
) -> None:
    """Change a marketplace's credentials, partner tag, status or default flag."""
    store = _canonical(country)
    choice = SecretChoice(secret_env, secret_stdin, secret_in_config)
    check_secret_flags(choice)
    document = _open_document()
    _require(document, store)
    entry = document.marketplace(store.country)
    assert entry is not None
    if not any(
        (credential_type, credential_id, choice.given, partner_tag, enabled is not None, make_default)
    ):
        raise CliError("nothing to change; see `asa2render marketplaces edit --help`")
    new_type = credential_type or known_type(entry.get("credential_type"))
    new_id = credential_id or entry.get("credential_id")
    if new_type and new_id:
        _check_credential(store, new_type, str(new_id))
    elif credential_type or credential_id or choice.given:
        raise CliError("Creators API credentials need both --type cognito|lwa and --id")
    if partner_tag is not None:
        _check_partner_tag(store, partner_tag)
    for key, value in (("credential_type", credential_type), ("credential_id", credential_id)):
        if value:
            document.set_value(store.country, key, value)
    if partner_tag is not None:
        document.set_value(store.country, "partner_tag", partner_tag)
    if choice.given or (credential_type and not has_secret(document, store.country)):
        store_secret(document, store.country, choice)
    if enabled is not None:
        document.set_value(store.country, "enabled", enabled)
    previous = document.set_default(store.country) if make_default else []
    config = _commit(document)
    click.echo("updated " + _summary(config, store.country))
    _report_previous_defaults(previous, store.country)
    if enabled is False and config.default_country == store.country:
        click.echo(_default_disabled_note(config, store.country))


@marketplaces.command()
@click.argument("country")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@_config_option
def remove(country: str, yes: bool) -> None:
    """Delete a marketplace and its stored secret."""
    store = _canonical(country)
    document = _open_document()
    _require(document, store)
    entry = document.marketplace(store.country)
    was_default = bool(entry is not None and entry.get("default"))
    if not yes:
        click.confirm(
            f"Remove {store.country} ({store.name}) and its credentials from {document.path.name}?",
            abort=True,
        )
    document.remove_marketplace(store.country)
    config = _commit(document)
    click.echo(f"removed {store.country} ({store.name})")
    click.echo(decide_route(config, store.country).explain())
    if was_default:
        click.echo(f"{store.country} was the default marketplace: {_NO_DEFAULT_ADVICE}")


@marketplaces.command()
@click.argument("country")
@_config_option
def enable(country: str) -> None:
    """Use the Creators API for this marketplace (when it has credentials)."""
    _set_enabled(country, True)


@marketplaces.command()
@click.argument("country")
@_config_option
def disable(country: str) -> None:
    """Stop using the Creators API here (PA API 5.0 takes over); the credentials are kept."""
    _set_enabled(country, False)


def _set_enabled(country: str, enabled: bool) -> None:
    store = _canonical(country)
    document = _open_document()
    _require(document, store)
    document.set_value(store.country, "enabled", enabled)
    config = _commit(document)
    click.echo(("enabled " if enabled else "disabled ") + _summary(config, store.country))
    if not enabled and config.default_country == store.country:
        click.echo(_default_disabled_note(config, store.country))


@marketplaces.command("set-default")
@click.argument("country")
@_config_option
def set_default(country: str) -> None:
    """Make this the marketplace used by shortcodes without country=."""
    store = _canonical(country)
    document = _open_document()
    _require(document, store)
    previous = document.set_default(store.country)
    config = _commit(document)
    click.echo(f"{store.country} ({store.name}) is now the default marketplace {DEFAULT_MARK}")
    _report_previous_defaults(previous, store.country)
    click.echo(decide_route(config, store.country).explain())


def _report_previous_defaults(previous: list[str], new: str) -> None:
    for code in previous:
        if code != new:
            click.echo(f"{code} is no longer the default marketplace (there is only one)")


@marketplaces.command()
@click.argument("country")
@_config_option
def route(country: str) -> None:
    """Which API a product from this store would use, and why."""
    store = _canonical(country)
    click.echo(decide_route(_load(), store.country).explain())


@marketplaces.command("test")
@click.argument("countries", nargs=-1)
@click.option(
    "--sandbox",
    metavar="URL",
    envvar=SANDBOX_ENV,
    help="Send every request to an `asa2render sandbox` at URL.",
)
@click.option("--asin", default=TEST_ASIN, show_default=True, help="The item to fetch from each store.")
@_config_option
def test_command(countries: tuple[str, ...], sandbox: str | None, asin: str) -> None:
    """Get a token and fetch one item per marketplace; exit 1 if any fails."""
    config = _load()
    codes = [_canonical(country).country for country in countries] or [m.country for m in config.marketplaces]
    if not codes:
        raise CliError("no marketplaces configured; add one with `asa2render marketplaces add …`")
    redact = _redactor(_open_document())
    checks = [check_marketplace(config, code, sandbox=sandbox, asin=asin) for code in codes]
    for check in checks:
        mark = "FAIL" if check.failed else ("skip" if check.status == "skipped" else "ok")
        click.echo(redact(f"{mark:4}  {check.country}  {check.api}: {check.detail}"))
    failures = [check.country for check in checks if check.failed]
    if failures:
        click.echo(f"{len(failures)} of {len(checks)} marketplace(s) failed: {', '.join(failures)}", err=True)
        raise SystemExit(EXIT_FAILURES)


__all__ = ["marketplaces"]
