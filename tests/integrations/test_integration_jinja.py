"""Jinja: the asa2 filter, asa2_product, asa2_expand, static prefetch and deferred rendering."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from integration_stats import get_items_per_marketplace
from markupsafe import Markup

from asa2render.engine import Engine
from asa2render.integrations.jinja import Asa2Extension, configure, prefetch, render
from asa2render.products.models import Product
from asa2render.sandbox import Sandbox

PAGE = """\
<h1>{{ title }}</h1>
{{ "B0DEMO0001" | asa2(country="de", tpl="box") }}
{{ "B0DEMO0101" | asa2(country="us", tpl="compact", title="US pick") }}
{% set p = asa2_product("B0DEMO0002", country="de") %}<p class="custom">{{ p.title }}</p>
{% filter asa2_expand %}<p>[asa2 asin="B0DEMO0003"]</p>{% endfilter %}
"""


@pytest.fixture
def env(site_config: Path, sandbox: Sandbox) -> Iterator[jinja2.Environment]:
    environment = jinja2.Environment(
        loader=jinja2.DictLoader({"page.html": PAGE, "loop.html": LOOP}),
        autoescape=True,
        extensions=[Asa2Extension],
    )
    engine = configure(environment, str(site_config), sandbox=sandbox.url)
    yield environment
    engine.close()


LOOP = "{% for asin in asins %}{{ asin | asa2(tpl='compact') }}{% endfor %}{{ html | asa2_expand }}"


def test_filter_global_and_expand(env: jinja2.Environment, sandbox: Sandbox) -> None:
    filtered = env.from_string('{{ "B0DEMO0001" | asa2(country="de", tpl="box") }}').render()
    product = env.from_string('{{ asa2_product("B0DEMO0001", country="de").title }}').render()
    expanded = env.from_string("{{ html | asa2_expand }}").render(
        html='<p>[asa2 asin="B0DEMO0001"]</p><b>x</b>'
    )

    assert filtered.startswith('<div class="asa2-box asa2-fresh" data-asa2-asin="B0DEMO0001"')
    assert product and "&lt;" not in product
    assert expanded.startswith('<div class="asa2-box') and expanded.endswith("<b>x</b>")  # <p> replaced
    assert get_items_per_marketplace(sandbox.stats()) == {"www.amazon.de": 1}  # the same product once


def test_filter_returns_markup_and_product_is_the_model(env: jinja2.Environment) -> None:
    asa2 = env.filters["asa2"]
    product_fn = env.globals["asa2_product"]
    context = env.from_string("").new_context()

    assert isinstance(asa2(context, "B0DEMO0001", country="de"), Markup)
    assert isinstance(product_fn(context, "B0DEMO0001", country="de"), Product)  # type: ignore[operator]
    assert product_fn(context, "NOT-AN-ASIN") is None  # type: ignore[operator]


def test_prefetch_resolves_literal_uses_in_one_batch(env: jinja2.Environment, sandbox: Sandbox) -> None:
    assert prefetch(env, ["page.html"]) == 4
    html = env.get_template("page.html").render(title="Grinders")

    assert html.count('data-asa2-state="fresh"') == 3
    assert '<p class="custom">' in html and "US pick" in html
    assert get_items_per_marketplace(sandbox.stats()) == {"www.amazon.de": 1, "www.amazon.com": 1}


def test_deferred_render_batches_dynamic_values(env: jinja2.Environment, sandbox: Sandbox) -> None:
    html = render(
        env.get_template("loop.html"),
        asins=["B0DEMO0001", "B0DEMO0002", "B0DEMO0003"],
        html='<p>[asa2 country="us" asin="B0DEMO0101"]</p>',
    )

    assert html.count('data-asa2-state="fresh"') == 4
    assert "<!--asa2:" not in html
    assert get_items_per_marketplace(sandbox.stats()) == {"www.amazon.de": 1, "www.amazon.com": 1}


def test_extension_opens_its_engine_from_environment_config(site_config: Path, sandbox: Sandbox) -> None:
    env = jinja2.Environment(extensions=["asa2render.integrations.jinja.Asa2Extension"], autoescape=True)
    env.asa2_config = str(site_config)  # type: ignore[attr-defined]
    env.asa2_sandbox = sandbox.url  # type: ignore[attr-defined]
    try:
        html = env.from_string("{{ 'B0DEMO0001' | asa2 }}").render()
    finally:
        engine: Engine = env.asa2_engine  # type: ignore[attr-defined]
        engine.close()
    assert 'data-asa2-state="fresh"' in html
