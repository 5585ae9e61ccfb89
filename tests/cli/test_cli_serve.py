"""``asa2render serve``: builds, serves with a reload script, rebuilds on change; a real subprocess too."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from asa2render.cli.serve import RELOAD_PATH, Builds, build_once, preview_server, watch_and_rebuild
from asa2render.engine import Engine

CONFIG = """
[site]
products = "products.toml"
[[marketplaces]]
country = "de"
partner_tag = "mytag-21"
default = true
"""
PRODUCTS = '[[products]]\nasin = "B0LOCAL001"\ntitle = "{title}"\nprice = "14.9"\n'


def _site(root: Path, title: str = "Walnut scoop") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    (root / "products.toml").write_text(PRODUCTS.format(title=title), encoding="utf-8")
    (root / "index.md").write_text('# Home\n\n[asa2 asin="B0LOCAL001"]\n', encoding="utf-8")
    return root


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def _offline(config: Any) -> Engine:
    return Engine(config, offline=True)


def _wait_until(condition: Any, what: str) -> None:
    """Poll a condition; the bound only guards against a hung test, it is not a speed assertion."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


def test_build_serve_and_reload_script(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    builds = Builds(tmp_path / "out")
    assert build_once(site, builds, None, _offline) and builds.version == 1
    with preview_server(builds) as url:
        page = _get(url)
        assert "Walnut scoop" in page and "14,90\u00a0€" in page
        assert RELOAD_PATH in page and page.index(RELOAD_PATH) < page.index("</body>")
        assert _get(url + RELOAD_PATH.lstrip("/")) == "1"
        assert _get(url + "asa2render.css").startswith("/* asa2render")


def test_a_broken_configuration_keeps_the_last_good_pages(tmp_path: Path, capsys: Any) -> None:
    site = _site(tmp_path / "site")
    builds = Builds(tmp_path / "out")
    assert build_once(site, builds, None, _offline)
    (site / "asa2render.toml").write_text("[site\n", encoding="utf-8")
    assert not build_once(site, builds, None, _offline)
    assert builds.version == 1 and (builds.output / "index.html").is_file()
    assert "asa2render: error:" in capsys.readouterr().err


@pytest.fixture
def watcher(tmp_path: Path) -> Iterator[tuple[Path, Builds]]:
    site = _site(tmp_path / "site")
    builds = Builds(site / "output")  # inside the source: its own writes must not trigger rebuilds
    build_once(site, builds, None, _offline)
    stop = threading.Event()
    thread = threading.Thread(
        target=watch_and_rebuild, args=(site, builds, lambda: build_once(site, builds, None, _offline), stop)
    )
    thread.start()
    try:
        yield site, builds
    finally:
        stop.set()
        thread.join(timeout=10)


def test_a_change_rebuilds_and_bumps_the_version(watcher: tuple[Path, Builds]) -> None:
    site, builds = watcher
    time.sleep(0.5)  # let the watcher start before the edit, or the edit may go unseen
    (site / "products.toml").write_text(PRODUCTS.format(title="Oak scoop"), encoding="utf-8")
    _wait_until(lambda: "Oak scoop" in (builds.output / "index.html").read_text(), "the rebuild")
    assert builds.version >= 2
    settled = builds.version
    time.sleep(1.0)  # the rebuild's own output must not start another one
    assert builds.version == settled


def test_serve_command_runs_and_stops(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    command = [sys.executable, "-m", "asa2render", "serve", str(site), "--port", "0", "--offline"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith(f"Serving {site} at http://127.0.0.1:"), line
            url = line.split(" at ", 1)[1].split(" ", 1)[0]
            assert "Walnut scoop" in _get(url)
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_serve_rejects_a_broken_configuration(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    (site / "asa2render.toml").write_text("[site]\nbogus = 1\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "asa2render", "serve", str(site), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "asa2render: error:" in done.stderr and "Traceback" not in done.stderr
