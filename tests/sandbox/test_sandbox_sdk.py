"""Conformance: the real python-amazon-paapi 7.1.0 client talks to the sandbox unchanged.

It vendors ``creatorsapi_python_sdk``, which clashes with other SDKs, so it lives in its own virtualenv
under ``~/.cache/asa2render-tests/paapi-7.1.0`` (created once, then reused). Only host and auth_endpoint
differ from a production setup.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from asa2render.sandbox import Sandbox, SandboxOptions

SDK_REQUIREMENT = "python-amazon-paapi==7.1.0"
SCRIPT = r"""
import json, sys
from amazon_creatorsapi import AmazonCreatorsApi

base, credential_id, version, endpoint, country, tag = sys.argv[1:7]
api = AmazonCreatorsApi(credential_id=credential_id, credential_secret="demo-secret", version=version, tag=tag,
                        country=country, host=base, auth_endpoint=base + endpoint, throttling=0, retries=0)
items = api.get_items(["B0DEMO0001", "B0DEMO0002", "B0BAD00001"])
search = api.search_items(keywords="B0DEMO")
variations = api.get_variations("B0DEMO0005")
nodes = api.get_browse_nodes(["123"])
print(json.dumps({
    "items": {item.asin: item.item_info.title.display_value for item in items},
    "prices": [item.offers_v2.listings[0].price.money.amount for item in items],
    "search": search.total_result_count,
    "variations": len(variations.items),
    "nodes": [node.display_name for node in nodes],
}))
"""


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "asa2render-tests" / "paapi-7.1.0"


def _python_in(env_dir: Path) -> Path:
    return env_dir / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


@pytest.fixture(scope="session")
def sdk_python() -> Path:
    env_dir = _cache_dir()
    python = _python_in(env_dir)
    marker = env_dir / ".installed"
    env_dir.parent.mkdir(parents=True, exist_ok=True)
    with (env_dir.parent / "paapi-7.1.0.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # pytest-xdist workers share the cache: one installs, others wait
        if not marker.exists():
            _install(env_dir, python)
            marker.write_text(SDK_REQUIREMENT + "\n")
    return python


def _install(env_dir: Path, python: Path) -> None:
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", SDK_REQUIREMENT],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode != 0:
        pytest.skip(
            f"cannot install {SDK_REQUIREMENT} from the package index: {install.stderr.strip()[-500:]}"
        )


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions()) as running:
        yield running


@pytest.mark.parametrize(
    ("credential_id", "version", "endpoint", "country", "tag", "title"),
    [
        ("demo-cognito-eu", "2.2", "/oauth2/token", "DE", "mytag-21", "Moltano Kegelmahlwerk Kaffeemühle"),
        ("demo-lwa-na", "3.1", "/auth/o2/token", "US", "mytag-20", "Moltano Burr Coffee Grinder"),
    ],
)
def test_python_amazon_paapi_gets_items(
    sdk_python: Path, sandbox: Sandbox, credential_id: str, version: str, endpoint: str, country: str, tag: str,
    title: str,
) -> None:  # fmt: skip
    sandbox.reset_stats()
    run = subprocess.run(
        [str(sdk_python), "-c", SCRIPT, sandbox.url, credential_id, version, endpoint, country, tag],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout)
    assert result["items"]["B0DEMO0001"].startswith(title)
    assert result["items"]["B0DEMO0002"].startswith("Auralis Q40")
    assert all(isinstance(price, float | int) for price in result["prices"])
    assert result["variations"] >= 2
    assert result["nodes"]
    stats = sandbox.stats()
    assert stats["tokens"] == [{"credential_id": credential_id, "version": version}]
    assert [r["operation"] for r in stats["requests"]] == [
        "GetItems",
        "SearchItems",
        "GetVariations",
        "GetBrowseNodes",
    ]
    assert {r["status"] for r in stats["requests"]} == {200}
