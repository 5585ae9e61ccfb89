"""Issue 18 item 5: a run killed mid-fetch keeps every batch it was sent, and the rerun asks only the rest.

A real ``asa2render render`` process fetches 300 products from the project's sandbox (over loopback,
paced to 10 requests/s by ``[api] requests_per_second``), is sent SIGINT or SIGTERM once the sandbox
has answered a few batches, and must exit 130 / 143 saying how many products it saved. The cache
must hold them, and a second run must request exactly the products that are missing.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from asa2_fakes import SANDBOX_DE_MARKETPLACE

from asa2render.products.cache import ProductCache
from asa2render.sandbox import Sandbox, SandboxOptions

PRODUCTS = 300
CONFIG = (
    """
[site]
cache_dir = "cache"

[api]
requests_per_second = 10

"""
    + SANDBOX_DE_MARKETPLACE
    + """"""
)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    running = Sandbox(SandboxOptions()).start()
    try:
        yield running
    finally:
        running.stop()


def _requests(sandbox: Sandbox) -> list[dict[str, object]]:
    with urllib.request.urlopen(f"{sandbox.url}/_sandbox/stats", timeout=5) as reply:
        stats = json.load(reply)
    return [r for r in stats["requests"] if r["operation"] == "GetItems"]


def _asins(requests: list[dict[str, object]]) -> set[str]:
    return {asin for r in requests for asin in r["asins"]}  # type: ignore[attr-defined]


def _render(site: Path, sandbox: Sandbox) -> subprocess.Popen[str]:
    env = {**os.environ, "XDG_STATE_HOME": str(site / "state")}
    env.pop("ASA2RENDER_SANDBOX", None)
    return subprocess.Popen(
        [sys.executable, "-m", "asa2render", "render", "content", "-o", "out", "--sandbox", sandbox.url],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_killed_fetch_keeps_its_batches_and_the_rerun_fetches_only_the_rest(
    tmp_path: Path, sandbox: Sandbox, signum: int, code: int
) -> None:
    (tmp_path / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "content").mkdir()
    lines = [f"[asa2]B0KILL{n:04d}[/asa2]" for n in range(PRODUCTS)]
    (tmp_path / "content" / "page.md").write_text("\n\n".join(lines) + "\n", encoding="utf-8")

    process = _render(tmp_path, sandbox)
    deadline = time.monotonic() + 60  # a guard against a hung process, not a speed assertion
    while len(_requests(sandbox)) < 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == code, stderr
    assert "Traceback" not in stderr
    match = re.search(
        r"interrupted \((SIGINT|SIGTERM)\); (\d+) product\(s\) fetched in this run were saved", stderr
    )
    assert match, stderr
    saved = int(match.group(2))
    cache = ProductCache.on_disk(tmp_path / "cache")
    cached = {key.asin for key in cache.cached_keys()}
    cache.close()
    assert len(cached) == saved >= 40  # at least four answered batches of ten
    assert cached <= _asins(_requests(sandbox))
    assert not (tmp_path / "out" / "page.md").exists()  # an interrupted run writes no half page

    sandbox.reset_stats()
    rerun = _render(tmp_path, sandbox)
    _, stderr = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, stderr
    again = _asins(_requests(sandbox))
    assert again == {f"B0KILL{n:04d}" for n in range(PRODUCTS)} - cached
    assert len(_requests(sandbox)) == -(-len(again) // 10)  # full batches of ten, nothing asked twice
    page = (tmp_path / "out" / "page.md").read_text(encoding="utf-8")
    assert page.count('data-asa2-state="fresh"') == PRODUCTS


def test_a_killed_refresh_keeps_the_batches_it_was_sent(tmp_path: Path, sandbox: Sandbox) -> None:
    from datetime import timedelta

    from asa2_fakes import make_product

    from asa2render.products.models import utc_now

    (tmp_path / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    before = utc_now() - timedelta(hours=2)
    cache = ProductCache.on_disk(tmp_path / "cache")
    for n in range(PRODUCTS):
        cache.put_product(make_product(f"B0KILL{n:04d}", "de", fetched_at=before), before)
    cache.close()

    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    command = [sys.executable, "-m", "asa2render", "refresh", "--sandbox", sandbox.url]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60  # a guard against a hung process, not a speed assertion
    while len(_requests(sandbox)) < 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the refresh ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, stderr
    match = re.search(r"interrupted \(SIGINT\); (\d+) product\(s\) fetched in this run were saved", stderr)
    assert match, stderr
    cache = ProductCache.on_disk(tmp_path / "cache")
    products = cache.get_products(cache.cached_keys())
    cache.close()
    refreshed = [key for key, product in products.items() if product.fetched_at > before]
    assert len(refreshed) == int(match.group(1)) >= 40
    assert len(products) == PRODUCTS  # nothing was lost on the way
