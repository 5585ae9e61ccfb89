"""The fast path skips markdown-it only where that changes nothing: on generated pages it agrees with the parse.

A page is built from whole Markdown lines (paragraph text, boxes alone or inline, fences, indented
code, HTML blocks, lists, quotes, headings, links, code spans, escapes). Wherever
:func:`_fast_mask` answers, every shortcode event must be masked exactly as markdown-it-py's parse
(:func:`_parsed_mask`) masks it, and the problems (``shortcode-in-link``) must be the same; where it
cannot prove the page plain it must decline (``None``) and the parse answers. The spec examples are
checked the same way in ``test_shortcodes_commonmark.py``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from hypothesis import example, given, settings
from hypothesis import strategies as st

from asa2render.shortcodes.commonmark import _fast_mask, _FastMask, _parsed_mask
from asa2render.shortcodes.regions import Regions
from asa2render.shortcodes.scanner import _event_regex

TAGS = ("asa2",)
LINES = [
    "",
    "",
    "Some text here.",
    "More words, and a number 42.",
    "[asa2 a]",
    '[asa2 asin="B0X"]',
    "Text before [asa2 b] and after.",
    "[asa2 c] leads the line",
    "[[asa2 escaped]]",
    "```",
    "~~~",
    "````",
    "  ```",
    "    [asa2 indented]",
    "    code line",
    "\t[asa2 tabbed]",
    "<div>",
    "</div>",
    "<pre>",
    "</pre>",
    "<!-- comment [asa2 d] -->",
    "<!--",
    "-->",
    "<span>[asa2 e]</span>",
    "- item [asa2 f]",
    "- item",
    "1. first [asa2 g]",
    "> quoted [asa2 h]",
    "> ",
    "# Heading [asa2 i]",
    "Setext",
    "===",
    "---",
    "see [a link](/u) here",
    "[asa2 j](/u)",
    "[text [asa2 k]](/u)",
    "![alt [asa2 l]](x.png)",
    "[label]: /target",
    "`code [asa2 m]`",
    "``",
    "a ` lone backtick",
    "back\\slash [asa2 n]",
    "| a | b |",
    "*emphasis* and _more_",
    "<https://example.com/[asa2 o]>",
    "[ not a shortcode",
    "]",
]


def _events(text: str) -> list[re.Match[str]]:
    return list(_event_regex(TAGS).finditer(text))


def _agree(text: str) -> bool:
    """True when the fast path answered (and agreed); False when it declined."""
    events = _events(text)
    fast = _fast_mask(text, [e.start() for e in events], [e.end() for e in events])
    if fast is None:
        return False
    parsed = _parsed_mask(text, TAGS)
    spans = [event.span() for event in events]
    assert [fast.touches(*span) for span in spans] == [parsed.touches(*span) for span in spans], text
    assert fast.problems == parsed.problems, text
    return True


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=14), st.booleans())
@example(["# One box", "", '[asa2 asin="B0X"]'], False)
@example(["Intro", "", "```", "[asa2 a]", "```", "", "[asa2 b]"], False)
def test_fast_path_agrees_with_the_parse_on_generated_pages(lines: list[str], final_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if final_newline else "")
    _agree(text)


def test_the_fast_path_answers_the_usual_pages() -> None:
    """It is not vacuous: boxes alone on their lines and plain paragraphs are answered without a parse."""
    for text in (
        '# One box\n\n[asa2 asin="B0X"]\n',
        "Intro\n\nText before [asa2 b] and after.\n\n[asa2 a]\n",
        "Intro\n\n```\n[asa2 a]\n```\n\n[asa2 b]\n",
    ):
        assert _agree(text), text


def _reference_outside(raw: Regions, matches: list[re.Match[str]]) -> list[re.Match[str]]:
    """``_FastMask.outside`` before it merged: a binary search per match (the reference)."""
    starts, ends = raw.bounds()
    edges = [-1]
    for bound in zip(starts, ends, strict=True):
        edges += bound
    return [match for match in matches if bisect_right(edges, match.start()) % 2 == 1]


@settings(max_examples=1000)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=8),
    st.lists(st.integers(0, 70), max_size=20),
)
def test_fast_mask_keeps_the_matches_outside_the_blocks_as_the_reference(
    blocks: list[tuple[int, int]], brackets: list[int]
) -> None:
    text = "".join("[" if offset in set(brackets) else "." for offset in range(72))
    matches = list(re.finditer(r"\[", text))
    raw = Regions((start, start + length) for start, length in blocks)
    assert _FastMask(raw).outside(matches) == _reference_outside(raw, matches)
