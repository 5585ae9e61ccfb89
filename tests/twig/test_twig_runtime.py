"""PHP value semantics: string conversion, truthiness, loose comparison, arithmetic, attributes, loops."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from asa2render.twig import runtime as rt
from asa2render.twig.errors import TwigRuntimeError


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""), (True, "1"), (False, ""), (0, "0"), (1.0, "1"), (0.1 + 0.2, "0.3"), (1 / 3, "0.33333333333333"), (2.0**63, "9.2233720368548E+18"),
        (-1.5, "-1.5"), (1e15, "1.0E+15"), (1.5e-7, "1.5E-7"), (0.0001, "0.0001"), (100000000000000.0, "1.0E+14"), (99999999999999.0, "99999999999999"), (-0.0, "-0"),
        ([1], "Array"), ("x", "x"),
    ],
)  # fmt: skip
def test_to_str_is_php_string_conversion(value: object, text: str) -> None:
    assert rt.to_str(value) == text


def test_to_str_of_markup_is_a_plain_string() -> None:
    assert type(rt.to_str(Markup("<b>"))) is str


@pytest.mark.parametrize(
    ("value", "truth"),
    [("", False), ("0", False), ("0.0", True), (" ", True), ([], False), ({}, False), ([0], True), (0, False),
     (0.0, False), (None, False), ("a", True), (object(), True)],
)  # fmt: skip
def test_truthy_is_php_truthiness(value: object, truth: bool) -> None:
    assert rt.truthy(value) is truth


@pytest.mark.parametrize(
    ("left", "right", "equal"),
    [(1, "1", True), ("1", "01", True), ("10", "1e1", True), ("abc", 0, False), (None, False, True),
     (None, "", True), (None, 0, True), ("1", True, True), ([1, 2], [1, 2], True), ({"a": 1}, {"a": "1"}, True),
     ("a", "A", False), (1.0, 1, True)],
)  # fmt: skip
def test_loose_equality_follows_php_8(left: object, right: object, equal: bool) -> None:
    assert rt.loose_eq(left, right) is equal


def test_compare_numbers_numeric_strings_and_strings() -> None:
    assert rt.compare(2, "10") < 0  # numeric string compared as a number
    assert rt.compare("2", "10") < 0
    assert rt.compare("b", "a") > 0
    assert rt.compare("abc", 5) > 0  # non-numeric string: 5 compared as "5"
    assert rt.compare(None, 0) == 0


def test_same_as_checks_type() -> None:
    assert rt.same_as(1, 1) and not rt.same_as(1, 1.0) and not rt.same_as("1", 1) and not rt.same_as(True, 1)


@pytest.mark.parametrize(
    ("func", "left", "right", "result"),
    [(rt.div, 4, 2, 2), (rt.div, 7, 2, 3.5), (rt.floordiv, 7, 2, 3), (rt.floordiv, -7, 2, -4), (rt.mod, -7, 3, -1),
     (rt.mod, 7.5, 2, 1), (rt.mod, -7.9, 2, -1), (rt.power, 2, -1, 0.5), (rt.add, "3", 4, 7), (rt.mul, "2.5", 2, 5.0), (rt.sub, None, 1, -1)],
)  # fmt: skip
def test_arithmetic(func: object, left: object, right: object, result: object) -> None:
    value = func(left, right)  # type: ignore[operator]
    assert value == result and type(value) is type(result)


def test_division_by_zero_is_a_twig_error() -> None:
    with pytest.raises(TwigRuntimeError, match="Division by zero"):
        rt.div(1, 0)


def test_php_range() -> None:
    assert rt.php_range(1, 4) == [1, 2, 3, 4]
    assert rt.php_range(3, 1) == [3, 2, 1]
    assert rt.php_range("a", "e", 2) == ["a", "c", "e"]
    assert rt.php_range(0, 1, 0.25) == [0, 0.25, 0.5, 0.75, 1.0]


def test_attribute_access_on_arrays_and_objects() -> None:
    class Box:
        title = "T"

        def price(self, currency: str = "EUR") -> str:
            return f"9 {currency}"

        def get_brand(self) -> str:
            return "B"

    assert rt.get_attr({"a": 1}, "a", "any", None, False) == 1
    assert rt.get_attr({1: "x"}, "1", "array", None, False) == "x"
    assert rt.get_attr(["a", "b"], 1, "any", None, False) == "b"
    assert rt.get_attr(Box(), "title", "any", None, False) == "T"
    assert rt.get_attr(Box(), "price", "any", ["USD"], False) == "9 USD"
    assert rt.get_attr(Box(), "brand", "any", None, False) == "B"
    assert rt.get_attr(Box(), "_secret", "any", None, False) is None
    assert rt.get_attr(None, "x", "any", None, False) is None
    with pytest.raises(TwigRuntimeError, match='Key "z" for sequence/mapping with keys "a" does not exist'):
        rt.get_attr({"a": 1}, "z", "any", None, True)
    with pytest.raises(
        TwigRuntimeError, match=r'Impossible to access an attribute \("x"\) on a null variable'
    ):
        rt.get_attr(None, "x", "any", None, True)


def test_loop_fields() -> None:
    loop = rt.Loop(3, {"outer": True})
    loop.index0 = 2
    assert [loop.get(k) for k in ("index", "index0", "revindex", "revindex0", "first", "last", "length")] == [
        3, 2, 1, 0, False, True, 3,
    ]  # fmt: skip
    assert loop.get("parent") == {"outer": True}


def test_php_array_keys_normalise() -> None:
    assert rt.make_hash([("1", "a"), (True, "b"), (None, "c"), ("01", "d")]) == {1: "b", "": "c", "01": "d"}
    assert rt.normalize_array({0: "a", 1: "b"}) == ["a", "b"]
    assert rt.normalize_array({1: "a", 0: "b"}) == {1: "a", 0: "b"}


@pytest.mark.parametrize(
    ("func", "left", "right", "message"),
    [(rt.add, "abc", 1, "string + int"), (rt.mul, "", 2.5, "string * float"), (rt.add, [1], None, "array + null"),
     (rt.neg, "x", None, "string * int")],
)  # fmt: skip
def test_non_numeric_operands_are_php_8_type_errors(
    func: object, left: object, right: object, message: str
) -> None:
    pattern = f"Unsupported operand types: {message.replace('*', '[*]').replace('+', '[+]')}"
    args = (left,) if func is rt.neg else (left, right)
    with pytest.raises(TwigRuntimeError, match=pattern):
        func(*args)  # type: ignore[operator]


def test_leading_numeric_strings_and_array_union() -> None:
    assert rt.add("5 apples", 1) == 6
    assert rt.add([1], [2, 3]) == [1, 3]
    assert rt.add({"a": 1}, {"a": 2, "b": 3}) == {"a": 1, "b": 3}


@pytest.mark.parametrize(("low", "high", "step"), [(0, 0.5, 1), (1, 0, 2), ("a", "c", 5), (1, 5, 0)])
def test_range_step_beyond_the_range_is_php_s_error(low: object, high: object, step: object) -> None:
    with pytest.raises(TwigRuntimeError, match=r"range\(\): Argument #3 \(\$step\) must not exceed"):
        rt.php_range(low, high, step)
