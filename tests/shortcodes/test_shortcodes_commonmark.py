"""Markdown mode is exact CommonMark: the fast path, the parse and markdown-it agree on every spec example."""

from __future__ import annotations

import re

import pytest
from commonmark_examples import examples, inside_code, substituted
from markdown_it import MarkdownIt

from asa2render.shortcodes import commonmark, scan
from asa2render.shortcodes.commonmark import _fast_mask, _parsed_mask
from asa2render.shortcodes.scanner import _event_regex

TAGS = ("asa2",)
PLAIN = MarkdownIt("commonmark")


def expanded(text: str) -> list[int]:
    return [shortcode.start for shortcode in scan(text, TAGS, mode="markdown").shortcodes]


def test_spec_examples_never_expand_where_markdown_it_renders_code() -> None:
    wrong = [number for number, text in substituted() if expanded(text) and inside_code(PLAIN.render(text))]
    assert wrong == []


def _events(text: str) -> list[re.Match[str]]:
    return list(_event_regex(TAGS).finditer(text))


def _offsets(events: list[re.Match[str]]) -> tuple[list[int], list[int]]:
    return [event.start() for event in events], [event.end() for event in events]


def test_spec_examples_fast_path_agrees_with_the_parse() -> None:
    """Wherever the fast path answers, it answers as markdown-it's parse does, event by event."""
    answered = 0
    for number, text in substituted():
        events = _events(text)
        fast = _fast_mask(text, *_offsets(events))
        if fast is None:
            continue
        answered += 1
        parsed = _parsed_mask(text, TAGS)
        spans = [event.span() for event in events]
        assert [fast.touches(*span) for span in spans] == [parsed.touches(*span) for span in spans], number
    assert answered > 40  # the fast path really is taken for plain paragraphs


def test_spec_examples_without_shortcodes_scan_to_nothing() -> None:
    assert [e["example"] for e in examples() if scan(e["markdown"], TAGS, mode="markdown").shortcodes] == []


# -- regressions named after the cases of issue 9 --------------------------------------------------


@pytest.mark.parametrize("tag", ["pre", "script", "style", "textarea"])
def test_cli_markdown_mode_leaves_raw_html_blocks_alone(tag: str) -> None:
    text = f"Intro\n\n<{tag}>\n[asa2 a]\n\n[asa2 b]\n</{tag}>\n\n[asa2 c]\n"
    assert expanded(text) == [text.index("[asa2 c]")]


def test_cli_markdown_mode_expands_inside_div_html_block_like_the_plugin() -> None:
    text = '<div class="wrap">\n[asa2 a]\n<span title="[asa2 b]"></span>\n</div>\n'
    assert expanded(text) == [text.index("[asa2 a]")]


def test_multi_line_code_span_is_not_expanded() -> None:
    assert expanded("``\n[asa2 a]\n``\n") == []
    assert expanded("> ``\n> [asa2 a]\n> ``\n") == []


def test_indented_code_in_block_quotes_and_lists_is_not_expanded() -> None:
    assert expanded(">     [asa2 a]\n") == []
    assert expanded("- item\n\n      [asa2 a]\n") == []
    assert expanded("# Heading\n    [asa2 a]\n") == []
    assert expanded("1. ```\n   [asa2 a]\n   ```\n") == []


def test_tab_indented_code_is_not_expanded() -> None:
    assert expanded("  \t[asa2 a]\n") == []
    assert expanded(">\t\t[asa2 a]\n") == []


def test_image_alt_text_shortcode_stays_literal_with_a_warning() -> None:
    result = scan("Look: ![[asa2 a]](x.png)\n", TAGS, mode="markdown")
    assert result.shortcodes == []
    assert [(d.code, d.line, d.severity) for d in result.diagnostics] == [(commonmark.IN_LINK, 1, "warning")]


def test_link_text_and_destination_shortcodes_stay_literal_with_a_warning() -> None:
    result = scan("[see [asa2 a]](/u)\n\n[x](<[asa2 b]>)\n", TAGS, mode="markdown")
    assert result.shortcodes == []
    assert [(d.code, d.line, d.column) for d in result.diagnostics] == [
        (commonmark.IN_LINK, 1, 6),
        (commonmark.IN_LINK, 3, 1),
    ]


def test_shortcode_at_a_link_position_wins_over_the_link() -> None:
    assert expanded("[asa2 a](/u)\n") == [0]


def test_crlf_pages_map_offsets_back() -> None:
    text = "- item\r\n\r\n  `x`\r\n  [asa2 a] and `[asa2 b]`\r\n"
    assert expanded(text) == [text.index("[asa2 a]")]


def test_fast_path_refuses_what_it_cannot_prove() -> None:
    for text in ("  ```\n[asa2 a]\n", "<div>\n```\n\n[asa2 a]\n", "see [x](y) [asa2 a]\n", "[[x [asa2 a]\n"):
        assert _fast_mask(text, *_offsets(_events(text))) is None, text  # indented fence, HTML, link, bracket
    text = "Intro\n\n```\n[asa2 a]\n```\n\n[asa2 b]\n"
    spans = [(text.index(name), text.index(name) + 8) for name in ("[asa2 a]", "[asa2 b]")]
    fast = _fast_mask(text, *_offsets(_events(text)))
    assert fast is not None
    assert [fast.touches(*span) for span in spans] == [True, False]


def test_lone_shortcode_lines_inside_fences_stay_masked() -> None:
    text = "Intro\n\n```\n\n[asa2 a]\n\n```\n\n[asa2 b]\n"
    assert expanded(text) == [text.index("[asa2 b]")]
