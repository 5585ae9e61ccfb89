"""Stop signals wait for a batch being saved to be saved whole, then stop the run."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from asa2render.interrupts import Terminated, deferred_interrupts, handle_stop_signals


def _signal_self(signum: int) -> None:
    os.kill(os.getpid(), signum)
    # The handler runs at the next bytecode boundary of the main thread; give it a few.
    for _ in range(1000):
        pass


def _save_batch(signum: int, steps: list[str]) -> None:
    """A batch being saved: the signal arrives in the middle of it."""
    with deferred_interrupts():
        _signal_self(signum)
        steps.append("saved")
        steps.append("counted")


def _nested(steps: list[str]) -> None:
    with deferred_interrupts():
        with deferred_interrupts():
            _signal_self(signal.SIGINT)
            steps.append("inner")
        steps.append("outer")


def _unprotected(steps: list[str]) -> None:
    _signal_self(signal.SIGTERM)
    steps.append("after")


@pytest.mark.parametrize(
    ("signum", "raised"), [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, Terminated)]
)
def test_a_signal_inside_the_block_is_raised_when_the_block_ends(
    signum: int, raised: type[KeyboardInterrupt]
) -> None:
    steps: list[str] = []
    with handle_stop_signals(), pytest.raises(raised):
        _save_batch(signum, steps)
    assert steps == ["saved", "counted"]


def test_nested_blocks_raise_once_at_the_outermost_end() -> None:
    steps: list[str] = []
    with handle_stop_signals(), pytest.raises(KeyboardInterrupt):
        _nested(steps)
    assert steps == ["inner", "outer"]


def test_outside_a_block_the_signal_stops_at_once() -> None:
    steps: list[str] = []
    with handle_stop_signals(), pytest.raises(Terminated):
        _unprotected(steps)
    assert steps == []


def test_the_previous_handlers_are_back_afterwards() -> None:
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with handle_stop_signals():
        assert signal.getsignal(signal.SIGINT) is not before[0]
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


def test_other_threads_are_left_alone() -> None:
    seen: list[BaseException | None] = []

    def work() -> None:
        try:
            with handle_stop_signals(), deferred_interrupts():
                seen.append(None)
        except BaseException as exc:  # pragma: no cover - would fail the assertion below
            seen.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [None]
