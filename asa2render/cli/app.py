"""The ``asa2render`` command line.

Commands live in the modules of the concept they serve and are imported only when invoked, so
``asa2render --version`` stays fast (no rich tables, sandbox or host packages loaded).
Exit codes and the one error path: :mod:`asa2render.cli.errors`.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from .. import __version__

# command name → "module:attribute" of a click.Command, loaded on first use.
LAZY_COMMANDS: dict[str, str] = {
    "render": "asa2render.cli.content:render",
    "build": "asa2render.cli.content:build",
    "check": "asa2render.cli.content:check",
    "cache": "asa2render.cli.content:cache",
    "refresh": "asa2render.cli.content:refresh",
    "export-data": "asa2render.cli.export:export_data",
    "init": "asa2render.cli.init:init",
    "marketplaces": "asa2render.cli.marketplaces:marketplaces",
    "products": "asa2render.cli.products:products",
    "report": "asa2render.cli.report:report",
    "sandbox": "asa2render.cli.sandbox:sandbox",
    "serve": "asa2render.cli.serve:serve",
    "gallery": "asa2render.cli.serve:gallery",
    "import-wordpress": "asa2render.cli.wordpress:import_wordpress",
}

_DEBUG = "asa2render.debug"  # ctx.meta key: -vv shows tracebacks of library errors


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported when they are run or listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(LAZY_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = LAZY_COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a library error nobody handled becomes a :class:`CliError` (no traceback)."""
        # Imported here, not at the top: ``asa2render --version`` never gets this far.
        from ..errors import Asa2Error
        from .errors import cli_error

        try:
            return super().invoke(ctx)
        except Asa2Error as error:
            if ctx.meta.get(_DEBUG):
                raise
            raise cli_error(error) from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="asa2render")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Errors only.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Render Amazon product boxes from [asa2 …] shortcodes in Markdown and HTML."""
    import logging  # not at the top: ``--version`` exits before this callback and needs no logging

    ctx.meta[_DEBUG] = verbose >= 2
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    _configure_logging(level)


def _configure_logging(level: int) -> None:
    """Library log records (cache repairs, API notices) go to stderr as ``asa2render: message``."""
    import logging

    logger = logging.getLogger("asa2render")
    logger.setLevel(level)
    # Replace the handler on every invocation: the stream must be the current stderr (tests swap it).
    for old in [h for h in logger.handlers if getattr(h, "asa2render_cli", False)]:
        logger.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("asa2render: %(message)s"))
    handler.asa2render_cli = True  # type: ignore[attr-defined]
    logger.addHandler(handler)


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point."""
    return cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="asa2render")


__all__ = ["LAZY_COMMANDS", "cli", "main"]
