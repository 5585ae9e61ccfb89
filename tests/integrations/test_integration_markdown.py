"""The Python-Markdown extension: entry point, stash, smarty, code untouched, one fetch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from integration_stats import get_items_per_marketplace
from test_integration_markdown_it import DOCUMENT

from asa2render.errors import StrictModeError
from asa2render.integrations.markdown import Asa2Extension, close_shared_engines, makeExtension
from asa2render.sandbox import Sandbox

# Python-Markdown needs a paragraph between the fence and an indented code block.
PYMD_DOCUMENT = DOCUMENT.replace("```\n\n    [asa2", "```\n\nText.\n\n    [asa2")


@pytest.fixture(autouse=True)
def _close_engines() -> Iterator[None]:
    yield
    close_shared_engines()


def boxes(html: str) -> list[str]:
    return re.findall(r'data-asa2-asin="(\w+)" data-asa2-state="fresh"', html)


def test_entry_point_renders_every_position_with_smarty(site_config: Path, sandbox: Sandbox) -> None:
    html = markdown.markdown(
        PYMD_DOCUMENT,
        extensions=["asa2render", "smarty", "tables", "fenced_code"],
        extension_configs={
            "asa2render": {"config": str(site_config), "sandbox": sandbox.url, "path": "doc.md"}
        },
    )

    assert boxes(html) == [f"B0DEMO000{n}" for n in range(1, 7)] + ["B0DEMO0101"]
    assert html.startswith('<div class="asa2-compact')  # very start: stashed, not wrapped in <p>
    assert html.rstrip().endswith("</div>")  # very end
    assert '<h1>Heading with <a class="asa2-textlink' in html
    assert '<li><div class="asa2-box' in html
    assert '<blockquote>\n<div class="asa2-box' in html
    assert '<td><span data-asa2-block="div" class="asa2-compact' in html  # table cell: inline rule
    assert "&ldquo;quotes&rdquo; &ndash; and" in html  # smarty still works around shortcodes
    assert '<code>[asa2 asin="B0DEMO0091"]</code>' in html
    for asin in ("B0DEMO0093", "B0DEMO0094"):
        assert re.search(rf'\[asa2 asin=(&quot;|"){asin}(&quot;|")\]', html)
    assert '[asa2 asin="B0DEMO0092"]' in html  # escape printed literally, straight quotes
    assert get_items_per_marketplace(sandbox.stats()) == {"www.amazon.de": 1, "www.amazon.com": 1}


def test_make_extension_with_a_shared_engine_and_page_country(site_config: Path, sandbox: Sandbox) -> None:
    from asa2render.integrations.hosts import open_engine

    with open_engine(site_config, sandbox=sandbox.url) as engine:
        md = markdown.Markdown(extensions=["meta", makeExtension(engine=engine)])
        html = md.convert('asa2_country: us\n\n[asa2 asin="B0DEMO0101"]\n\n[asa2 asin="B0DEMO0102"]')
        md.reset()
        again = md.convert('asa2_country: us\n\n[asa2 asin="B0DEMO0101"]')

    assert boxes(html) == ["B0DEMO0101", "B0DEMO0102"]
    assert boxes(again) == ["B0DEMO0101"]
    assert get_items_per_marketplace(sandbox.stats()) == {"www.amazon.com": 1}


def test_strict_mode_raises(site_config: Path, sandbox: Sandbox) -> None:
    extension = Asa2Extension(config=str(site_config), sandbox=sandbox.url, strict=True, path="p.md")
    with pytest.raises(StrictModeError, match=r"p\.md:3:1: invalid ASIN"):
        markdown.markdown('Intro\n\n[asa2 asin="NOT-AN-ASIN"]\n', extensions=[extension])
