"""The public surface of asa2render.shortcodes."""

from __future__ import annotations

import dataclasses

import pytest

import asa2render.shortcodes as shortcodes
from asa2render.shortcodes import Shortcode, expand, parse


def test_all_is_sorted_and_exported() -> None:
    assert shortcodes.__all__ == sorted(shortcodes.__all__)
    for name in shortcodes.__all__:
        assert hasattr(shortcodes, name)


def test_fixed_signatures_work_positionally() -> None:
    text = 'See [asa2 asin="B01"] here.'
    (shortcode,) = parse(text, ["asa2"])
    assert expand(text, {"asa2"}, lambda sc: sc.attrs["asin"]) == "See B01 here."
    assert text[shortcode.start : shortcode.end] == '[asa2 asin="B01"]'
    assert (shortcode.line, shortcode.column) == (1, 5)


def test_shortcode_is_a_frozen_slotted_dataclass() -> None:
    (shortcode,) = parse("[asa2 /]", ("asa2",))
    assert type(shortcode) is Shortcode
    assert dataclasses.is_dataclass(shortcode)
    assert not hasattr(shortcode, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        shortcode.tag = "other"  # type: ignore[misc]
    assert shortcode.self_closing
    assert not shortcode.escaped


def test_scanned_shortcode_equals_a_constructed_one() -> None:
    (shortcode,) = parse("[asa2 a=1]", ["asa2"])
    assert shortcode == Shortcode("asa2", {"a": "1"}, (), None, 0, 10, 1, 1)
    assert dataclasses.replace(shortcode, tag="x").tag == "x"


def test_no_tags_and_no_brackets() -> None:
    assert parse("[asa2]", []) == []
    assert parse("no brackets", ["asa2"]) == []
    assert expand("", ["asa2"], lambda sc: "X") == ""


def test_tags_match_case_sensitively_and_exactly() -> None:
    text = "[ASA2] [Asa2] [asa2x] [asa2-x] [asa2_textlink] [asa2]"
    assert [(sc.tag, sc.start) for sc in parse(text, ["asa2"])] == [("asa2", text.index("[asa2]"))]
