"""``asa2render sandbox``: run the local Creators API / PA-API emulator until interrupted."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import ConfigError
from ..sandbox.catalog import parse_missing
from ..sandbox.options import SandboxOptions, parse_credential, parse_paapi_key, read_secret_file
from ..sandbox.server import Sandbox
from .errors import EXIT_FAILURES, EXIT_USAGE, CliError

_F = TypeVar("_F", bound=Callable[..., Any])

_HELP = """Run a local emulator of Amazon's Creators API and PA-API 5.0.

Prints the base URL on the first line of stdout and serves until interrupted (Ctrl-C or SIGTERM).
Point any command at it with --sandbox URL or ASA2RENDER_SANDBOX=URL.

\b
Paths: POST /oauth2/token (Cognito, 2.x), POST /auth/o2/token (LWA, 3.x),
       POST /catalog/v1/{getItems,searchItems,getVariations,getBrowseNodes},
       POST /paapi5/{getitems,searchitems,getvariations,getbrowsenodes},
       GET /_sandbox/stats, POST /_sandbox/reset.

\b
Credentials: --credential (shown in the process list), --credential-file FILE (one
ID:SECRET:VERSION per line) or ASA2RENDER_SANDBOX_CREDENTIALS (whitespace-separated);
PA-API keys likewise with --paapi-key, --paapi-key-file, ASA2RENDER_SANDBOX_PAAPI_KEYS.

\b
Demo credentials (used when none are given; secret "demo-secret"):
  demo-cognito-na 2.1   demo-cognito-eu 2.2   demo-cognito-fe 2.3
  demo-lwa-na     3.1   demo-lwa-eu     3.2   demo-lwa-fe     3.3
Demo PA-API key (used when no --paapi-key is given): DEMOACCESSKEY / demo-paapi-secret

\b
Demo products: B0DEMO0001 … B0DEMO0005 in the us, uk, de, fr and jp stores. Any other
valid ASIN gets a deterministic synthetic product; B0BAD… is invalid, B0NOACC… not accessible;
--missing ASIN:STORE (or the catalog's "missing") makes an ASIN unknown in one store.
"""


def _repeated(
    flag: str, name: str, metavar: str, parse: Callable[[str], object], help_text: str, envvar: str
) -> Callable[[_F], _F]:
    """A repeatable option whose values are parsed at once, a ValueError becoming a usage error.

    Without the option, ``envvar`` supplies the values (whitespace-separated), which keeps secrets
    out of the process list.
    """

    def callback(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> tuple[object, ...]:
        try:
            return tuple(parse(value) for value in values)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None

    return click.option(
        flag, name, multiple=True, metavar=metavar, envvar=envvar, callback=callback, help=help_text
    )


def _parsed(values: Sequence[str], parse: Callable[[str], object]) -> tuple[object, ...]:
    try:
        return tuple(parse(value) for value in values)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _from_files(flag: str, name: str, parse: Callable[[str], object], help_text: str) -> Callable[[_F], _F]:
    """A repeatable FILE option: one entry per line, parsed like the matching inline option."""

    def callback(ctx: click.Context, param: click.Parameter, paths: Sequence[Path]) -> tuple[object, ...]:
        try:
            return tuple(entry for path in paths for entry in read_secret_file(path, parse))
        except ValueError as error:
            raise click.BadParameter(str(error)) from None

    path_type = click.Path(dir_okay=False, path_type=Path)
    return click.option(
        flag, name, multiple=True, metavar="FILE", type=path_type, callback=callback, help=help_text
    )


@click.command("sandbox", help=_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=0, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port."
)
@click.option(
    "--tls", is_flag=True, help="Serve HTTPS with a generated self-signed CA (path printed on stderr)."
)
@click.option(
    "--catalog",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON catalog of products (format: see asa2render.sandbox.catalog); default: the bundled demo.",
)
@_repeated(
    "--credential",
    "credentials",
    "ID:SECRET:VERSION",
    parse_credential,
    "Accept this Creators API credential, bound to its version (2.1-2.3 Cognito, 3.1-3.3 LWA). "
    "Visible in the process list: prefer --credential-file or ASA2RENDER_SANDBOX_CREDENTIALS "
    "(whitespace-separated entries).",
    envvar="ASA2RENDER_SANDBOX_CREDENTIALS",
)
@_from_files(
    "--credential-file",
    "credential_files",
    parse_credential,
    "Read credentials from FILE, one ID:SECRET:VERSION per line (# comments allowed).",
)
@_repeated(
    "--paapi-key",
    "paapi_keys",
    "ACCESS:SECRET",
    parse_paapi_key,
    "Accept this PA-API 5.0 access key / secret key pair (or ASA2RENDER_SANDBOX_PAAPI_KEYS).",
    envvar="ASA2RENDER_SANDBOX_PAAPI_KEYS",
)
@_from_files(
    "--paapi-key-file",
    "paapi_key_files",
    parse_paapi_key,
    "Read PA-API keys from FILE, one ACCESS:SECRET per line.",
)
@click.option(
    "--fault-rate", default=0.0, type=click.FloatRange(0, 1), help="Share of API calls answered with a fault."
)
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the fault sequence.")
@click.option(
    "--throttle-tps",
    type=click.FloatRange(min=0, min_open=True),
    help="429 above N requests/s per credential.",
)
@click.option(
    "--token-ttl", default=3600, show_default=True, type=click.IntRange(1), help="Token lifetime in seconds."
)
@click.option(
    "--ineligible", multiple=True, metavar="COUNTRY", help="Answer 403 AssociateNotEligible for this store."
)
@click.option(
    "--missing",
    "missing",
    multiple=True,
    metavar="ASIN:STORE",
    callback=lambda ctx, param, values: _parsed(values, parse_missing),
    help="This ASIN does not exist in this store (GetItems answers InvalidParameterValue); repeatable.",
)
@click.option(
    "--paapi-deprecated", is_flag=True, help="Answer every PA-API call with the deprecation AccessDenied."
)
@click.option(
    "--read-timeout",
    default=5.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a client may take to send its request (408 after that).",
)
@click.option(
    "--max-body-bytes",
    default=1024 * 1024,
    show_default=True,
    type=click.IntRange(1),
    help="Largest request body accepted (413 above it).",
)
def sandbox(
    credentials: tuple[tuple[str, str, str], ...],
    credential_files: tuple[tuple[str, str, str], ...],
    paapi_keys: tuple[tuple[str, str], ...],
    paapi_key_files: tuple[tuple[str, str], ...],
    **values: Any,
) -> None:
    try:
        options = SandboxOptions(
            credentials=credentials + credential_files, paapi_keys=paapi_keys + paapi_key_files, **values
        )
        running = Sandbox(options).start()
    except (ConfigError, ValueError) as error:
        raise CliError(str(error), EXIT_USAGE) from None
    except OSError as error:  # the address is taken or not ours: the options were fine, serving failed
        where = f"{values['host']}:{values['port']}"
        raise CliError(f"cannot serve on {where}: {error.strerror or error}", EXIT_FAILURES) from None
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        click.echo(running.url)
        sys.stdout.flush()
        if running.ca_cert_path is not None:
            click.echo(f"CA certificate: {running.ca_cert_path}", err=True)
        while not stop.wait(0.5):
            pass
    finally:
        running.stop()


__all__ = ["sandbox"]
