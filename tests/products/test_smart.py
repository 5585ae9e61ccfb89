"""Smart collections: filters, order and limit over the product store, and diagnostics for typos."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from asa2render.config.model import Config
from asa2render.engine import Engine
from asa2render.products.smart import parse_smart
from asa2render.sandbox import Sandbox

PRODUCTS = """
[[products]]
asin = "B0LOCAL001"
title = "Hand grinder"
price = "45.00"
brand = "Grindwell"
categories = ["kitchen"]
tags = ["grinder", "manual"]
rating = 4.1

[[products]]
asin = "B0LOCAL002"
title = "Luxury grinder"
price = "180.00"
categories = ["kitchen"]
tags = ["grinder"]
rating = 4.9

[[products]]
asin = "B0LOCAL003"
title = "Sold-out grinder"
price = "30.00"
availability = "OUT_OF_STOCK"
categories = ["kitchen"]
tags = ["grinder"]

[[products]]
asin = "B0ACME0003"
origin = "api"
title = "Acme Burr Grinder Deluxe (stored copy)"
categories = ["Kitchen"]
tags = ["grinder"]
review = "The **best** value."
updated = 2020-01-01T00:00:00Z

[[products]]
shop = "Roastery"
asin = "beans-1kg"
title = "House blend, 1 kg"
url = "https://roastery.example/beans"
price = "24.00"
currency = "EUR"
categories = ["coffee"]
"""
ROW_ASINS = re.compile(r'<li class="asa2-list-item[^"]*" data-asa2-asin="([\w-]+)"')


def _render(config: Config, sandbox: Sandbox, text: str) -> tuple[str, Engine]:
    with Engine(config, sandbox=sandbox.url) as engine:
        html = engine.render(engine.prepare(text, path="page.md"))
    return html, engine


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ('category="kitchen" tag="grinder"', ["B0LOCAL001", "B0LOCAL002", "B0LOCAL003", "B0ACME0003"]),
        ('category="kitchen" max_price="100" available="yes" sort="price"', ["B0LOCAL001", "B0ACME0003"]),
        ('tag="grinder" sort="price:desc" limit="2"', ["B0LOCAL002", "B0ACME0003"]),
        ('tag="grinder" sort="-rating"', ["B0LOCAL002", "B0ACME0003", "B0LOCAL001", "B0LOCAL003"]),
        ('category="kitchen" min_rating="4.5" sort="title"', ["B0ACME0003", "B0LOCAL002"]),
        ('price="40-100" sort="price" order="desc"', ["B0ACME0003", "B0LOCAL001"]),
        ('brand="grindwell,Acme"', ["B0LOCAL001", "B0ACME0003"]),
        ('available="no"', ["B0LOCAL003"]),
        ('category="coffee"', ["beans-1kg"]),
    ],
)
def test_filters_sort_and_limit(
    site: Callable[..., Config], catalog_sandbox: Sandbox, attrs: str, expected: list[str]
) -> None:
    html, engine = _render(site(products=PRODUCTS), catalog_sandbox, f"[asa2_smart_collection {attrs}]")
    assert ROW_ASINS.findall(html) == expected
    assert not engine.problems


def test_api_products_of_the_store_get_fresh_data_and_the_users_fields(
    site: Callable[..., Config], catalog_sandbox: Sandbox
) -> None:
    with Engine(site(products=PRODUCTS), sandbox=catalog_sandbox.url) as engine:
        engine.render(engine.prepare('[asa2_smart_collection tag="grinder"]', path="p.md"))
        item = next(i for k, i in engine.resolved.items() if k.asin == "B0ACME0003")
    assert (
        item.product is not None and item.product.title == "Acme Burr Grinder Deluxe"
    )  # the API's, not the copy
    assert item.product.categories == ("Kitchen",) and item.product.review == "The **best** value."


def test_shop_products_link_to_their_shop_with_rel_sponsored(
    site: Callable[..., Config], catalog_sandbox: Sandbox
) -> None:
    html, _ = _render(site(products=PRODUCTS), catalog_sandbox, '[asa2_smart_collection category="coffee"]')
    assert 'href="https://roastery.example/beans"' in html and 'rel="sponsored nofollow noopener"' in html


def test_unknown_filters_are_diagnostics(site: Callable[..., Config], catalog_sandbox: Sandbox) -> None:
    html, engine = _render(
        site(products=PRODUCTS),
        catalog_sandbox,
        '[asa2_smart_collection categroy="kitchen" colour="red" limit="2"]',
    )
    messages = [p.message for p in engine.problems if p.code == "unknown-filter"]
    assert len(messages) == 2
    assert 'unknown smart collection filter "categroy" (did you mean "category"?)' in messages[0]
    assert "colour" in messages[1]
    assert len(ROW_ASINS.findall(html)) == 2  # the rest of the collection still renders


def test_nothing_matching_is_a_comment_and_a_warning(
    site: Callable[..., Config], catalog_sandbox: Sandbox
) -> None:
    html, engine = _render(site(products=PRODUCTS), catalog_sandbox, '[asa2_smart_collection tag="nothing"]')
    assert html == "<!-- asa2: smart collection: no product matches -->"
    assert [(p.code, p.severity) for p in engine.problems] == [("collection-empty", "warning")]


@pytest.mark.parametrize(
    ("attrs", "code"),
    [
        ({"sort": "colour"}, "invalid-filter"),
        ({"limit": "-1"}, "invalid-filter"),
        ({"available": "maybe"}, "invalid-filter"),
        ({"price": "100"}, "invalid-filter"),
        ({"max_price": "cheap"}, "invalid-filter"),
        ({"country": "xx"}, "invalid-filter"),
        ({"order": "up"}, "invalid-filter"),
        ({"min_rating": "good"}, "invalid-filter"),
    ],
)
def test_invalid_values_are_reported(attrs: dict[str, str], code: str) -> None:
    seen: list[str] = []
    parse_smart(attrs, lambda c, m: seen.append(c))
    assert seen == [code]


def test_shop_ids_work_in_product_shortcodes(site: Callable[..., Config], catalog_sandbox: Sandbox) -> None:
    html, engine = _render(site(products=PRODUCTS), catalog_sandbox, "[asa2]beans-1kg[/asa2]")
    assert 'href="https://roastery.example/beans"' in html and not engine.problems


def test_a_single_product_template_gives_one_box_per_product(
    site: Callable[..., Config], catalog_sandbox: Sandbox
) -> None:
    html, _ = _render(
        site(products=PRODUCTS),
        catalog_sandbox,
        '[asa2_smart_collection tag="grinder" limit="2" tpl="compact"]',
    )
    assert "asa2-list" not in html
    assert re.findall(r'data-asa2-asin="(\w+)"', html) == ["B0LOCAL001", "B0LOCAL002"]
