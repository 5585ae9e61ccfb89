"""Diagnostics with exact line and column, lenient and strict expansion."""

from __future__ import annotations

import pytest

from asa2render.errors import Location, ShortcodeError
from asa2render.shortcodes import Diagnostic, expand, scan


def _codes(text: str, mode: str = "text") -> list[tuple[str, int, int]]:
    result = scan(text, ["asa2", "asa2_textlink"], mode=mode)  # type: ignore[arg-type]
    return [(d.code, d.line, d.column) for d in result.diagnostics]


def test_unbalanced_quote_location_and_rest_of_document() -> None:
    text = 'Intro\n  [asa2 asin="B0123]\nLater [asa2 asin=B02]'
    assert _codes(text) == [("unbalanced-quote", 2, 14)]
    first, second = scan(text, ["asa2"]).shortcodes
    assert first.attrs == {"asin": "B0123"}
    assert second.attrs == {"asin": "B02"}
    assert (second.line, second.column) == (3, 7)


def test_stray_closer_is_reported_and_left_in_place() -> None:
    text = "a [asa2]x[/asa2]\n\nb [/asa2] c"
    assert _codes(text) == [("stray-closer", 3, 3)]
    assert expand(text, ["asa2"], lambda sc: "X") == "a X\n\nb [/asa2] c"


def test_stray_closer_after_same_tag_opener_pairs_with_the_last_only() -> None:
    text = "[asa2 a]\n[asa2 b]\nx [/asa2]\n[/asa2]"
    assert _codes(text) == [("stray-closer", 4, 1)]
    first, second = scan(text, ["asa2"]).shortcodes
    assert first.content is None
    assert second.content == "\nx "


def test_unterminated_opener_is_reported_and_scan_continues() -> None:
    text = "[asa2 asin=B01\n[asa2 asin=B02]"
    assert _codes(text) == [("unterminated-opener", 1, 1)]
    assert [sc.attrs["asin"] for sc in scan(text, ["asa2"]).shortcodes] == ["B02"]


def test_columns_count_characters_not_bytes() -> None:
    text = "äöü 😀 [asa2_textlink]"
    (shortcode,) = scan(text, ["asa2_textlink"]).shortcodes
    assert (shortcode.line, shortcode.column) == (1, 7)


def test_diagnostics_inside_a_kept_shortcode_are_left_to_its_handler() -> None:
    assert _codes("[asa2_textlink]x [/asa2] y[/asa2_textlink]") == []


def test_escaped_shortcode_reports_no_attribute_problem() -> None:
    assert _codes('[[asa2 asin="B01]]') == []


def test_diagnostic_location_and_format() -> None:
    diagnostic = Diagnostic("stray-closer", "stray", 3, 4)
    assert diagnostic.location("post.md") == Location("post.md", 3, 4)
    assert diagnostic.format("post.md") == "post.md:3:4: stray"
    assert diagnostic.format() == "<input>:3:4: stray"


def test_strict_mode_raises_with_path_line_and_column() -> None:
    text = 'ok\n\n   [asa2 asin="B01]'
    with pytest.raises(ShortcodeError) as raised:
        expand(text, ["asa2"], lambda sc: "X", strict=True, path="content/post.md")
    assert str(raised.value).startswith("content/post.md:3:15: unbalanced quote")
    assert raised.value.location == Location("content/post.md", 3, 15)


def test_strict_mode_raises_for_stray_closer() -> None:
    with pytest.raises(ShortcodeError, match=r"^<input>:1:3: stray closer \[/asa2\]"):
        expand("x [/asa2]", ["asa2"], lambda sc: "X", strict=True)


def test_strict_mode_without_problems_expands() -> None:
    assert expand("a [asa2] b", ["asa2"], lambda sc: "X", strict=True) == "a X b"


def test_lenient_mode_keeps_going() -> None:
    text = '[asa2 asin="B01]\n[/asa2_textlink]\n[asa2 x'
    assert expand(text, ["asa2", "asa2_textlink"], lambda sc: "X") == "X\n[/asa2_textlink]\n[asa2 x"


def test_unknown_mode_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown mode"):
        scan("[asa2]", ["asa2"], mode="rst")  # type: ignore[arg-type]


def test_a_single_string_is_one_tag() -> None:
    assert [sc.tag for sc in scan("[asa2] [a] [s]", "asa2").shortcodes] == ["asa2"]


@pytest.mark.parametrize("tag", ["", "a b", "a]", "[a", "a/b", "<a>", "a=b", "&amp;"])
def test_invalid_tag_names_are_refused(tag: str) -> None:
    with pytest.raises(ValueError, match="invalid shortcode tag name"):
        scan("[asa2]", ["asa2", tag])


def test_unusual_but_valid_tag_names_are_escaped_in_the_regex() -> None:
    assert [sc.tag for sc in scan("[a.b] [a+b] [a?]", ["a.b", "a+b", "a?"]).shortcodes] == [
        "a.b",
        "a+b",
        "a?",
    ]
