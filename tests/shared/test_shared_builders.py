"""Four builders at once, one credential, one budget: over Redis (plain and TLS) and over a shared folder.

Real processes (``python -m asa2render render``) start together against the sandbox, whose throttle
is below the builders' combined ``requests_per_second``. Together they must make the minimum number
of GetItems requests (each product fetched once), fetch one token, and never be throttled.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from redis_server import RedisServer

from asa2render.sandbox import Sandbox, SandboxOptions

CONFIG = """
[site]
cache_dir = "{cache_dir}"
{cache_url}
[[marketplaces]]
country = "de"
credential_type = "cognito"
credential_id = "demo-cognito-eu"
credential_secret = "demo-secret"
partner_tag = "mytag-21"
default = true

[[marketplaces]]
country = "fr"
credential_type = "cognito"
credential_id = "demo-cognito-eu"
credential_secret = "demo-secret"
partner_tag = "mytag-21"

[api]
requests_per_second = 1.0
timeout = 5.0
"""
BUILDERS = 4
RATE = 1.0  # each builder's requests_per_second: four together would send four a second
THROTTLE = 2.0  # the sandbox's limit per credential: below the builders' combined rate
STATE = re.compile(r'data-asa2-state="(fresh|stale|fallback)"')


def page_sets() -> list[dict[str, list[str]]]:
    """Overlapping windows: builder i needs de[10i, 10i+30) and fr[10i, 10i+20) (in page order).

    Windows start on multiples of ten, so whatever a builder adds to a store's pool is whole batches
    whichever moment it starts: the count below does not depend on how far apart the four processes
    happen to start on a busy machine. (Unaligned windows are minimal too when the builders' fetches
    overlap, as the benchmark shows; a builder starting after a store's pool ran dry costs one partial
    batch there.)
    """
    de = [f"B0SHDE{i:04}" for i in range(60)]
    fr = [f"B0SHFR{i:04}" for i in range(50)]
    return [{"de": de[10 * i : 10 * i + 30], "fr": fr[10 * i : 10 * i + 20]} for i in range(BUILDERS)]


def write_site(root: Path, cache_dir: Path, cache_url: str | None = None) -> list[Path]:
    setting = f"cache_url = {json.dumps(cache_url)}\n" if cache_url else ""
    config = CONFIG.format(cache_dir=cache_dir.as_posix(), cache_url=setting)
    (root / "asa2render.toml").write_text(config, encoding="utf-8")
    folders = []
    for number, wanted in enumerate(page_sets()):
        folder = root / f"pages{number}"
        folder.mkdir()
        for country, asins in wanted.items():
            body = "\n\n".join(f'[asa2 asin="{asin}" country="{country}"]' for asin in asins)
            (folder / f"{country}.md").write_text(f"# {country}\n\n{body}\n", encoding="utf-8")
        folders.append(folder)
    return folders


def run_builders(root: Path, folders: list[Path], sandbox: str, env: dict[str, str]) -> list[str]:
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "asa2render",
                "render",
                str(folder),
                "-o",
                str(root / f"out{n}"),
                "--config",
                str(root / "asa2render.toml"),
                "--sandbox",
                sandbox,
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, folder in enumerate(folders)
    ]
    errors = []
    for process in processes:
        _, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        errors.append(err)
    return errors


def minimum_requests() -> int:
    unique: dict[str, set[str]] = {}
    for wanted in page_sets():
        for country, asins in wanted.items():
            unique.setdefault(country, set()).update(asins)
    return sum(math.ceil(len(asins) / 10) for asins in unique.values())


def assert_one_budget(sandbox: Sandbox, root: Path) -> None:
    stats = sandbox.stats()
    get_items = [r for r in stats["requests"] if r["operation"] == "GetItems"]
    sent = [(r["marketplace"], len(r["asins"]), r["status"]) for r in get_items]  # type: ignore[arg-type]
    assert [r for r in get_items if r["status"] == 429] == [], sent
    assert len(stats["tokens"]) == 1
    assert len(get_items) == minimum_requests() == 11, " ".join(f"{m[11:]}:{n}" for m, n, _ in sent)
    fetched = [(r["marketplace"], asin) for r in get_items for asin in r["asins"]]  # type: ignore[union-attr]
    assert len(fetched) == len(set(fetched))  # no product was fetched twice
    for number, wanted in enumerate(page_sets()):
        for country, asins in wanted.items():
            states = STATE.findall((root / f"out{number}" / f"{country}.md").read_text(encoding="utf-8"))
            assert states == ["fresh"] * len(asins)


def builder_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASA2RENDER_")}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")  # one token file for all four, as on one machine
    env.update(extra)
    return env


@pytest.mark.parametrize("backend", ["redis", "rediss", "disk"])
def test_four_builders_share_one_budget(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> None:
    """``redis``: the URL in the environment; ``rediss``: TLS, named in ``[site] cache_url`` with its CA."""
    server: RedisServer | None = None
    env = builder_env(tmp_path)
    if backend == "redis":
        server = request.getfixturevalue("redis_server")
        env["ASA2RENDER_CACHE_URL"] = request.getfixturevalue("redis_url")
        folders = write_site(tmp_path, tmp_path / "shared-cache")
    elif backend == "rediss":
        server = request.getfixturevalue("redis_tls_server")
        folders = write_site(tmp_path, tmp_path / "shared-cache", request.getfixturevalue("redis_tls_url"))
    else:
        folders = write_site(tmp_path, tmp_path / "shared-cache")
    with Sandbox(SandboxOptions(throttle_tps=THROTTLE)) as sandbox:
        errors = run_builders(tmp_path, folders, sandbox.url, env)
        assert_one_budget(sandbox, tmp_path)
    assert not any("Traceback" in err for err in errors)
    if server is not None:
        assert not (tmp_path / "shared-cache").exists()  # everything lived in Redis
        assert server.client().keys("asa2render:p:*")
