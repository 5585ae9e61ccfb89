"""The Python-Markdown extension's fast paths, each against the general function it stands in for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from asa2render.integrations.markdown import _shares_line
from asa2render.render.hosts import placement

BOX = '[asa2 asin="B0EXAMPLE1"]'
# Line pieces that matter to "shares its line": containers, spaces, tabs, text, line breaks.
PIECES = st.sampled_from(["", "\n", " ", "\t", "> ", "- ", "1. ", "* ", "text", "\n\n", "  \n", "x\n"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=6), st.lists(PIECES, max_size=6))
def test_shares_line_is_placements_inline(before: list[str], after: list[str]) -> None:
    source = "".join(before) + BOX + "".join(after)
    start = len("".join(before))
    end = start + len(BOX)
    assert _shares_line(source, start, end) == placement(source, start, end).inline


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=" \t\n>-*1.ab[]", max_size=40), st.text(alphabet=" \t\n>-*1.ab[]", max_size=40))
def test_shares_line_is_placements_inline_on_any_text(before: str, after: str) -> None:
    source = before + BOX + after
    assert (
        _shares_line(source, len(before), len(before) + len(BOX))
        == placement(source, len(before), len(before) + len(BOX)).inline
    )


# Pieces of raw HTML blocks: tags, code, comments, and every near-miss of a shortcode's start.
HTML_PIECES = st.sampled_from(
    [
        "<div>",
        "</div>",
        "<pre><code>",
        "</code></pre>",
        "<!-- ",
        " -->",
        "<p>",
        "</p>",
        "\n",
        " ",
        "x",
        "[",
        "]",
        "/",
        "[[",
        "]]",
        "asa2",
        "ASA2",
        "asa2_textlink",
        "asa2-x",
        "textlink",
        '="',
        '"',
        "=",
        "[ asa2",
        "[/ asa2]",
        "[/asa2",
        "[asa",
        "a[sa2",
        "<span>[</span>asa2",
        "&#91;asa2",
    ]
)


@settings(max_examples=4000, deadline=None)
@given(st.lists(HTML_PIECES, max_size=14))
def test_a_raw_html_block_the_gate_skips_holds_nothing_the_scanner_reports(pieces: list[str]) -> None:
    from asa2render.integrations.markdown import _MAY_HOLD_SHORTCODE
    from asa2render.products.resolve import TAGS
    from asa2render.shortcodes import scan

    block = "".join(pieces)
    if _MAY_HOLD_SHORTCODE.search(block) is None:
        result = scan(block, TAGS, mode="html")
        assert result.shortcodes == [] and list(result.diagnostics) == []
