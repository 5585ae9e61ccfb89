"""The whole product against the sandbox: batching, warm rebuilds, faults, a sandbox that goes away.

These run the real path — tokens, signed requests, the cache on disk — over loopback.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from asa2_fakes import SANDBOX_DE_MARKETPLACE
from click.testing import CliRunner

from asa2render.cli.app import cli
from asa2render.sandbox import Sandbox, SandboxOptions

CONFIG = (
    """
[site]
cache_dir = "cache"
cache_ttl = {ttl}

"""
    + SANDBOX_DE_MARKETPLACE
    + """
[[marketplaces]]
country = "us"
credential_type = "lwa"
credential_id = "demo-lwa-na"
credential_secret = "demo-secret"
partner_tag = "mytag-20"

[api]
requests_per_second = 50
timeout = 1.0
max_retries = 3
max_backoff = 0.2
"""
)
STATE = re.compile(r'data-asa2-state="(fresh|stale|fallback)"')


@pytest.fixture
def token_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep persisted tokens inside the test's folder."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("ASA2RENDER_SANDBOX", raising=False)


def _site(tmp_path: Path, asins: list[str], ttl: int = 3600, per_page: int = 5) -> Path:
    (tmp_path / "asa2render.toml").write_text(CONFIG.format(ttl=ttl), encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    for page, start in enumerate(range(0, len(asins), per_page)):
        body = "\n\n".join(f"[asa2]{asin}[/asa2]" for asin in asins[start : start + per_page])
        (content / f"page{page:03}.md").write_text(f"# Page {page}\n\n{body}\n", encoding="utf-8")
    return tmp_path


def _render(site: Path, sandbox: str) -> tuple[int, str, list[str]]:
    result = CliRunner().invoke(
        cli,
        [
            "render",
            str(site / "content"),
            "-o",
            str(site / "out"),
            "--config",
            str(site / "asa2render.toml"),
            "--sandbox",
            sandbox,
        ],
    )
    states = [m for page in sorted((site / "out").glob("*.md")) for m in STATE.findall(page.read_text())]
    return result.exit_code, result.stderr, states


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions()) as running:
        yield running


def _get_items(sandbox: Sandbox) -> list[dict[str, object]]:
    return [r for r in sandbox.stats()["requests"] if r["operation"] == "GetItems"]


def test_cold_run_batches_and_warm_run_makes_no_request(
    tmp_path: Path, sandbox: Sandbox, token_home: None
) -> None:
    asins = [f"B0E2E{i:05}" for i in range(25)]
    site = _site(tmp_path, asins + asins[:5])  # duplicates across pages are fetched once
    code, err, states = _render(site, sandbox.url)
    assert code == 0, err
    assert states == ["fresh"] * 30
    requests = _get_items(sandbox)
    assert len(requests) == math.ceil(25 / 10)
    assert all(len(r["asins"]) <= 10 for r in requests)  # type: ignore[arg-type]
    assert len(sandbox.stats()["tokens"]) == 1
    sandbox.reset_stats()
    code, _, states = _render(site, sandbox.url)
    assert code == 0 and states == ["fresh"] * 30
    assert sandbox.stats() == {"tokens": [], "requests": []}


def test_faults_degrade_gracefully_and_a_clean_run_heals(tmp_path: Path, token_home: None) -> None:
    asins = [f"B0FLT{i:05}" for i in range(40)]
    site = _site(tmp_path, asins)
    with Sandbox(SandboxOptions(fault_rate=0.3, seed=7, stall_seconds=1.5)) as faulty:
        code, err, states = _render(site, faulty.url)
    assert code == 0, err
    assert "Traceback" not in err
    assert "demo-secret" not in err  # failures are reported without the credentials that were used
    assert len(states) == 40  # every shortcode rendered: box, stale box or fallback
    assert "products:" in err
    with Sandbox(SandboxOptions()) as healthy:
        code, err, states = _render(site, healthy.url)
    assert code == 0, err
    assert states == ["fresh"] * 40
    cached = CliRunner().invoke(cli, ["cache", "stats", "--config", str(site / "asa2render.toml")]).stdout
    assert "products: 40" in cached


def test_sandbox_gone_mid_life_shows_stale_then_fallback(tmp_path: Path, token_home: None) -> None:
    asins = [f"B0GON{i:05}" for i in range(10)]
    site = _site(tmp_path, asins[:5], ttl=0)  # ttl 0: every run asks the API again
    with Sandbox(SandboxOptions()) as first:
        url = first.url
        assert _render(site, url)[2] == ["fresh"] * 5
    site = _site(tmp_path, asins, ttl=0)  # five more products the cache has never seen
    code, err, states = _render(site, url)  # the sandbox is gone: connection refused
    assert code == 0, err
    assert "Traceback" not in err
    assert states == ["stale"] * 5 + ["fallback"] * 5
    out = (site / "out" / "page000.md").read_text()
    assert "(Stand: " in out  # the German store's "as of" stamp


def test_ineligible_store_does_not_degrade_another(tmp_path: Path, token_home: None) -> None:
    site = _site(tmp_path, [])
    (site / "content" / "mixed.md").write_text(
        '[asa2 asin="B0MIX00001" country="de"]\n\n[asa2 asin="B0MIX00002" country="us"]\n', encoding="utf-8"
    )
    with Sandbox(SandboxOptions(ineligible=("de",))) as sb:
        code, err, states = _render(site, sb.url)
    assert code == 0
    assert states == ["fallback", "fresh"]
    assert "AssociateNotEligible" in err or "eligible" in err.lower()
    assert "demo-secret" not in err


def test_strict_mode_fails_the_build_on_fallbacks(tmp_path: Path, token_home: None) -> None:
    site = _site(tmp_path, ["B0BAD00001", "B0OKAY0001"])
    with Sandbox(SandboxOptions()) as sb:
        result = CliRunner().invoke(
            cli,
            [
                "render",
                str(site / "content"),
                "-o",
                str(site / "out"),
                "--config",
                str(site / "asa2render.toml"),
                "--sandbox",
                sb.url,
                "--strict",
            ],
        )
    assert result.exit_code == 1
    assert re.search(r"page000\.md:3:1: de:B0BAD00001: .*invalid", result.stderr)


def test_refresh_command_refetches_cached_products(
    tmp_path: Path, sandbox: Sandbox, token_home: None
) -> None:
    site = _site(tmp_path, [f"B0REF{i:05}" for i in range(12)])
    assert _render(site, sandbox.url)[0] == 0
    sandbox.reset_stats()
    result = CliRunner().invoke(
        cli,
        [
            "refresh",
            str(site / "content"),
            "--config",
            str(site / "asa2render.toml"),
            "--sandbox",
            sandbox.url,
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "refreshed 12 product(s)" in result.stderr
    assert len(_get_items(sandbox)) == 2
    limited = CliRunner().invoke(
        cli, ["refresh", "--limit", "3", "--config", str(site / "asa2render.toml"), "--sandbox", sandbox.url]
    )
    assert "refreshed 3 product(s)" in limited.stderr


def test_the_summary_counts_what_the_api_saw_when_stores_are_fetched_at_once(
    tmp_path: Path, sandbox: Sandbox, token_home: None
) -> None:
    # Two stores are fetched by two threads at the same time: each request and token counted once.
    site = _site(tmp_path, [])
    lines = [f'[asa2 asin="B0E2EDE{i:03}"]' for i in range(40)]
    lines += [f'[asa2 asin="B0E2EUS{i:03}" country="us"]' for i in range(40)]
    (site / "content" / "both.md").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    code, err, states = _render(site, sandbox.url)
    assert code == 0, err
    assert states == ["fresh"] * 80
    seen = sandbox.stats()
    summary = re.search(r"(\d+) API request\(s\), (\d+) token\(s\)", err)
    assert summary, err
    assert (int(summary.group(1)), int(summary.group(2))) == (len(seen["requests"]), len(seen["tokens"]))
    assert len(seen["requests"]) == 8
