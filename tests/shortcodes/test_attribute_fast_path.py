"""The plain name="value" fast path gives exactly what the general WordPress-style parser gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from asa2render.shortcodes.attributes import _parse_general, _parse_plain_pairs

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
