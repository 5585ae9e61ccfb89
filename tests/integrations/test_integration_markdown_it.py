"""The markdown-it-py plugin: block and inline rules, code untouched, typographer, one fetch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from commonmark_examples import MARK, examples, inside_code, offline_engine, substituted
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from integration_stats import get_items_per_marketplace
from markdown_it import MarkdownIt

from asa2render.engine import Engine
from asa2render.errors import StrictModeError
from asa2render.integrations import markdown_it as plugin_module
from asa2render.integrations.markdown_it import asa2_plugin, engine_of
from asa2render.products.resolve import TAGS
from asa2render.sandbox import Sandbox
from asa2render.shortcodes import commonmark

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
    assert '<td><span data-asa2-block="div" class="asa2-compact' in html  # table cell: inline rule
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


def test_a_box_reused_on_later_pages_keeps_its_block_and_inline_forms(md: MarkdownIt) -> None:
    page = '[asa2 asin="B0DEMO0001"]\n\ntext [asa2 asin="B0DEMO0001"] more\n'
    first = md.render(page, {"asa2_path": "a.md"})
    second = md.render(page, {"asa2_path": "b.md"})

    assert first == second  # the second page reuses the markup rendered for the first
    assert first.startswith('<div class="asa2-box')
    assert '<p>text <span data-asa2-block="div" class="asa2-box' in first
    assert first.count('data-asa2-asin="B0DEMO0001"') == 2


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


# -- CommonMark spec properties and the cases of issue 9 --------------------------------------------


@pytest.fixture(scope="module")
def spec_parsers() -> Iterator[tuple[MarkdownIt, MarkdownIt, Engine]]:
    engine = offline_engine()
    yield MarkdownIt(), MarkdownIt().use(asa2_plugin, engine=engine), engine
    engine.close()


def _plugin_places(plugin: MarkdownIt, text: str) -> list[tuple[int, int]]:
    env: dict[str, Any] = {}
    plugin.render(text, env)
    return sorted((r.location.line, r.location.column) for r in env.get("asa2_requests", []))


def _cli_places(engine: Engine, text: str) -> list[tuple[int, int]]:
    doc = engine.prepare(text, mode="markdown")
    return sorted((r.location.line, r.location.column) for r in doc.requests)


def test_spec_examples_without_shortcodes_render_as_markdown_it_alone(
    spec_parsers: tuple[MarkdownIt, MarkdownIt, Engine],
) -> None:
    plain, plugin, _ = spec_parsers
    assert [
        e["example"] for e in examples() if plugin.render(e["markdown"]) != plain.render(e["markdown"])
    ] == []


def test_spec_examples_never_expand_inside_code_or_raw_html(
    spec_parsers: tuple[MarkdownIt, MarkdownIt, Engine],
) -> None:
    plain, plugin, engine = spec_parsers
    wrong = []
    for number, text in substituted():
        if inside_code(plain.render(text)):
            cli = plain.render(engine.render(engine.prepare(text, mode="markdown")))
            if MARK in plugin.render(text) or MARK in cli:
                wrong.append(number)
    assert wrong == []


def test_spec_examples_cli_markdown_mode_and_plugin_expand_the_same_shortcodes(
    spec_parsers: tuple[MarkdownIt, MarkdownIt, Engine],
) -> None:
    _, plugin, engine = spec_parsers
    differ = [n for n, text in substituted() if _plugin_places(plugin, text) != _cli_places(engine, text)]
    assert differ == []


def test_multi_line_code_span_is_not_expanded_by_markdown_it_plugin(
    spec_parsers: tuple[MarkdownIt, MarkdownIt, Engine],
) -> None:
    plain, plugin, _ = spec_parsers
    text = '``\n[asa2 asin="B0LOCAL001"]\n``\n'
    assert plugin.render(text) == plain.render(text)
    assert "<code>" in plugin.render(text)


def test_div_html_block_expands_in_plugin_and_cli_alike(
    spec_parsers: tuple[MarkdownIt, MarkdownIt, Engine],
) -> None:
    _, plugin, engine = spec_parsers
    text = '<div class="wrap">\n[asa2 asin="B0LOCAL001"]\n<!-- [asa2 asin="B0LOCAL002"] -->\n</div>\n'
    html = plugin.render(text)
    assert (
        html
        == f'<div class="wrap">\n<div class="asa2-box">{MARK}</div>\n<!-- [asa2 asin="B0LOCAL002"] -->\n</div>\n'
    )
    assert _plugin_places(plugin, text) == _cli_places(engine, text) == [(2, 1)]


@pytest.mark.parametrize("tag", ["pre", "script", "style", "textarea"])
def test_raw_html_blocks_are_left_alone_by_plugin_and_cli(
    spec_parsers: tuple[MarkdownIt, MarkdownIt, Engine], tag: str
) -> None:
    plain, plugin, engine = spec_parsers
    text = f'<{tag}>\n[asa2 asin="B0LOCAL001"]\n</{tag}>\n'
    assert plugin.render(text) == plain.render(text)
    assert engine.process(text, mode="markdown") == text


def test_image_alt_text_shortcode_is_never_silently_lost(
    spec_parsers: tuple[MarkdownIt, MarkdownIt, Engine],
) -> None:
    plain, plugin, engine = spec_parsers
    text = '![[asa2 asin="B0LOCAL001"]](x.png)\n'
    env: dict[str, Any] = {}
    assert plugin.render(text, env) == plain.render(text)
    assert 'alt="[asa2 asin=&quot;B0LOCAL001&quot;]"' in plain.render(text)
    assert [(p.code, p.location.line) for p in env["asa2_problems"]] == [("shortcode-in-link", 1)]
    doc = engine.prepare(text, mode="markdown")
    assert doc.requests == []
    assert [p.code for p in doc.problems] == ["shortcode-in-link"]


def test_link_text_shortcode_stays_literal_in_plugin_and_cli(
    spec_parsers: tuple[MarkdownIt, MarkdownIt, Engine],
) -> None:
    plain, plugin, engine = spec_parsers
    text = 'See [the [asa2 asin="B0LOCAL001"] box](/box).\n'
    env: dict[str, Any] = {}
    assert plugin.render(text, env) == plain.render(text)
    assert [p.code for p in env["asa2_problems"]] == ["shortcode-in-link"]
    assert [p.code for p in engine.prepare(text, mode="markdown").problems] == ["shortcode-in-link"]


def test_box_alone_on_a_paragraph_line_is_lifted_out_of_the_paragraph(
    spec_parsers: tuple[MarkdownIt, MarkdownIt, Engine],
) -> None:
    _, plugin, _ = spec_parsers
    html = plugin.render('Before\n[asa2 asin="B0LOCAL001"]\nafter `code`\n')
    assert html == f'<p>Before</p>\n<div class="asa2-box">{MARK}</div>\n<p>after <code>code</code></p>\n'


def test_box_sharing_its_line_with_text_is_made_of_spans_in_the_plugin(
    spec_parsers: tuple[MarkdownIt, MarkdownIt, Engine],
) -> None:
    _, plugin, _ = spec_parsers
    html = plugin.render('A list: [asa2 asin="B0LOCAL001"] and more\n')
    assert html == f'<p>A list: <span data-asa2-block="div" class="asa2-box">{MARK}</span> and more</p>\n'


_FRAGMENTS = [
    '[asa2 asin="B0LOCAL001"]',
    "[asa2]B0X[/asa2]",
    "[[asa2 x]]",
    "[/asa2]",
    "[asa2 x",
    "`",
    "``",
    "\n",
    "\n\n",
    "    ",
    "\t",
    "> ",
    "- ",
    "1. ",
    "```",
    "~~~",
    "<div>",
    "</div>",
    "<pre>",
    "</pre>",
    "<!--",
    "-->",
    "![",
    "](",
    "[",
    "]",
    "(",
    ")",
    "\\",
    "*",
    "# ",
    "text ",
    "\r\n",
    '<a href="x">',
    "</a>",
    "<span title='[asa2 y]'>",
    "===",
    "---",
    "[ref]: /u\n",
    "&#91;",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map("".join))
def test_random_markdown_cli_mode_and_plugin_expand_the_same_shortcodes(
    spec_parsers: tuple[MarkdownIt, MarkdownIt, Engine], text: str
) -> None:
    _, plugin, engine = spec_parsers
    assert _plugin_places(plugin, text) == _cli_places(engine, text)


# -- the core rule's fast paths against the code they replaced ---------------------------------------


class _ReferenceCollector(plugin_module._Collector):
    """The core rule as it was before round five: every token looked at in Python, every lifted
    paragraph split by ``_split``. Kept as the reference the faster rule must match."""

    def __call__(self, state: Any) -> None:
        env = state.env
        runs = env.pop(commonmark.RUNS, None) or {}
        if not runs and not commonmark.mentions(state.src, TAGS):
            return
        page = plugin_module._Page(state.src, env.get("asa2_path"), env.get("asa2_country"), self.engine)
        tokens = state.tokens
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                known = runs.get(id(token.content))
                run = known[1] if known is not None and known[0] is token.content else None
                if run is not None or commonmark.mentions(token.content, TAGS):
                    page.inline(token, run, index > 0 and tokens[index - 1].markup.startswith("#"), index)
            elif kind == "html_block" and commonmark.html_block_expands(token.content):
                page.html_block(token)
        resolved = self.engine.resolved
        missing = [
            key
            for request in page.requests
            for key in self.engine.request_keys(request)
            if key not in resolved
        ]
        if missing:
            self.engine.fetch(missing)
        page.problems.extend(self.engine.unavailable(page.requests))
        self.engine.problems.extend(page.problems)
        env.setdefault("asa2_requests", []).extend(page.requests)
        env.setdefault("asa2_problems", []).extend(page.problems)
        self.engine.enforce_strict(page.problems)
        if page.boxes:
            state.tokens = _reference_lift(state.tokens, page.boxes)


def _reference_lift(tokens: list[Any], boxes: list[int]) -> list[Any]:
    lifted: list[Any] = []
    copied = 0
    for index in boxes:
        if not (0 < index < len(tokens) - 1 and tokens[index - 1].type == "paragraph_open"):
            continue
        children = tokens[index].children or []
        if any(plugin_module._alone(children, at) for at in range(len(children))):
            lifted += tokens[copied : index - 1]
            lifted += plugin_module._split(tokens[index - 1], tokens[index], tokens[index + 1])
            copied = index + 2
    if not copied:
        return tokens
    lifted += tokens[copied:]
    return lifted


@pytest.fixture(scope="module")
def reference_parsers() -> Iterator[tuple[MarkdownIt, MarkdownIt, Engine]]:
    engine = offline_engine()
    reference = MarkdownIt("commonmark", {"html": True}).use(asa2_plugin, engine=engine)
    reference.core.ruler.at("asa2_collect", _ReferenceCollector(engine))
    yield MarkdownIt("commonmark", {"html": True}).use(asa2_plugin, engine=engine), reference, engine
    engine.close()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.sampled_from([*_FRAGMENTS, "\n\n", '\n\n[asa2 asin="B0LOCAL001"]\n\n']), max_size=30).map(
        "".join
    )
)
def test_the_core_rule_matches_its_reference_on_random_markdown(
    reference_parsers: tuple[MarkdownIt, MarkdownIt, Engine], text: str
) -> None:
    fast, reference, _ = reference_parsers
    fast_env: dict[str, Any] = {"asa2_path": "page.md"}
    reference_env: dict[str, Any] = {"asa2_path": "page.md"}
    assert fast.render(text, fast_env) == reference.render(text, reference_env)
    assert fast_env == reference_env


def test_the_flat_box_key_tells_boxes_apart_as_the_nested_one_did() -> None:
    """The plugin's box memo key equals for two requests exactly when the former nested key did."""
    import itertools
    import random

    from asa2_fakes import random_request

    from asa2render.integrations import box_memo

    def nested_key(request: Any) -> object:  # the former key
        return (box_memo.deciding_fields(request), tuple(request.options.items()))

    rng = random.Random(5)
    requests = [random_request(rng) for _ in range(150)]
    equal = 0
    for first, second in itertools.combinations(requests, 2):
        same = nested_key(first) == nested_key(second)
        assert (box_memo.box_key(first) == box_memo.box_key(second)) == same
        equal += same
    assert equal
