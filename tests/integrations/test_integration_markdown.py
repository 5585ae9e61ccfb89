"""The Python-Markdown extension: entry point, stash, smarty, code untouched, one fetch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown
import pytest
from commonmark_examples import MARK, examples, inside_code, offline_engine, substituted
from integration_stats import get_items_per_marketplace
from test_integration_markdown_it import DOCUMENT

from asa2render.engine import Engine
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


# -- CommonMark spec examples through Python-Markdown, and the cases of issue 9 ------------------------


@pytest.fixture(scope="module")
def pymd() -> Iterator[tuple[markdown.Markdown, markdown.Markdown, Engine]]:
    engine = offline_engine()
    yield markdown.Markdown(), markdown.Markdown(extensions=[Asa2Extension(engine=engine)]), engine
    engine.close()


def _convert(md: markdown.Markdown, text: str) -> str:
    return md.reset().convert(text)


def test_spec_examples_without_shortcodes_render_as_python_markdown_alone(
    pymd: tuple[markdown.Markdown, markdown.Markdown, Engine],
) -> None:
    plain, extended, _ = pymd
    changed = [
        e["example"]
        for e in examples()
        if _convert(extended, e["markdown"]) != _convert(plain, e["markdown"])
    ]
    assert changed == []


def test_spec_examples_never_expand_where_python_markdown_renders_code(
    pymd: tuple[markdown.Markdown, markdown.Markdown, Engine],
) -> None:
    plain, extended, _ = pymd
    wrong = [
        n
        for n, text in substituted()
        if inside_code(_convert(plain, text)) and MARK in _convert(extended, text)
    ]
    assert wrong == []


def test_spec_examples_expand_in_plain_paragraphs(
    pymd: tuple[markdown.Markdown, markdown.Markdown, Engine],
) -> None:
    _, extended, _ = pymd
    assert sum(MARK in _convert(extended, text) for _, text in substituted()) > 200


@pytest.mark.parametrize(
    "text",
    [
        '# Heading\n    [asa2 asin="B0LOCAL001"]\n',
        '> Quote\n>\n>     [asa2 asin="B0LOCAL001"]\n',
        '>     [asa2 asin="B0LOCAL001"]\n',
    ],
    ids=["after-heading", "in-block-quote", "block-quote-only"],
)
def test_indented_code_is_not_expanded_by_python_markdown(
    pymd: tuple[markdown.Markdown, markdown.Markdown, Engine], text: str
) -> None:
    plain, extended, _ = pymd
    assert "<pre><code>" in _convert(plain, text)
    assert _convert(extended, text) == _convert(plain, text)


@pytest.mark.parametrize("tag", ["pre", "script", "style", "textarea"])
def test_raw_html_blocks_are_left_alone_by_python_markdown(
    pymd: tuple[markdown.Markdown, markdown.Markdown, Engine], tag: str
) -> None:
    plain, extended, _ = pymd
    text = f'<{tag}>\n[asa2 asin="B0LOCAL001"]\n</{tag}>\n'
    assert _convert(extended, text) == _convert(plain, text)


def test_div_html_block_expands_in_python_markdown(
    pymd: tuple[markdown.Markdown, markdown.Markdown, Engine],
) -> None:
    _, extended, _ = pymd
    html = _convert(
        extended, '<div class="wrap">\n[asa2 asin="B0LOCAL001"]\n<!-- [asa2 asin="B0LOCAL002"] -->\n</div>\n'
    )
    assert (
        html
        == f'<div class="wrap">\n<div class="asa2-box">{MARK}</div>\n<!-- [asa2 asin="B0LOCAL002"] -->\n</div>'
    )


def test_image_alt_and_link_text_shortcodes_stay_literal_with_a_warning_in_python_markdown(
    pymd: tuple[markdown.Markdown, markdown.Markdown, Engine],
) -> None:
    plain, extended, engine = pymd
    text = 'See ![[asa2 asin="B0LOCAL001"]](x.png) and [the [asa2 asin="B0LOCAL002"] box](/box).\n'
    before = len(engine.problems)
    assert _convert(extended, text) == _convert(plain, text)
    assert [(p.code, p.location.line) for p in engine.problems[before:]] == [("shortcode-in-link", 1)] * 2


def test_box_alone_in_a_paragraph_is_not_wrapped_and_inline_html_is_skipped(
    pymd: tuple[markdown.Markdown, markdown.Markdown, Engine],
) -> None:
    _, extended, _ = pymd
    html = _convert(
        extended, 'Intro <span title=\'[asa2 asin="B0LOCAL002"]\'>x</span>\n\n[asa2 asin="B0LOCAL001"]\n'
    )
    assert (
        html
        == f'<p>Intro <span title=\'[asa2 asin="B0LOCAL002"]\'>x</span></p>\n<div class="asa2-box">{MARK}</div>'
    )


def test_box_sharing_its_line_with_text_is_made_of_spans_in_python_markdown(
    pymd: tuple[markdown.Markdown, markdown.Markdown, Engine],
) -> None:
    _, extended, _ = pymd
    html = _convert(extended, 'A list: [asa2 asin="B0LOCAL001"] and more\n\n[asa2 asin="B0LOCAL001"]\n')
    assert html == (
        f'<p>A list: <span data-asa2-block="div" class="asa2-box">{MARK}</span> and more</p>\n'
        f'<div class="asa2-box">{MARK}</div>'
    )


def test_a_box_repeated_on_later_pages_is_rendered_once_in_each_form(
    site_config: Path, sandbox: Sandbox
) -> None:
    """The extension's box memo (integrations/box_memo.py): a box used again goes through the engine once
    per form (block, inline), and every use shows the same markup."""
    from asa2render.integrations.hosts import open_engine

    with open_engine(site_config, sandbox=sandbox.url) as engine:
        rendered: list[str] = []
        render_request = engine.render_request

        def counted(request: Any) -> str:
            markup = render_request(request)
            rendered.append(markup)
            return markup

        engine.render_request = counted  # type: ignore[method-assign]
        md = markdown.Markdown(extensions=[makeExtension(engine=engine)])
        pages = []
        for _ in range(3):
            pages.append(md.convert('[asa2 asin="B0DEMO0001"]\n\nSee [asa2 asin="B0DEMO0001"] here.'))
            md.reset()

    assert len(rendered) == 2  # the block form and the inline form, each once
    assert pages[0] == pages[1] == pages[2]
    assert boxes(pages[0]) == ["B0DEMO0001", "B0DEMO0001"]
