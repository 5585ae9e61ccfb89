"""Four builders at once, one credential, one budget: over Redis (plain and TLS) and over a shared folder.

Real processes (``python -m asa2render render``) start together against the sandbox, whose throttle
is below the builders' combined ``requests_per_second``. Together they must make the minimum number
of GetItems requests (each product fetched once), fetch one token, and never be throttled.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from redis_server import RedisServer

from asa2render.sandbox import Sandbox, SandboxOptions
from benchmarks.builders import BUILDERS, builder_env, minimum_requests, run_builders, write_builders

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


def assert_one_budget(sandbox: Sandbox, root: Path) -> None:
    stats = sandbox.stats()
    get_items = [r for r in stats["requests"] if r["operation"] == "GetItems"]
    sent = [(r["marketplace"], len(r["asins"]), r["status"]) for r in get_items]  # type: ignore[arg-type]
    assert [r for r in get_items if r["status"] == 429] == [], sent
    assert len(stats["tokens"]) == 1
    assert len(get_items) == minimum_requests(page_sets()) == 11, " ".join(
        f"{m[11:]}:{n}" for m, n, _ in sent
    )
    fetched = [(r["marketplace"], asin) for r in get_items for asin in r["asins"]]  # type: ignore[union-attr]
    assert len(fetched) == len(set(fetched))  # no product was fetched twice
    for number, wanted in enumerate(page_sets()):
        for country, asins in wanted.items():
            states = STATE.findall((root / f"out{number}" / f"{country}.md").read_text(encoding="utf-8"))
            assert states == ["fresh"] * len(asins)


@pytest.mark.parametrize("backend", ["redis", "rediss", "disk"])
def test_four_builders_share_one_budget(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> None:
    """``redis``: the URL in the environment; ``rediss``: TLS, named in ``[site] cache_url`` with its CA."""
    server: RedisServer | None = None
    env = builder_env(tmp_path / "state")
    cache_url = None
    if backend == "redis":
        server = request.getfixturevalue("redis_server")
        env["ASA2RENDER_CACHE_URL"] = request.getfixturevalue("redis_url")
    elif backend == "rediss":
        server = request.getfixturevalue("redis_tls_server")
        cache_url = request.getfixturevalue("redis_tls_url")
    folders = write_builders(tmp_path, page_sets(), rate=RATE, timeout=5.0, tag="my", cache_url=cache_url)
    with Sandbox(SandboxOptions(throttle_tps=THROTTLE)) as sandbox:
        _, errors = run_builders(tmp_path, folders, sandbox.url, env, timeout=180)
        assert_one_budget(sandbox, tmp_path)
    assert not any("Traceback" in err for err in errors)
    if server is not None:
        assert not (tmp_path / "shared-cache").exists()  # everything lived in Redis
        assert server.client().keys("asa2render:p:*")
