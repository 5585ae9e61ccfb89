"""Twig's core filters and tests with PHP semantics (``array_slice``, ``sprintf``, ``number_format`` …)."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cmp_to_key
from typing import Any, cast

from markupsafe import Markup

from asa2render.twig.errors import TwigRuntimeError, php_error
from asa2render.twig.escaping import escape_html, escape_url
from asa2render.twig.runtime import (
    compare,
    debug_type,
    describe,
    format_float,
    is_numeric,
    items,
    mod,
    normalize_array,
    to_int,
    to_number,
    to_str,
    truthy,
)

_PHP_TRIM = " \t\n\r\0\x0b"


def _text(value: Any, function: str, argument: str = "#1 ($string)") -> str:
    """A string argument of a PHP string function: arrays are PHP 8's ``TypeError``."""
    if isinstance(value, Mapping | list | tuple):
        raise php_error(f"{function}(): Argument {argument} must be of type string, array given")
    return to_str(value)


def empty(value: Any) -> bool:
    """Twig's ``empty`` test: "", null, false, an empty array (0 and "0" are not empty)."""
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return value == ""
    if type(value) in (int, float, bool):
        return False
    if isinstance(value, Mapping | list | tuple):
        return len(value) == 0
    if hasattr(value, "__len__") and not isinstance(value, int | float):
        return len(value) == 0
    return False


def default(value: Any, fallback: Any = "") -> Any:
    """The ``default`` filter when the value is not a plain variable (then the compiler inlines it)."""
    return fallback if empty(value) else value


def upper(value: Any) -> str:
    """The ``upper`` filter (``mb_strtoupper``)."""
    return _text(value, "mb_strtoupper").upper()


def lower(value: Any) -> str:
    """The ``lower`` filter (``mb_strtolower``)."""
    return _text(value, "mb_strtolower").lower()


def capitalize(value: Any) -> str:
    """The ``capitalize`` filter: first character upper case, the rest lower case."""
    text = _text(value, "mb_substr")
    return text[:1].upper() + text[1:].lower()


_CASE_IGNORABLE = frozenset("'.:^`\u00a8\u00ad\u00af\u00b4\u00b7\u00b8\u2018\u2019\u2024\u2027")


def _case_ignorable(char: str) -> bool:
    """Unicode's Case_Ignorable: apostrophes, periods, modifiers and combining marks do not end a word."""
    return char in _CASE_IGNORABLE or unicodedata.category(char) in ("Mn", "Me", "Cf", "Lm", "Sk")


def title(value: Any) -> str:
    """``mb_convert_case(MB_CASE_TITLE)``: a word's first cased letter in title case ("ß" → "Ss",
    "ǆ" → "ǅ"), the rest lower case; digits and punctuation separate words, apostrophes do not."""
    text = _text(value, "mb_convert_case")
    out: list[str] = []
    in_word = False
    for char in text:
        if char.lower() != char.upper() or unicodedata.category(char) in ("Lu", "Ll", "Lt"):
            out.append(char.lower() if in_word else char.title())
            in_word = True
        elif _case_ignorable(char):
            out.append(char)
        else:
            out.append(char)
            in_word = False
    return "".join(out)


def trim(value: Any, characters: Any = None, side: Any = "both") -> str:
    """PHP ``trim``; trimming whitespace off safe markup keeps it safe."""
    text = _text(value, {"left": "ltrim", "right": "rtrim"}.get(str(side), "trim"))
    chars = _PHP_TRIM if characters is None else _php_char_list(to_str(characters))
    if side == "both":
        result = text.strip(chars)
    elif side == "left":
        result = text.lstrip(chars)
    elif side == "right":
        result = text.rstrip(chars)
    else:
        raise TwigRuntimeError('Trimming side must be "left", "right" or "both".')
    return Markup(result) if isinstance(value, Markup) and characters is None else result


def _php_char_list(chars: str) -> str:
    """PHP's ``a..z`` range notation in trim character lists."""
    return re.sub(r"(.)\.\.(.)", lambda m: "".join(chr(c) for c in range(ord(m[1]), ord(m[2]) + 1)), chars)


def length(value: Any) -> int:
    """The ``length`` filter: characters of a string, items of an array, 0 for null."""
    if value is None:
        return 0
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return len(to_str(value))
    if isinstance(value, bool):
        return len(to_str(value))
    if hasattr(value, "__len__"):
        return len(value)
    if hasattr(value, "__iter__"):
        return sum(1 for _ in value)
    return 1


def _slice_bounds(size: int, start: int, count: int | None) -> tuple[int, int]:
    begin = max(size + start, 0) if start < 0 else min(start, size)
    if count is None:
        end = size
    elif count < 0:
        end = max(size + count, begin)
    else:
        end = min(begin + count, size)
    return begin, max(end, begin)


def slice_(value: Any, start: Any = 0, count: Any = None, preserve_keys: Any = False) -> Any:
    """``array_slice`` / ``mb_substr``: negative start counts from the end, negative length stops early."""
    first = to_int(start)
    amount = None if count is None else to_int(count)
    if isinstance(value, Mapping | list | tuple) or (
        not isinstance(value, str) and hasattr(value, "__iter__") and value is not None
    ):
        pairs = items(value)
        begin, end = _slice_bounds(len(pairs), first, amount)
        chosen = pairs[begin:end]
        result: dict[Any, Any] = {}
        next_index = 0
        for key, item in chosen:
            if isinstance(key, int) and not truthy(preserve_keys):
                result[next_index] = item
                next_index += 1
            else:
                result[key] = item
        return normalize_array(result)
    text = to_str(value)
    begin, end = _slice_bounds(len(text), first, amount)
    return text[begin:end]


def first(value: Any) -> Any:
    """The ``first`` filter: first character or first item (``false`` for an empty array, as PHP's
    ``current()``)."""
    if not isinstance(value, Mapping | list | tuple):
        return to_str(value)[:1]
    pairs = items(value)
    return pairs[0][1] if pairs else False


def last(value: Any) -> Any:
    """The ``last`` filter: last character or last item (``false`` for an empty array)."""
    if not isinstance(value, Mapping | list | tuple):
        return to_str(value)[-1:]
    pairs = items(value)
    return pairs[-1][1] if pairs else False


def join(value: Any, glue: Any = "", and_: Any = None) -> str:
    """The ``join`` filter; ``and_`` is the glue before the last item. A scalar joins as itself."""
    if isinstance(value, str | int | float | bool):
        value = [value]  # PHP's (array) cast
    parts = [to_str(v) for _, v in items(value)]
    glue_text = to_str(glue)
    if and_ is None or len(parts) < 2:
        return glue_text.join(parts)
    return glue_text.join(parts[:-1]) + to_str(and_) + parts[-1]


def split(value: Any, delimiter: Any, limit: Any = None) -> list[str]:
    """``explode`` (with its limit rules), or ``str_split`` chunks for an empty delimiter."""
    text = _text(value, "explode", "#2 ($string)")
    sep = to_str(delimiter)
    if sep == "":
        size = max(to_int(limit), 1) if limit is not None else 1
        return [text[i : i + size] for i in range(0, len(text), size)] or [""]
    if limit is None:
        return text.split(sep)
    count = to_int(limit)
    if count > 0:
        return text.split(sep, count - 1)
    parts = text.split(sep)
    if count < 0:
        return parts[:count]
    return [text]


def replace(value: Any, mapping: Any) -> str:
    """``strtr`` with a mapping: longest keys first, each position replaced once."""
    if not isinstance(mapping, Mapping | list | tuple):
        raise TwigRuntimeError(
            f'The "replace" filter expects a sequence or a mapping, got "{describe(mapping)}".'
        )
    pairs = {to_str(k): to_str(v) for k, v in items(mapping) if to_str(k) != ""}
    text = _text(value, "strtr")
    if not pairs:
        return text
    pattern = re.compile("|".join(re.escape(k) for k in sorted(pairs, key=len, reverse=True)))
    return pattern.sub(lambda m: pairs[m.group(0)], text)


def sprintf(fmt: Any, *args: Any) -> str:
    """PHP ``sprintf``: argnum, flags (``-+ 0'c``), width, precision, the usual conversions."""
    text = to_str(fmt)
    index = 0
    out: list[str] = []
    pos = 0
    for match in re.finditer(r"%(?:(\d+)\$)?((?:[-+ 0]|'.)*)(\d+)?(?:\.(\d+))?([bcdeEfFgGosuxX%])", text):
        out.append(text[pos : match.start()])
        pos = match.end()
        argnum, flags, width, precision, conv = match.groups()
        if conv == "%":
            out.append("%")
            continue
        if argnum:
            arg_index = int(argnum) - 1
        else:
            arg_index = index
            index += 1
        if arg_index >= len(args):
            raise TwigRuntimeError(f"{len(args) + 1} arguments are required, {len(args)} given.")
        out.append(_format_one(args[arg_index], flags or "", width, precision, conv))
    out.append(text[pos:])
    return "".join(out)


def _format_one(arg: Any, flags: str, width: str | None, precision: str | None, conv: str) -> str:
    pad = " "
    left = "-" in flags.replace("'-", "")
    plus = "+" in flags.replace("'+", "")
    for i, char in enumerate(flags):
        if char == "'" and i + 1 < len(flags):
            pad = flags[i + 1]
        elif char == "0" and (i == 0 or flags[i - 1] != "'"):
            pad = "0"
    body = _convert(arg, conv, precision)
    if plus and conv in "deEfFgGu" and not body.startswith("-"):
        body = "+" + body
    size = int(width) if width else 0
    if len(body) >= size:
        return body
    if left:
        return body + (" " if pad == "0" else pad) * (size - len(body))
    if pad == "0" and body[:1] in "+-":
        return body[0] + "0" * (size - len(body)) + body[1:]
    return pad * (size - len(body)) + body


def _convert(arg: Any, conv: str, precision: str | None) -> str:
    if conv == "s":
        text = to_str(arg)
        return text[: int(precision)] if precision is not None else text
    if conv in "du":
        number = to_int(arg)
        return str(number if conv == "d" or number >= 0 else number + 2**64)
    if conv == "c":
        return chr(to_int(arg))
    if conv in "bxXo":
        number = to_int(arg)
        number = number if number >= 0 else number + 2**64
        return {"b": f"{number:b}", "x": f"{number:x}", "X": f"{number:X}", "o": f"{number:o}"}[conv]
    digits = 6 if precision is None else int(precision)
    real = float(to_number(arg))
    if conv in "fF":
        # PHP's sprintf rounds the binary value exactly, as Python does (2.675 → "2.67"), unlike
        # number_format and round, which pre-round the decimal form.
        return f"{real:.{digits}f}"
    if conv in "eE":
        mantissa, _, exponent = f"{real:.{digits}e}".partition("e")
        text = f"{mantissa}e{int(exponent):+d}"
        return text.upper() if conv == "E" else text
    text = re.sub(r"e([+-])0*(\d)", r"e\1\2", f"{real:.{digits or 1}g}")  # PHP: 1.2e+6, not 1.2e+06
    return text.upper() if conv == "G" else text


def _round_half_up(number: float, digits: int) -> Decimal:
    """PHP rounds half away from zero on the decimal representation."""
    return Decimal(repr(number)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def number_format(value: Any, decimals: Any = 0, point: Any = ".", thousands: Any = ",") -> str:
    """The ``number_format`` filter: PHP rounding (half away from zero), grouped thousands."""
    places = to_int(decimals)
    number = float(to_number(value))
    rounded = _round_half_up(number, max(places, 0))
    negative = rounded < 0
    text = f"{abs(rounded):.{max(places, 0)}f}"
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = to_str(thousands).join(groups)
    if places > 0:
        result += to_str(point) + frac
    if negative and any(c not in "0" for c in text.replace(".", "")):
        result = "-" + result
    return result


def round_(value: Any, precision: Any = 0, method: Any = "common") -> float:
    """The ``round`` filter: ``common`` (half away from zero), ``ceil`` or ``floor``; always a float."""
    number = float(to_number(value))
    places = to_int(precision)
    if method == "common":
        return float(_round_half_up(number, places)) if places >= 0 else _round_negative(number, places)
    if method not in ("ceil", "floor"):
        raise TwigRuntimeError('The "round" filter only supports the "common", "ceil", and "floor" methods.')
    factor = 10.0**places
    scaled = number * factor
    rounded = float(math.ceil(scaled) if method == "ceil" else math.floor(scaled))
    if rounded == 0 and scaled < 0:
        rounded = -0.0  # PHP's ceil(-0.1) is -0
    return rounded / factor


def _round_negative(number: float, places: int) -> float:
    factor = 10 ** (-places)
    return float(_round_half_up(number / factor, 0) * factor)


def abs_(value: Any) -> Any:
    """The ``abs`` filter (PHP's ``abs()`` refuses what is not a number)."""
    if (isinstance(value, str) and not is_numeric(value)) or isinstance(value, Mapping | list | tuple):
        raise php_error(f"abs(): Argument #1 ($num) must be of type int|float, {debug_type(value)} given")
    return abs(to_number(value))


_TAG = re.compile(r"""<!--.*?-->|<\?.*?\?>|</?([a-zA-Z][a-zA-Z0-9:-]*)?(?:[^<>"']|"[^"]*"|'[^']*')*>""", re.S)


def striptags(value: Any, allowed: Any = None) -> str:
    """PHP ``strip_tags``: removes tags, comments and processing instructions; ``allowed`` keeps some."""
    keep = {tag.lower() for tag in re.findall(r"<([a-zA-Z0-9]+)>", to_str(allowed))} if allowed else set()

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return match.group(0) if name and name.lower() in keep else ""

    return _TAG.sub(one, _text(value, "strip_tags"))


def nl2br(value: Any) -> str:
    """``<br />`` before every newline (PHP ``nl2br``)."""
    return re.sub(r"(\r\n|\n\r|\n|\r)", r"<br />\1", to_str(value))


def spaceless(value: Any) -> Markup:
    """The (deprecated) ``spaceless`` filter: whitespace between tags removed."""
    return Markup(re.sub(r">\s+<", "><", to_str(value)).strip())


def url_encode(value: Any) -> str:
    """``rawurlencode`` for strings, ``http_build_query`` (RFC 3986) for arrays."""
    if isinstance(value, Mapping | list | tuple):
        return "&".join(_query_pairs(value, None))
    return escape_url(to_str(value))


def _query_pairs(value: Any, prefix: str | None) -> list[str]:
    pairs: list[str] = []
    for key, item in items(value):
        name = to_str(key) if prefix is None else f"{prefix}[{to_str(key)}]"
        if item is None:
            continue
        if isinstance(item, Mapping | list | tuple):
            pairs.extend(_query_pairs(item, name))
        else:
            text = "1" if item is True else "0" if item is False else to_str(item)
            pairs.append(f"{escape_url(name)}={escape_url(text)}")
    return pairs


JSON_HEX_TAG, JSON_HEX_AMP, JSON_HEX_APOS, JSON_HEX_QUOT = 1, 2, 4, 8
JSON_FORCE_OBJECT, JSON_PRETTY_PRINT, JSON_UNESCAPED_SLASHES, JSON_UNESCAPED_UNICODE = 16, 128, 64, 256
JSON_PRESERVE_ZERO_FRACTION = 1024


def json_encode(value: Any, options: Any = 0) -> str:
    """PHP ``json_encode``: escaped slashes and ``\\uXXXX`` unless told otherwise, lists vs objects."""
    flags = to_int(options)
    return _json(value, flags, 0)


def _json(value: Any, flags: int, depth: int) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e17 and value != 0:
            return f"{int(value)}.0" if flags & JSON_PRESERVE_ZERO_FRACTION else str(int(value))
        return format_float(value, None, "e")
    if isinstance(value, str):
        return _json_string(value, flags)
    if isinstance(value, Mapping | list | tuple):
        pairs = items(value)
        is_list = all(k == i for i, (k, _) in enumerate(pairs)) and not flags & JSON_FORCE_OBJECT
        if not pairs:
            return "{}" if flags & JSON_FORCE_OBJECT or (isinstance(value, Mapping) and value) else "[]"
        pretty = bool(flags & JSON_PRETTY_PRINT)
        indent = "\n" + "    " * (depth + 1) if pretty else ""
        close = "\n" + "    " * depth if pretty else ""
        colon = ": " if pretty else ":"
        if is_list:
            body = ",".join(indent + _json(v, flags, depth + 1) for _, v in pairs)
            return f"[{body}{close}]"
        body = ",".join(
            indent + _json_string(to_str(k), flags) + colon + _json(v, flags, depth + 1) for k, v in pairs
        )
        return "{" + body + close + "}"
    return _json(to_str(value), flags, depth)


def _json_string(text: str, flags: int) -> str:
    encoded = json.dumps(text, ensure_ascii=not flags & JSON_UNESCAPED_UNICODE)
    encoded = re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" + m.group(1), encoded)
    if not flags & JSON_UNESCAPED_SLASHES:
        encoded = encoded.replace("/", "\\/")
    if flags & JSON_HEX_TAG:
        encoded = encoded.replace("<", "\\u003C").replace(">", "\\u003E")
    if flags & JSON_HEX_AMP:
        encoded = encoded.replace("&", "\\u0026")
    if flags & JSON_HEX_APOS:
        encoded = encoded.replace("'", "\\u0027")
    if flags & JSON_HEX_QUOT:
        encoded = '"' + encoded[1:-1].replace('\\"', "\\u0022") + '"'
    return encoded


def keys(value: Any) -> list[Any]:
    """The ``keys`` filter: array keys (indexes for sequences)."""
    return [k for k, _ in items(value)]


def merge(*arrays: Any) -> Any:
    """``array_merge`` of every argument: string keys overwrite, integer keys are appended and renumbered."""
    for number, operand in enumerate(arrays, 1):
        if not isinstance(operand, Mapping | list | tuple):
            raise TwigRuntimeError(
                f'The "merge" filter expects a sequence or a mapping, got "{debug_type(operand)}" '
                f"for argument {number}."
            )
    return _renumbered((pair for operand in arrays for pair in items(operand)), renumber=True)


def reverse(value: Any, preserve_keys: Any = False) -> Any:
    """The ``reverse`` filter: strings by character, arrays with integer keys renumbered."""
    if not isinstance(value, Mapping | list | tuple):
        return to_str(value)[::-1]
    return _renumbered(reversed(items(value)), renumber=not truthy(preserve_keys))


def _renumbered(pairs: Iterable[tuple[Any, Any]], *, renumber: bool) -> Any:
    """PHP's array building: with ``renumber``, integer keys become 0, 1, … in order; string keys are kept."""
    result: dict[Any, Any] = {}
    index = 0
    for key, item in pairs:
        if renumber and isinstance(key, int):
            result[index] = item
            index += 1
        else:
            result[key] = item
    return normalize_array(result)


def sort(value: Any, arrow: Any = None) -> Any:
    """``asort`` (``uasort`` with an arrow): values in order, keys kept (``keys`` shows the positions)."""
    if not isinstance(value, Mapping | list | tuple):
        raise TwigRuntimeError(
            f'The sort filter only works with arrays or "Traversable", got "{describe(value)}".'
        )
    order = compare if arrow is None else _arrow(arrow, "sort")
    pairs = sorted(items(value), key=cmp_to_key(lambda a, b: to_int(order(a[1], b[1]))))  # type: ignore[index]
    return normalize_array(dict(pairs))


def _arrow(arrow: Any, name: str) -> Callable[..., Any]:
    if not callable(arrow):
        raise TwigRuntimeError(f'The callable passed to "{name}" filter must be a Closure in sandbox mode.')
    return cast("Callable[..., Any]", arrow)


def map_(value: Any, arrow: Any) -> Any:
    """The ``map`` filter: ``arrow(value, key)`` for every item, keys kept."""
    fn = _arrow(arrow, "map")
    return normalize_array({key: fn(item, key) for key, item in items(value)})


def filter_(value: Any, arrow: Any) -> Any:
    """The ``filter`` filter: the items for which ``arrow(value, key)`` is true, keys kept."""
    fn = _arrow(arrow, "filter")
    return normalize_array({key: item for key, item in items(value) if truthy(fn(item, key))})


def find(value: Any, arrow: Any) -> Any:
    """The ``find`` filter: the first item for which ``arrow(value, key)`` is true, else null."""
    fn = _arrow(arrow, "find")
    return next((item for key, item in items(value) if truthy(fn(item, key))), None)


def reduce(value: Any, arrow: Any, initial: Any = None) -> Any:
    """The ``reduce`` filter: ``arrow(carry, value, key)`` folded over the items."""
    fn = _arrow(arrow, "reduce")
    carry = initial
    for key, item in items(value):
        carry = fn(carry, item, key)
    return carry


def has_some(value: Any, arrow: Any) -> bool:
    """The ``has some`` operator."""
    fn = _arrow(arrow, "has some")
    return any(truthy(fn(item, key)) for key, item in items(value))


def has_every(value: Any, arrow: Any) -> bool:
    """The ``has every`` operator."""
    fn = _arrow(arrow, "has every")
    return all(truthy(fn(item, key)) for key, item in items(value))


def batch(value: Any, size: Any, fill: Any = None, preserve_keys: Any = True) -> list[Any]:
    """``array_chunk`` with keys kept, the last chunk padded with ``fill`` when given."""
    if not isinstance(value, Mapping | list | tuple):
        raise TwigRuntimeError(
            f'The "batch" filter expects a sequence or a mapping, got "{debug_type(value)}".'
        )
    count = math.ceil(to_number(size))
    if count < 1:
        raise php_error("array_chunk(): Argument #2 ($length) must be greater than 0")
    pairs = items(value)
    chunks: list[Any] = []
    for start in range(0, len(pairs), count):
        chunk = pairs[start : start + count]
        if truthy(preserve_keys):
            built: dict[Any, Any] = dict(chunk)
        else:
            built = {i: item for i, (_, item) in enumerate(chunk)}
        if fill is not None and len(chunk) < count:
            next_key = (max((k for k in built if isinstance(k, int)), default=-1)) + 1
            for offset in range(count - len(chunk)):
                built[next_key + offset] = fill
        chunks.append(normalize_array(built))
    return chunks


def column(value: Any, name: Any, index: Any = None) -> Any:
    """``array_column``: one field of each row, optionally keyed by another."""
    from asa2render.twig.runtime import UNDEFINED, get_item, get_object_attr, php_key

    result: dict[Any, Any] = {}
    position = 0
    for _, row in items(value):
        cell = get_item(row, name)
        if cell is UNDEFINED:
            cell = get_object_attr(row, name, None)
        if cell is UNDEFINED:
            continue
        key: Any = UNDEFINED
        if index is not None:
            key = get_item(row, index)
        if key is UNDEFINED or key is None:
            result[position] = cell
        else:
            result[php_key(key)] = cell
        ints = [k for k in result if isinstance(k, int)]
        position = max(ints) + 1 if ints else 0
    return normalize_array(result)


def nl2br_safe(value: Any, escape_first: bool) -> Markup:
    """``nl2br`` with Twig's pre-escaping when auto-escape is on."""
    if escape_first and not isinstance(value, Markup):
        value = escape_html(to_str(value))
    return Markup(nl2br(value))


# --- tests -------------------------------------------------------------------------------------


def is_even(value: Any) -> bool:
    """The ``even`` test: ``value % 2 == 0`` with PHP's ``%``."""
    return mod(value, 2) == 0


def is_odd(value: Any) -> bool:
    """The ``odd`` test: ``value % 2 != 0`` with PHP's ``%``."""
    return mod(value, 2) != 0


def is_iterable(value: Any) -> bool:
    """The ``iterable`` test: arrays and iterable objects, not strings."""
    return isinstance(value, Mapping | list | tuple) or (
        not isinstance(value, str) and hasattr(value, "__iter__")
    )


def is_sequence(value: Any) -> bool:
    """The ``sequence`` test: a list, or a mapping keyed 0..n-1."""
    if isinstance(value, list | tuple):
        return True
    return isinstance(value, Mapping) and all(k == i for i, k in enumerate(value))


def is_mapping(value: Any) -> bool:
    """The ``mapping`` test: a hash with other keys, or an object."""
    if isinstance(value, Mapping):
        return not all(k == i for i, k in enumerate(value)) or (len(value) == 0 and False)
    return not isinstance(value, list | tuple | str | int | float | bool) and value is not None


def divisible_by(value: Any, divisor: Any) -> bool:
    """The ``divisible by`` test."""
    return mod(value, divisor) == 0
