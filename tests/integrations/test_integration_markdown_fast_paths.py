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
