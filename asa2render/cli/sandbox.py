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
from ..sandbox.options import SandboxOptions, parse_credential, parse_paapi_key
from ..sandbox.server import Sandbox
from .errors import EXIT_FAILURES, EXIT_USAGE, CliError

_T = TypeVar("_T")

_HELP = """Run a local emulator of Amazon's Creators API and PA-API 5.0.

Prints the base URL on the first line of stdout and serves until interrupted (Ctrl-C or SIGTERM).
Point any command at it with --sandbox URL or ASA2RENDER_SANDBOX=URL.

\b
Paths: POST /oauth2/token (Cognito, 2.x), POST /auth/o2/token (LWA, 3.x),
       POST /catalog/v1/{getItems,searchItems,getVariations,getBrowseNodes},
       POST /paapi5/{getitems,searchitems,getvariations,getbrowsenodes},
       GET /_sandbox/stats, POST /_sandbox/reset.

\b
Demo credentials (used when no --credential is given; secret "demo-secret"):
  demo-cognito-na 2.1   demo-cognito-eu 2.2   demo-cognito-fe 2.3
  demo-lwa-na     3.1   demo-lwa-eu     3.2   demo-lwa-fe     3.3
Demo PA-API key (used when no --paapi-key is given): DEMOACCESSKEY / demo-paapi-secret

\b
Demo products: B0DEMO0001 … B0DEMO0005 in the us, uk, de, fr and jp stores. Any other
valid ASIN gets a deterministic synthetic product; B0BAD… is invalid, B0NOACC… not accessible.
"""


def _parsed(
    parse: Callable[[str], _T],
) -> Callable[[click.Context, click.Parameter, Sequence[str]], tuple[_T, ...]]:
    def callback(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> tuple[_T, ...]:
        try:
            return tuple(parse(value) for value in values)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None

    return callback


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
@click.option(
    "--credential",
    "credentials",
    multiple=True,
    metavar="ID:SECRET:VERSION",
    callback=_parsed(parse_credential),
    help="Accept this Creators API credential, bound to its version (2.1-2.3 Cognito, 3.1-3.3 LWA).",
)
@click.option(
    "--paapi-key",
    "paapi_keys",
    multiple=True,
    metavar="ACCESS:SECRET",
    callback=_parsed(parse_paapi_key),
    help="Accept this PA-API 5.0 access key / secret key pair.",
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
    "--paapi-deprecated", is_flag=True, help="Answer every PA-API call with the deprecation AccessDenied."
)
def sandbox(**values: Any) -> None:
    try:
        options = SandboxOptions(**values)
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
