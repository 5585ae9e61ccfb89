"""Property tests: lenient scanning never fails and never loses text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from asa2render.shortcodes import Mode, expand, line_col, parse, scan

TAGS = ("asa2", "asa2_textlink", "x")
PIECES = st.sampled_from(
    [
        "[",
        "]",
        "/",
        '"',
        "'",
        "=",
        " ",
        "\n",
        "`",
        "```",
        "~~~",
        "    ",
        "\t",
        "<",
        ">",
        "asa2",
        "asa2_textlink",
        "x",
        "-",
        "a",
        "B01",
        "“",
        "”",
        "&quot;",
        "\u00a0",
        "\u200b",
        "[asa2",
        "[/asa2]",
        "[x]",
        "[/x]",
        "<p>",
        "</p>",
        "<code>",
        "</code>",
        "<!--",
        "-->",
        '<a title="',
        '[asa2 asin="B01"]',
        "[x /]",
        "ä",
        "😀",
    ]
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)
MODES = st.sampled_from(["text", "markdown", "html"])


@given(TEXTS, MODES)
@settings(max_examples=400)
def test_lenient_scan_and_expand_never_raise(text: str, mode: Mode) -> None:
    scan(text, TAGS, mode=mode)
    expand(text, TAGS, lambda sc: "", mode=mode)


@given(TEXTS, MODES)
@settings(max_examples=400)
def test_spans_are_sorted_disjoint_and_bracketed(text: str, mode: Mode) -> None:
    shortcodes = parse(text, TAGS, mode=mode)
    previous_end = 0
    for shortcode in shortcodes:
        assert previous_end <= shortcode.outer_start <= shortcode.start
        assert shortcode.start < shortcode.end <= shortcode.outer_end <= len(text)
        raw = text[shortcode.start : shortcode.end]
        assert raw.startswith("[") and raw.endswith("]")
        assert (shortcode.line, shortcode.column) == line_col(text, shortcode.start)
        previous_end = shortcode.outer_end


@given(TEXTS, st.sampled_from(["text", "markdown"]))
@settings(max_examples=400)
def test_identity_handler_reproduces_the_input(text: str, mode: Mode) -> None:
    escapes = sum(sc.escaped for sc in parse(text, TAGS, mode=mode))
    out = expand(text, TAGS, lambda sc: text[sc.start : sc.end], mode=mode)
    if escapes == 0:
        assert out == text
    else:
        # Each escape loses exactly its outer pair of brackets.
        assert len(out) == len(text) - 2 * escapes


@given(TEXTS)
@settings(max_examples=300)
def test_identity_handler_on_outer_span_in_html_mode(text: str) -> None:
    if any(sc.escaped for sc in parse(text, TAGS, mode="html")):
        return
    out = expand(text, TAGS, lambda sc: text[sc.outer_start : sc.outer_end], mode="html")
    assert out == text


@given(TEXTS)
@settings(max_examples=300)
def test_diagnostics_are_sorted_and_located(text: str) -> None:
    diagnostics = scan(text, TAGS).diagnostics
    assert [d.offset for d in diagnostics] == sorted(d.offset for d in diagnostics)
    for diagnostic in diagnostics:
        assert (diagnostic.line, diagnostic.column) == line_col(text, diagnostic.offset)


@given(TEXTS)
@settings(max_examples=300)
def test_a_shortcode_reparses_to_itself(text: str) -> None:
    for shortcode in parse(text, TAGS):
        if shortcode.escaped:
            continue
        (again,) = parse(text[shortcode.start : shortcode.end], TAGS)
        assert (again.tag, again.attrs, again.args, again.content) == (
            shortcode.tag,
            shortcode.attrs,
            shortcode.args,
            shortcode.content,
        )


def _reference_splice(text: str, mode: Mode) -> str:
    """``expand``'s splice as it was written before it appended pieces one by one (the reference)."""
    parts: list[str] = []
    pos = 0
    for shortcode in scan(text, TAGS, mode=mode).shortcodes:
        if shortcode.escaped:
            parts += (text[pos : shortcode.start], text[shortcode.start + 1 : shortcode.end - 1])
            pos = shortcode.end
        else:
            parts += (
                text[pos : shortcode.outer_start],
                f"<{shortcode.tag}@{shortcode.line}:{shortcode.column}>",
            )
            pos = shortcode.outer_end
    parts.append(text[pos:])
    return "".join(parts)


@given(TEXTS, MODES)
@settings(max_examples=400)
def test_expand_splices_as_the_reference(text: str, mode: Mode) -> None:
    out = expand(text, TAGS, lambda sc: f"<{sc.tag}@{sc.line}:{sc.column}>", mode=mode)
    assert out == _reference_splice(text, mode)
