"""``[site] unavailable`` against the sandbox: keep, hide, search-link and replace."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from asa2render.config.model import Config
from asa2render.engine import Engine
from asa2render.sandbox import Sandbox


def _render(config: Config, sandbox: Sandbox, text: str) -> tuple[str, Engine]:
    with Engine(config, sandbox=sandbox.url) as engine:
        doc = engine.prepare(text, path="page.md")
        html = engine.render(doc)
    return html, engine


def test_keep_shows_the_out_of_stock_box_and_marks_it(
    site: Callable[..., Config], catalog_sandbox: Sandbox
) -> None:
    html, engine = _render(site("keep"), catalog_sandbox, "[asa2]B0ACME0001[/asa2]")
    assert 'data-asa2-asin="B0ACME0001"' in html and 'data-asa2-state="fresh"' in html
    item = next(iter(engine.resolved.values()))
    assert item.action == "keep" and item.unavailable is not None and "out of stock" in item.unavailable


def test_hide_renders_a_comment_and_a_warning(site: Callable[..., Config], catalog_sandbox: Sandbox) -> None:
    html, engine = _render(site("hide"), catalog_sandbox, "before [asa2]B0ACME0001[/asa2] after")
    assert html.startswith("before <!-- asa2: de:B0ACME0001 hidden: out of stock since")
    assert "<a " not in html
    codes = [(p.code, p.severity) for p in engine.problems]
    assert ("product-hide", "warning") in codes


def test_search_link_is_a_tagged_store_search_for_the_title(
    site: Callable[..., Config], catalog_sandbox: Sandbox
) -> None:
    html, _ = _render(site("search-link"), catalog_sandbox, "[asa2]B0ACME0001[/asa2]")
    assert 'href="https://www.amazon.de/s?k=Acme+Burr+Grinder+Classic&amp;tag=mytag-21"' in html
    assert 'rel="sponsored nofollow noopener"' in html


def test_replace_skips_a_replacement_that_is_itself_unavailable(
    site: Callable[..., Config], catalog_sandbox: Sandbox
) -> None:
    # The title search ranks Classic (itself), Compact (also out of stock), then Deluxe (in stock).
    html, engine = _render(site("replace"), catalog_sandbox, "[asa2]B0ACME0001[/asa2]")
    assert 'data-asa2-replaces="B0ACME0001"' in html
    assert 'data-asa2-asin="B0ACME0003"' in html and "Acme Burr Grinder Deluxe" in html
    assert "replaced by B0ACME0003" in html  # the comment names both
    problem = next(p for p in engine.problems if p.code == "product-replace")
    assert problem.severity == "warning" and "replaced by B0ACME0003" in problem.message


def test_replace_without_an_available_result_falls_back_to_a_search_link(
    site: Callable[..., Config], catalog_sandbox: Sandbox
) -> None:
    html, engine = _render(site("replace"), catalog_sandbox, "[asa2]B0SOLO0001[/asa2]")
    assert "data-asa2-replaces" not in html
    assert "https://www.amazon.de/s?k=Solo+Porcelain+Teapot" in html
    assert any("no available replacement" in p.message for p in engine.problems)


def test_replace_in_a_list_marks_the_row(site: Callable[..., Config], catalog_sandbox: Sandbox) -> None:
    html, _ = _render(site("replace"), catalog_sandbox, '[asa2 asin="B0ACME0001,B0KETL0001"]')
    rows = re.findall(r'<li class="asa2-list-item[^>]*>', html)
    assert len(rows) == 2
    assert 'data-asa2-replaces="B0ACME0001"' in rows[0] and 'data-asa2-asin="B0ACME0003"' in rows[0]


def test_a_gone_product_is_hidden_not_reported_as_an_error(
    site: Callable[..., Config], catalog_sandbox: Sandbox
) -> None:
    html, engine = _render(site("hide"), catalog_sandbox, "[asa2]B0BAD00001[/asa2]")
    assert html.startswith("<!-- asa2: de:B0BAD00001 hidden: gone:")
    assert not [p for p in engine.problems if p.severity == "error"]


@pytest.mark.parametrize(("wait", "hidden"), [(0, True), (7 * 24 * 3600, False)])
def test_out_of_stock_counts_only_after_the_configured_time(
    site: Callable[..., Config], catalog_sandbox: Sandbox, wait: int, hidden: bool
) -> None:
    config = site("hide").model_copy(update={})
    config = config.model_copy(update={"site": config.site.model_copy(update={"out_of_stock_after": wait})})
    html, _ = _render(config, catalog_sandbox, "[asa2]B0ACME0002[/asa2]")
    assert html.startswith("<!-- asa2:") is hidden


def test_a_hidden_text_link_keeps_its_words(site: Callable[..., Config], catalog_sandbox: Sandbox) -> None:
    html, _ = _render(
        site("hide"),
        catalog_sandbox,
        'We use [asa2_textlink asin="B0ACME0001"]this <grinder>[/asa2_textlink].',
    )
    assert html.endswith("-->this &lt;grinder&gt;.") and "<a " not in html
