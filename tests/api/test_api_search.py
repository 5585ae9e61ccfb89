"""SearchItems through the Fetcher: the route GetItems takes, counted, with the PA-API fallback on 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from asa2render.api import Fetcher, TokenStore
from asa2render.config.model import config_from_dict
from asa2render.products.models import SearchQuery
from asa2render.sandbox import Sandbox, SandboxOptions

CONFIG = {
    "marketplaces": [
        {"country": "de", "credential_type": "cognito", "credential_id": "demo-cognito-eu",
         "credential_secret": "demo-secret", "partner_tag": "mytag-21", "default": True},
    ],
    "paapi": {"access_key": "DEMOACCESSKEY", "secret_key": "demo-paapi-secret"},
    "api": {"requests_per_second": 100, "max_retries": 0},
}  # fmt: skip


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions()) as running:
        yield running


@pytest.fixture(scope="module")
def upstream() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def _fetcher(sandbox: Sandbox, upstream: httpx.Client, creators_search_fails: bool = False) -> Fetcher:

    def forward(request: httpx.Request) -> httpx.Response:
        if creators_search_fails and request.url.path == "/catalog/v1/searchItems":
            return httpx.Response(503, json={"type": "ServiceUnavailableException", "message": "down"})
        response = upstream.send(request)
        response.read()
        return httpx.Response(response.status_code, headers=response.headers, content=response.content)

    return Fetcher(
        config_from_dict(CONFIG, environ={}),
        sandbox=sandbox.url,
        transport=httpx.MockTransport(forward),
        token_store=TokenStore(None),
    )


def test_search_on_the_creators_route_counts_requests(sandbox: Sandbox, upstream: httpx.Client) -> None:
    with _fetcher(sandbox, upstream) as fetcher:
        report = fetcher.search(SearchQuery("de", "Kaffeemühle", 5))
    assert report.page is not None and [p.asin for p in report.page.products] == ["B0DEMO0001"]
    assert report.page.search_url is not None and "tag=mytag-21" in report.page.search_url
    assert report.page.products[0].source == "creators"
    assert (report.requests, report.tokens) == (1, 1)


def test_creators_5xx_falls_back_to_paapi_search(sandbox: Sandbox, upstream: httpx.Client) -> None:
    with _fetcher(sandbox, upstream, creators_search_fails=True) as fetcher:
        report = fetcher.search(SearchQuery("de", "Kaffeemühle", 5))
    assert report.failure is None and report.page is not None
    assert [p.source for p in report.page.products] == ["paapi"]
    assert report.requests == 2


def test_no_results_is_an_empty_page_and_no_route_a_failure(sandbox: Sandbox, upstream: httpx.Client) -> None:
    with _fetcher(sandbox, upstream) as fetcher:
        empty = fetcher.search(SearchQuery("de", "noresults", 5))
        unrouted = fetcher.search(SearchQuery("jp", "x", 5))
    assert empty.page is not None and empty.page.products == ()
    assert unrouted.page is None and unrouted.failure is not None and unrouted.failure.kind == "no_route"
    assert unrouted.notices == ["jp: no API route (search links only)"]
