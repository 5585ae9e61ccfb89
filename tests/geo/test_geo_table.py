"""The translation table: one batched lookup per store, exact / search / left out, tracking IDs per set."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from asa2render.config.model import Config, config_from_dict
from asa2render.engine import Engine
from asa2render.geo.table import (
    GeoTable,
    build_table,
    classify,
    offered_fallbacks,
    offered_stores,
    search_url,
    tracking_id,
)
from asa2render.marketplaces import store_for
from asa2render.products.cache import ProductCache
from asa2render.products.models import Failure, ProductKey, Resolved
from asa2render.sandbox import Sandbox, SandboxOptions


def market(country: str, credential: str = "demo-cognito-eu", **extra: Any) -> dict[str, Any]:
    return {
        "country": country,
        "credential_type": "cognito" if "cognito" in credential else "lwa",
        "credential_id": credential,
        "credential_secret": "demo-secret",
        "partner_tag": f"{country}tag-21",
        **extra,
    }


def make_config(**geo: Any) -> Config:
    return config_from_dict(
        {
            "marketplaces": [market("de", default=True), market("fr"), market("uk", "demo-lwa-eu")],
            "associate_id_sets": {
                "default": {"us": "ustag-20", "it": "ittag-21"},
                "blog": {"us": "blogus-20"},
            },
            "geo": {"enabled": True, "stores": ["de", "fr", "uk", "us"], **geo},
            "api": {"requests_per_second": 100},  # the sandbox does not throttle; tests need not wait
        }
    )


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions(missing=(("B0DEMO0003", "uk"),))) as running:
        yield running


def site(engine: Engine, pages: list[str]) -> GeoTable:
    docs = [engine.prepare(text, path=f"page{n}.md") for n, text in enumerate(pages)]
    engine.fetch_documents(docs)
    return build_table(engine, [r for d in docs for r in d.requests])


def test_offered_stores_default_to_every_store_with_a_tracking_id() -> None:
    config = make_config(stores=None)
    assert offered_stores(config) == ("us", "uk", "de", "fr", "it")  # table order of the stores


def test_tracking_id_marketplace_then_set_then_default_set() -> None:
    config = make_config()
    assert tracking_id(config, "fr", "blog") == "frtag-21"  # the marketplace's own tag wins
    assert tracking_id(config, "us", "blog") == "blogus-20"
    assert tracking_id(config, "it", "blog") == "ittag-21"  # not in "blog": the default set's
    assert tracking_id(config, "es", "blog") is None


def test_fallbacks_follow_chains_to_an_offered_store() -> None:
    fallbacks = offered_fallbacks(make_config(fallbacks={"pt": "fr"}), ["de", "fr", "uk"])
    assert fallbacks["at"] == "de"
    assert fallbacks["ie"] == "uk"
    assert fallbacks["pt"] == "fr"  # the configured entry wins over the built-in pt → es
    assert fallbacks["no"] == "de"  # no → se (not offered) → de
    assert "gb" not in fallbacks and "de" not in fallbacks  # their own store is offered
    assert "nz" not in fallbacks  # au is not offered: New Zealanders keep the page's links


def test_classify() -> None:
    gone = Failure(kind="invalid", message="InvalidParameterValue", permanent=True)
    unrouted = Failure(kind="no_route", message="fr: no API route")
    busy = Failure(kind="throttled", message="429")
    assert classify(Resolved(key_country="fr", key_asin="B0X1234567", failure=gone)) == "missing"
    assert classify(Resolved(key_country="fr", key_asin="B0X1234567", failure=unrouted)) == "no_route"
    assert classify(Resolved(key_country="fr", key_asin="B0X1234567", failure=busy)) == "unknown"
    assert classify(None) == "unknown"


def test_table_records_exact_search_and_left_out(sandbox: Sandbox) -> None:
    with Engine(make_config(), cache=ProductCache.in_memory(), sandbox=sandbox.url) as engine:
        table = site(engine, ['[asa2]B0DEMO0001[/asa2]\n\n[asa2 set="blog"]B0DEMO0003[/asa2]'])
        page_title = engine.resolved[ProductKey("de", "B0DEMO0003")].product

    products = table.data["products"]
    assert products["B0DEMO0001"] == {"x": ["de", "fr", "uk"]}  # us has no route: left out
    assert products["B0DEMO0003"]["x"] == ["de", "fr"]
    assert products["B0DEMO0003"]["s"] == ["uk"]
    assert table.link("B0DEMO0001", "fr") == "https://www.amazon.fr/dp/B0DEMO0001?tag=frtag-21"
    assert table.link("B0DEMO0003", "uk", "blog") == search_url(
        store_for("uk"), products["B0DEMO0003"]["t"], "uktag-21"
    )
    assert table.link("B0DEMO0001", "us") is None
    assert page_title is not None and products["B0DEMO0003"]["t"] == page_title.title
    assert {str(m) for m in table.misses} == {
        "B0DEMO0001 has no exact match in us (left out: no API route)",
        "B0DEMO0003 has no exact match in uk (search link)",
        "B0DEMO0003 has no exact match in us (left out: no API route)",
    }
    # The tags of the "blog" set differ from the default set only in us.
    assert table.data["tags"]["default"]["us"] == "ustag-20"
    assert table.data["tags"]["blog"]["us"] == "blogus-20"


def test_lookups_cost_one_batch_per_store_per_ten_products_and_are_cached(sandbox: Sandbox) -> None:
    asins = [f"B0GEO{n:05d}" for n in range(25)]
    page = "\n\n".join(f"[asa2]{asin}[/asa2]" for asin in asins)
    cache = ProductCache.in_memory()
    with Engine(make_config(), cache=cache, sandbox=sandbox.url) as engine:
        sandbox.reset_stats()
        table = site(engine, [page])
    calls = Counter(
        r["marketplace"] for r in sandbox.stats()["requests"] if "getitems" in r["operation"].lower()
    )
    # 25 products: 3 batches for the page's store (de), then 3 per offered store with a route.
    assert calls == {"www.amazon.de": 3, "www.amazon.fr": 3, "www.amazon.co.uk": 3}
    assert table.lookups == 75  # fr, uk and us (us has no route and costs no request)
    assert table.requests == 6

    with Engine(make_config(), cache=cache, sandbox=sandbox.url) as engine:
        sandbox.reset_stats()
        again = site(engine, [page])
    assert sandbox.stats()["requests"] == []  # within the cache lifetime: no request at all
    assert again.data["products"] == table.data["products"]


def test_exact_mode_leaves_missing_products_out(sandbox: Sandbox) -> None:
    with Engine(make_config(mode="exact"), cache=ProductCache.in_memory(), sandbox=sandbox.url) as engine:
        table = site(engine, ["[asa2]B0DEMO0003[/asa2]"])
    assert table.data["products"]["B0DEMO0003"] == {"x": ["de", "fr"]}
    assert "B0DEMO0003 has no exact match in uk (left out (mode exact))" in {str(m) for m in table.misses}


def test_search_mode_looks_nothing_up(sandbox: Sandbox) -> None:
    with Engine(make_config(mode="search"), cache=ProductCache.in_memory(), sandbox=sandbox.url) as engine:
        table = site(engine, ["[asa2]B0DEMO0001[/asa2]"])
    assert table.lookups == 0
    assert table.data["products"]["B0DEMO0001"]["s"] == ["fr", "uk", "us"]
    assert table.data["products"]["B0DEMO0001"]["x"] == ["de"]  # the page's own store
    assert table.misses == []


def test_search_links_escape_like_the_browser() -> None:
    url = search_url(store_for("uk"), "Pan (28 cm) & lid, it's cast  iron", "uktag-21")
    assert url == "https://www.amazon.co.uk/s?k=Pan+(28+cm)+%26+lid%2C+it's+cast+iron&tag=uktag-21"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            None,
            {"see_price": "Preis bei Amazon ansehen", "switcher": "Amazon-Shop", "automatic": "Automatisch"},
        ),
        (
            "fr",
            {
                "see_price": "Voir le prix sur Amazon",
                "switcher": "Boutique Amazon",
                "automatic": "Automatique",
            },
        ),
    ],
)
def test_script_labels_are_in_the_sites_language(language: str | None, expected: dict[str, str]) -> None:
    config = make_config(mode="search")
    if language:
        config = config.model_copy(update={"site": config.site.model_copy(update={"language": language})})
    with Engine(config, cache=ProductCache.in_memory()) as engine:
        table = site(engine, ["[asa2]B0DEMO0001[/asa2]"])

    assert table.data["labels"] == expected
