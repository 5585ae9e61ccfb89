"""How ``marketplaces add/edit`` take a credential: the options, and where the secret goes.

Secrets are read from an environment reference (``--secret-env``), stdin (``--secret-stdin``) or a
hidden prompt — never from a command-line argument, which ``ps`` would show. They are stored in the
private secrets file unless ``--secret-in-config`` or ``--secret-env`` asks otherwise.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from ..config.edit import ConfigDocument
from ..marketplaces import CredentialType
from .errors import CliError

F = TypeVar("F", bound=Callable[..., Any])
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class SecretChoice:
    """Where a secret was asked to come from, and where it will be stored."""

    env: str | None
    stdin: bool
    in_config: bool

    @property
    def given(self) -> bool:
        return bool(self.env or self.stdin or self.in_config)


def credential_options(function: F) -> F:
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


def check_secret_flags(choice: SecretChoice) -> None:
    if choice.env and (choice.stdin or choice.in_config):
        raise CliError(
            "--secret-env stores a reference; it cannot be combined with --secret-stdin/--secret-in-config"
        )
    if choice.env and not _ENV_NAME.match(choice.env):
        raise CliError(f'--secret-env wants a variable name such as DE_CREATORS_SECRET, not "{choice.env}"')


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


def store_secret(document: ConfigDocument, country: str, choice: SecretChoice) -> None:
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


def known_type(value: object) -> CredentialType | None:
    """A credential type already in the file (an unknown one is left for the loader to report)."""
    if value == "cognito":
        return "cognito"
    if value == "lwa":
        return "lwa"
    return None


def has_secret(document: ConfigDocument, country: str) -> bool:
    entry = document.marketplace(country)
    return bool((entry is not None and entry.get("credential_secret")) or document.stored_secret(country))


__all__ = [
    "SecretChoice",
    "check_secret_flags",
    "credential_options",
    "has_secret",
    "known_type",
    "store_secret",
]
