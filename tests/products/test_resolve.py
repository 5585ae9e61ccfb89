"""Shortcode meaning: ASINs, URLs, countries, templates, and every diagnostic with its location."""

from __future__ import annotations

from asa2render.config.model import Config
from asa2render.products.models import ProductKey
from asa2render.products.resolve import TAGS, ProductRequest, resolve
from asa2render.shortcodes import parse


def _one(text: str, config: Config, **kwargs: str) -> tuple[ProductRequest, list[str]]:
    (shortcode,) = parse(text, TAGS)
    request, problems = resolve(shortcode, config, path="page.md", **kwargs)
    return request, [f"{p.location}: {p.code}" for p in problems]


def test_enclosing_and_attribute_forms(config: Config) -> None:
    assert _one("[asa2]B0TEST0001[/asa2]", config)[0].keys == (ProductKey("de", "B0TEST0001"),)
    request, problems = _one('[asa2 asin="B0TEST0001" country="us" tpl="compact" title="Hi"]', config)
    assert request.keys == (ProductKey("us", "B0TEST0001"),)
    assert request.template == "compact" and request.options == {"title": "Hi"}
    assert problems == []


def test_url_sets_country_unless_given(config: Config) -> None:
    request, _ = _one('[asa2 asin="https://www.amazon.co.uk/dp/B0TEST0001"]', config)
    assert request.keys == (ProductKey("uk", "B0TEST0001"),)
    request, _ = _one('[asa2 asin="https://www.amazon.co.uk/dp/B0TEST0001" country="de"]', config)
    assert request.keys == (ProductKey("de", "B0TEST0001"),)


def test_several_asins_make_a_list(config: Config) -> None:
    request, _ = _one('[asa2 asin="B0TEST0001, B0TEST0002"]', config)
    assert request.template == "list" and len(request.keys) == 2


def test_collection_and_textlink(config: Config) -> None:
    request, _ = _one("[asa2_collection]summer[/asa2_collection]", config)
    assert [k.asin for k in request.keys] == ["B0SUMMER01", "B0SUMMER02"]
    request, _ = _one('[asa2_textlink asin="B0TEST0001"]this grinder[/asa2_textlink]', config)
    assert (request.template, request.link_text) == ("textlink", "this grinder")


def test_page_country_and_gb_alias(config: Config) -> None:
    assert _one("[asa2]B0TEST0001[/asa2]", config, page_country="us")[0].country == "us"
    assert _one('[asa2 country="GB"]B0TEST0001[/asa2]', config)[0].country == "uk"


def test_diagnostics_carry_file_line_column(config: Config) -> None:
    assert _one("\n  [asa2]", config)[1] == ["page.md:2:3: missing-asin"]
    assert _one('[asa2 asin="B0SHORT"]', config)[1] == ["page.md:1:1: invalid-asin"]
    request, problems = _one('[asa2 asin="B0TEST0001" country="xx"]', config)
    assert (
        problems == ["page.md:1:1: unknown-country"] and request.country == "de"
    )  # the default, as the seed says
    assert _one('[asa2 asin="B0TEST0001" contry="de"]', config)[1] == ["page.md:1:1: unknown-attribute"]
    assert _one("[asa2_collection]winter[/asa2_collection]", config)[1] == ["page.md:1:1: unknown-collection"]
