"""The ``asa2render`` command line: the group and lazy command table (``app``), the one error path
and exit codes (``errors``), content commands (``content``), marketplace management
(``marketplaces``) and the sandbox server (``sandbox``).

:func:`main` is the console script. It first asks :mod:`asa2render.render.kept_pages` whether this
exact ``render`` was run before on unchanged inputs, and replays it then; only otherwise is the
command line (click) imported. Importing this package therefore imports neither click nor typing.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from .app import cli
    from .errors import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, CliError

_FROM_ERRORS = frozenset({"EXIT_FAILURES", "EXIT_OK", "EXIT_USAGE", "CliError"})


def main(argv: Sequence[str] | None = None) -> Any:
    """Console-script entry point: a kept page is replayed, anything else runs the command line."""
    from ..render import kept_pages

    arguments = list(sys.argv[1:] if argv is None else argv)
    code = kept_pages.replay(arguments)
    if code is not None:
        raise SystemExit(code)  # as click ends a command
    from .app import main as run

    with kept_pages.Recording(arguments):
        return run(arguments)


def __getattr__(name: str) -> Any:
    # The group and the error module (and the library's error tree) load on first use, so that
    # a replayed render and ``asa2render --version`` do not pay for them.
    if name == "cli":
        from .app import cli

        return cli
    if name in _FROM_ERRORS:
        from . import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'asa2render.cli' has no attribute {name!r}")


__all__ = ["EXIT_FAILURES", "EXIT_OK", "EXIT_USAGE", "CliError", "cli", "main"]
