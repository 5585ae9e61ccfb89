"""The plain name="value" fast path gives exactly what the general WordPress-style parser gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from asa2render.shortcodes.attributes import (
    _COMMON,
    ParsedAttributes,
    Problem,
    _parse_general,
    _parse_plain_pairs,
    parse_attributes,
)

names = st.text(alphabet="abcXYZ_-1", min_size=1, max_size=6)
values = st.text(alphabet="ab <>/&;'“” \u00a0\u200b=[", max_size=8)
spaces = st.sampled_from([" ", "  ", "\u00a0", "\u200b", "\t", "\n"])


@given(
    st.lists(st.tuples(spaces, names, st.sampled_from(["=", " = ", "= "]), values), min_size=1, max_size=4),
    spaces,
)
def test_fast_path_agrees_with_the_general_parser(pairs: list[tuple[str, str, str, str]], tail: str) -> None:
    text = "".join(f'{space}{name}{eq}"{value}"' for space, name, eq, value in pairs) + tail
    fast = _parse_plain_pairs(text)
    if fast is not None:
        assert fast == _parse_general(text)


@given(st.text(alphabet='ab=" \u00a0&<x-', max_size=20))
def test_fast_path_never_disagrees_on_arbitrary_text(text: str) -> None:
    fast = _parse_plain_pairs(text)
    if fast is not None:
        assert fast == _parse_general(text)


def test_fast_path_takes_the_common_case() -> None:
    assert _parse_plain_pairs(' asin="B0TEST0001" country="de" tpl="box"') is not None
    assert _parse_plain_pairs(" asin='B0TEST0001'") is None
    assert _parse_plain_pairs(' title="a &quot; b"') is None


# -- the dominant box form (asin, then optional country and tpl), read by one literal match ---------------

common_values = st.text(alphabet='aB0 "&<>=;\n\u00a0', max_size=6)
common_pairs = st.lists(
    st.tuples(
        st.sampled_from([" ", "  ", "", "\t", "\u00a0"]),
        st.sampled_from(["asin", "country", "tpl", "ASIN", "set"]),
        st.sampled_from(["=", " ="]),
        st.sampled_from(['"', "'"]),
        common_values,
    ),
    min_size=1,
    max_size=4,
)


def _items(parsed: ParsedAttributes) -> tuple[list[tuple[str, str]], tuple[str, ...], tuple[Problem, ...]]:
    """Everything a result says, named attributes in their order."""
    return list(parsed.named.items()), parsed.positional, parsed.problems


@settings(max_examples=2000)
@given(common_pairs, st.sampled_from(["", " ", "x"]))
def test_common_form_agrees_with_the_general_parser(
    pairs: list[tuple[str, str, str, str, str]], tail: str
) -> None:
    text = (
        "".join(f"{space}{name}{eq}{quote}{value}{quote}" for space, name, eq, quote, value in pairs) + tail
    )
    assert _items(parse_attributes.__wrapped__(text)) == _items(_parse_general(text)), text


@given(st.text(alphabet=' asinB0="ctryplde&<', max_size=40))
def test_common_form_agrees_on_arbitrary_text(text: str) -> None:
    assert _items(parse_attributes.__wrapped__(text)) == _items(_parse_general(text)), text


def test_common_form_is_taken_for_product_boxes() -> None:
    for text in (
        ' asin="B0TEST0001"',
        ' asin="B0TEST0001" country="de"',
        ' asin="B0X" country="us" tpl="grid"',
    ):
        assert _COMMON.fullmatch(text) is not None
        assert _items(parse_attributes.__wrapped__(text)) == _items(_parse_general(text))
    assert _COMMON.fullmatch(' asin="B0X" tpl="grid" country="us"') is None  # another order: plain pairs
