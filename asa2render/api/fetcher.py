"""The API layer's front door: fetch many products across stores and APIs, and report what degraded.

:class:`Fetcher` plans the run (:mod:`.batching`), fetches the groups of different credentials
concurrently (one thread per credential, the requests of one credential in order behind its token
bucket), falls back from the Creators API to PA-API 5.0 on transport failures, timeouts and 5xx, and
returns one result for every key it was given. Failures never raise: each becomes a
:class:`~asa2render.products.models.Failure`, and the report lists one human-readable notice per condition.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

import httpx

from ..config.model import Config
from ..config.routing import Route, decide_route
from ..errors import ApiError, AuthError, ForbiddenError, InvalidRequestError, NetworkError
from ..marketplaces import get_store
from ..products.models import Failure, Product, ProductKey, SearchQuery
from .batching import Group, batches, credential_name, plan
from .creators import CreatorsClient
from .endpoints import (
    COGNITO_TOKEN_PATH,
    CREATORS_GET_ITEMS,
    CREATORS_GET_VARIATIONS,
    CREATORS_SEARCH_ITEMS,
    LWA_TOKEN_PATH,
    PAAPI_GET_ITEMS,
    PAAPI_GET_VARIATIONS,
    PAAPI_SEARCH_ITEMS,
    Endpoints,
)
from .paapi import PAAPI_LABEL, PaapiClient
from .ratelimit import Clock, RateLimiter, SystemClock, TokenBucket
from .results import ItemResults, SearchPage
from .retry import RetryPolicy
from .session import ApiSession
from .tokens import CreatorsAuth, Credential, TokenStore
from .variations import needs_variations

_MAX_WORKERS = 8
# Errors that condemn every later batch of the same group: the answer would not change.
_GROUP_FATAL = (AuthError, ForbiddenError, NetworkError)
_FALLBACK_KINDS = frozenset({"network", "server", "throttled"})
_KIND_TEXT = {
    "auth": "credentials refused",
    "forbidden": "access denied",
    "invalid": "rejected the request",
    "not_found": "found nothing",
    "throttled": "throttled",
    "server": "failing",
    "network": "unreachable",
}


@dataclass
class FetchReport:
    """What a fetch produced: a result for every key, notices, and how many requests it cost."""

    results: dict[ProductKey, Product | Failure] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    requests: int = 0
    tokens: int = 0


@dataclass
class SearchReport:
    """What a search produced: a page of results or the failure, notices, and its cost."""

    page: SearchPage | None = None
    failure: Failure | None = None
    notices: list[str] = field(default_factory=list)
    requests: int = 0
    tokens: int = 0


class _Counter:
    """Counts GetItems and token requests as they leave (the hook also sees auth-flow requests)."""

    def __init__(self) -> None:
        self.requests = 0
        self.tokens = 0
        self._lock = threading.Lock()

    def on_request(self, request: httpx.Request) -> None:
        path = request.url.path
        with self._lock:
            # Searches and variation look-ups share the rate limit and the daily budget with GetItems:
            # count them alike.
            if path.endswith(
                (
                    CREATORS_GET_ITEMS,
                    PAAPI_GET_ITEMS,
                    CREATORS_SEARCH_ITEMS,
                    PAAPI_SEARCH_ITEMS,
                    CREATORS_GET_VARIATIONS,
                    PAAPI_GET_VARIATIONS,
                )
            ):
                self.requests += 1
            elif path.endswith((COGNITO_TOKEN_PATH, LWA_TOKEN_PATH)):
                self.tokens += 1


BatchListener = Callable[[Mapping[ProductKey, Product | Failure]], None]


class _Outcome:
    """Results and notices of one fetch, filled from several threads."""

    def __init__(self, on_batch: BatchListener | None = None) -> None:
        self.results: dict[tuple[str, str], Product | Failure] = {}
        self.notices: dict[str, None] = {}
        self.degraded: dict[tuple[str, str, str, str], int] = {}
        self._lock = threading.Lock()
        self._on_batch = on_batch

    def get(self, country: str, asin: str) -> Product | Failure | None:
        with self._lock:
            return self.results.get((country, asin))

    def put(self, country: str, asin: str, result: Product | Failure) -> None:
        with self._lock:
            self.results[(country, asin)] = result

    def put_batch(self, country: str, batch: Mapping[str, Product | Failure]) -> None:
        """Record one answered batch and hand it to the listener at once (a kill keeps it)."""
        for asin, result in batch.items():
            self.put(country, asin, result)
        if self._on_batch is not None:
            self._on_batch({ProductKey(country, asin): result for asin, result in batch.items()})

    def notice(self, text: str) -> None:
        with self._lock:
            self.notices.setdefault(text)

    def count_degraded(
        self, country: str, label: str, condition: str, count: int, result: str = "degraded"
    ) -> None:
        """Add ``count`` ASINs to the notice ``<country>: <label> <condition>, <n> ASINs <result>``."""
        with self._lock:
            key = (country, label, condition, result)
            self.degraded[key] = self.degraded.get(key, 0) + count

    def all_notices(self) -> list[str]:
        degraded = [
            f"{country}: {label} {condition}, {count} ASIN{'s' if count != 1 else ''} {result}"
            for (country, label, condition, result), count in self.degraded.items()
        ]
        return sorted([*self.notices, *degraded])


class Fetcher:
    """Fetches products from the Creators API and PA-API 5.0, as the configuration routes them.

    Args:
        config: the validated configuration (marketplaces, PA-API keys, associate sets, ``[api]``).
        sandbox: a base URL that receives all token and API traffic (default: none, Amazon itself).
        transport: an httpx transport, e.g. ``httpx.MockTransport`` in tests.
        token_store: where Creators tokens are kept between runs (default: the per-user state dir).
        logger: where retries and failures are logged (default: ``asa2render.api``).
        clock: time and sleeping, injectable so tests never wait.
        limiter: ``limiter(credential name, requests per second)`` builds the rate limit of one
            credential (default: a token bucket in this process; builders sharing a store pass
            :class:`~asa2render.shared.limiter.SharedLimiter`).
    """

    def __init__(
        self,
        config: Config,
        *,
        sandbox: str | None = None,
        transport: httpx.BaseTransport | None = None,
        token_store: TokenStore | None = None,
        logger: logging.Logger | None = None,
        clock: Clock | None = None,
        limiter: Callable[[str, float], RateLimiter] | None = None,
    ) -> None:
        self._config = config
        self._limiter = limiter
        self._sandbox = sandbox or None
        self._endpoints = Endpoints(self._sandbox)
        self._clock: Clock = clock or SystemClock()
        self._logger = logger or logging.getLogger("asa2render.api")
        self._token_store = token_store if token_store is not None else TokenStore.default()
        self._counter = _Counter()
        self._client = httpx.Client(
            transport=transport,
            timeout=config.api.timeout,
            event_hooks={"request": [self._counter.on_request]},
            # A --tls sandbox on loopback uses a throw-away self-signed certificate.
            verify=not _is_loopback(self._sandbox),
        )
        self._session = ApiSession(
            self._client, self._clock, RetryPolicy.from_config(config.api), self._logger
        )
        self._buckets: dict[str, RateLimiter] = {}
        self._creators: dict[str, CreatorsClient] = {}
        self._paapi: PaapiClient | None = None
        self._paapi_deprecated: ApiError | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()  # set when the main thread is interrupted mid-fetch

    def __repr__(self) -> str:
        return f"Fetcher(sandbox={self._sandbox!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def totals(self) -> tuple[int, int]:
        """API and token requests sent so far by this fetcher, from every thread.

        A report's own counts are the change of these totals during its call, so calls running at the
        same time in several threads each count the others' requests too; a caller that runs them so
        (the shared fetcher, one thread per store) takes the change of the totals over all of them.
        """
        return self._counter.requests, self._counter.tokens

    def fetch(self, keys: Iterable[ProductKey], on_batch: BatchListener | None = None) -> FetchReport:
        """Fetch every key (duplicates are fetched once); never raises for API failures.

        Args:
            keys: the products to fetch.
            on_batch: called with the results of each batch as soon as it is answered (from the
                fetching thread), so a caller can store them before the whole fetch ends.
        """
        unique = list(dict.fromkeys(ProductKey(*key) for key in keys))
        requests_before, tokens_before = self._counter.requests, self._counter.tokens
        self._stop.clear()
        outcome = _Outcome(on_batch)
        run = plan(self._config, unique)
        for country, (route, asins) in run.unrouted.items():
            self._fail_unrouted(country, route, asins, outcome)
        self._fetch_groups(run.groups, outcome)
        results: dict[ProductKey, Product | Failure] = {}
        for key in unique:
            results[key] = outcome.results.get(key) or _lost(key)
        return FetchReport(
            results=results,
            notices=outcome.all_notices(),
            requests=self._counter.requests - requests_before,
            tokens=self._counter.tokens - tokens_before,
        )

    def search(self, query: SearchQuery) -> SearchReport:
        """SearchItems in one store, on the route GetItems would take; never raises for API failures."""
        requests_before, tokens_before = self._counter.requests, self._counter.tokens
        report = SearchReport()
        try:
            report.page = self._search(query)
        except ApiError as error:
            self._logger.warning("search %s: %s", query, error)
            report.failure = _failure(error)
            report.notices.append(f"{query.country}: search {_condition(error)}")
        except _NoRouteError as no_route:
            report.failure = Failure(kind="no_route", message=str(no_route))
            report.notices.append(f"{query.country}: no API route (search links only)")
        report.requests = self._counter.requests - requests_before
        report.tokens = self._counter.tokens - tokens_before
        return report

    def _search(self, query: SearchQuery) -> SearchPage:
        store = get_store(query.country)
        route = decide_route(self._config, store.country) if store else None
        if store is None or route is None or route.api == "none":
            raise _NoRouteError(
                f"{query.country}: no API route ({route.reason if route else 'unknown store'})"
            )
        group = Group(store, route, credential_name(self._config, route), ())
        tag = route.partner_tag
        if not tag:
            raise _no_tag(group)
        if route.api == "creators":
            try:
                return self._creators_client(group).search_items(store, query.keywords, query.limit, tag)
            except ApiError as error:
                if not self._can_fall_back(group, error):
                    raise
                self._logger.warning("%s; searching with %s instead", error, PAAPI_LABEL)
        url = self._endpoints.paapi_search_items(store)
        if url is None:
            raise _no_paapi_host(group)
        if self._paapi_deprecated is not None:
            raise self._paapi_deprecated
        return self._paapi_client().search_items(store, url, query.keywords, query.limit, tag)

    def _fetch_groups(self, groups: Iterable[Group], outcome: _Outcome) -> None:
        by_credential: dict[str, list[Group]] = {}
        for group in groups:
            by_credential.setdefault(group.credential, []).append(group)
        jobs = list(by_credential.values())
        if len(jobs) <= 1:
            for job in jobs:
                self._fetch_credential(job, outcome)
            return
        with ThreadPoolExecutor(max_workers=min(len(jobs), _MAX_WORKERS)) as pool:
            futures = [pool.submit(self._fetch_credential, job, outcome) for job in jobs]
            try:
                for future in futures:
                    future.result()
            except BaseException:
                # Ctrl-C or SIGTERM in the main thread: the workers finish the request they are in
                # (its batch is still delivered) and start no other; the pool then joins them.
                self._stop.set()
                raise

    def _fetch_credential(self, groups: list[Group], outcome: _Outcome) -> None:
        for group in groups:
            if group.route.api == "creators":
                self._fetch_creators(group, outcome)
            else:
                self._fetch_paapi(group, group.asins, outcome)
            if self._config.placeholders.fetch_variation_summaries:
                self._add_variations(group, outcome)

    def _add_variations(self, group: Group, outcome: _Outcome) -> None:
        """Give parent products their variation summary (ASA2's "variations price"); best effort."""
        country, tag = group.store.country, group.route.partner_tag or ""
        for asin in group.asins:
            product = outcome.get(country, asin)
            if not isinstance(product, Product) or not needs_variations(product) or not tag:
                continue
            try:
                if product.source == "creators":
                    summary = self._creators_client(group).get_variation_summary(group.store, asin, tag)
                else:
                    url = self._endpoints.paapi_get_variations(group.store)
                    if url is None or self._paapi_deprecated is not None:
                        continue
                    summary = self._paapi_client().get_variation_summary(group.store, url, asin, tag)
            except ApiError as exc:
                # The product itself is fine: it just shows no variations price this time.
                self._logger.warning("%s (variation summary of %s:%s)", exc, country, asin)
                continue
            if summary is not None:
                outcome.put(country, asin, product.model_copy(update={"variations": summary}))

    def _fetch_creators(self, group: Group, outcome: _Outcome) -> None:
        client = self._creators_client(group)
        tag = group.route.partner_tag
        stop: ApiError | None = None if tag else _no_tag(group)
        for batch in batches(group.asins):
            if self._stop.is_set():
                return
            error = stop
            if error is None:
                try:
                    self._record(group, client.get_items(group.store, batch, tag or ""), outcome)
                    continue
                except ApiError as exc:
                    error = exc
                    stop = exc if isinstance(exc, _GROUP_FATAL) else None
            self._creators_failed(group, client.label, batch, error, outcome)

    def _creators_failed(
        self, group: Group, label: str, batch: tuple[str, ...], error: ApiError, outcome: _Outcome
    ) -> None:
        condition = _condition(error)
        if self._can_fall_back(group, error):
            self._logger.warning("%s; trying %s for %d ASINs", error, PAAPI_LABEL, len(batch))
            instead = f"sent to {PAAPI_LABEL} instead"
            outcome.count_degraded(group.store.country, label, condition, len(batch), instead)
            self._fetch_paapi(group, batch, outcome)
            return
        self._logger.warning("%s", error)
        outcome.count_degraded(group.store.country, label, condition, len(batch))
        self._fail(group, batch, error, outcome)

    def _can_fall_back(self, group: Group, error: ApiError) -> bool:
        """protocol.md §5: on transport failures, timeouts, 5xx (and 429) after retries — never on 400/403."""
        return (
            error.kind in _FALLBACK_KINDS
            and self._config.paapi.usable
            and self._endpoints.paapi_get_items(group.store) is not None
            and bool(group.route.partner_tag)
        )

    def _fetch_paapi(self, group: Group, asins: tuple[str, ...], outcome: _Outcome) -> None:
        client = self._paapi_client()
        url = self._endpoints.paapi_get_items(group.store)
        country = group.store.country
        stop: ApiError | None = None
        for batch in batches(asins):
            if self._stop.is_set():
                return
            error = stop or self._paapi_deprecated
            if error is None and url is not None:
                try:
                    self._record(
                        group,
                        client.get_items(group.store, url, batch, group.route.partner_tag or ""),
                        outcome,
                    )
                    continue
                except ApiError as exc:
                    error = exc
                    stop = exc if isinstance(exc, _GROUP_FATAL) else None
            error = error or _no_paapi_host(group)
            if error.permanent and isinstance(error, ForbiddenError):
                self._mark_deprecated(error)
                outcome.notice(f"{country}: {PAAPI_LABEL} is deprecated (permanent for this run)")
            else:
                self._logger.warning("%s", error)
                outcome.count_degraded(country, PAAPI_LABEL, _condition(error), len(batch))
            self._fail(group, batch, error, outcome)

    def _mark_deprecated(self, error: ApiError) -> None:
        with self._lock:
            if self._paapi_deprecated is None:
                self._paapi_deprecated = error
                self._logger.warning("%s — PA-API 5.0 is not used again in this run", error)

    def _record(self, group: Group, results: ItemResults, outcome: _Outcome) -> None:
        batch = {
            asin: result if isinstance(result, Product) else _failure(result)
            for asin, result in results.items()
        }
        outcome.put_batch(group.store.country, batch)

    def _fail(self, group: Group, batch: Iterable[str], error: ApiError, outcome: _Outcome) -> None:
        failure = _failure(error)
        outcome.put_batch(group.store.country, dict.fromkeys(batch, failure))

    def _fail_unrouted(
        self, country: str, route: Route | None, asins: tuple[str, ...], outcome: _Outcome
    ) -> None:
        why = route.reason if route else "unknown store"
        failure = Failure(kind="no_route", message=f"{country}: no API route ({why})", permanent=False)
        outcome.notice(f"{country}: no API route (local products and cache only)")
        for asin in asins:
            outcome.put(country, asin, failure)

    def _bucket(self, credential: str) -> RateLimiter:
        with self._lock:
            if credential not in self._buckets:
                rate = self._config.api.requests_per_second
                self._buckets[credential] = (
                    self._limiter(credential, rate) if self._limiter else TokenBucket(rate, self._clock)
                )
            return self._buckets[credential]

    def _creators_client(self, group: Group) -> CreatorsClient:
        with self._lock:
            client = self._creators.get(group.credential)
        if client is not None:
            return client
        market = self._config.marketplace(group.store.country)
        version = group.route.version
        if (
            market is None
            or market.credential_id is None
            or market.credential_secret is None
            or version is None
        ):
            raise RuntimeError(f"route says Creators API for {group.store.country} without credentials")
        token_url = self._endpoints.token_url(version)
        credential = Credential(market.credential_id, market.credential_secret, version)
        auth = CreatorsAuth(
            credential, token_url, self._token_store, self._clock, self._config.api.token_margin
        )
        client = CreatorsClient(
            self._session,
            url=self._endpoints.creators_get_items(),
            search_url=self._endpoints.creators_search_items(),
            auth=auth,
            bucket=self._bucket(group.credential),
            version=version,
            variations_url=self._endpoints.creators_get_variations(),
        )
        with self._lock:
            return self._creators.setdefault(group.credential, client)

    def _paapi_client(self) -> PaapiClient:
        paapi = self._config.paapi
        bucket = self._bucket("paapi")  # one access key serves every store: one shared rate limit
        with self._lock:
            if self._paapi is None:
                if paapi.access_key is None or paapi.secret_key is None:
                    raise RuntimeError("route says PA-API 5.0 without PA-API keys")
                self._paapi = PaapiClient(
                    self._session, access_key=paapi.access_key, secret_key=paapi.secret_key, bucket=bucket
                )
            return self._paapi


class _NoRouteError(Exception):
    """No API serves this store (internal: becomes a Failure)."""


def _failure(error: ApiError) -> Failure:
    return Failure(kind=error.kind, message=str(error), permanent=error.permanent)


def _lost(key: ProductKey) -> Failure:
    # Defensive: a key no branch answered still gets a result, as the engine relies on.
    return Failure(kind="server", message=f"{key}: no result was produced", permanent=False)


def _condition(error: ApiError) -> str:
    text = _KIND_TEXT.get(error.kind, error.kind)
    if error.kind in {"auth", "forbidden", "invalid"} and error.reason:
        text += f" ({error.reason})"
    return text


def _no_tag(group: Group) -> ApiError:
    return InvalidRequestError(
        "no tracking ID: set partner_tag in [[marketplaces]] or a tag in [associate_id_sets]",
        marketplace=group.store.country,
        asins=group.asins,
        api=group.route.label,
        reason="NoPartnerTag",
    )


def _no_paapi_host(group: Group) -> ApiError:
    return InvalidRequestError(
        "PA-API 5.0 has no host for this store",
        marketplace=group.store.country,
        asins=group.asins,
        api=PAAPI_LABEL,
        reason="NoPaapiHost",
    )


def _is_loopback(url: str | None) -> bool:
    if not url:
        return False
    host = httpx.URL(url).host
    return host in {"127.0.0.1", "localhost", "::1"}


__all__ = ["BatchListener", "FetchReport", "Fetcher", "SearchReport"]
