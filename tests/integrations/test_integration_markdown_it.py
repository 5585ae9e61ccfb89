"""The markdown-it-py plugin: block and inline rules, code untouched, typographer, one fetch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from integration_stats import get_items_per_marketplace
from markdown_it import MarkdownIt

from asa2render.errors import StrictModeError
from asa2render.integrations.markdown_it import asa2_plugin, engine_of
from asa2render.sandbox import Sandbox

DOCUMENT = """\
[asa2 asin=“B0DEMO0001” tpl="compact"]
# Heading with [asa2_textlink asin="B0DEMO0002"]a link[/asa2_textlink]

- [asa2 asin="B0DEMO0003"]
- an item with "quotes" -- and [asa2 asin="B0DEMO0004" tpl="compact"] inline

> [asa2 asin="B0DEMO0005"]

| name | box |
|------|-----|
| scale | [asa2 asin="B0DEMO0006" tpl="compact"] |

Code `[asa2 asin="B0DEMO0091"]` and an escape [[asa2 asin="B0DEMO0092"]].

```
[asa2 asin="B0DEMO0093"]
```

    [asa2 asin="B0DEMO0094"]

[asa2 country="us" asin="B0DEMO0101"]"""


@pytest.fixture
def md(site_config: Path, sandbox: Sandbox) -> Iterator[MarkdownIt]:
    parser = MarkdownIt("commonmark", {"typographer": True}).enable(["replacements", "smartquotes", "table"])
    parser.use(asa2_plugin, config=str(site_config), sandbox=sandbox.url)
    yield parser
    engine_of(parser).close()


def boxes(html: str) -> list[str]:
    return re.findall(r'data-asa2-asin="(\w+)" data-asa2-state="fresh"', html)


def test_every_position_renders_with_one_fetch_per_marketplace(md: MarkdownIt, sandbox: Sandbox) -> None:
    env: dict[str, object] = {"asa2_path": "doc.md"}
    html = md.render(DOCUMENT, env)

    assert boxes(html) == [f"B0DEMO000{n}" for n in range(1, 7)] + ["B0DEMO0101"]
    assert html.startswith('<div class="asa2-compact')  # very start, no <p>
    assert html.rstrip().endswith("</div>")  # very end
    assert '<h1>Heading with <a class="asa2-textlink' in html
    assert '<li>\n<div class="asa2-box' in html
    assert '<blockquote>\n<div class="asa2-box' in html
    assert '<td><div class="asa2-compact' in html
    assert "“quotes” – and" in html  # typographer still works around shortcodes
    for asin in ("B0DEMO0091", "B0DEMO0093", "B0DEMO0094"):
        assert f"[asa2 asin=&quot;{asin}&quot;]" in html
    assert "[asa2 asin=&quot;B0DEMO0092&quot;]" in html  # escape printed literally, straight quotes
    assert get_items_per_marketplace(sandbox.stats()) == {"www.amazon.de": 1, "www.amazon.com": 1}
    locations = [str(r.location) for r in env["asa2_requests"]]  # type: ignore[attr-defined]
    assert locations[:4] == ["doc.md:1:1", "doc.md:2:16", "doc.md:4:3", "doc.md:5:32"]


def test_render_inline_and_repeated_documents_do_not_refetch(md: MarkdownIt, sandbox: Sandbox) -> None:
    md.render('[asa2 asin="B0DEMO0001"]')
    html = md.renderInline('see [asa2_textlink asin="B0DEMO0001"]this[/asa2_textlink]')

    assert html.startswith('see <a class="asa2-textlink asa2-fresh"')
    assert get_items_per_marketplace(sandbox.stats()) == {"www.amazon.de": 1}


def test_strict_mode_raises_before_rendering(site_config: Path, sandbox: Sandbox) -> None:
    md = MarkdownIt().use(asa2_plugin, config=str(site_config), sandbox=sandbox.url, strict=True)
    try:
        with pytest.raises(StrictModeError, match=r"doc\.md:3:7: invalid ASIN"):
            md.render('Fine.\n\nText: [asa2 asin="NOT-AN-ASIN"]\n', {"asa2_path": "doc.md"})
    finally:
        engine_of(md).close()


def test_searches_and_smart_collections_are_fetched_with_the_page(
    site_config: Path, sandbox: Sandbox
) -> None:
    products = site_config.with_name("products.toml")
    products.write_text(
        products.read_text(encoding="utf-8")
        + 'categories = ["kitchen"]\n\n[[products]]\nasin = "B0DEMO0003"\norigin = "api"\ntitle = "Pan"\n'
        'categories = ["kitchen"]\n',
        encoding="utf-8",
    )
    parser = MarkdownIt("commonmark").use(asa2_plugin, config=str(site_config), sandbox=sandbox.url)
    try:
        html = parser.render(
            '[asa2_smart_collection category="kitchen" sort="-price"]\n\n[asa2_search keywords="Kaffeemühle"]\n'
        )
        engine = engine_of(parser)
    finally:
        engine_of(parser).close()
    assert re.findall(r'<li class="asa2-list-item[^"]*" data-asa2-asin="(\w+)"', html) == [
        "B0DEMO0003",
        "B0LOCAL001",
        "B0DEMO0001",
    ]
    assert engine.report.api_requests == 2  # one search, one GetItems for the stored API product
