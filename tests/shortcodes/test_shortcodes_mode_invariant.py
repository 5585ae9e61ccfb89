"""An invariant the markdown-it plugin relies on to skip a code-aware scan per page.

Markdown mode only masks openers away; so on a text without closers, it never reports a diagnostic
when the plain text-mode scan reports none.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from asa2render.shortcodes import scan

TAGS = ("asa2", "asa2_textlink")
PIECES = ['[asa2', ' asin="B0X"', "]", "`", "``", "\n", "\n```\n", "\n    ", "<!--", "-->", '"', "'", " ", "x",
          "[", "[[asa2", "~~~\n", "> ", "- ", "<p>", "“", "[asa2_textlink", "/]"]  # fmt: skip


@settings(max_examples=400)
@given(st.lists(st.sampled_from(PIECES), max_size=16))
def test_markdown_mode_adds_no_diagnostic_without_closers(pieces: list[str]) -> None:
    text = "".join(pieces)
    if "[/" in text or scan(text, TAGS, mode="text").diagnostics:
        return
    assert scan(text, TAGS, mode="markdown").diagnostics == []
