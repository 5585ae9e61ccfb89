"""The ``--jobs`` option: a positive number of processes or ``auto``, apart from the process pool."""

from __future__ import annotations

import os

import click
import pytest

from asa2render.render import jobs, parallel


@pytest.mark.parametrize(("value", "number"), [("1", 1), (" 3", 3), (4, 4)])
def test_a_number_of_processes_is_read(value: object, number: int) -> None:
    assert jobs.JOBS.convert(value, None, None) == number


def test_auto_is_one_process_per_cpu() -> None:
    assert jobs.JOBS.convert(" Auto ", None, None) == (os.cpu_count() or 1)


@pytest.mark.parametrize("value", ["0", "-2", "many", 0])
def test_anything_else_is_refused(value: object) -> None:
    with pytest.raises(click.BadParameter):
        jobs.JOBS.convert(value, None, None)


def test_parallel_still_offers_the_option() -> None:
    """Code that imported the option from :mod:`asa2render.render.parallel` keeps working."""
    assert parallel.JOBS is jobs.JOBS
    assert parallel.jobs_option is jobs.jobs_option
    assert parallel.JobsType is jobs.JobsType
