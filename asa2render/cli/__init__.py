"""The ``asa2render`` command line: the group and lazy command table (``app``), content commands
(``content``), marketplace management (``marketplaces``) and the sandbox server (``sandbox``)."""

from __future__ import annotations

from .app import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, cli, main

__all__ = ["EXIT_FAILURES", "EXIT_OK", "EXIT_USAGE", "cli", "main"]
