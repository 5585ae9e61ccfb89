"""Fault injection, throttling, stats and TLS of the sandbox."""

from __future__ import annotations

import json
import ssl
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

import httpx
import pytest
from click.testing import CliRunner

from asa2render.cli.app import cli
from asa2render.errors import ConfigError
from asa2render.sandbox import Sandbox, SandboxOptions
from asa2render.sandbox.state import FaultInjector

LWA = {"grant_type": "client_credentials", "scope": "creatorsapi::default", "client_secret": "demo-secret"}
ITEMS = {"partnerTag": "mytag-21", "itemIds": ["B0DEMO0001"]}


def lwa_headers(http: httpx.Client, credential_id: str = "demo-lwa-eu") -> dict[str, str]:
    token = http.post("/auth/o2/token", json={**LWA, "client_id": credential_id}).json()["access_token"]
    return {"Authorization": f"Bearer {token}", "x-marketplace": "www.amazon.de"}


def outcomes(options: SandboxOptions, count: int) -> list[tuple[int, bool]]:
    """(status, body parses as JSON) of ``count`` identical GetItems calls."""
    results = []
    with Sandbox(options) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        headers = lwa_headers(http)
        for _ in range(count):
            response = http.post("/catalog/v1/getItems", json=ITEMS, headers=headers)
            try:
                json.loads(response.content)
                parses = True
            except ValueError:
                parses = False
            results.append((response.status_code, parses))
    return results


def test_faults_repeat_with_the_same_seed() -> None:
    options = SandboxOptions(fault_rate=0.5, seed=7, stall_seconds=0.01)

    first, second = outcomes(options, 16), outcomes(options, 16)

    assert first == second
    assert any(status != 200 or not parses for status, parses in first)
    assert any(status == 200 and parses for status, parses in first)


def test_every_fault_kind_has_its_shape() -> None:
    seen = outcomes(SandboxOptions(fault_rate=1.0, seed=3, stall_seconds=0.01), 30)

    assert {429, 500, 503, 200} <= {status for status, _ in seen}
    assert (200, False) in seen  # malformed JSON
    assert (200, True) in seen  # a stalled (slow) but complete answer


def test_429_fault_has_retry_after_header_and_body() -> None:
    seed = next(s for s in range(100) if FaultInjector(1.0, s, 0).draw() == "throttle")
    with (
        Sandbox(SandboxOptions(fault_rate=1.0, seed=seed)) as sandbox,
        httpx.Client(base_url=sandbox.url) as http,
    ):
        token = http.post(
            "/auth/o2/token", json={**LWA, "client_id": "demo-lwa-eu"}
        )  # tokens are never faulted
        response = http.post("/catalog/v1/getItems", json=ITEMS, headers=lwa_headers(http))

    assert token.status_code == 200
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert response.json()["retryAfterSeconds"] == 1
    assert response.json()["type"] == "ThrottleException"


def test_stalled_response_makes_clients_time_out() -> None:
    seed = next(s for s in range(100) if FaultInjector(1.0, s, 0).draw() == "stall")
    options = SandboxOptions(fault_rate=1.0, seed=seed, stall_seconds=0.4)
    with Sandbox(options) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        headers = lwa_headers(http)
        with pytest.raises(httpx.ReadTimeout):
            http.post("/catalog/v1/getItems", json=ITEMS, headers=headers, timeout=0.1)


T = TypeVar("T")


def _until_throttled(send: Callable[[], T], limit: int = 20) -> list[T]:
    """Send until the first 429 (at most ``limit`` times): a loaded machine may be slower than 1 TPS."""
    answers: list[T] = []
    for _ in range(limit):
        answers.append(send())
        last = answers[-1]
        if (last if isinstance(last, int) else getattr(last, "status_code", None)) == 429:
            break
    return answers


def test_throttle_is_per_credential() -> None:
    with Sandbox(SandboxOptions(throttle_tps=1)) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        eu = lwa_headers(http, "demo-lwa-eu")
        statuses = _until_throttled(
            lambda: http.post("/catalog/v1/getItems", json=ITEMS, headers=eu).status_code
        )
        na = lwa_headers(http, "demo-lwa-na") | {"x-marketplace": "www.amazon.com"}
        other = http.post("/catalog/v1/getItems", json={**ITEMS, "partnerTag": "mytag-20"}, headers=na)
        throttled = next(s for s in sandbox.stats()["requests"] if s["status"] == 429)

    assert statuses[0] == 200
    assert 429 in statuses
    assert other.status_code == 200
    assert throttled["version"] == "3.2"


def test_throttled_answer_shape() -> None:
    with Sandbox(SandboxOptions(throttle_tps=1)) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        headers = lwa_headers(http)
        responses = _until_throttled(lambda: http.post("/catalog/v1/getItems", json=ITEMS, headers=headers))

    throttled = next(r for r in responses if r.status_code == 429)
    assert throttled.headers["Retry-After"] == "1"
    assert throttled.json()["type"] == "ThrottleException"


def test_stats_document_and_reset() -> None:
    with Sandbox(SandboxOptions()) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        headers = lwa_headers(http)
        http.post("/catalog/v1/getItems", json=ITEMS, headers=headers)
        http.post("/catalog/v1/getItems", json=ITEMS, headers={"Authorization": "Bearer stale"})
        stats = http.get("/_sandbox/stats").json()
        assert stats == sandbox.stats()
        http.post("/_sandbox/reset")
        after = http.get("/_sandbox/stats").json()

    assert stats["tokens"] == [{"credential_id": "demo-lwa-eu", "version": "3.2"}]
    assert [(r["status"], r["version"], r["marketplace"]) for r in stats["requests"]] == [
        (200, "3.2", "www.amazon.de"),
        (401, None, None),
    ]
    assert after == {"tokens": [], "requests": []}


@pytest.fixture
def tls_sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions(tls=True)) as sandbox:
        yield sandbox


def test_tls_with_the_generated_ca(tls_sandbox: Sandbox) -> None:
    assert tls_sandbox.url.startswith("https://127.0.0.1:")
    assert tls_sandbox.ca_cert_path is not None
    context = ssl.create_default_context(cafile=str(tls_sandbox.ca_cert_path))

    with httpx.Client(base_url=tls_sandbox.url, verify=context) as http:
        response = http.post("/auth/o2/token", json={**LWA, "client_id": "demo-lwa-na"})

    assert response.status_code == 200
    with httpx.Client(base_url=tls_sandbox.url) as untrusting, pytest.raises(httpx.ConnectError):
        untrusting.get("/_sandbox/stats")


def test_ca_file_is_removed_on_stop() -> None:
    sandbox = Sandbox(SandboxOptions(tls=True)).start()
    path = sandbox.ca_cert_path
    assert path is not None
    assert path.exists()

    sandbox.stop()

    assert not path.exists()


def test_tls_without_trustme_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trustme", None)  # what an install without the [tls] extra sees
    with pytest.raises(ConfigError, match=r"pip install 'asa2render\[tls\]'"):
        Sandbox(SandboxOptions(tls=True)).start()
    result = CliRunner().invoke(cli, ["sandbox", "--tls"])
    assert result.exit_code == 2
    assert "asa2render: error: --tls needs trustme installed: pip install 'asa2render[tls]'" in result.stderr
