"""Attribute parsing: WordPress forms, typographic quotes, entities, Unicode whitespace."""

from __future__ import annotations

import json

import pytest
from shortcode_fixtures import Case, params

from asa2render.shortcodes import parse
from asa2render.shortcodes.attributes import parse_attributes


@pytest.mark.parametrize("case", params("attributes.txt"))
def test_attribute_case(case: Case) -> None:
    (shortcode,) = parse(case.input, ["asa2"])
    got = {"attrs": shortcode.attrs, "args": list(shortcode.args)}
    assert got == json.loads(case.expected)


@pytest.mark.parametrize("space", ["\u00a0", "\u200b", "\t", "\n", "\u00a0\u200b "])
def test_unicode_whitespace_separates(space: str) -> None:
    parsed = parse_attributes(f'{space}a="1"{space}b=2{space}"c"{space}')
    assert dict(parsed.named) == {"a": "1", "b": "2"}
    assert parsed.positional == ("c",)
    assert parsed.problems == ()


def test_nbsp_inside_quotes_is_kept_verbatim() -> None:
    # WordPress would turn it into a space; values are verbatim here.
    assert dict(parse_attributes('a="x\u00a0y"').named) == {"a": "x\u00a0y"}


def test_unbalanced_quote_offset_points_at_the_quote() -> None:
    parsed = parse_attributes(' asin="B0123')
    (problem,) = parsed.problems
    assert (problem.code, problem.offset) == ("unbalanced-quote", 6)


def test_attrs_are_fresh_dicts() -> None:
    first, second = parse("[asa2 a=1] [asa2 a=1]", ["asa2"])
    first.attrs["a"] = "changed"
    assert second.attrs == {"a": "1"}


def test_args_is_a_tuple() -> None:
    (shortcode,) = parse("[asa2 x y]", ["asa2"])
    assert shortcode.args == ("x", "y")


def test_names_are_shared_between_shortcodes_and_results_stay_frozen() -> None:
    # A page repeats the same names on every shortcode: one string each, not one per shortcode.
    first, second = parse('[asa2 ASIN="B01" country="de"] [asa2 asin="B02" Country="us"]', ["asa2"])
    for name in ("asin", "country"):
        (a,) = (key for key in first.attrs if key == name)
        (b,) = (key for key in second.attrs if key == name)
        assert a is b
    assert first.tag is second.tag
    parsed = parse_attributes(' asin="B03"')
    assert type(parsed).__name__ == "ParsedAttributes"
    with pytest.raises(AttributeError):
        parsed.named = {}  # type: ignore[misc]


def test_names_past_the_shared_table_are_still_lower_cased() -> None:
    texts = [f' Name{index}="v"' for index in range(1100)]
    assert [dict(parse_attributes(text).named) for text in texts] == [
        {f"name{index}": "v"} for index in range(1100)
    ]
