"""Where a command's text result goes: stdout, or a file written atomically (``-o``/``--output``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..files import atomic_write
from .errors import EXIT_USAGE, CliError


def emit(text: str, output: Path | None, *, done: str) -> None:
    """Print ``text``, or write it to ``output`` and say ``done`` on stderr; a write failure exits 2."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        atomic_write(output, text, create_parents=True)
    except OSError as exc:
        raise CliError(f"{output}: cannot write: {exc.strerror}", EXIT_USAGE) from None
    click.echo(done, err=True)


__all__ = ["emit"]
