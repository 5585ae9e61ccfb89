"""A tiny reader for the PHP literals in Twig fixtures' ``--DATA--`` and ``--CONFIG--`` sections.

Handles ``return [...]`` with nested arrays (also wrapped in ``\\ArrayObject``/``\\ArrayIterator``), strings,
numbers, booleans, null, dates (``mktime()``, ``new \\DateTime(…)``, ``new \\DateTimeZone(…)``) and an optional
``date_default_timezone_set('Zone');`` prefix. Anything else (objects, function calls) raises
:class:`NotPlainDataError`: such fixtures are outside the scope of the port.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<comment>//[^\n]*|/\*.*?\*/)
      | (?P<sq>'(?:[^'\\]|\\.)*')
      | (?P<dq>"(?:[^"\\]|\\.)*")
      | (?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      | (?P<word>[A-Za-z_\\][A-Za-z0-9_\\]*)
      | (?P<op>=>|[\[\](),;])
    )""",
    re.S | re.X,
)
_DQ_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "v": "\v",
    "e": "\x1b",
    "f": "\f",
    "\\": "\\",
    "$": "$",
    '"': '"',
}


class NotPlainDataError(ValueError):
    """The PHP code is more than plain literal values."""


def _tokens(code: str) -> list[tuple[str, str]]:
    pos = 0
    out: list[tuple[str, str]] = []
    while pos < len(code):
        if code[pos:].strip() == "":
            break
        match = _TOKEN.match(code, pos)
        if not match or match.end() == pos:
            raise NotPlainDataError(f"cannot read PHP at: {code[pos : pos + 40]!r}")
        pos = match.end()
        kind = match.lastgroup
        assert kind is not None
        if kind != "comment":
            out.append((kind, match.group(kind)))
    return out


def _dq(body: str) -> str:
    if "$" in body.replace("\\$", ""):
        raise NotPlainDataError("interpolated PHP string")

    def one(match: re.Match[str]) -> str:
        text = match.group(1)
        if text[0] in _DQ_ESCAPES:
            return _DQ_ESCAPES[text[0]]
        if text[0] == "u":
            return chr(int(text[2:-1], 16))
        if text[0] == "x":
            return chr(int(text[1:], 16))
        return "\\" + text

    return re.sub(r"\\(u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{1,2}|.)", one, body)


class _Reader:
    def __init__(self, tokens: list[tuple[str, str]], default_zone: str | None = None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.default_zone = default_zone

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("eof", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if value is not None and token[1] != value:
            raise NotPlainDataError(f"expected {value!r}, got {token[1]!r}")
        self.pos += 1
        return token

    def value(self) -> Any:
        kind, text = self.take()
        if kind == "sq":
            return re.sub(r"\\([\\'])", r"\1", text[1:-1])
        if kind == "dq":
            return _dq(text[1:-1])
        if kind == "num":
            return float(text) if re.search(r"[.eE]", text) else int(text)
        if kind == "word" and text.lower() in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text.lower()]
        if kind == "word" and text.lower() == "array" and self.peek()[1] == "(":
            self.take("(")
            return self.array(")")
        if text == "[":
            return self.array("]")
        if kind == "word" and text == "new" and self.peek()[1] in ("\\ArrayObject", "\\ArrayIterator"):
            # Plain arrays wrapped in SPL containers behave as the array they hold.
            self.take()
            self.take("(")
            inner = self.value() if self.peek()[1] != ")" else []
            self.take(")")
            return inner
        if (
            kind == "word"
            and text == "new"
            and self.peek()[1] in ("\\DateTime", "\\DateTimeImmutable", "\\DateTimeZone")
        ):
            return self.date_object(self.take()[1])
        if kind == "word" and text == "mktime":
            self.take("(")
            hour, minute, second, month, day, year = (self.value() for _ in range(6) if self.comma())
            self.take(")")
            moment = datetime(year, month, day, hour, minute, second, tzinfo=self.zone())
            return int(moment.timestamp())
        raise NotPlainDataError(f"not a plain PHP value: {text!r}")

    def comma(self) -> bool:
        if self.peek()[1] == ",":
            self.take()
        return True

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.default_zone or "UTC")

    def date_object(self, cls: str) -> Any:
        """``new \\DateTime('…'[, new \\DateTimeZone('…')])`` and ``new \\DateTimeZone('…')``."""
        self.take("(")
        text = self.value()
        zone = self.zone()
        if self.peek()[1] == ",":
            self.take()
            zone = self.value()
        self.take(")")
        if cls == "\\DateTimeZone":
            return ZoneInfo(text)
        if text in ("", "now"):
            return datetime.now(zone)
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)

    def array(self, closer: str) -> Any:
        pairs: list[tuple[Any, Any]] = []
        next_index = 0
        while self.peek()[1] != closer:
            first = self.value()
            if self.peek()[1] == "=>":
                self.take()
                key = first
                if isinstance(key, str) and re.fullmatch(r"-?[1-9]\d*|0", key):
                    key = int(key)
                pairs.append((key, self.value()))
                if isinstance(key, int):
                    next_index = max(next_index, key + 1)
            else:
                pairs.append((next_index, first))
                next_index += 1
            if self.peek()[1] == ",":
                self.take()
        self.take(closer)
        if all(k == i for i, (k, _) in enumerate(pairs)):
            return [v for _, v in pairs]
        return dict(pairs)


def read_php(code: str) -> tuple[Any, str | None]:
    """The value a fixture's PHP snippet returns, and the time zone it sets (if any)."""
    tokens = _tokens(code)
    reader = _Reader(tokens)
    zone = None
    if reader.peek() == ("word", "date_default_timezone_set"):
        reader.take()
        reader.take("(")
        zone = reader.value()
        reader.take(")")
        reader.take(";")
        reader.default_zone = zone
    if reader.peek() == ("eof", ""):
        return None, zone
    reader.take("return")
    value = reader.value()
    if reader.peek()[1] == ";":
        reader.take()
    if reader.peek() != ("eof", ""):
        raise NotPlainDataError("more PHP after the returned value")
    return value, zone
