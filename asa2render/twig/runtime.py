"""PHP value semantics as Twig templates see them: strings, truthiness, comparison, arithmetic, attributes.

Template data are Python values: ``dict`` for PHP associative arrays, ``list``/``tuple`` for sequences,
``str``/``int``/``float``/``bool``/``None`` for scalars, :class:`markupsafe.Markup` for already-safe HTML.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from asa2render.twig.errors import TwigRuntimeError, php_error

_NUMERIC = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*\Z")
_LEADING_NUMERIC = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INT = re.compile(r"\s*[+-]?\d+\s*\Z")


def _float_parts(value: float, significant: int | None) -> tuple[str, int]:
    """Significant digits (no trailing zeros) and decimal exponent of ``abs(value)``.

    ``significant=None`` gives the shortest digits that round-trip (PHP's ``serialize_precision = -1``).
    """
    if significant is None:
        text = repr(abs(value))
        mantissa, _, exp_part = text.partition("e")
        exponent = int(exp_part) if exp_part else 0
        whole, _, frac = mantissa.partition(".")
        digits = (whole + frac).lstrip("0")
        exponent += (
            len(whole.lstrip("0")) - 1 if whole.strip("0") else -(len(frac) - len(frac.lstrip("0")) + 1)
        )
        return (digits.rstrip("0") or "0"), exponent
    mantissa, _, exp_part = f"{abs(value):.{significant - 1}e}".partition("e")
    return mantissa.replace(".", "").rstrip("0") or "0", int(exp_part)


def format_float(value: float, significant: int | None = 14, exp_char: str = "E") -> str:
    """PHP's float to string: ``precision`` significant digits (14 for ``echo``), exponent form below
    1e-4 and from 10**precision up (``1.0E+25``); ``significant=None`` is the round-trip form ``json_encode``
    and ``var_export`` use."""
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    sign = "-" if math.copysign(1, value) < 0 else ""
    if value == 0:
        return f"{sign}0"
    digits, exponent = _float_parts(value, significant)
    limit = significant if significant is not None else 17
    if exponent < -4 or exponent >= limit:
        return (
            f"{sign}{digits[0]}.{digits[1:] or '0'}{exp_char}{'+' if exponent >= 0 else '-'}{abs(exponent)}"
        )
    if exponent >= 0:
        whole = digits[: exponent + 1].ljust(exponent + 1, "0")
        frac = digits[exponent + 1 :]
        return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"
    return f"{sign}0.{'0' * (-exponent - 1)}{digits}"


def float_to_str(value: float) -> str:
    """PHP 8's ``(string)`` of a float (``precision = 14``): ``0.1 + 0.2`` is "0.3", ``1e15`` "1.0E+15"."""
    return format_float(value, 14)


_NUMBERS = (int, float)


def to_str(value: Any) -> str:
    """PHP string conversion: ``true`` → "1", ``false``/``null`` → "", floats as PHP prints them."""
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str.__str__(value)  # a plain copy: str methods on Markup would return Markup
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return float_to_str(value)
    if isinstance(value, Mapping | list | tuple):
        return "Array"
    if isinstance(value, Loop):
        return "Array"
    return str(value)


_OTHER_REALS = (numbers.Real, Decimal)  # Decimal is not registered as numbers.Real


def _as_float(value: Any) -> Any:
    """Other Python numbers (``Decimal`` prices, fractions) behave as PHP floats."""
    if not isinstance(value, bool | int | float) and isinstance(value, _OTHER_REALS):
        return float(value)
    return value


def truthy(value: Any) -> bool:
    """PHP truthiness: "" and "0" are false, empty arrays are false, any object is true."""
    if isinstance(value, str):
        return value != "" and value != "0"
    if value is None or isinstance(value, bool | int | float):
        return bool(value)
    if isinstance(value, Mapping | list | tuple):
        return len(value) > 0
    if isinstance(value, numbers.Number):
        return bool(value)
    return True


def is_numeric(value: Any) -> bool:
    """PHP ``is_numeric``."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, *_OTHER_REALS)):
        return True
    return isinstance(value, str) and bool(_NUMERIC.match(value))


def str_to_number(text: str) -> int | float:
    """A numeric string's value (leading-numeric strings give their prefix, others 0, as PHP does)."""
    match = _LEADING_NUMERIC.match(text)
    if not match:
        return 0
    number = match.group(0).strip()
    if _INT.match(number):
        return int(number)
    return float(number)


def to_number(value: Any) -> int | float:
    """PHP numeric conversion for arithmetic."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if value is None:
        return 0
    if isinstance(value, str):
        return str_to_number(value)
    if isinstance(value, Mapping | list | tuple):
        return 1 if value else 0  # PHP's (float) cast of an array; operators reject arrays earlier
    if isinstance(value, _OTHER_REALS):
        return float(value)
    return 1


def to_int(value: Any) -> int:
    """PHP ``(int)`` of a value."""
    number = to_number(value)
    if isinstance(number, float):
        if math.isnan(number) or math.isinf(number):
            return 0
        return int(number)
    return number


# --- comparison ----------------------------------------------------------------------------------


def _sequence_items(value: Any) -> list[tuple[Any, Any]]:
    if isinstance(value, Mapping):
        return list(value.items())
    return list(enumerate(value))


def loose_eq(left: Any, right: Any) -> bool:
    """PHP 8 ``==``."""
    left, right = _as_float(left), _as_float(right)
    if isinstance(left, bool) or isinstance(right, bool):
        return truthy(left) == truthy(right)
    if left is None and right is None:
        return True
    if left is None:
        return loose_eq(right, None) if not isinstance(right, str) else right == ""
    if right is None:
        return right_null_eq(left)
    if isinstance(left, str) and isinstance(right, str):
        if is_numeric(left) and is_numeric(right):
            return str_to_number(left) == str_to_number(right)
        return left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    if isinstance(left, int | float) and isinstance(right, str):
        return left == str_to_number(right) if is_numeric(right) else to_str(left) == right
    if isinstance(left, str) and isinstance(right, int | float):
        return loose_eq(right, left)
    if isinstance(left, Mapping | list | tuple) and isinstance(right, Mapping | list | tuple):
        a, b = dict(_sequence_items(left)), dict(_sequence_items(right))
        return a.keys() == b.keys() and all(loose_eq(a[k], b[k]) for k in a)
    return bool(left == right)


def right_null_eq(value: Any) -> bool:
    """``value == null`` in PHP 8."""
    if isinstance(value, str):
        return value == ""
    return not truthy(value)


def compare(left: Any, right: Any) -> int:
    """PHP 8 ``<=>``: scalars, arrays by size, and an array is greater than any other value."""
    if type(left) in _NUMBERS and type(right) in _NUMBERS:  # the common case, without ABC checks
        return int(left > right) - int(left < right)
    left, right = _as_float(left), _as_float(right)
    left_array, right_array = (
        isinstance(left, Mapping | list | tuple),
        isinstance(right, Mapping | list | tuple),
    )
    loose = isinstance(left, bool) or isinstance(right, bool) or left is None or right is None
    if left_array != right_array and not loose:
        return 1 if left_array else -1
    if isinstance(left, bool) or isinstance(right, bool) or left is None or right is None:
        if isinstance(left, str) and right is None:
            return (left > "") - (left < "")
        if left is None and isinstance(right, str):
            return (right < "") - (right > "")
        a, b = truthy(left), truthy(right)
        return (a > b) - (a < b)
    if isinstance(left, str) and isinstance(right, str):
        if is_numeric(left) and is_numeric(right):
            x, y = str_to_number(left), str_to_number(right)
            return (x > y) - (x < y)
        return (left > right) - (left < right)
    if isinstance(left, int | float) and isinstance(right, str):
        if not is_numeric(right):
            s = to_str(left)
            return (s > right) - (s < right)
        right = str_to_number(right)
    elif isinstance(left, str) and isinstance(right, int | float):
        if not is_numeric(left):
            s = to_str(right)
            return (left > s) - (left < s)
        left = str_to_number(left)
    if isinstance(left, int | float) and isinstance(right, int | float):
        return (left > right) - (left < right)
    if isinstance(left, Mapping | list | tuple) and isinstance(right, Mapping | list | tuple):
        return (len(left) > len(right)) - (len(left) < len(right))
    return 0


def same_as(left: Any, right: Any) -> bool:
    """PHP ``===``: same type and value."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, str) and isinstance(right, str):
        return str(left) == str(right)
    if type(left) is not type(right):
        if isinstance(left, list | tuple) and isinstance(right, list | tuple):
            return list(left) == list(right)
        return False
    return bool(left == right)


def contains(needle: Any, haystack: Any) -> bool:
    """Twig's ``in`` operator."""
    if isinstance(haystack, Mapping):
        return any(loose_eq(needle, item) for item in haystack.values())
    if isinstance(haystack, list | tuple):
        return any(loose_eq(needle, item) for item in haystack)
    if isinstance(haystack, str):
        if isinstance(needle, str | int | float) and not isinstance(needle, bool):
            return to_str(needle) in haystack
        return False
    if isinstance(haystack, Iterable):
        return any(loose_eq(needle, item) for item in haystack)
    return False


def starts_with(left: Any, right: Any) -> bool:
    """The ``starts with`` operator (strings only)."""
    return isinstance(left, str) and isinstance(right, str) and left.startswith(right)


def ends_with(left: Any, right: Any) -> bool:
    """The ``ends with`` operator (strings only)."""
    return isinstance(left, str) and isinstance(right, str) and left.endswith(right)


# --- arithmetic ----------------------------------------------------------------------------------


def _php_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, Mapping | list | tuple):
        return "array"
    return debug_type(value)


def _operands(left: Any, right: Any, op: str) -> tuple[int | float, int | float]:
    """Both operands as numbers, as PHP 8 arithmetic takes them.

    Numeric and leading-numeric strings ("5 apples" → 5) are numbers; a non-numeric string or an array
    is PHP 8's ``TypeError``, which Twig reports as a runtime error.
    """
    for value in (left, right):
        non_numeric = isinstance(value, str) and not _LEADING_NUMERIC.match(value)
        if non_numeric or isinstance(value, Mapping | list | tuple):
            raise php_error(f"Unsupported operand types: {_php_type(left)} {op} {_php_type(right)}")
    return to_number(left), to_number(right)


_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def _overflow(value: int | float) -> int | float:
    """PHP integers are 64-bit: a result outside that range becomes a float."""
    if isinstance(value, int) and not _INT_MIN <= value <= _INT_MAX:
        return float(value)
    return value


def add(left: Any, right: Any) -> Any:
    """``+``: numbers, or the union of two arrays."""
    if isinstance(left, Mapping | list | tuple) and isinstance(right, Mapping | list | tuple):
        merged = dict(_sequence_items(left))  # PHP's array union: keys of the left side win
        for key, value in _sequence_items(right):
            merged.setdefault(key, value)
        return normalize_array(merged)
    a, b = _operands(left, right, "+")
    return _overflow(a + b)


def sub(left: Any, right: Any) -> Any:
    """``-`` on numbers."""
    a, b = _operands(left, right, "-")
    return _overflow(a - b)


def mul(left: Any, right: Any) -> Any:
    """``*`` on numbers."""
    a, b = _operands(left, right, "*")
    return _overflow(a * b)


def div(left: Any, right: Any) -> Any:
    """``/``: an integer when it divides exactly, else a float."""
    a, b = _operands(left, right, "/")
    if b == 0:
        raise php_error("Division by zero")
    if isinstance(a, int) and isinstance(b, int) and a % b == 0:
        return a // b
    return a / b


def floordiv(left: Any, right: Any) -> int:
    """Twig's ``//``: floor of the quotient."""
    a, b = _operands(left, right, "/")
    if b == 0:
        raise php_error("Division by zero")
    return math.floor(a / b)


def mod(left: Any, right: Any) -> int:
    """PHP's ``%``: both operands truncated to integers, the remainder takes the dividend's sign."""
    a, b = _operands(left, right, "%")
    dividend, divisor = int(a), int(b)
    if divisor == 0:
        raise php_error("Modulo by zero")
    remainder = abs(dividend) % abs(divisor)
    return -remainder if dividend < 0 else remainder


def power(left: Any, right: Any) -> Any:
    """``**``."""
    a, b = _operands(left, right, "**")
    try:
        if isinstance(a, int) and isinstance(b, int) and b < 0:
            return float(a) ** b
        return _overflow(a**b)
    except ZeroDivisionError:
        return math.inf  # PHP: 0 ** -1 is INF
    except OverflowError:
        return math.inf


def neg(value: Any) -> Any:
    """Unary ``-``."""
    return -_operands(value, 1, "*")[0]


def pos(value: Any) -> Any:
    """Unary ``+``."""
    return +_operands(value, 1, "*")[0]


def concat(left: Any, right: Any) -> str:
    # str.join keeps the result a plain str: concatenation loses the "safe" mark, as in Twig.
    """``~``: both sides as PHP strings."""
    return "".join((to_str(left), to_str(right)))


def php_range(low: Any, high: Any, step: Any = 1) -> list[Any]:
    """PHP ``range()``: integers, floats or single letters, ascending or descending."""
    letters = isinstance(low, str) and isinstance(high, str) and len(low) >= 1 and len(high) >= 1
    if letters and not (is_numeric(low) and is_numeric(high)):
        first, final = ord(low[0]), ord(high[0])
        stride = abs(to_int(step)) or 1
        if first != final and stride > abs(final - first):
            raise php_error("range(): Argument #3 ($step) must not exceed the specified range")
        codes = range(first, final + 1, stride) if first <= final else range(first, final - 1, -stride)
        return [chr(c) for c in codes]
    a, b, s = to_number(low), to_number(high), abs(to_number(step))
    if s == 0 or (a != b and s > abs(b - a)):
        raise php_error("range(): Argument #3 ($step) must not exceed the specified range")
    if isinstance(a, float) or isinstance(b, float) or isinstance(s, float):
        count = math.floor(abs(b - a) / s + 1e-9) + 1
        direction = 1 if a <= b else -1
        return [a + direction * i * s for i in range(count)]
    return list(range(a, b + 1, s)) if a <= b else list(range(a, b - 1, -s))


# --- arrays --------------------------------------------------------------------------------------


def normalize_array(value: dict[Any, Any]) -> Any:
    """A PHP array whose keys are 0..n-1 in order is a list."""
    if all(isinstance(k, int) and not isinstance(k, bool) and k == i for i, k in enumerate(value)):
        return list(value.values())
    return value


def php_key(key: Any) -> Any:
    """PHP array key normalisation: "5" → 5, true → 1, null → "", 1.7 → 1."""
    if isinstance(key, bool):
        return int(key)
    if isinstance(key, float):
        return int(key)
    if key is None:
        return ""
    if isinstance(key, str) and re.fullmatch(r"-?[1-9][0-9]*|0", key):
        return int(key)
    return key


def items(value: Any) -> list[tuple[Any, Any]]:
    """(key, value) pairs of anything iterable, in order; scalars have none."""
    if value is None or isinstance(value, str | int | float | bool):
        return []
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, Sequence):
        return list(enumerate(value))
    if isinstance(value, Iterable):
        return list(enumerate(value))
    return []


def arrow_context(ctx: dict[str, Any], params: Sequence[str], args: Sequence[Any]) -> dict[str, Any]:
    """The context inside an arrow function: the enclosing one plus its parameters."""
    inner = dict(ctx)
    for index, param in enumerate(params):
        inner[param] = args[index] if index < len(args) else None
    return inner


def traversable(value: Any) -> Any:
    """Twig's ``ensureTraversable``: what ``for`` iterates; anything else iterates nothing."""
    if isinstance(value, Mapping | list | tuple) or (
        value is not None and not isinstance(value, str | int | float | bool) and hasattr(value, "__iter__")
    ):
        return value
    return []


def make_hash(pairs: Iterable[tuple[Any, Any]]) -> Any:
    """A hash literal, with PHP's key normalisation."""
    result: dict[Any, Any] = {}
    for key, value in pairs:
        result[php_key(key)] = value
    return result


def spread_array(parts: Iterable[tuple[bool, Any]]) -> list[Any]:
    """A sequence literal with ``...`` spreads."""
    result: list[Any] = []
    for spread, value in parts:
        if spread:
            result.extend(v for _, v in items(value))
        else:
            result.append(value)
    return result


# --- attributes ----------------------------------------------------------------------------------

UNDEFINED = object()


def get_item(obj: Any, key: Any) -> Any:
    """``obj[key]`` / ``obj.key`` on arrays and objects; :data:`UNDEFINED` when there is none."""
    if isinstance(obj, Mapping):
        if key in obj:
            return obj[key]
        alt = php_key(key)
        if alt in obj:
            return obj[alt]
        if isinstance(alt, int) and str(alt) in obj:
            return obj[str(alt)]
        return UNDEFINED
    if isinstance(obj, list | tuple):
        index = php_key(key)
        if isinstance(index, int) and 0 <= index < len(obj):
            return obj[index]
        return UNDEFINED
    if isinstance(obj, Loop):
        return obj.get(key)
    return UNDEFINED


def get_object_attr(obj: Any, key: Any, args: Sequence[Any] | None) -> Any:
    """Attribute, method (called) or ``get_``/``is_``/``has_`` accessor of a Python object."""
    if obj is None or isinstance(obj, str | int | float | bool | list | tuple | Mapping):
        return UNDEFINED
    name = to_str(key)
    if name.startswith("_"):
        return UNDEFINED
    for candidate in (name, f"get_{name}", f"is_{name}", f"has_{name}"):
        attr = getattr(obj, candidate, UNDEFINED)
        if attr is not UNDEFINED:
            if callable(attr) and not isinstance(attr, type):
                return attr(*(args or ()))
            return attr
    return UNDEFINED


def describe(value: Any) -> str:
    """The PHP type name used in Twig's messages ("string", "array", "null" …)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping | list | tuple):
        return "array"
    return "object"


def debug_type(value: Any) -> str:
    """PHP ``getdebug_type`` for scalars."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def attr_error(obj: Any, key: Any, kind: str, method: bool = False) -> TwigRuntimeError:
    """Twig's strict-mode message for a missing key, attribute or method (``CoreExtension::getAttribute``)."""
    name = to_str(key)
    if not method and isinstance(obj, Mapping | list | tuple):
        if not obj:
            return TwigRuntimeError(f'Key "{name}" does not exist as the sequence/mapping is empty.')
        keys = ", ".join(to_str(k) for k, _ in items(obj))
        return TwigRuntimeError(f'Key "{name}" for sequence/mapping with keys "{keys}" does not exist.')
    scalar = obj is None or isinstance(obj, str | int | float | bool)
    if method and (scalar or isinstance(obj, Mapping | list | tuple)):
        if obj is None:
            return TwigRuntimeError(f'Impossible to invoke a method ("{name}") on a null variable.')
        if isinstance(obj, Mapping | list | tuple):
            return TwigRuntimeError(f'Impossible to invoke a method ("{name}") on a sequence/mapping.')
        return TwigRuntimeError(
            f'Impossible to invoke a method ("{name}") on a {debug_type(obj)} variable ("{to_str(obj)}").'
        )
    what = "a key" if kind == "array" else "an attribute"
    if obj is None:
        return TwigRuntimeError(f'Impossible to access {what} ("{name}") on a null variable.')
    if scalar:
        return TwigRuntimeError(
            f'Impossible to access {what} ("{name}") on a {debug_type(obj)} variable ("{to_str(obj)}").'
        )
    return TwigRuntimeError(
        f'Neither the property "{name}" nor one of the methods "{name}()", "get_{name}()"/"is_{name}()"/'
        f'"has_{name}()" exist and have public access in class "{type(obj).__name__}".'
    )


def get_attr(obj: Any, key: Any, kind: str, args: Sequence[Any] | None, strict: bool) -> Any:
    """Twig's ``getAttribute``: array key first, then object attribute/method; null when missing."""
    if args is None:
        value = get_item(obj, key)
        if value is not UNDEFINED:
            return value
    if kind != "array":
        value = get_object_attr(obj, key, args)
        if value is not UNDEFINED:
            return value
    if strict:
        raise attr_error(obj, key, kind, method=args is not None)
    return None


def has_attr(obj: Any, key: Any, kind: str) -> bool:
    """The ``defined`` test on ``obj.key`` / ``obj[key]``."""
    if get_item(obj, key) is not UNDEFINED:
        return True
    if kind == "array":
        return False
    if obj is None or isinstance(obj, str | int | float | bool | list | tuple | Mapping):
        return False
    name = to_str(key)
    return not name.startswith("_") and any(
        hasattr(obj, n) for n in (name, f"get_{name}", f"is_{name}", f"has_{name}")
    )


# --- loops ---------------------------------------------------------------------------------------


class Loop:
    """The ``loop`` variable of a ``for``; attributes computed from index and length."""

    __slots__ = ("index0", "length", "parent")

    def __init__(self, length: int, parent: Any) -> None:
        self.index0 = 0
        self.length = length
        self.parent = parent

    def get(self, key: Any) -> Any:
        """The value of ``loop.<key>``."""
        getter: Callable[[Loop], Any] | None = _LOOP_FIELDS.get(to_str(key))
        return UNDEFINED if getter is None else getter(self)

    def __contains__(self, key: object) -> bool:
        return to_str(key) in _LOOP_FIELDS


_LOOP_FIELDS: dict[str, Callable[[Loop], Any]] = {
    "index0": lambda loop: loop.index0,
    "index": lambda loop: loop.index0 + 1,
    "revindex0": lambda loop: loop.length - loop.index0 - 1,
    "revindex": lambda loop: loop.length - loop.index0,
    "first": lambda loop: loop.index0 == 0,
    "last": lambda loop: loop.index0 == loop.length - 1,
    "length": lambda loop: loop.length,
    "parent": lambda loop: loop.parent,
}
