"""``[asa2_search]`` against the sandbox: cached like products, counted, stale, fallback and empty."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from asa2render.config.model import Config, load_config
from asa2render.engine import Engine
from asa2render.sandbox import Sandbox, SandboxOptions

SEARCH = '[asa2_search keywords="burr grinder" country="de" limit="2"]'
ROWS = re.compile(r'<li class="asa2-list-item[^"]*" data-asa2-asin="(\w+)" data-asa2-state="(\w+)"')


def _render(config: Config, url: str, text: str = SEARCH) -> tuple[str, Engine]:
    with Engine(config, sandbox=url) as engine:
        html = engine.render(engine.prepare(text, path="page.md"))
    return html, engine


def _searches(sandbox: Sandbox) -> list[dict[str, object]]:
    return [r for r in sandbox.stats()["requests"] if r["operation"] == "SearchItems"]


def test_search_lists_ranked_results_and_caches_list_and_products(
    site: Callable[..., Config], catalog_sandbox: Sandbox
) -> None:
    config = site()
    catalog_sandbox.reset_stats()
    html, engine = _render(config, catalog_sandbox.url)
    assert ROWS.findall(html) == [("B0ACME0001", "fresh"), ("B0ACME0002", "fresh")]
    assert html.startswith('<div class="asa2-list"')
    assert len(_searches(catalog_sandbox)) == 1
    assert engine.report.api_requests == 1  # the search counts; its products need no GetItems
    catalog_sandbox.reset_stats()
    again, engine = _render(config, catalog_sandbox.url)
    assert again == html
    assert catalog_sandbox.stats()["requests"] == [] and engine.report.api_requests == 0


def test_an_empty_result_is_a_search_link_and_a_warning(
    site: Callable[..., Config], catalog_sandbox: Sandbox
) -> None:
    html, engine = _render(site(), catalog_sandbox.url, '[asa2_search keywords="noresults anywhere"]')
    assert 'href="https://www.amazon.de/s?k=noresults+anywhere&amp;tag=mytag-21"' in html
    assert 'data-asa2-state="fallback"' in html
    assert [(p.code, p.severity) for p in engine.problems] == [("search-empty", "warning")]


def test_api_gone_gives_stale_then_a_fallback_search_link(
    site: Callable[..., Config], tmp_path: Path
) -> None:
    config = site(extra="")
    config = config.model_copy(update={"site": config.site.model_copy(update={"cache_ttl": 0})})
    with Sandbox(SandboxOptions()) as first:
        url = first.url
        fresh, _ = _render(config, url)
    assert 'data-asa2-state="fresh"' in fresh
    stale, _ = _render(config, url)  # the sandbox is gone: the cached list (< 24 h) is shown as stale
    assert stale.startswith('<div class="asa2-list" data-asa2-asin=') and 'data-asa2-state="stale"' in stale
    html, engine = _render(config, url, '[asa2_search keywords="kettle"]')
    assert 'href="https://www.amazon.de/s?k=kettle&amp;tag=mytag-21"' in html
    assert [p.code for p in engine.problems] == ["search-unavailable"]


def test_paapi_route_searches_with_searchitems(tmp_path: Path, catalog_sandbox: Sandbox) -> None:
    (tmp_path / "asa2render.toml").write_text(
        '[site]\ncache_dir = "cache"\n[[marketplaces]]\ncountry = "de"\npartner_tag = "mytag-21"\n'
        'default = true\n[paapi]\naccess_key = "DEMOACCESSKEY"\nsecret_key = "demo-paapi-secret"\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path / "asa2render.toml", environ={})
    catalog_sandbox.reset_stats()
    html, _ = _render(config, catalog_sandbox.url, '[asa2_search keywords="kettle" limit="3"]')
    assert ROWS.findall(html) == [("B0KETL0001", "fresh")]
    assert [r["api"] for r in _searches(catalog_sandbox)] == ["paapi"]
    empty, engine = _render(config, catalog_sandbox.url, '[asa2_search keywords="noresults"]')
    assert "/s?k=noresults" in empty and engine.problems[0].code == "search-empty"


def test_missing_keywords_and_bad_limit_are_diagnostics(
    site: Callable[..., Config], catalog_sandbox: Sandbox
) -> None:
    with Engine(site(), sandbox=catalog_sandbox.url) as engine:
        doc = engine.prepare('[asa2_search limit="99"] [asa2_search keywords="x" sort="price"]', path="p.md")
    assert [p.code for p in doc.problems] == ["missing-keywords", "invalid-limit", "unknown-attribute"]
