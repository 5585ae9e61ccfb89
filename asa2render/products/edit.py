"""Style-preserving, atomic edits of ``products.toml`` (``products import`` and ``products add``).

The products file is the user's own: edits go through ``tomlkit`` so comments and the order of
entries survive. An entry is identified by its store and id; replacing it keeps the keys the new data
does not speak about (e.g. ``origin`` or ``categories`` when ``products add --refresh`` updates the
API fields). The whole file is written to a temporary file and renamed over the original, so an
interrupted command leaves either the old file or the new one, never half of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table
from tomlkit.toml_document import TOMLDocument

from ..errors import ConfigError
from ..files import atomic_write
from ..marketplaces import normalize_country
from .asins import normalize_asin


class ProductsDocument:
    """An open ``products.toml``: find, insert and replace ``[[products]]`` entries, then save."""

    def __init__(self, path: Path, document: TOMLDocument, default_country: str | None) -> None:
        self.path = path
        self.document = document
        self.default_country = default_country

    @classmethod
    def open(cls, path: Path, default_country: str | None) -> ProductsDocument:
        """Open the file, or start an empty document when it does not exist yet."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = ""
        except OSError as exc:
            raise ConfigError(f"cannot read products file: {exc.strerror}", path=str(path)) from None
        try:
            document = tomlkit.parse(text)
        except tomlkit.exceptions.ParseError as exc:
            raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None
        return cls(path, document, default_country)

    def entries(self) -> AoT:
        products = self.document.get("products")
        if products is None:
            products = tomlkit.aot()
            self.document.append("products", products)
        if not isinstance(products, AoT):
            raise ConfigError("products must be an array of tables ([[products]])", path=str(self.path))
        return products

    def key_of(self, entry: Mapping[str, Any]) -> tuple[str | None, str]:
        """(store, id) of an entry as the loader would read it."""
        country = normalize_country(str(entry.get("country") or "")) or self.default_country
        raw = str(entry.get("asin", ""))
        asin = raw if entry.get("shop") is not None else (normalize_asin(raw) or raw)
        return country, asin

    def find(self, key: tuple[str | None, str]) -> Table | None:
        return next((entry for entry in self.entries() if self.key_of(entry) == key), None)

    def upsert(self, values: Mapping[str, Any], *, replace: Iterable[str]) -> bool:
        """Insert an entry, or update the one with the same key; returns True when it was new.

        Keys in ``replace`` that ``values`` lacks are removed from an existing entry (an empty CSV cell
        clears the field); other keys of the entry are kept.
        """
        existing = self.find(self.key_of(values))
        if existing is None:
            table = tomlkit.table()
            for name, value in values.items():
                table[name] = toml_value(value)
            table.add(tomlkit.nl())  # a blank line between entries, as people write them
            self.entries().append(table)
            return True
        for name in replace:
            if name not in values and name in existing:
                del existing[name]
        for name, value in values.items():
            existing[name] = toml_value(value)
        return False

    def save(self) -> None:
        atomic_write(self.path, tomlkit.dumps(self.document), create_parents=True)


def toml_value(value: Any) -> Any:
    """Decimals as strings (exact, as the loader reads them); tuples as arrays; the rest as is."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        array = tomlkit.array()
        array.extend(value)
        if len(value) > 3:
            array.multiline(True)
        return array
    if isinstance(value, str) and "\n" in value:
        return tomlkit.string(value, multiline=True)
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    return value


__all__ = ["ProductsDocument", "toml_value"]
