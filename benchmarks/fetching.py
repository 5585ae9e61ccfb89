"""Figure families 3 and 4: a cold fetch against the sandbox, the same work by python-amazon-paapi,
and a warm rebuild that must not talk to the API at all.

Cold fetch: 1,000 unique ASINs over three stores, each with its own Creators credential, against a
sandbox throttling at 20 requests/s per credential with the client set to 20 requests/s. The minimum
is Σ ceil(unique per store / 10) GetItems requests and one token per credential; the rate-limit floor
is the slowest store's requests ÷ 20 s, reachable only when the stores are fetched concurrently.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from asa2render.config.model import Config, config_from_dict
from asa2render.products.models import ProductKey

from .measure import Figure, ratio_figure, unavailable
from .sites import DEFAULT_STORES, SiteSpec, site_keys, write_config, write_site

TPS = 20.0
SECRET = "bench-secret"
# One Creators credential per store, each of the version its region needs (Cognito 2.x).
VERSIONS = {"de": "2.2", "uk": "2.2", "fr": "2.2", "us": "2.1", "jp": "2.3"}
PAAPI_VERSION = "7.1.0"
PAAPI_VENV = Path.home() / ".cache" / "asa2render-bench" / f"paapi-{PAAPI_VERSION}"


def credential_id(country: str) -> str:
    return f"bench-{country}"


def sandbox_credentials(stores: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple((credential_id(country), SECRET, VERSIONS[country]) for country in stores)


def bench_config(stores: tuple[str, ...] = DEFAULT_STORES, *, requests_per_second: float = TPS) -> Config:
    """An in-memory configuration: one marketplace per store, each with its own credential."""
    return config_from_dict(
        {
            "api": {"requests_per_second": requests_per_second},
            "marketplaces": [
                {
                    "country": country,
                    "credential_type": "cognito",
                    "credential_id": credential_id(country),
                    "credential_secret": SECRET,
                    "partner_tag": f"bench{country}-21",
                    "default": index == 0,
                }
                for index, country in enumerate(stores)
            ],
        }
    )


@contextmanager
def running_sandbox(
    stores: tuple[str, ...] = DEFAULT_STORES, throttle_tps: float | None = TPS
) -> Iterator[Any]:
    """An in-process sandbox accepting one bench credential per store, throttling each at ``throttle_tps``."""
    from asa2render.sandbox import Sandbox, SandboxOptions

    options = SandboxOptions(credentials=sandbox_credentials(stores), throttle_tps=throttle_tps)
    with Sandbox(options) as sandbox:
        yield sandbox


class SandboxProcess:
    """``asa2render sandbox`` in its own process, with the in-process sandbox's ``url``/``stats``/``reset_stats``.

    Timed client runs use it so that the server's threads do not compete with the client's for this
    process's GIL: Amazon is not in the client's process either.
    """

    def __init__(self, stores: tuple[str, ...] = DEFAULT_STORES, throttle_tps: float | None = TPS) -> None:
        command = [sys.executable, "-m", "asa2render", "sandbox"]
        for credential in sandbox_credentials(stores):
            command += ["--credential", ":".join(credential)]
        if throttle_tps is not None:
            command += ["--throttle-tps", str(throttle_tps)]
        self._process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self._process.stdout is not None
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("http"):
            self.close()
            raise RuntimeError("asa2render sandbox did not print its URL")
        self._client = httpx.Client(base_url=self.url, timeout=10)

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self._client.get("/_sandbox/stats").json()
        return stats

    def reset_stats(self) -> None:
        self._client.post("/_sandbox/reset").raise_for_status()

    def close(self) -> None:
        if hasattr(self, "_client"):
            self._client.close()
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class Traffic:
    """What the sandbox saw: GetItems requests per marketplace, tokens per credential, 429s."""

    requests: Counter[str]
    tokens: Counter[str]
    throttled: int

    @classmethod
    def of(cls, stats: dict[str, Any]) -> Traffic:
        requests: Counter[str] = Counter()
        throttled = 0
        for entry in stats["requests"]:
            if entry.get("status") == 429:
                throttled += 1
            requests[str(entry.get("marketplace"))] += 1
        tokens = Counter(str(token["credential_id"]) for token in stats["tokens"])
        return cls(requests, tokens, throttled)

    @property
    def total(self) -> int:
        return sum(self.requests.values())


def fetch_keys(unique_asins: int, stores: tuple[str, ...] = DEFAULT_STORES) -> list[ProductKey]:
    spec = SiteSpec(pages=math.ceil(unique_asins / 5), per_page=5, unique_asins=unique_asins, stores=stores)
    return [ProductKey(country, asin) for country, asin in site_keys(spec)]


def minimum_requests(keys: list[ProductKey]) -> tuple[int, int]:
    """Σ ceil(unique per store / 10), and the largest single store's share of it."""
    per_store = Counter(key.country for key in set(keys))
    requests = [math.ceil(count / 10) for count in per_store.values()]
    return sum(requests), max(requests)


def cold_fetch(
    unique_asins: int,
    repeat: int,
    log: Callable[[str], None] = print,
    *,
    compare_paapi: bool = True,
    install_paapi: bool = True,
) -> list[Figure]:
    """Fetch ``unique_asins`` products cold (no cache, no token) ``repeat`` times.

    With ``compare_paapi`` python-amazon-paapi then does the same work in its own venv, which is
    created (pip, network) only with ``install_paapi``; otherwise a missing venv makes that figure
    unavailable, so offline runs never wait on pip.
    """
    from asa2render.api import Fetcher, TokenStore

    keys = fetch_keys(unique_asins)
    minimum, slowest = minimum_requests(keys)
    floor = slowest / TPS
    config = bench_config()
    runs: list[tuple[float, Traffic, int, int]] = []
    with SandboxProcess() as sandbox:
        for _ in range(repeat):
            time.sleep(1.1)  # let the sandbox's one-second throttle window empty
            sandbox.reset_stats()
            with Fetcher(config, sandbox=sandbox.url, token_store=TokenStore(None)) as fetcher:
                started = time.perf_counter()
                report = fetcher.fetch(keys)
                wall = time.perf_counter() - started
            failures = sum(1 for result in report.results.values() if not hasattr(result, "title"))
            runs.append((wall, Traffic.of(sandbox.stats()), report.requests, failures))
            log(
                f"  cold fetch: {wall:.3f} s, {report.requests} requests, {report.tokens} tokens, {failures} failed"
            )
        paapi = _paapi_run(sandbox, keys, log, install_paapi) if compare_paapi else {"error": "not requested"}
    # Wall time: the median run. Requests, 429s and failures: the worst run, since a 429 is no
    # measurement noise but a pacing fault that strikes some runs and not others.
    wall = statistics.median(run[0] for run in runs)
    _, traffic, client_requests, _ = max(runs, key=lambda run: (run[1].total, run[1].throttled))
    failures = max(run[3] for run in runs)
    throttled = sum(run[1].throttled for run in runs)
    tokens_ok = all(run[1].tokens[credential_id(country)] == 1 for run in runs for country in DEFAULT_STORES)
    common: dict[str, Any] = {
        "sandbox_requests": traffic.total,
        "client_requests": client_requests,
        "tokens_per_credential": dict(traffic.tokens),
        "throttled_429_all_runs": throttled,
        "failed_products": failures,
        "runs_s": [run[0] for run in runs],
        "runs_requests": [run[1].total for run in runs],
    }
    figures = [
        ratio_figure(
            "cold_fetch_requests_vs_minimum",
            traffic.total,
            minimum,
            unit="requests",
            target="= 1.0 (and 1 token per credential, zero 429s)",
            goal="eq",
            limit=1.0,
            detail=f"{len(keys)} unique ASINs over {len(DEFAULT_STORES)} stores; worst of {len(runs)} run(s)",
            **common,
        ),
        ratio_figure(
            "cold_fetch_vs_floor",
            wall,
            floor,
            unit="s",
            target="<= 1.15",
            goal="max",
            limit=1.15,
            detail=f"median of {len(runs)} run(s); floor = {slowest} requests of the slowest store / {TPS:g} TPS",
            **common,
        ),
        _count_figure(
            "cold_fetch_throttled_429", throttled, "responses", "= 0", detail=f"sum over {len(runs)} run(s)"
        ),
        _count_figure(
            "cold_fetch_tokens_per_credential_max",
            max((run[1].tokens[credential_id(c)] for run in runs for c in DEFAULT_STORES), default=0),
            "tokens",
            "= 1",
            1,
            detail=f"exactly one token per credential in every run: {tokens_ok}",
        ),
    ]
    return figures + _paapi_figures(paapi, wall, traffic.total, minimum, floor)


def _count_figure(
    name: str, value: float, unit: str, target: str, limit: float = 0.0, *, detail: str = ""
) -> Figure:
    return Figure(name, value, unit, limit, None, target, "eq", limit, detail=detail)


# -- python-amazon-paapi in its own venv --------------------------------------------------------------

_PAAPI_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from amazon_creatorsapi import AmazonCreatorsApi
    job = json.load(sys.stdin)
    started = time.perf_counter()
    found = 0
    for store in job["stores"]:
        api = AmazonCreatorsApi(
            credential_id=store["credential_id"], credential_secret=store["secret"],
            version=store["version"], tag=store["tag"], country=store["country"].upper(),
            host=job["url"], auth_endpoint=job["url"] + "/oauth2/token",
            throttling=job["throttling"],
        )
        found += len(api.get_items(store["asins"]))
    print(json.dumps({"wall": time.perf_counter() - started, "found": found}))
    """
)


def ensure_paapi_venv(
    log: Callable[[str], None] = print, *, install: bool = True, venv: Path = PAAPI_VENV
) -> tuple[Path | None, str]:
    """The venv with python-amazon-paapi, created on first use; ``(python, "")`` or ``(None, reason)``."""
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import amazon_creatorsapi"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python, ""
    if not install:
        return None, f"{venv} does not exist yet; `make bench` creates it (needs the package index)"
    log(f"  creating {venv} (python-amazon-paapi=={PAAPI_VERSION})")
    venv.parent.mkdir(parents=True, exist_ok=True)
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
    if made.returncode != 0:
        return None, f"python -m venv failed: {made.stderr.strip()[-200:]}"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--timeout", "20", "--retries", "1"]
    pip.append(f"python-amazon-paapi=={PAAPI_VERSION}")
    installed = subprocess.run(pip, capture_output=True, text=True, timeout=600)
    if installed.returncode != 0:
        lines = [line for line in installed.stderr.splitlines() if "ERROR" in line] or ["pip failed"]
        return None, f"pip could not install python-amazon-paapi=={PAAPI_VERSION}: {lines[-1][:200]}"
    return python, ""


def _paapi_run(
    sandbox: Any, keys: list[ProductKey], log: Callable[[str], None], install: bool
) -> dict[str, Any]:
    python, reason = ensure_paapi_venv(log, install=install)
    if python is None:
        return {"error": reason}
    stores = []
    for country in DEFAULT_STORES:
        asins = [key.asin for key in keys if key.country == country]
        stores.append(
            {
                "country": country,
                "credential_id": credential_id(country),
                "secret": SECRET,
                "version": VERSIONS[country],
                "tag": f"bench{country}-21",
                "asins": asins,
            }
        )
    # The library's own rate setting, at the same 20 requests/s as our client.
    job = {"url": sandbox.url, "throttling": 1 / TPS, "stores": stores}
    time.sleep(1.1)
    sandbox.reset_stats()
    done = subprocess.run(
        [str(python), "-c", _PAAPI_SCRIPT], input=json.dumps(job), capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        return {"error": f"python-amazon-paapi run failed: {done.stderr.strip().splitlines()[-1:]}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    traffic = Traffic.of(sandbox.stats())
    result |= {
        "requests": traffic.total,
        "tokens": sum(traffic.tokens.values()),
        "throttled": traffic.throttled,
    }
    log(f"  python-amazon-paapi: {result['wall']:.3f} s, {traffic.total} requests, {traffic.throttled} 429s")
    return result


def _paapi_figures(
    paapi: dict[str, Any], wall: float, requests: int, minimum: int, floor: float
) -> list[Figure]:
    if "error" in paapi:
        return [unavailable("cold_fetch_speedup_vs_python_amazon_paapi", paapi["error"])]
    extra = {
        "paapi_requests": paapi["requests"],
        "paapi_tokens": paapi["tokens"],
        "paapi_throttled_429": paapi["throttled"],
        "paapi_found": paapi["found"],
        "paapi_vs_floor": paapi["wall"] / floor,
        "paapi_requests_vs_minimum": paapi["requests"] / minimum,
    }
    figure = ratio_figure(
        "cold_fetch_speedup_vs_python_amazon_paapi",
        wall,
        paapi["wall"],
        unit="s",
        invert=True,
        detail=f"python-amazon-paapi {PAAPI_VERSION}, stores one after another, throttling=1/{TPS:g} s",
        **extra,
    )
    return [figure]


# -- warm rebuild ---------------------------------------------------------------------------------


def warm_rebuild(pages: int, log: Callable[[str], None] = print) -> list[Figure]:
    """Render the same site twice with ``asa2render render``; the second run must not call the API."""
    spec = SiteSpec(pages=pages, per_page=5, unique_asins=min(500, pages * 5))
    with tempfile.TemporaryDirectory(prefix="asa2render-bench-") as temporary, running_sandbox() as sandbox:
        root = Path(temporary)
        write_site(root / "site", spec)
        credentials = {country: ("cognito", credential_id(country)) for country in spec.stores}
        config = write_config(root, spec.stores, credentials=credentials)
        builds = []
        for build in (1, 2):
            sandbox.reset_stats()
            command = [
                sys.executable,
                "-m",
                "asa2render",
                "render",
                str(root / "site"),
                "-o",
                str(root / "out"),
            ]
            command += ["--config", str(config), "--sandbox", sandbox.url]
            env = os.environ | {"XDG_STATE_HOME": str(root / "state")}  # a private token store
            done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
            if done.returncode != 0:
                raise RuntimeError(f"render failed ({done.returncode}): {done.stderr[-500:]}")
            traffic = Traffic.of(sandbox.stats())
            summary = next((line for line in done.stderr.splitlines() if "API request" in line), "")
            builds.append((traffic, summary))
            log(
                f"  build {build}: {traffic.total} requests, {sum(traffic.tokens.values())} tokens — {summary}"
            )
    first, second = builds[0][0], builds[1][0]
    first_total = first.total + sum(first.tokens.values())
    second_total = second.total + sum(second.tokens.values())
    return [
        Figure(
            "warm_rebuild_requests",
            second_total,
            "requests",
            first_total,
            second_total / first_total if first_total else None,
            "= 0",
            "eq",
            0.0,
            second_total,
            "requests",
            f"{pages} pages x 5 boxes; baseline = API + token requests of the first (cold) build",
            {"first_build": builds[0][1], "second_build": builds[1][1]},
        )
    ]


__all__ = [
    "SandboxProcess",
    "Traffic",
    "bench_config",
    "cold_fetch",
    "ensure_paapi_venv",
    "fetch_keys",
    "minimum_requests",
    "running_sandbox",
    "warm_rebuild",
]
