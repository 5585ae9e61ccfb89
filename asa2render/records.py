"""Validated immutable records: the base of the configuration, product and catalog models.

A :class:`Record` is a frozen ``msgspec.Struct`` that refuses unknown fields (:class:`LenientRecord`
ignores them, for data written by Amazon or by older versions). Constraints are declared with
``Annotated[int, Meta(ge=0)]``; checks across fields live in ``__post_init__`` and raise
:class:`FieldError` (naming the field) or ``ValueError``. Building a record with keyword arguments
checks nothing but ``__post_init__``; :meth:`Record.model_validate` validates untrusted data and
raises :class:`~asa2render.errors.RecordError`, which names the key and what is allowed.

msgspec rather than pydantic: its Struct classes are created at C speed, so importing the models
costs a few milliseconds instead of a large share of a one-file render's start-up (issue 16).
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Self, get_args, get_origin

import msgspec

from .errors import RecordError
from .patterns import lazy

_MASK = "**********"


class SecretStr:
    """A secret string: its value is only ever given by :meth:`get_secret_value`, never shown.

    ``repr``, ``str`` and every error message show ``**********``; JSON encoding refuses it.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"SecretStr('{_MASK}')" if self._value else "SecretStr('')"

    def __str__(self) -> str:
        return _MASK if self._value else ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretStr) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __len__(self) -> int:
        return len(self._value)


class FieldError(ValueError):
    """Raised by a ``__post_init__`` check about one field, so the error names ``record.field``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class Record(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A frozen record that refuses unknown fields (configuration, user files)."""

    @classmethod
    def model_validate(cls, data: Any, *, strict: bool = False) -> Self:
        """Validate ``data`` (a mapping of builtins, records allowed inside) into a record.

        ``strict=False`` accepts what a text format may spell differently (``"10"`` for 10).

        Raises:
            RecordError: naming the key (``marketplaces.0.country``) and what is allowed.
        """
        try:
            return msgspec.convert(data, cls, strict=strict, dec_hook=_decode)
        except msgspec.ValidationError as exc:
            raise _record_error(cls, exc) from None

    @classmethod
    def model_fields(cls) -> tuple[str, ...]:
        """The field names, in declaration order."""
        return cls.__struct_fields__

    def model_dump(
        self,
        *,
        mode: Literal["python", "json"] = "python",
        exclude_none: bool = False,
        exclude_defaults: bool = False,
    ) -> dict[str, Any]:
        """The fields as a dict, nested records too (``mode="json"``: only JSON types, tuples as lists)."""
        if mode == "json" and not exclude_none and not exclude_defaults:
            # at C speed; through JSON text because to_builtins keeps tuples as tuples
            return msgspec.json.decode(msgspec.json.encode(self, enc_hook=_encode))  # type: ignore[no-any-return]
        return _dump(self, mode == "json", exclude_none, exclude_defaults)

    def model_dump_json(self) -> str:
        """Compact JSON of every field (Decimal as a string, datetimes in ISO 8601 with ``Z``)."""
        return msgspec.json.encode(self, enc_hook=_encode).decode()

    @staticmethod
    def json_bytes(value: Any) -> bytes:
        """Compact JSON of records (or lists and dicts of them) as UTF-8 bytes, as :meth:`model_dump_json`
        writes each one (for hashing: no text to decode and encode again)."""
        return msgspec.json.encode(value, enc_hook=_encode)

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Self:
        """A copy with some fields replaced (``__post_init__`` runs again; types are not re-checked)."""
        return msgspec.structs.replace(self, **update) if update else self


class LenientRecord(Record, frozen=True, kw_only=True, forbid_unknown_fields=False):
    """A record that ignores unknown fields: products and cache entries, read back across versions."""


def _decode(kind: type, value: Any) -> Any:
    # msgspec asks for the types it does not know itself, even for values already of that type.
    if isinstance(value, kind):
        return value
    if kind is SecretStr:
        if not isinstance(value, str):
            raise TypeError(f"Expected `str`, got `{type(value).__name__}`")
        return SecretStr(value)
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError


def _encode(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return str(value)  # masked, as in every other output
    if isinstance(value, Path):
        return str(value)
    raise NotImplementedError


_SCALARS = (str, int, float, bool, type(None))


def _dump(record: Record, json: bool, exclude_none: bool, exclude_defaults: bool) -> dict[str, Any]:
    defaults = _defaults(type(record)) if exclude_defaults else {}
    result: dict[str, Any] = {}
    for name in record.__struct_fields__:
        value = getattr(record, name)
        if exclude_none and value is None:
            continue
        if exclude_defaults and name in defaults and defaults[name] == value:
            continue
        result[name] = _value(value, json, exclude_none, exclude_defaults)
    return result


def _value(value: Any, json: bool, exclude_none: bool, exclude_defaults: bool) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, Record):
        return _dump(value, json, exclude_none, exclude_defaults)
    if isinstance(value, tuple | list):
        items = [_value(item, json, exclude_none, exclude_defaults) for item in value]
        return items if json or isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {key: _value(item, json, exclude_none, exclude_defaults) for key, item in value.items()}
    if not json:
        return value
    if isinstance(value, Decimal | datetime | date | time):
        return msgspec.to_builtins(value)
    return _encode(value)


def _defaults(cls: type[Record]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for field in msgspec.structs.fields(cls):
        if field.default is not msgspec.NODEFAULT:
            found[field.name] = field.default
        elif field.default_factory is not msgspec.NODEFAULT:  # compare with a fresh value
            found[field.name] = field.default_factory()
    return found


# msgspec: "Expected `int` >= 0 - at `$.site.cache_ttl`"; the path part is optional. Compiled when a
# record is first refused (compiling the five costs a start-up 2.4 M instructions).
_MESSAGE = lazy(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_PATH_PART = lazy(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")
_UNKNOWN = lazy(r"^Object contains unknown field `(?P<field>[^`]+)`$")
_MISSING = lazy(r"^Object missing required field `(?P<field>[^`]+)`$")
_BOUND = lazy(r"^Expected `(?P<type>[^`]+)` (?P<op>>=|<=|>|<) (?P<bound>\S+)$")
_OPS = {
    ">=": "greater than or equal to",
    "<=": "less than or equal to",
    ">": "greater than",
    "<": "less than",
}


def _record_error(cls: type[Record], exc: msgspec.ValidationError) -> RecordError:
    match = _MESSAGE().match(str(exc))
    assert match is not None  # the pattern matches any text
    message = match.group("message")
    # msgspec does not say which mapping key held the bad value ("[...]"): shown as "*".
    parts = _PATH_PART().findall(match.group("path") or "")
    loc = [(part[0] or part[1]).replace("...", "*") for part in parts]
    cause = exc.__cause__
    if isinstance(cause, FieldError):
        loc.append(cause.field)
    elif unknown := _UNKNOWN().match(message):
        loc.append(unknown.group("field"))
        message = "unknown key"
    elif missing := _MISSING().match(message):
        loc.append(missing.group("field"))
        message = "required key missing"
    elif bound := _BOUND().match(message):
        message = f"must be {_OPS[bound.group('op')]} {bound.group('bound')}"
    elif message.startswith("Invalid enum value"):
        allowed = _literal_values(cls, loc)
        if allowed:
            message += "; allowed: " + ", ".join(repr(value) for value in allowed)
    return RecordError(message, key=".".join(loc))


def _literal_values(cls: type[Record], loc: list[str]) -> tuple[Any, ...]:
    """The values a ``Literal`` field at ``loc`` allows (walking nested records and containers)."""
    kind: Any = cls
    for part in loc:
        kind = _unwrap(kind)
        if isinstance(kind, type) and issubclass(kind, Record):
            kind = typing.get_type_hints(kind, include_extras=True).get(part)
        else:
            items = [arg for arg in get_args(kind) if arg is not Ellipsis]  # tuple[X, ...], dict[str, X]
            kind = items[-1] if items else None
    kind = _unwrap(kind)
    return get_args(kind) if get_origin(kind) is Literal else ()


def _unwrap(kind: Any) -> Any:
    """``Annotated[X, …]`` → X; ``X | None`` → X."""
    while True:
        if get_origin(kind) is typing.Annotated:
            kind = get_args(kind)[0]
            continue
        args = [arg for arg in get_args(kind) if arg is not type(None)]
        if get_origin(kind) in (typing.Union, type(int | None)) and len(args) == 1:
            kind = args[0]
            continue
        return kind


__all__ = ["FieldError", "LenientRecord", "Record", "SecretStr"]
