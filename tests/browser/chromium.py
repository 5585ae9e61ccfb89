"""Headless Chromium for tests: load a page at a window size, run a script in it, get JSON back.

Drives the Debian ``chromium`` (or any chromium/chromium-browser/google-chrome on PATH, or
``$ASA2_CHROMIUM``) over the DevTools protocol with ``websocket-client``; playwright's and
puppeteer's own browser downloads do not work on a closed network, and no driver binary is needed.
``scripts/test-tools/chromium.sh`` installs the browser.

Reusable by any test::

    from chromium import run_page

    result = run_page("file:///…/index.html", "document.title", width=360, accept_lang="de-DE",
                      timezone="Europe/Berlin", screenshot=tmp_path / "page.png")

``run_page`` starts one browser per call (``accept_lang`` and ``timezone`` are process-wide: the
``--accept-lang`` flag and the ``TZ`` environment variable); use :class:`Chromium` to reuse one
browser for several pages.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import websocket

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# The flags this machine needs (see the project's machine notes): no sandbox as root, no GPU, and no
# background networking, whose connection attempts a closed network refuses by the dozen.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
)
STARTUP_TIMEOUT = 30.0


class BrowserError(RuntimeError):
    """Chromium could not be started, or a page or script failed."""


def find_chromium() -> str:
    """The Chromium executable: ``$ASA2_CHROMIUM``, else the first candidate on PATH."""
    for name in (os.environ.get("ASA2_CHROMIUM", ""), *CANDIDATES):
        found = shutil.which(name) if name else None
        if found:
            return found
    raise BrowserError("no Chromium found: run scripts/test-tools/chromium.sh (make test-tools)")


class Chromium:
    """One headless browser process; :meth:`run` opens a fresh tab per page."""

    def __init__(self, *, accept_lang: str = "en-US", timezone: str | None = None) -> None:
        self.accept_lang = accept_lang
        self.timezone = timezone
        self._profile: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._port = 0

    def __enter__(self) -> Chromium:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        self._profile = Path(tempfile.mkdtemp(prefix="asa2-chromium-"))
        env = dict(os.environ)
        if self.timezone:
            env["TZ"] = self.timezone
        command = [
            find_chromium(),
            *FLAGS,
            f"--user-data-dir={self._profile}",
            f"--accept-lang={self.accept_lang}",
            f"--lang={self.accept_lang}",
            "about:blank",
        ]
        self._process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._port = self._wait_for_port()

    def _wait_for_port(self) -> int:
        assert self._profile is not None and self._process is not None
        marker = self._profile / "DevToolsActivePort"
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise BrowserError(f"Chromium exited at start with code {self._process.returncode}")
            text = marker.read_text() if marker.exists() else ""
            if text.strip():
                return int(text.splitlines()[0])
            time.sleep(0.05)
        raise BrowserError("Chromium did not open its DevTools port")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def run(
        self,
        url: str,
        script: str,
        *,
        width: int = 1280,
        height: int = 800,
        inject: Sequence[Path] = (),
        screenshot: Path | None = None,
        color_scheme: str | None = None,
        timeout: float = 60.0,
    ) -> Any:
        """Load ``url`` at ``width``×``height`` CSS pixels, evaluate ``inject`` files and then
        ``script`` (an expression; a promise is awaited), write a full-page PNG when asked, and
        return the script's value as JSON data."""
        tab = _Tab(self._new_tab_url(), timeout)
        try:
            metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
            tab.call("Emulation.setDeviceMetricsOverride", metrics)
            if color_scheme:
                media = {"features": [{"name": "prefers-color-scheme", "value": color_scheme}]}
                tab.call("Emulation.setEmulatedMedia", media)
            tab.call("Page.enable")
            tab.call("Page.navigate", {"url": url})
            tab.wait_for("Page.loadEventFired")
            for path in inject:
                tab.evaluate(path.read_text(encoding="utf-8"))
            value = tab.evaluate(script)
            if screenshot is not None:
                tab.evaluate(_EAGER_IMAGES)
                shot = tab.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                screenshot.write_bytes(base64.b64decode(shot["data"]))
            return value
        finally:
            tab.close()

    def _new_tab_url(self) -> str:
        import urllib.request

        request = urllib.request.Request(f"http://127.0.0.1:{self._port}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(request, timeout=10) as response:
            target = json.load(response)
        return str(target["webSocketDebuggerUrl"])


# Lazy images below the fold load only when scrolled to; a review screenshot should show them all.
_EAGER_IMAGES = """
Promise.all([...document.images].map(img => {
  img.loading = "eager";
  return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
}))
"""


class _Tab:
    """One DevTools page session over a websocket: numbered calls, events kept until read."""

    def __init__(self, url: str, timeout: float) -> None:
        self._socket = websocket.create_connection(url, timeout=timeout, suppress_origin=True)
        self._ids = itertools.count(1)
        self._events: list[dict[str, Any]] = []

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        ident = next(self._ids)
        self._socket.send(json.dumps({"id": ident, "method": method, "params": params or {}}))
        while True:
            message = json.loads(self._socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self._events.append(message)

    def wait_for(self, event: str) -> dict[str, Any]:
        while True:
            for index, message in enumerate(self._events):
                if message["method"] == event:
                    return self._events.pop(index)
            message = json.loads(self._socket.recv())
            if "method" in message:
                self._events.append(message)

    def evaluate(self, expression: str) -> Any:
        params = {"expression": expression, "awaitPromise": True, "returnByValue": True}
        result = self.call("Runtime.evaluate", params)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"script failed: {text}")
        return result["result"].get("value")

    def close(self) -> None:
        with contextlib.suppress(BrowserError, websocket.WebSocketException, OSError):
            self.call("Page.close")
        self._socket.close()


def run_page(
    url: str,
    script: str,
    *,
    width: int = 1280,
    height: int = 800,
    accept_lang: str = "en-US",
    timezone: str | None = None,
    inject: Sequence[Path] = (),
    screenshot: Path | None = None,
    color_scheme: str | None = None,
) -> Any:
    """Start Chromium, load one page, run ``script`` in it and return its JSON value."""
    with Chromium(accept_lang=accept_lang, timezone=timezone) as browser:
        return browser.run(
            url,
            script,
            width=width,
            height=height,
            inject=inject,
            screenshot=screenshot,
            color_scheme=color_scheme,
        )


__all__ = ["BrowserError", "Chromium", "find_chromium", "run_page"]
