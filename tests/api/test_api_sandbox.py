"""The Fetcher pointed at a sandbox base URL: all traffic goes there, paths unchanged.

The first tests use a MockTransport that only accepts the sandbox host; the rest run against the real
loopback sandbox (``asa2render.sandbox``) and are skipped until it is available.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_seed_config import seed_config

from asa2render.api import Fetcher, TokenStore, sigv4
from asa2render.config.model import Config
from asa2render.products.models import Failure, Product, ProductKey

SANDBOX = "http://127.0.0.1:8765"
DE_SECRET, US_SECRET, PAAPI_SECRET = "de-sandbox-secret", "us-sandbox-secret", "paapi-sandbox-secret"
ENV = {"DE_SECRET": DE_SECRET, "US_SECRET": US_SECRET, "PAAPI_SECRET_KEY": PAAPI_SECRET}


class NoSleep:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def config(**api: Any) -> Config:
    return seed_config(ENV, api={"requests_per_second": 100.0, **api})


def keys(country: str, count: int, start: int = 0) -> list[ProductKey]:
    return [ProductKey(country, f"B0SAND{n:04d}") for n in range(start, start + count)]


def sandbox_only(request: httpx.Request) -> httpx.Response:
    assert str(request.url).startswith(SANDBOX + "/")
    path = request.url.path
    if path in ("/oauth2/token", "/auth/o2/token"):
        return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
    if path == "/paapi5/getitems":
        headers = {k.lower(): v for k, v in request.headers.items()}
        assert headers["host"] == "127.0.0.1:8765"  # signed as sent
        ok, why = sigv4.verify(
            method="POST",
            path=path,
            query="",
            headers=headers,
            body=request.content,
            secrets={"AKIDEXAMPLE": PAAPI_SECRET},
        )
        assert ok, why
        asins = json.loads(request.content)["ItemIds"]
        return httpx.Response(200, json={"ItemsResult": {"Items": [{"ASIN": a} for a in asins]}})
    assert path == "/catalog/v1/getItems"
    asins = json.loads(request.content)["itemIds"]
    return httpx.Response(200, json={"itemsResult": {"items": [{"asin": a} for a in asins]}})


def test_all_traffic_goes_to_the_sandbox(tmp_path: Path) -> None:
    # The environment variable is read by the edges (asa2render.edges), never by the fetcher.
    with Fetcher(
        config(),
        sandbox=SANDBOX,
        transport=httpx.MockTransport(sandbox_only),
        token_store=TokenStore(tmp_path / "t.json"),
        clock=NoSleep(),
    ) as fetcher:
        report = fetcher.fetch(keys("de", 2) + keys("us", 2) + keys("uk", 2) + keys("fr", 2))
    assert all(isinstance(result, Product) for result in report.results.values())
    assert (report.requests, report.tokens) == (4, 2)


# --- against the real loopback sandbox ---------------------------------------------------------------------

from asa2render.sandbox import Sandbox, SandboxOptions  # noqa: E402 - grouped with the tests that use it


def options(**overrides: Any) -> Any:
    return SandboxOptions(
        credentials=(("de-id", DE_SECRET, "2.2"), ("us-id", US_SECRET, "3.1")),
        paapi_keys=(("AKIDEXAMPLE", PAAPI_SECRET),),
        **overrides,
    )


@pytest.fixture
def fetcher_for(tmp_path: Path) -> Iterator[Any]:
    created: list[Fetcher] = []

    def make(url: str, cfg: Config | None = None) -> Fetcher:
        fetcher = Fetcher(
            cfg or config(), sandbox=url, token_store=TokenStore(tmp_path / "t.json"), clock=NoSleep()
        )
        created.append(fetcher)
        return fetcher

    yield make
    for fetcher in created:
        fetcher.close()


def test_cold_run_batches_and_one_token(fetcher_for: Any) -> None:
    with Sandbox(options()) as sandbox:
        fetcher = fetcher_for(sandbox.url)
        first = fetcher.fetch(keys("de", 25))
        second = fetcher.fetch(keys("de", 5, start=100))
        stats = sandbox.stats()
    assert all(isinstance(result, Product) for result in first.results.values())
    assert (first.requests, first.tokens) == (3, 1)
    assert (second.requests, second.tokens) == (1, 0)
    assert len(stats["tokens"]) == 1
    assert [len(entry["asins"]) for entry in stats["requests"]] == [10, 10, 5, 5]
    assert {entry["version"] for entry in stats["requests"]} == {"2.2"}


def test_seed_table_against_the_sandbox(fetcher_for: Any) -> None:
    with Sandbox(options()) as sandbox:
        report = fetcher_for(sandbox.url).fetch(keys("de", 1) + keys("us", 1) + keys("uk", 1) + keys("fr", 1))
        stats = sandbox.stats()
    sources = {key.country: getattr(result, "source", None) for key, result in report.results.items()}
    assert sources == {"de": "creators", "us": "creators", "uk": "paapi", "fr": "paapi"}
    seen = {(entry["api"], entry["marketplace"], entry["version"]) for entry in stats["requests"]}
    assert seen == {
        ("creators", "www.amazon.de", "2.2"),
        ("creators", "www.amazon.com", "3.1"),
        ("paapi", "www.amazon.co.uk", None),
        ("paapi", "www.amazon.fr", None),
    }


def test_ineligible_store_does_not_degrade_another(fetcher_for: Any) -> None:
    with Sandbox(options(ineligible=("de",))) as sandbox:
        report = fetcher_for(sandbox.url).fetch(keys("de", 3) + keys("us", 3))
    for key, result in report.results.items():
        if key.country == "de":
            assert isinstance(result, Failure)
            assert result.kind == "forbidden"
        else:
            assert isinstance(result, Product)


def test_paapi_deprecated_against_the_sandbox(fetcher_for: Any) -> None:
    with Sandbox(options(paapi_deprecated=True)) as sandbox:
        report = fetcher_for(sandbox.url).fetch(keys("uk", 12) + keys("fr", 2))
        stats = sandbox.stats()
    assert len([entry for entry in stats["requests"] if entry["api"] == "paapi"]) == 1
    assert all(isinstance(result, Failure) and result.permanent for result in report.results.values())


def test_sandbox_killed_mid_run(fetcher_for: Any) -> None:
    with Sandbox(options()) as sandbox:
        fetcher = fetcher_for(sandbox.url, config(max_retries=1))
        before = fetcher.fetch(keys("de", 2))
        url = sandbox.url
    # A fresh connection pool: kept-alive connections may outlive the server's accept loop.
    after = fetcher_for(url, config(max_retries=1)).fetch(keys("de", 2, start=50) + keys("uk", 1))
    assert all(isinstance(result, Product) for result in before.results.values())
    assert {result.kind for result in after.results.values() if isinstance(result, Failure)} == {"network"}
    assert len(after.results) == 3
