"""Twig's escaping strategies: html, html_attr, js, css, url."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from asa2render.twig.errors import TwigRuntimeError
from asa2render.twig.runtime import to_str

_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#039;"})
_JS_SAFE = re.compile(r"[^a-zA-Z0-9,._]")
_JS_SHORT = {"\\": "\\\\", "/": "\\/", "\x08": "\\b", "\x0c": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ATTR_SAFE = re.compile(r"[^a-zA-Z0-9,.\-_]")
_ATTR_ENTITIES = {34: "&quot;", 38: "&amp;", 60: "&lt;", 62: "&gt;"}
_CSS_SAFE = re.compile(r"[^a-zA-Z0-9]")


def escape_html(text: str) -> str:
    """``htmlspecialchars(ENT_QUOTES)``: the single quote becomes ``&#039;`` as in Twig's output."""
    return text.translate(_HTML)


def _js_char(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _JS_SHORT:
        return _JS_SHORT[char]
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04X}"
    code -= 0x10000
    return f"\\u{0xD800 | (code >> 10):04X}\\u{0xDC00 | (code & 0x3FF):04X}"


def escape_js(text: str) -> str:
    """The ``js`` strategy: everything but ``[a-zA-Z0-9,._]`` as ``\\uXXXX`` or a short escape."""
    return _JS_SAFE.sub(_js_char, text)


def _attr_char(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if (code <= 0x1F and char not in "\t\n\r") or 0x7F <= code <= 0x9F:
        return "&#xFFFD;"
    if code < 0x80:
        return _ATTR_ENTITIES.get(code, f"&#x{code:02X};")
    return f"&#x{code:04X};"


def escape_html_attr(text: str) -> str:
    """The ``html_attr`` strategy: everything but ``[a-zA-Z0-9,.-_]`` as a character reference."""
    return _ATTR_SAFE.sub(_attr_char, text)


def escape_css(text: str) -> str:
    """The ``css`` strategy: everything but letters and digits as ``\\HEX `` escapes."""
    return _CSS_SAFE.sub(lambda m: f"\\{ord(m.group(0)):X} ", text)


def escape_url(text: str) -> str:
    """PHP ``rawurlencode``."""
    return quote(text, safe="-_.~")


STRATEGIES: dict[str, Callable[[str], str]] = {
    "html": escape_html,
    "js": escape_js,
    "css": escape_css,
    "url": escape_url,
    "html_attr": escape_html_attr,
}


def escape(value: Any, strategy: Any = "html", charset: Any = None, autoescape: bool = False) -> Any:
    """The ``escape`` filter; the auto-escaper passes ``autoescape=True`` so safe values pass through."""
    if autoescape and isinstance(value, Markup):
        return value
    if not isinstance(strategy, str) or strategy not in STRATEGIES:
        raise TwigRuntimeError(
            f'Invalid escaping strategy "{to_str(strategy)}" (valid ones: '
            '"html", "js", "url", "css", "html_attr").'
        )
    if not isinstance(value, str):
        # Twig hands back anything that is not a string (numbers, booleans, null, arrays) unchanged;
        # printing converts it later, and numbers need no escaping.
        return value
    if value == "":
        return ""
    return Markup(STRATEGIES[strategy](to_str(value)))
