"""The Fetcher end to end against a fake Amazon (httpx.MockTransport) that checks the wire format."""

from __future__ import annotations

import json
import logging
import stat
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_seed_config import seed_config

from asa2render.api import Fetcher, TokenStore, sigv4
from asa2render.config.model import Config
from asa2render.marketplaces import TOKEN_ENDPOINTS, store_for_host, store_for_paapi_host
from asa2render.products.models import Failure, Product, ProductKey

DE_SECRET = "de-secret-VALUE-123"
US_SECRET = "us-secret-VALUE-456"
PAAPI_SECRET = "paapi-secret-VALUE-789"
ENV = {"DE_SECRET": DE_SECRET, "US_SECRET": US_SECRET, "PAAPI_SECRET_KEY": PAAPI_SECRET}


class FakeClock:
    """Time that only moves when someone sleeps (or a test advances it)."""

    def __init__(self) -> None:
        self.now = 1_750_000_000.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Scripted = httpx.Response | Exception


class FakeAmazon:
    """Token endpoints, Creators getItems and PA-API getitems, strict about what they receive."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.tokens: dict[str, str] = {}  # access token → version it was issued for
        self.script: dict[str, list[Scripted]] = {"token": [], "creators": [], "paapi": []}
        self.ineligible: set[str] = set()
        self.paapi_deprecated = False
        self.expires_in = 3600
        self.threads: dict[str, set[int]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        kind = self._kind(request)
        self.threads.setdefault(kind, set()).add(threading.get_ident())
        if self.script[kind]:
            scripted = self.script[kind].pop(0)
            if isinstance(scripted, Exception):
                raise scripted
            return scripted
        return getattr(self, f"_{kind}")(request)

    def api_requests(self, kind: str) -> list[httpx.Request]:
        return [r for r in self.requests if self._kind(r) == kind]

    @staticmethod
    def _kind(request: httpx.Request) -> str:
        if request.url.path.endswith("/token"):
            return "token"
        return "creators" if request.url.path == "/catalog/v1/getItems" else "paapi"

    def _token(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        version = next(v for v, endpoint in TOKEN_ENDPOINTS.items() if endpoint == url)
        if version.startswith("2."):
            assert request.headers["content-type"] == "application/x-www-form-urlencoded"
            fields = dict(httpx.QueryParams(request.content.decode()))
            assert fields["scope"] == "creatorsapi/default"
        else:
            assert request.headers["content-type"] == "application/json"
            fields = json.loads(request.content)
            assert fields["scope"] == "creatorsapi::default"
        assert fields["grant_type"] == "client_credentials"
        if fields["client_secret"] not in (DE_SECRET, US_SECRET):
            return httpx.Response(401, json={"error": "invalid_client"})
        token = f"tok-{len(self.tokens) + 1}"
        self.tokens[token] = version
        return httpx.Response(
            200, json={"access_token": token, "expires_in": self.expires_in, "token_type": "bearer"}
        )

    def _creators(self, request: httpx.Request) -> httpx.Response:
        store = store_for_host(request.headers["x-marketplace"])
        assert store is not None
        assert request.headers["content-type"] == "application/json"
        auth = request.headers["authorization"]
        token = auth.removeprefix("Bearer ").split(",")[0]
        version = self.tokens.get(token)
        if version is None:
            return httpx.Response(401, json={"type": "UnauthorizedException", "reason": "InvalidToken"})
        expected = f"Bearer {token}, Version {version}" if version.startswith("2.") else f"Bearer {token}"
        assert auth == expected
        if store.country in self.ineligible:
            body = {
                "type": "AccessDeniedException",
                "reason": "AssociateNotEligible",
                "message": "not eligible",
            }
            return httpx.Response(403, json=body)
        body = json.loads(request.content)
        assert set(body) == {"partnerTag", "itemIds", "resources"}
        assert 1 <= len(body["itemIds"]) <= 10
        assert "offersV2.listings.price" in body["resources"]
        good = [a for a in body["itemIds"] if not a.startswith(("B0BAD", "B0NOACC"))]
        if not good:
            return httpx.Response(
                404, json={"type": "ResourceNotFoundException", "message": "No items found."}
            )
        items = [creators_item(asin, store.domain) for asin in reversed(good)]  # order changed on purpose
        answer: dict[str, Any] = {"itemsResult": {"items": items}}
        errors = [_item_error(a, "Creators API") for a in body["itemIds"] if a not in good]
        if errors:
            answer["errors"] = errors
        return httpx.Response(200, json=answer)

    def _paapi(self, request: httpx.Request) -> httpx.Response:
        store = store_for_paapi_host(request.url.host)
        assert store is not None
        assert request.url.path == "/paapi5/getitems"
        assert request.headers["content-encoding"] == "amz-1.0"
        assert request.headers["content-type"] == "application/json; charset=utf-8"
        assert request.headers["x-amz-target"] == "com.amazon.paapi5.v1.ProductAdvertisingAPIv1.GetItems"
        headers = {k.lower(): v for k, v in request.headers.items()}
        ok, why = sigv4.verify(
            method="POST",
            path="/paapi5/getitems",
            query="",
            headers=headers,
            body=request.content,
            secrets={"AKIDEXAMPLE": PAAPI_SECRET},
        )
        assert ok, why
        assert f"/{store.paapi_region}/ProductAdvertisingAPI/" in headers["authorization"]
        if self.paapi_deprecated:
            message = "Product Advertising API is deprecated. Please migrate to Creators API."
            body = {
                "__type": "com.amazon.paapi5#AccessDeniedException",
                "Errors": [{"Code": "AccessDenied", "Message": message}],
            }
            return httpx.Response(403, json=body)
        body = json.loads(request.content)
        assert body["PartnerType"] == "Associates"
        assert body["Marketplace"] == store.domain
        assert "OffersV2.Listings.Price" in body["Resources"]
        items = [paapi_item(asin, store.domain, body["PartnerTag"]) for asin in reversed(body["ItemIds"])]
        return httpx.Response(200, json={"ItemsResult": {"Items": items}})


def _item_error(asin: str, api: str) -> dict[str, str]:
    if asin.startswith("B0BAD"):
        return {
            "code": "InvalidParameterValue",
            "message": f"The ItemId {asin} provided in the request is invalid.",
        }
    return {"code": "ItemNotAccessible", "message": f"The ItemId {asin} is not accessible through the {api}."}


def creators_item(asin: str, domain: str) -> dict[str, Any]:
    return {
        "asin": asin,
        "detailPageURL": f"https://{domain}/dp/{asin}?tag=mytag-21&linkCode=ogi&th=1&psc=1",
        "itemInfo": {"title": {"displayValue": f"Title {asin}"}},
        "offersV2": {
            "listings": [
                {"price": {"money": {"amount": 19.99, "currency": "EUR", "displayAmount": "19,99 €"}}}
            ]
        },
    }


def paapi_item(asin: str, domain: str, tag: str) -> dict[str, Any]:
    return {
        "ASIN": asin,
        "DetailPageURL": f"https://{domain}/dp/{asin}?tag={tag}",
        "ItemInfo": {"Title": {"DisplayValue": f"PA {asin}"}},
        "OffersV2": {
            "Listings": [{"Price": {"Money": {"Amount": 9.5, "Currency": "GBP", "DisplayAmount": "£9.50"}}}]
        },
    }


def make_config(**overrides: Any) -> Config:
    api = overrides.pop("api", {"requests_per_second": 1.0})
    return seed_config(ENV, api=api, **overrides)


@pytest.fixture
def amazon() -> FakeAmazon:
    return FakeAmazon()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_fetcher(amazon: FakeAmazon, clock: FakeClock, tmp_path: Path) -> Callable[..., Fetcher]:
    created: list[Fetcher] = []

    def make(config: Config | None = None, store: TokenStore | None = None) -> Fetcher:
        fetcher = Fetcher(
            config or make_config(),
            transport=httpx.MockTransport(amazon),
            token_store=store or TokenStore(tmp_path / "tokens.json"),
            clock=clock,
            sandbox="",
        )
        created.append(fetcher)
        return fetcher

    yield make
    for fetcher in created:
        fetcher.close()


def keys(country: str, *asins: str) -> list[ProductKey]:
    return [ProductKey(country, asin) for asin in asins]


def asin_list(count: int, prefix: str = "B0TEST") -> list[str]:
    return [f"{prefix}{n:04d}" for n in range(count)]


def product(result: Product | Failure) -> Product:
    assert isinstance(result, Product), result
    return result


def failure(result: Product | Failure) -> Failure:
    assert isinstance(result, Failure), result
    return result


# --- the seed's example table -------------------------------------------------------------------


def test_seed_routing_table(amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]) -> None:
    report = make_fetcher().fetch(
        [
            ProductKey("de", "B0TEST0001"),
            ProductKey("us", "B0TEST0002"),
            ProductKey("uk", "B0TEST0003"),
            ProductKey("fr", "B0TEST0004"),
        ]
    )
    de, us, uk, fr = (report.results[k] for k in report.results)
    assert product(de).source == "creators"
    assert product(us).source == "creators"
    assert product(uk).source == "paapi"
    assert product(fr).source == "paapi"
    assert product(de).url.startswith("https://www.amazon.de/dp/B0TEST0001?tag=mytag-21&linkCode=ogi")
    assert product(de).price is not None
    assert product(de).price.amount == Decimal("19.99")

    creators = {r.headers["x-marketplace"]: r for r in amazon.api_requests("creators")}
    de_token = amazon.tokens and next(t for t, v in amazon.tokens.items() if v == "2.2")
    us_token = next(t for t, v in amazon.tokens.items() if v == "3.1")
    assert creators["www.amazon.de"].headers["authorization"] == f"Bearer {de_token}, Version 2.2"
    assert creators["www.amazon.com"].headers["authorization"] == f"Bearer {us_token}"
    token_urls = {str(r.url) for r in amazon.api_requests("token")}
    assert token_urls == {TOKEN_ENDPOINTS["2.2"], TOKEN_ENDPOINTS["3.1"]}

    paapi = {r.url.host: json.loads(r.content) for r in amazon.api_requests("paapi")}
    assert paapi["webservices.amazon.co.uk"]["PartnerTag"] == "mytag-21"
    assert paapi["webservices.amazon.fr"]["PartnerTag"] == "montag-21"
    assert report.requests == 4
    assert report.tokens == 2
    assert report.notices == []


def test_stores_with_different_credentials_are_fetched_concurrently(
    amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]
) -> None:
    # Each store's first request waits until the other two are in flight too: a sequential fetcher
    # would break the barrier (its timeout only guards against a hang) and get no products.
    barrier = threading.Barrier(3, timeout=10)
    creators, paapi = amazon._creators, amazon._paapi

    def meet_then(
        answer: Callable[[httpx.Request], httpx.Response],
    ) -> Callable[[httpx.Request], httpx.Response]:
        def handler(request: httpx.Request) -> httpx.Response:
            barrier.wait()
            return answer(request)

        return handler

    amazon._creators = meet_then(creators)  # type: ignore[method-assign]
    amazon._paapi = meet_then(paapi)  # type: ignore[method-assign]
    report = make_fetcher().fetch(
        keys("de", *asin_list(3)) + keys("us", *asin_list(3)) + keys("fr", "B0TEST0009")
    )
    assert all(isinstance(r, Product) for r in report.results.values())
    assert not barrier.broken


# --- tokens -----------------------------------------------------------------------------------------


def test_token_reused_until_expiry_minus_margin(
    amazon: FakeAmazon, clock: FakeClock, make_fetcher: Callable[..., Fetcher]
) -> None:
    fetcher = make_fetcher()
    assert fetcher.fetch(keys("de", "B0TEST0001")).tokens == 1
    clock.now += 3000
    assert fetcher.fetch(keys("de", "B0TEST0002")).tokens == 0
    clock.now += 600  # 3600 s - 60 s margin has passed
    report = fetcher.fetch(keys("de", "B0TEST0003"))
    assert report.tokens == 1
    assert amazon.api_requests("creators")[-1].headers["authorization"] == "Bearer tok-2, Version 2.2"


def test_lwa_token_expiry_honours_expires_in(
    amazon: FakeAmazon, clock: FakeClock, make_fetcher: Callable[..., Fetcher]
) -> None:
    amazon.expires_in = 120
    fetcher = make_fetcher()
    fetcher.fetch(keys("us", "B0TEST0001"))
    clock.now += 61  # 120 - 60 margin
    assert fetcher.fetch(keys("us", "B0TEST0002")).tokens == 1
    body = json.loads(amazon.api_requests("token")[0].content)
    assert body == {
        "grant_type": "client_credentials",
        "client_id": "us-id",
        "client_secret": US_SECRET,
        "scope": "creatorsapi::default",
    }


def test_401_refreshes_the_token_once(amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]) -> None:
    revoked = httpx.Response(401, json={"type": "UnauthorizedException", "reason": "TokenExpired"})
    amazon.script["creators"] = [revoked]
    report = make_fetcher().fetch(keys("de", "B0TEST0001"))
    assert isinstance(report.results[ProductKey("de", "B0TEST0001")], Product)
    assert report.tokens == 2
    assert report.requests == 2


def test_second_401_is_an_auth_failure(amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]) -> None:
    revoked = httpx.Response(401, json={"type": "UnauthorizedException", "reason": "InvalidToken"})
    amazon.script["creators"] = [revoked, revoked]
    report = make_fetcher().fetch(keys("de", "B0TEST0001", "B0TEST0002"))
    result = failure(report.results[ProductKey("de", "B0TEST0001")])
    assert result.kind == "auth"
    assert not result.permanent
    assert report.requests == 2  # 401 is not retried beyond the one token refresh
    assert report.notices == ["de: Creators API 2.2 credentials refused (InvalidToken), 2 ASINs degraded"]


def test_refused_credential_is_an_auth_failure(
    amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]
) -> None:
    amazon.script["token"] = [httpx.Response(400, json={"error": "invalid_client"})]
    report = make_fetcher().fetch(keys("de", "B0TEST0001"))
    assert failure(report.results[ProductKey("de", "B0TEST0001")]).kind == "auth"
    assert report.requests == 0


def test_token_persisted_and_reused_across_fetchers(
    amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher], tmp_path: Path
) -> None:
    store_path = tmp_path / "state" / "tokens.json"
    first = make_fetcher(store=TokenStore(store_path)).fetch(keys("de", "B0TEST0001"))
    second = make_fetcher(store=TokenStore(store_path)).fetch(keys("de", "B0TEST0002"))
    assert (first.tokens, second.tokens) == (1, 0)
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    text = store_path.read_text()
    assert DE_SECRET not in text
    assert "de-id" not in text
    (entry,) = json.loads(text).values()
    assert set(entry) == {"access_token", "expires_at", "version"}


# --- batching and mapping ---------------------------------------------------------------------------


def test_25_asins_make_3_requests_and_duplicates_are_removed(
    amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]
) -> None:
    asins = asin_list(25)
    report = make_fetcher().fetch(keys("de", *asins) + keys("de", *asins[:5]))
    assert report.requests == 3
    assert report.tokens == 1
    sizes = [len(json.loads(r.content)["itemIds"]) for r in amazon.api_requests("creators")]
    assert sizes == [10, 10, 5]
    assert list(report.results) == keys("de", *asins)


def test_results_mapped_by_asin_not_position(make_fetcher: Callable[..., Fetcher]) -> None:
    report = make_fetcher().fetch(keys("de", *asin_list(7)) + keys("uk", *asin_list(4)))
    for key, result in report.results.items():
        assert product(result).asin == key.asin
        assert product(result).country == key.country
        assert product(result).title.endswith(key.asin)


def test_partial_errors_map_to_permanent_failures(make_fetcher: Callable[..., Fetcher]) -> None:
    report = make_fetcher().fetch(keys("de", "B0TEST0001", "B0BAD00001", "B0NOACC001"))
    assert isinstance(report.results[ProductKey("de", "B0TEST0001")], Product)
    bad = failure(report.results[ProductKey("de", "B0BAD00001")])
    hidden = failure(report.results[ProductKey("de", "B0NOACC001")])
    assert (bad.kind, bad.permanent) == ("invalid", True)
    assert (hidden.kind, hidden.permanent) == ("not_found", True)
    assert report.notices == []


def test_all_bad_404_makes_every_asin_not_found(make_fetcher: Callable[..., Fetcher]) -> None:
    report = make_fetcher().fetch(keys("de", "B0BAD00001", "B0BAD00002"))
    for result in report.results.values():
        assert failure(result).kind == "not_found"
        assert failure(result).permanent


# --- retries -------------------------------------------------------------------------------------------


def test_429_honours_retry_after(
    amazon: FakeAmazon, clock: FakeClock, make_fetcher: Callable[..., Fetcher]
) -> None:
    amazon.script["creators"] = [
        httpx.Response(429, headers={"Retry-After": "7"}, json={"type": "ThrottleException"})
    ]
    report = make_fetcher().fetch(keys("de", "B0TEST0001"))
    assert isinstance(report.results[ProductKey("de", "B0TEST0001")], Product)
    assert 7.0 in clock.sleeps
    assert report.requests == 2


def test_429_honours_body_retry_after_seconds(
    amazon: FakeAmazon, clock: FakeClock, make_fetcher: Callable[..., Fetcher]
) -> None:
    throttled = httpx.Response(429, json={"type": "ThrottleException", "retryAfterSeconds": 4})
    amazon.script["creators"] = [throttled]
    make_fetcher().fetch(keys("de", "B0TEST0001"))
    assert 4.0 in clock.sleeps


def test_throttled_after_all_retries(
    amazon: FakeAmazon, clock: FakeClock, make_fetcher: Callable[..., Fetcher]
) -> None:
    throttled = httpx.Response(429, json={"type": "ThrottleException"})
    amazon.script["creators"] = [throttled] * 4
    amazon.script["paapi"] = [httpx.Response(429, json={"__type": "TooManyRequestsException"})] * 4
    report = make_fetcher().fetch(keys("de", "B0TEST0001", "B0TEST0002", "B0TEST0003"))
    assert {failure(r).kind for r in report.results.values()} == {"throttled"}
    assert [s for s in clock.sleeps if s >= 1.0][:3] == [1.0, 2.0, 4.0]  # 1 s·2^n backoff
    assert "de: Creators API 2.2 throttled, 3 ASINs sent to PA-API 5.0 instead" in report.notices
    assert "de: PA-API 5.0 throttled, 3 ASINs degraded" in report.notices


def test_5xx_retried_then_success(amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]) -> None:
    amazon.script["creators"] = [
        httpx.Response(503),
        httpx.Response(500, json={"type": "InternalServerException"}),
    ]
    report = make_fetcher().fetch(keys("de", "B0TEST0001"))
    assert product(report.results[ProductKey("de", "B0TEST0001")]).source == "creators"
    assert report.requests == 3


def test_400_not_retried_and_no_fallback(amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]) -> None:
    invalid = httpx.Response(
        400, json={"type": "ValidationException", "reason": "InvalidPartnerTag", "message": "bad tag"}
    )
    amazon.script["creators"] = [invalid]
    report = make_fetcher().fetch(keys("de", "B0TEST0001"))
    result = failure(report.results[ProductKey("de", "B0TEST0001")])
    assert result.kind == "invalid"
    assert report.requests == 1
    assert amazon.api_requests("paapi") == []
    assert report.notices == [
        "de: Creators API 2.2 rejected the request (InvalidPartnerTag), 1 ASIN degraded"
    ]


def test_timeouts_become_network_failures(amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]) -> None:
    config = make_config(paapi={})
    amazon.script["creators"] = [httpx.ReadTimeout("stalled")] * 4
    report = make_fetcher(config).fetch(keys("de", *asin_list(12)))
    results = [failure(r) for r in report.results.values()]
    assert {r.kind for r in results} == {"network"}
    assert report.requests == 4  # the second batch is not sent to a host that stopped answering
    assert report.notices == ["de: Creators API 2.2 unreachable, 12 ASINs degraded"]


def test_timeout_is_set_on_every_request(amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]) -> None:
    make_fetcher(make_config(api={"timeout": 4.5})).fetch(keys("de", "B0TEST0001") + keys("fr", "B0TEST0001"))
    for request in amazon.requests:
        assert request.extensions["timeout"]["read"] == 4.5


def test_malformed_json_is_retried_as_server_error(
    amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]
) -> None:
    config = make_config(paapi={})
    amazon.script["creators"] = [httpx.Response(200, content=b"{not json")] * 4
    report = make_fetcher(config).fetch(keys("de", "B0TEST0001"))
    assert failure(report.results[ProductKey("de", "B0TEST0001")]).kind == "server"
    assert report.requests == 4


def test_creators_5xx_falls_back_to_paapi(amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]) -> None:
    amazon.script["creators"] = [httpx.Response(500)] * 4
    report = make_fetcher().fetch(keys("de", "B0TEST0001"))
    result = product(report.results[ProductKey("de", "B0TEST0001")])
    assert result.source == "paapi"
    assert result.url.endswith("?tag=mytag-21")
    assert report.notices == ["de: Creators API 2.2 failing, 1 ASIN sent to PA-API 5.0 instead"]


# --- one store failing never degrades another ---------------------------------------------------------


def test_associate_not_eligible_isolated(amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]) -> None:
    amazon.ineligible = {"de"}
    report = make_fetcher().fetch(keys("de", *asin_list(15)) + keys("us", *asin_list(3)))
    de = [failure(report.results[k]) for k in keys("de", *asin_list(15))]
    assert {(f.kind, f.permanent) for f in de} == {("forbidden", False)}
    assert all(isinstance(report.results[k], Product) for k in keys("us", *asin_list(3)))
    de_requests = [
        r for r in amazon.api_requests("creators") if r.headers["x-marketplace"] == "www.amazon.de"
    ]
    assert len(de_requests) == 1  # the second batch would get the same answer
    assert amazon.api_requests("paapi") == []  # never fall back on 403
    assert report.notices == ["de: Creators API 2.2 access denied (AssociateNotEligible), 15 ASINs degraded"]


def test_paapi_deprecation_is_permanent_for_the_run(
    amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher]
) -> None:
    amazon.paapi_deprecated = True
    fetcher = make_fetcher()
    report = fetcher.fetch(keys("uk", *asin_list(15)) + keys("fr", "B0TEST0001") + keys("de", "B0TEST0001"))
    assert len(amazon.api_requests("paapi")) == 1
    for key, result in report.results.items():
        if key.country == "de":
            assert isinstance(result, Product)
        else:
            assert failure(result).kind == "forbidden"
            assert failure(result).permanent
    assert "uk: PA-API 5.0 is deprecated (permanent for this run)" in report.notices
    later = fetcher.fetch(keys("fr", "B0TEST0002"))
    assert later.requests == 0
    assert failure(later.results[ProductKey("fr", "B0TEST0002")]).permanent


def test_store_without_route_fails_once_with_notice(make_fetcher: Callable[..., Fetcher]) -> None:
    report = make_fetcher().fetch(keys("ie", "B0TEST0001", "B0TEST0002") + keys("xx", "B0TEST0001"))
    assert {failure(r).kind for r in report.results.values()} == {"no_route"}
    assert report.notices == [
        "ie: no API route (local products and cache only)",
        "xx: no API route (local products and cache only)",
    ]
    assert report.requests == 0


# --- secrets ----------------------------------------------------------------------------------------------


def test_secrets_and_tokens_never_in_logs_errors_or_reprs(
    amazon: FakeAmazon, make_fetcher: Callable[..., Fetcher], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    amazon.script["creators"] = [
        httpx.Response(401, json={"type": "UnauthorizedException"}),
        httpx.Response(401, json={"type": "UnauthorizedException"}),
    ]
    amazon.script["paapi"] = [httpx.Response(500)] * 4
    amazon.ineligible = {"us"}
    fetcher = make_fetcher()
    report = fetcher.fetch(keys("de", "B0TEST0001") + keys("us", "B0TEST0001") + keys("uk", "B0TEST0001"))
    seen = "\n".join(
        [
            caplog.text,
            repr(fetcher),
            repr(report),
            *report.notices,
            *(repr(r) for r in report.results.values()),
        ]
    )
    assert amazon.tokens  # tokens were issued …
    for secret in (DE_SECRET, US_SECRET, PAAPI_SECRET, *amazon.tokens):
        assert secret not in seen  # … and appear nowhere
