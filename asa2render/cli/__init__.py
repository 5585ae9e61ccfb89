"""The ``asa2render`` command line: the group and lazy command table (``app``), the one error path
and exit codes (``errors``), content commands (``content``), marketplace management
(``marketplaces``) and the sandbox server (``sandbox``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .app import cli, main

if TYPE_CHECKING:
    from .errors import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, CliError

_FROM_ERRORS = frozenset({"EXIT_FAILURES", "EXIT_OK", "EXIT_USAGE", "CliError"})


def __getattr__(name: str) -> Any:
    # The error module (and the library's error tree) loads on first use, so that the console
    # script's ``asa2render --version`` does not pay for it.
    if name in _FROM_ERRORS:
        from . import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'asa2render.cli' has no attribute {name!r}")


__all__ = ["EXIT_FAILURES", "EXIT_OK", "EXIT_USAGE", "CliError", "cli", "main"]
