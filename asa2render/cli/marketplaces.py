"""``asa2render marketplaces …``: the seed's "Configured Marketplaces" screen, in the terminal.

Every action of the seed's admin table is a sub-command: ``list`` (the table itself), ``add``, ``edit``,
``remove``, ``enable``/``disable``, ``set-default``, plus ``route`` (which API a store would use, and
why) and ``test`` (get a token and fetch one item per marketplace). Edits go through
:mod:`asa2render.config.edit`, which keeps the user's formatting and writes atomically; the decision
shown in "API Used" is :func:`asa2render.config.routing.decide_route`, the same rule the engine applies.

Secrets are read from an environment reference (``--secret-env``), stdin (``--secret-stdin``) or a
hidden prompt — never from a command-line argument, which ``ps`` would show. Everything printed is
masked: partner tags keep two characters and their store suffix, credential ids their last four
characters, and secrets are never shown at all.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click

from ..config.edit import ConfigDocument, gitignore_lists
from ..config.model import (
    CONFIG_FILENAME,
    PARTNER_TAG_PATTERN,
    SECRETS_FILENAME,
    Config,
    MarketplaceConfig,
    find_config,
    load_config,
)
from ..config.routing import decide_route
from ..errors import ConfigError
from ..marketplaces import (
    CREDENTIAL_TYPE_LABELS,
    STORES,
    TOKEN_ENDPOINTS,
    CredentialType,
    Store,
    country_codes,
    get_store,
)
from ..masking import mask_credential_id, mask_partner_tag
from .errors import EXIT_FAILURES, CliError

if TYPE_CHECKING:
    import httpx

    from ..api import Clock

Status = Literal["enabled", "disabled", "not configured"]
F = TypeVar("F", bound=Callable[..., Any])

NO_VALUE = "—"
DEFAULT_MARK = "★"
_STATUS_LABELS: dict[Status, str] = {
    "enabled": "Enabled",
    "disabled": "Disabled",
    "not configured": "Not configured",
}
_STATUS_STYLES: dict[Status, str] = {"enabled": "green", "disabled": "grey50", "not configured": "dim"}
_COLUMNS = ("Marketplace", "Status", "Credential Type", "API Version", "Partner Tag", "Default", "API Used")
_LWA_CLIENT_PREFIX = "amzn1.application-oa2-client."
_REGION_HINT = re.compile(r"[-_.](na|eu|fe)$", re.IGNORECASE)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NO_DEFAULT_ADVICE = (
    "shortcodes without country= will now fail (there is no default marketplace); "
    "choose one with `asa2render marketplaces set-default COUNTRY`"
)


# -- the table ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MarketplaceRow:
    """One row of the "Configured Marketplaces" table; field order is the JSON key order."""

    marketplace: str
    country: str
    status: Status
    credential_type: CredentialType | None
    api_version: str | None
    partner_tag: str | None  # masked
    default: bool
    api_used: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def cells(self) -> tuple[str, ...]:
        """The row as the table shows it, in :data:`_COLUMNS` order."""
        kind = CREDENTIAL_TYPE_LABELS[self.credential_type] if self.credential_type else NO_VALUE
        return (
            self.marketplace,
            _STATUS_LABELS[self.status],
            kind,
            self.api_version or NO_VALUE,
            self.partner_tag or NO_VALUE,
            DEFAULT_MARK if self.default else "",
            self.api_used,
        )


def marketplace_rows(config: Config, *, include_all: bool = False) -> list[MarketplaceRow]:
    """The seed's table: configured marketplaces in file order, then (``include_all``) every other store."""
    rows = [_configured_row(config, market) for market in config.marketplaces]
    if include_all:
        configured = {market.country for market in config.marketplaces}
        rows += [_unconfigured_row(config, store) for store in STORES if store.country not in configured]
    return rows


def _configured_row(config: Config, market: MarketplaceConfig) -> MarketplaceRow:
    tag, _ = config.partner_tag(market.country)
    return MarketplaceRow(
        marketplace=market.store.name,
        country=market.country,
        status="enabled" if market.enabled else "disabled",
        credential_type=market.credential_type,
        api_version=market.api_version,
        partner_tag=mask_partner_tag(tag) or None,
        default=market.default,
        api_used=decide_route(config, market.country).label,
    )


def _unconfigured_row(config: Config, store: Store) -> MarketplaceRow:
    tag, _ = config.partner_tag(store.country)
    return MarketplaceRow(
        marketplace=store.name,
        country=store.country,
        status="not configured",
        credential_type=None,
        api_version=None,
        partner_tag=mask_partner_tag(tag) or None,
        default=False,
        api_used=decide_route(config, store.country).label,
    )


def plain_table(rows: list[MarketplaceRow]) -> str:
    """Aligned columns without colour, for pipes, files and tests."""
    lines = [_COLUMNS, *(row.cells() for row in rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(_COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def rich_table(rows: list[MarketplaceRow]) -> Any:
    """The same table for a terminal: status in colour, the default starred."""
    from rich.table import Table  # imported here: only a terminal pays for rich

    table = Table(title="Configured Marketplaces")
    for column in _COLUMNS:
        table.add_column(column, justify="center" if column == "Default" else "left")
    for row in rows:
        cells = list(row.cells())
        cells[1] = f"[{_STATUS_STYLES[row.status]}]{cells[1]}[/]"
        table.add_row(*cells)
    return table


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


class _Redactor:
    """Replaces every known secret, credential id and partner tag in a message by its masked form."""

    def __init__(self, values: Mapping[str, str]) -> None:
        # Longest first, so a value containing another is replaced whole.
        self._values = sorted(values.items(), key=lambda item: -len(item[0]))

    @classmethod
    def for_document(cls, document: ConfigDocument | None) -> _Redactor:
        return cls(document.sensitive_values(os.environ) if document else {})

    def __call__(self, text: str) -> str:
        for value, kind in self._values:
            if kind == "secret":
                text = text.replace(value, "********")
            elif kind == "credential_id":
                text = text.replace(value, mask_credential_id(value))
            else:
                text = text.replace(value, mask_partner_tag(value))
        return text


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
    return _Redactor.for_document(document)(str(exc))


def _open_document() -> ConfigDocument:
    try:
        return ConfigDocument.open(_settings().path)
    except ConfigError as exc:
        raise CliError(str(exc)) from None


def _commit(document: ConfigDocument) -> Config:
    """Validate the edit with the loader's rules, then write it; refuse (writing nothing) if invalid."""
    redact = _Redactor.for_document(document)
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


# -- credentials -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _SecretChoice:
    """Where a secret was asked to come from, and where it will be stored."""

    env: str | None
    stdin: bool
    in_config: bool

    @property
    def given(self) -> bool:
        return bool(self.env or self.stdin or self.in_config)


def _credential_options(function: F) -> F:
    options = [
        click.option(
            "--type",
            "credential_type",
            type=click.Choice(["cognito", "lwa"], case_sensitive=False),
            help="Credential type: cognito (Creators API 2.x) or lwa (3.x, issued since February 2026).",
        ),
        click.option("--id", "credential_id", help="Credential ID from Associates Central."),
        click.option(
            "--secret-env",
            metavar="VAR",
            help="Store a ${VAR} reference: the secret is read from that environment variable at run time.",
        ),
        click.option("--secret-stdin", is_flag=True, help="Read the secret from one line of standard input."),
        click.option(
            "--secret-in-config",
            is_flag=True,
            help="Write the secret (from stdin or the prompt) into asa2render.toml itself. Not recommended.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _check_secret_flags(choice: _SecretChoice) -> None:
    if choice.env and (choice.stdin or choice.in_config):
        raise CliError(
            "--secret-env stores a reference; it cannot be combined with --secret-stdin/--secret-in-config"
        )
    if choice.env and not _ENV_NAME.match(choice.env):
        raise CliError(f'--secret-env wants a variable name such as DE_CREATORS_SECRET, not "{choice.env}"')


def _check_credential_id(store: Store, credential_type: CredentialType, credential_id: str) -> None:
    """Refuse a credential that cannot work for this store: wrong type, unknown version, other region."""
    if not credential_id or credential_id.strip() != credential_id or " " in credential_id:
        raise CliError("--id must be the credential ID exactly as Associates Central shows it (no spaces)")
    masked = mask_credential_id(credential_id)
    if credential_type == "cognito" and credential_id.startswith(_LWA_CLIENT_PREFIX):
        raise CliError(
            f"credential id {masked} is an LWA client id ({_LWA_CLIENT_PREFIX}…); "
            "use --type lwa (Creators API 3.x)"
        )
    version = store.api_version(credential_type)
    if version not in TOKEN_ENDPOINTS:
        raise CliError(
            f"no Creators API version {version} exists for {credential_type} credentials in {store.name}"
        )
    hint = _REGION_HINT.search(credential_id)
    if hint and hint.group(1).upper() != store.group:
        raise CliError(
            f"credential id {masked} is issued for the {hint.group(1).upper()} region, but {store.country} "
            f"({store.name}) is in {store.group}: Creators API credentials are tied to one region; "
            f"create credentials for {store.domain} in Associates Central"
        )


def _check_partner_tag(store: Store, tag: str) -> None:
    masked = mask_partner_tag(tag)
    if not PARTNER_TAG_PATTERN.match(tag):
        raise CliError(
            f"malformed partner tag {masked}: expected a tracking ID such as mytag{store.tag_suffix} "
            "(letters, digits, . _ - then a two-digit store suffix)"
        )
    if not tag.endswith(store.tag_suffix):
        click.echo(
            f"warning: partner tag {masked} does not end in {store.tag_suffix}, the usual suffix for "
            f"{store.domain}; check it is the tracking ID of this store",
            err=True,
        )


def _read_secret(country: str, *, from_stdin: bool) -> str:
    if from_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    else:
        secret = click.prompt(
            f"Credential secret for {country}", hide_input=True, default="", show_default=False
        )
    if not secret.strip():
        raise CliError(f"no credential secret given for {country}")
    return str(secret)


def _store_secret(document: ConfigDocument, country: str, choice: _SecretChoice) -> None:
    """Put the secret where it was asked to go, and remove it from the other place."""
    if choice.env:
        document.set_value(country, "credential_secret", "${" + choice.env + "}")
        document.set_secret(country, None)
        if not os.environ.get(choice.env):
            click.echo(
                f"warning: ${choice.env} is not set in this environment; "
                f"{country} cannot use the Creators API until it is",
                err=True,
            )
        return
    secret = _read_secret(country, from_stdin=choice.stdin)
    if choice.in_config:
        document.set_value(country, "credential_secret", secret)
        document.set_secret(country, None)
        click.echo(
            f"warning: the credential secret for {country} is written into {document.path.name} itself; "
            f"keep that file out of version control, or move the secret with "
            f"`asa2render marketplaces edit {country} --secret-stdin`",
            err=True,
        )
        return
    document.set_value(country, "credential_secret", None)
    document.set_secret(country, secret)


def _known_type(value: object) -> CredentialType | None:
    """A credential type already in the file (an unknown one is left for the loader to report)."""
    if value == "cognito":
        return "cognito"
    if value == "lwa":
        return "lwa"
    return None


def _has_secret(document: ConfigDocument, country: str) -> bool:
    entry = document.marketplace(country)
    return bool((entry is not None and entry.get("credential_secret")) or document.stored_secret(country))


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
@_credential_options
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
    choice = _SecretChoice(secret_env, secret_stdin, secret_in_config)
    _check_secret_flags(choice)
    if credential_type is None and (credential_id or choice.given):
        raise CliError("--id and the --secret-… options need --type cognito|lwa")
    if credential_type is not None and not credential_id:
        raise CliError(f"--type {credential_type} needs --id (the credential ID from Associates Central)")
    if credential_type is not None and credential_id:
        _check_credential_id(store, credential_type, credential_id)
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
        _store_secret(document, store.country, choice)
    document.set_value(store.country, "partner_tag", partner_tag)
    document.set_value(store.country, "enabled", enabled)
    previous = document.set_default(store.country) if make_default else []
    config = _commit(document)
    click.echo("added " + _summary(config, store.country))
    _report_previous_defaults(previous, store.country)


@marketplaces.command()
@click.argument("country")
@_credential_options
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
    choice = _SecretChoice(secret_env, secret_stdin, secret_in_config)
    _check_secret_flags(choice)
    document = _open_document()
    _require(document, store)
    entry = document.marketplace(store.country)
    assert entry is not None
    if not any(
        (credential_type, credential_id, choice.given, partner_tag, enabled is not None, make_default)
    ):
        raise CliError("nothing to change; see `asa2render marketplaces edit --help`")
    new_type = credential_type or _known_type(entry.get("credential_type"))
    new_id = credential_id or entry.get("credential_id")
    if new_type and new_id:
        _check_credential_id(store, new_type, str(new_id))
    elif credential_type or credential_id or choice.given:
        raise CliError("Creators API credentials need both --type cognito|lwa and --id")
    if partner_tag is not None:
        _check_partner_tag(store, partner_tag)
    for key, value in (("credential_type", credential_type), ("credential_id", credential_id)):
        if value:
            document.set_value(store.country, key, value)
    if partner_tag is not None:
        document.set_value(store.country, "partner_tag", partner_tag)
    if choice.given or (credential_type and not _has_secret(document, store.country)):
        _store_secret(document, store.country, choice)
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


# -- test ---------------------------------------------------------------------------------------------

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


@marketplaces.command("test")
@click.argument("countries", nargs=-1)
@click.option("--sandbox", metavar="URL", help="Send every request to an `asa2render sandbox` at URL.")
@click.option("--asin", default=TEST_ASIN, show_default=True, help="The item to fetch from each store.")
@_config_option
def test_command(countries: tuple[str, ...], sandbox: str | None, asin: str) -> None:
    """Get a token and fetch one item per marketplace; exit 1 if any fails."""
    config = _load()
    codes = [_canonical(country).country for country in countries] or [m.country for m in config.marketplaces]
    if not codes:
        raise CliError("no marketplaces configured; add one with `asa2render marketplaces add …`")
    redact = _Redactor.for_document(_open_document())
    checks = [check_marketplace(config, code, sandbox=sandbox, asin=asin) for code in codes]
    for check in checks:
        mark = "FAIL" if check.failed else ("skip" if check.status == "skipped" else "ok")
        click.echo(redact(f"{mark:4}  {check.country}  {check.api}: {check.detail}"))
    failures = [check.country for check in checks if check.failed]
    if failures:
        click.echo(f"{len(failures)} of {len(checks)} marketplace(s) failed: {', '.join(failures)}", err=True)
        raise SystemExit(EXIT_FAILURES)


__all__ = [
    "TEST_ASIN",
    "MarketplaceCheck",
    "MarketplaceRow",
    "check_marketplace",
    "marketplace_rows",
    "marketplaces",
    "plain_table",
    "rich_table",
]
