"""Markdown and HTML modes: code, comments and tag insides are never touched."""

from __future__ import annotations

import pytest
from shortcode_fixtures import Case, params

from asa2render.shortcodes import Shortcode, expand, scan
from asa2render.shortcodes.regions import Regions


def box(shortcode: Shortcode) -> str:
    """Render a shortcode visibly: tag, attributes, positional values, content."""
    named = "".join(f" {key}={value}" for key, value in shortcode.attrs.items())
    positional = "".join(f" {value}" for value in shortcode.args)
    content = "" if shortcode.content is None else f"|{shortcode.content}"
    return f"BOX({shortcode.tag}{named}{positional}{content})"


@pytest.mark.parametrize("case", params("markdown.txt"))
def test_markdown_case(case: Case) -> None:
    assert expand(case.input, ["asa2"], box, mode="markdown") == case.expected


@pytest.mark.parametrize("case", params("markdown.txt"))
def test_markdown_case_with_crlf_line_ends(case: Case) -> None:
    text, expected = case.input.replace("\n", "\r\n"), case.expected.replace("\n", "\r\n")
    assert expand(text, ["asa2"], box, mode="markdown") == expected


@pytest.mark.parametrize("case", params("html.txt"))
def test_html_case(case: Case) -> None:
    assert expand(case.input, ["asa2"], box, mode="html") == case.expected


def test_text_mode_scans_everything() -> None:
    text = "```\n[asa2 a]\n```\n<code>[asa2 b]</code> `[asa2 c]`"
    assert [sc.args for sc in scan(text, ["asa2"]).shortcodes] == [("a",), ("b",), ("c",)]


def test_masked_closer_is_not_reported() -> None:
    result = scan("`[/asa2]` [asa2]", ["asa2"], mode="markdown")
    assert result.diagnostics == []
    assert len(result.shortcodes) == 1


def test_raw_span_stays_the_shortcode_when_unwrapped() -> None:
    text = "<p> [asa2 x] </p>"
    (shortcode,) = scan(text, ["asa2"], mode="html").shortcodes
    assert text[shortcode.start : shortcode.end] == "[asa2 x]"
    assert (shortcode.outer_start, shortcode.outer_end) == (0, len(text))


def test_outer_span_equals_span_outside_html_mode() -> None:
    (shortcode,) = scan("<p>[asa2]</p>", ["asa2"]).shortcodes
    assert (shortcode.outer_start, shortcode.outer_end) == (shortcode.start, shortcode.end)


def test_regions_merge_and_overlap() -> None:
    regions = Regions([(5, 10), (0, 3), (8, 12)])
    assert regions.spans() == [(0, 3), (5, 12)]
    assert regions.touches(2, 4)
    assert not regions.touches(3, 5)
    assert regions.touches(11, 20)
    assert not regions.touches(12, 20)


def test_many_unclosed_backtick_runs_mask_nothing() -> None:
    text = "`` ` ``` " * 50 + "[asa2]"
    assert [sc.start for sc in scan(text, ["asa2"], mode="markdown").shortcodes] == [text.index("[asa2]")]
