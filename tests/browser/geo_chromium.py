"""A minimal headless Chromium for the geo tests, driven over ``--remote-debugging-pipe``.

Interim launcher: helper "ui"'s shared driver (``tests/browser/chromium.py``, DevTools over a websocket)
had not landed on main when these tests were written. The surface is the same —
``Chromium(accept_lang=…, timezone=…)`` as a context manager and ``run(url, script)`` returning the
script's JSON value — so the geo tests switch by changing one import. Extra: ``flags`` (e.g.
``--blink-settings=scriptEnabled=false``) and :meth:`Chromium.html`, which reads the DOM without
running any page script.

The DevTools protocol goes over two pipes (Chromium reads commands on fd 3 and writes answers on fd 4,
NUL-separated JSON), so no websocket library and no debugging port are needed. The language comes from
``--accept-lang`` and the time zone from ``TZ`` (headless Chromium ignores ``--lang``).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",  # the test machine runs as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    # A closed network refuses Chromium's background connections; they only add noise and time.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
)
TIMEOUT = 30.0
_TRAMPOLINE = """
import os, sys
commands, answers = (os.dup(int(fd)) for fd in sys.argv[1:3])  # copies first: the targets may clash
for source, target in ((commands, 3), (answers, 4)):
    if source != target:
        os.dup2(source, target)
    os.set_inheritable(target, True)
os.execv(sys.argv[3], sys.argv[3:])
"""


class BrowserError(RuntimeError):
    """Chromium failed to start, or a page or script failed."""


def find_chromium() -> str:
    """``$ASA2_CHROMIUM``, else the first Chromium on PATH (scripts/test-tools/chromium.sh installs one)."""
    for name in (os.environ.get("ASA2_CHROMIUM", ""), *CANDIDATES):
        found = shutil.which(name) if name else None
        if found:
            return found
    raise BrowserError("no Chromium found: run scripts/test-tools/chromium.sh (make test-tools)")


class Chromium:
    """One headless browser; each :meth:`run` opens a fresh tab (same profile, so storage persists)."""

    def __init__(
        self, *, accept_lang: str = "en-US", timezone: str | None = None, flags: Sequence[str] = ()
    ) -> None:
        self.accept_lang = accept_lang
        self.timezone = timezone
        self.flags = tuple(flags)
        self._process: subprocess.Popen[bytes] | None = None
        self._profile: Path | None = None
        self._ids = itertools.count(1)
        self._buffer = b""
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> Chromium:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        self._profile = Path(tempfile.mkdtemp(prefix="asa2-geo-chromium-"))
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()
        env = dict(os.environ)
        if self.timezone:
            env["TZ"] = self.timezone
        arguments = [
            *FLAGS,
            *self.flags,
            f"--user-data-dir={self._profile}",
            f"--accept-lang={self.accept_lang}",
            "about:blank",
        ]
        # A Python trampoline moves our pipe ends to the fd numbers Chromium expects (3: commands,
        # 4: answers), then becomes Chromium (exec): no shell, whose fd syntax stops at 9.
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _TRAMPOLINE,
                str(commands_read),
                str(answers_write),
                find_chromium(),
                *arguments,
            ],
            env=env,
            pass_fds=(commands_read, answers_write),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_read)
        os.close(answers_write)

    def stop(self) -> None:
        if self._process is not None:
            with contextlib.suppress(BrowserError, OSError):
                self._send("Browser.close")
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            os.close(self._commands)
            os.close(self._answers)
            self._process = None
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    # -- pages -------------------------------------------------------------------------------

    def run(self, url: str, script: str, *, timeout: float = TIMEOUT) -> Any:
        """Load ``url``, evaluate ``script`` (an expression; a promise is awaited), return its JSON value."""
        session, target = self._open(url, timeout)
        try:
            params = {"expression": script, "awaitPromise": True, "returnByValue": True}
            result = self.call("Runtime.evaluate", params, session=session, timeout=timeout)
            if "exceptionDetails" in result:
                details = result["exceptionDetails"]
                text = details.get("exception", {}).get("description") or details.get("text")
                raise BrowserError(f"script failed: {text}")
            return result["result"].get("value")
        finally:
            self.call("Target.closeTarget", {"targetId": target})

    def html(self, url: str, *, timeout: float = TIMEOUT) -> str:
        """The page's HTML after it loaded, read through the DOM domain (works with scripts disabled)."""
        session, target = self._open(url, timeout)
        try:
            root = self.call("DOM.getDocument", {"depth": 0}, session=session)["root"]
            outer = self.call("DOM.getOuterHTML", {"nodeId": root["nodeId"]}, session=session)
            return str(outer["outerHTML"])
        finally:
            self.call("Target.closeTarget", {"targetId": target})

    def _open(self, url: str, timeout: float) -> tuple[str, str]:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=session)
        self.call("Page.navigate", {"url": url}, session=session)
        self._wait_for("Page.loadEventFired", session, timeout)
        return session, target

    # -- protocol ----------------------------------------------------------------------------

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: str | None = None,
        timeout: float = TIMEOUT,
    ) -> dict[str, Any]:
        ident = self._send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message.get("id") == ident:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self._events.append(message)

    def _send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        ident = next(self._ids)
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        return ident

    def _wait_for(self, event: str, session: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for index, message in enumerate(self._events):
                if message["method"] == event and message.get("sessionId") == session:
                    return self._events.pop(index)
            message = self._receive(deadline)
            if "method" in message:
                self._events.append(message)

    def _receive(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._answers], [], [], remaining)
            if ready:
                chunk = os.read(self._answers, 1 << 16)
                if not chunk:
                    raise BrowserError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message


__all__ = ["BrowserError", "Chromium", "find_chromium"]
