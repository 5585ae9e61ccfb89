"""Starting an in-process sandbox for ``--sandbox auto``: the edges (CLI, integrations) call this.

The engine and the API layer only ever see a base URL; this module is where "auto" becomes one. The
sandbox starts on first use (a build whose products are all local or cached never starts it) and
stops when the launcher is closed.
"""

from __future__ import annotations

from .options import SandboxOptions
from .server import Sandbox, start_local_sandbox

AUTO = "auto"


class SandboxLauncher:
    """A sandbox started on first :meth:`url` and stopped by :meth:`close` (the engine's ``sandbox=``)."""

    def __init__(self, options: SandboxOptions | None = None) -> None:
        self._options = options or SandboxOptions()
        self._running: Sandbox | None = None

    def __repr__(self) -> str:
        return f"SandboxLauncher({self._running.url if self._running else 'not started'})"

    def url(self) -> str:
        """The running sandbox's base URL, starting it first if needed."""
        if self._running is None:
            # the preferred port when free, so cached demo data keeps pointing at live pictures
            self._running = start_local_sandbox(self._options)
        return self._running.url

    def close(self) -> None:
        if self._running is not None:
            self._running.stop()
            self._running = None


__all__ = ["AUTO", "SandboxLauncher"]
