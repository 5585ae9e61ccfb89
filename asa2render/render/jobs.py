"""The ``--jobs`` option of ``render`` and ``build``: a positive number of processes, or ``auto``.

Apart from :mod:`.parallel`, which runs the processes: a command declares the option on every run,
but only a run with ``--jobs`` above 1 over several pages imports multiprocessing's machinery.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    _IntParam = click.ParamType[int, Any]
else:  # click < 8.2 has no generic ParamType at run time
    _IntParam = click.ParamType


class JobsType(_IntParam):
    """``--jobs``: a positive number of processes, or ``auto`` for one per CPU."""

    name = "N|auto"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            number = value
        elif str(value).strip().lower() == "auto":
            return os.cpu_count() or 1
        else:
            try:
                number = int(str(value))
            except ValueError:
                self.fail(f"{value!r} is not a number of processes or 'auto'", param, ctx)
        if number < 1:
            self.fail(f"{number} is not at least 1", param, ctx)
        return number


JOBS = JobsType()


def jobs_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-j",
        "--jobs",
        type=JOBS,
        default="1",
        show_default=True,
        help="Render pages in N processes after one shared fetch ('auto': one per CPU).",
    )(func)


__all__ = ["JOBS", "JobsType", "jobs_option"]
