"""The ``asa2render`` command line: the group and lazy command table (``app``), the one error path
and exit codes (``errors``), content commands (``content``), marketplace management
(``marketplaces``) and the sandbox server (``sandbox``)."""

from __future__ import annotations

from .app import cli, main
from .errors import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, CliError

__all__ = ["EXIT_FAILURES", "EXIT_OK", "EXIT_USAGE", "CliError", "cli", "main"]
