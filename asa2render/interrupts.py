"""Ctrl-C and SIGTERM, held back while a fetched batch is being saved and counted.

Python raises ``KeyboardInterrupt`` in the main thread between any two bytecodes. When that thread is the
one saving an answered batch (one store: no worker threads), a signal could land after the products were
written to the cache but before they were counted, and the run would then report fewer saved products than
the cache holds. Inside :func:`deferred_interrupts` the handlers installed by :func:`handle_stop_signals`
only note the signal; it is raised when the outermost block ends, so a batch is saved and counted whole.
Outside such a block, and in threads other than the main one (which signals never interrupt), nothing
changes.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C so both stop a run the same way."""


_depth = 0  # nesting of deferred_interrupts() blocks in the main thread
_pending: KeyboardInterrupt | None = None  # the first signal that arrived inside one


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back until the block ends (main thread only; blocks may nest)."""
    global _depth, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _pending is not None:
            held, _pending = _pending, None
            raise held


def _raise_or_defer(interrupt: KeyboardInterrupt) -> None:
    global _pending
    if _depth:
        _pending = _pending or interrupt
        return
    raise interrupt


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _raise_or_defer(KeyboardInterrupt())


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _raise_or_defer(Terminated())


@contextmanager
def handle_stop_signals() -> Iterator[None]:
    """Install the deferring SIGINT and SIGTERM handlers for the block (main thread; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handlers: dict[int, Callable[[int, FrameType | None], None]] = {
        signal.SIGINT: _on_sigint,
        signal.SIGTERM: _on_sigterm,
    }
    previous = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


__all__ = ["Terminated", "deferred_interrupts", "handle_stop_signals"]
