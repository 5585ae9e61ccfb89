"""The one way a command reports failure: :class:`CliError` with a documented exit code.

Exit codes: :data:`EXIT_OK` (0) success, warnings may have been printed; :data:`EXIT_FAILURES` (1)
strict-mode or ``check`` failures (and an API that failed at run time); :data:`EXIT_USAGE` (2)
usage or configuration errors; :data:`EXIT_INTERRUPTED` (130) / :data:`EXIT_TERMINATED` (143)
stopped by Ctrl-C / SIGTERM (what was fetched is kept in the cache). Every error is printed as
``asa2render: error: message`` on stderr, without a traceback unless debug output was asked for
(``-vv``).
"""

from __future__ import annotations

from typing import IO, Any

import click

from ..errors import ApiError, Asa2Error, StrictModeError

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT: what shells report for Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM


class CliError(click.ClickException, Asa2Error):
    """A command failed: the message is printed as ``asa2render: error: …`` and the process exits.

    Click's standalone mode catches it (any :class:`click.ClickException`), calls :meth:`show` and
    exits with :attr:`exit_code`, so a command only has to ``raise CliError(message, EXIT_…)``.
    """

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        # click types exit_code as a ClassVar, but reads it from the raised instance; one class with a
        # per-instance code keeps every command on one exception type.
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"asa2render: error: {self.format_message()}", file=file, err=file is None)


def cli_error(error: Asa2Error) -> CliError:
    """The :class:`CliError` for a library error nobody handled: 1 for failures, 2 for the rest.

    Strict mode and the Amazon API failing are run-time failures (1); everything else the library
    raises (configuration, templates, a missing host package, an unusable cache) is a setup problem
    the user fixes before running again (2).
    """
    if isinstance(error, CliError):
        return error
    failed = isinstance(error, StrictModeError | ApiError)
    return CliError(str(error), EXIT_FAILURES if failed else EXIT_USAGE)


__all__ = [
    "EXIT_FAILURES",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "CliError",
    "cli_error",
]
