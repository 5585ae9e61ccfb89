"""Geo-targeting figures: what the store checks cost, and what the browser script weighs.

``geo_lookup_requests_vs_minimum``: a page of N products in the de store, geo-targeted to four more
stores (each with its own credential, one product missing in uk and one in jp). The table build must
ask each other store once per 10 products: minimum = (stores − 1) × ceil(N / 10) GetItems requests;
the figure is requests / minimum (target exactly 1). A second build from the same cache must cost no
request (``geo_rebuild_requests``). ``geo_script_gzip_bytes`` is ``asa2render-geo.js`` after gzip -9.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

from asa2render.config.model import Config, config_from_dict
from asa2render.engine import Engine
from asa2render.geo.assets import script_gzip_size
from asa2render.geo.table import build_table
from asa2render.products.cache import ProductCache

from .fetching import SECRET, credential_id, sandbox_credentials
from .measure import Figure, ratio_figure

STORES = ("de", "uk", "fr", "us", "jp")
SCRIPT_LIMIT = 3 * 1024


def geo_config() -> Config:
    return config_from_dict(
        {
            "api": {"requests_per_second": 100.0},
            "marketplaces": [
                {
                    "country": country,
                    "credential_type": "cognito",
                    "credential_id": credential_id(country),
                    "credential_secret": SECRET,
                    "partner_tag": f"bench{country}-2{'0' if country == 'us' else '2' if country == 'jp' else '1'}",
                    "default": index == 0,
                }
                for index, country in enumerate(STORES)
            ],
            "geo": {"enabled": True, "stores": list(STORES)},
        }
    )


def _build(engine: Engine, sandbox: Any, page: str) -> tuple[int, int]:
    """Render the page's products, then build the table; returns (table GetItems, (store, ASIN) lookups)."""
    doc = engine.prepare(page, path="bench.md")
    engine.fetch_documents([doc])
    sandbox.reset_stats()
    table = build_table(engine, doc.requests)
    calls = Counter(
        r["marketplace"] for r in sandbox.stats()["requests"] if "getitems" in str(r["operation"]).lower()
    )
    return sum(calls.values()), table.lookups


def geo_lookup(products: int, log: Callable[[str], None] = print) -> list[Figure]:
    from asa2render.sandbox import Sandbox, SandboxOptions

    asins = [f"B0GEO{n:05d}" for n in range(products)]
    page = "\n\n".join(f"[asa2]{asin}[/asa2]" for asin in asins)
    options = SandboxOptions(
        credentials=sandbox_credentials(STORES), missing=((asins[0], "uk"), (asins[-1], "jp"))
    )
    cache = ProductCache.in_memory()
    with Sandbox(options) as sandbox:
        with Engine(geo_config(), cache=cache, sandbox=sandbox.url) as engine:
            requests, lookups = _build(engine, sandbox, page)
        with Engine(geo_config(), cache=cache, sandbox=sandbox.url) as engine:
            again, _ = _build(engine, sandbox, page)
    minimum = (len(STORES) - 1) * math.ceil(products / 10)
    log(
        f"  geo lookups: {lookups} (store, ASIN) pairs, {requests} GetItems (minimum {minimum}); rebuild: {again}"
    )
    size = script_gzip_size()
    log(f"  asa2render-geo.js: {size} bytes gzipped")
    return [
        ratio_figure(
            "geo_lookup_requests_vs_minimum",
            requests,
            minimum,
            unit="requests",
            target="= 1.0 (one batch per store per 10 products)",
            goal="eq",
            limit=1.0,
            detail=f"{products} products on a de page, {len(STORES) - 1} other stores, 2 missing",
        ),
        Figure(
            "geo_rebuild_requests", again, "requests", 0, None, "= 0 (cached)", "eq", 0, detail="same cache"
        ),
        Figure(
            "geo_script_gzip_bytes",
            size,
            "bytes",
            SCRIPT_LIMIT,
            size / SCRIPT_LIMIT,
            f"<= {SCRIPT_LIMIT} (3 KB)",
            "max",
            SCRIPT_LIMIT,
            detail="asa2render/geo/static/asa2render-geo.js, gzip -9",
        ),
    ]


__all__ = ["geo_lookup"]
