"""The two APIs' key spellings: PA-API 5.0 writes ``PascalCase``, the Creators API ``camelCase``.

Most keys differ only in their first letter; the acronyms do not (``ASIN`` ↔ ``asin``). This table
is the one place that knows them: the client reads PA-API answers through :func:`camel_keys`, the
sandbox writes PA-API answers through :func:`pascal_keys`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# PascalCase keys whose camelCase twin is not just "first letter lower-cased", and back.
ACRONYM_KEYS: dict[str, str] = {
    "ASIN": "asin",
    "URL": "url",
    "DetailPageURL": "detailPageURL",
    "ParentASIN": "parentASIN",
    "ViolatesMAP": "violatesMAP",
    "SearchURL": "searchURL",
}
_PASCAL_OF = {camel: pascal for pascal, camel in ACRONYM_KEYS.items()}


def camel_key(key: str) -> str:
    """``ItemInfo`` → ``itemInfo``, ``ASIN`` → ``asin``; camelCase and ``_private`` keys unchanged."""
    if key in ACRONYM_KEYS:
        return ACRONYM_KEYS[key]
    if key.startswith("_") or not key[:1].isupper():
        return key
    return key[0].lower() + key[1:]


def pascal_key(key: str) -> str:
    """``itemInfo`` → ``ItemInfo``, ``asin`` → ``ASIN``."""
    return _PASCAL_OF.get(key) or key[:1].upper() + key[1:]


def camel_keys(node: Any) -> Any:
    """A PA-API (PascalCase) tree with every key renamed to its Creators (camelCase) twin."""
    if isinstance(node, Mapping):
        return {camel_key(str(key)): camel_keys(value) for key, value in node.items()}
    if isinstance(node, list):
        return [camel_keys(value) for value in node]
    return node


def pascal_keys(node: Any, *, drop: frozenset[str] = frozenset()) -> Any:
    """A Creators (camelCase) tree with PA-API's PascalCase keys; keys in ``drop`` are left out."""
    if isinstance(node, Mapping):
        return {
            pascal_key(key): pascal_keys(child, drop=drop) for key, child in node.items() if key not in drop
        }
    if isinstance(node, list):
        return [pascal_keys(child, drop=drop) for child in node]
    return node


def camel_path(pascal: str) -> str:
    """A dotted resource name: ``OffersV2.Listings.Price`` → ``offersV2.listings.price``."""
    return ".".join(camel_key(part) for part in pascal.split("."))


__all__ = ["ACRONYM_KEYS", "camel_key", "camel_keys", "camel_path", "pascal_key", "pascal_keys"]
