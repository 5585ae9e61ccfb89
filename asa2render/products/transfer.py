"""CSV and JSON in and out of the product store (``asa2render products import`` / ``export``).

The CSV has a header row and these fixed columns, in any order, each optional or empty::

    asin, country, title, url, image, price, currency, list_price, availability, brand, features,
    categories, tags, rating, reviews, review, updated

List fields (``features``, ``categories``, ``tags``) are separated by ``|``; cells by ``,`` (or ``;`` or
a tab, when the header row uses those). Two more columns are
written only when a product needs them and read when present: ``shop`` and ``origin``. Columns of
ASA2's own product export are accepted where their meaning is known (``ASIN``, ``Title``,
``DetailPageURL``, ``LargeImageUrl``, ``OffersAutoPriceAmount``, ``post_content`` …); every other
column is ignored and listed. A bad row is reported with its line number and skipped; good rows are
imported.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RecordError
from ..marketplaces import normalize_country
from .local import LocalProduct

COLUMNS = (
    "asin",
    "country",
    "title",
    "url",
    "image",
    "price",
    "currency",
    "list_price",
    "availability",
    "brand",
    "features",
    "categories",
    "tags",
    "rating",
    "reviews",
    "review",
    "updated",
)
EXTRA_COLUMNS = ("shop", "origin")
LIST_FIELDS = frozenset({"features", "categories", "tags"})
LIST_SEPARATOR = "|"
# The fields a CSV row speaks about: importing a row over an existing entry clears those it leaves empty.
ROW_FIELDS = (*COLUMNS, *EXTRA_COLUMNS)

# ASA2's product export (a WordPress post type with meta fields, and its placeholder names).
ASA2_COLUMNS: dict[str, str] = {
    "asa2_internal_asin": "asin",
    "itemid": "asin",
    "country_code": "country",
    "countrycode": "country",
    "post_title": "title",
    "detailpageurl": "url",
    "largeimageurl": "image",
    "mediumimageurl": "image",
    "smallimageurl": "image",
    "image_url": "image",
    "offersautopriceamount": "price",
    "offersmainpriceamount": "price",
    "offersautopricecurrencycode": "currency",
    "currencycode": "currency",
    "listpriceamount": "list_price",
    "availabilitytype": "availability",
    "post_content": "review",
    "customerreviewsaveragerating": "rating",
    "customerreviewstotalreviews": "reviews",
    "category": "categories",
    "asa2_repo_category": "categories",
    "tag": "tags",
    "asa2_repo_tag": "tags",
    "post_modified": "updated",
    "post_modified_gmt": "updated",
    "lastupdate": "updated",
}
_DECIMAL_COMMA = re.compile(r"^\s*(\d+),(\d{1,2})\s*$")


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad row: where it is and what is wrong with it."""

    path: str
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass
class ImportPlan:
    """What a file holds: validated entries (with their line), bad rows, and the columns not used."""

    entries: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    mapped: dict[str, str] = field(default_factory=dict)  # an ASA2 column → our field
    columns: set[str] = field(default_factory=set)  # the fields the file speaks about


def read_file(path: Path, default_country: str | None) -> ImportPlan:
    """Read ``.json`` (as written by ``products export --format json``) or CSV (anything else)."""
    try:
        if path.suffix.lower() == ".json":
            return read_json(path, default_country)
        return read_csv(path, default_country)
    except UnicodeDecodeError:
        message = "not UTF-8 text; save the file as UTF-8 (CSV UTF-8 in spreadsheet programs)"
        return ImportPlan(errors=[RowError(str(path), _first_bad_line(path), None, message)])
    except (OSError, csv.Error) as exc:
        return ImportPlan(errors=[RowError(str(path), 1, None, str(exc))])


def _first_bad_line(path: Path) -> int:
    """The line of the first byte that is not UTF-8 (the decoder's own position is per chunk)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data[: exc.start].count(b"\n") + 1
    return 1


def read_csv(path: Path, default_country: str | None) -> ImportPlan:
    """Validate every row of a CSV file; bad rows become errors with their line number."""
    plan = ImportPlan()
    # utf-8-sig: spreadsheet programs start their CSV files with a byte-order mark.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=_delimiter(handle))
        header = next(reader, None)
        if header is None:
            plan.errors.append(RowError(str(path), 1, None, "empty file: a header row is expected"))
            return plan
        fields = _map_header(header, plan)
        plan.columns = set(fields.values())
        if not {"asin", "title"} & set(fields.values()):
            plan.errors.append(
                RowError(str(path), 1, None, f"no known column; expected: {', '.join(COLUMNS)}")
            )
            return plan
        for line, cells in _rows(reader):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                message = f"{len(cells)} cells but the header has {len(header)} columns"
                plan.errors.append(RowError(str(path), line, None, message))
                continue
            values = {name: cells[index] for index, name in fields.items() if index < len(cells)}
            _add(plan, str(path), line, values, default_country)
    return plan


def _delimiter(handle: Any) -> str:
    """``,`` unless the header row has more ``;`` or tabs (spreadsheets in many locales write those)."""
    header = handle.readline()
    handle.seek(0)
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Rows with the line they start on (a quoted cell may span lines)."""
    start = reader.line_num + 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _map_header(header: list[str], plan: ImportPlan) -> dict[int, str]:
    """Column index → field name; unknown columns are recorded as ignored, the first of a field wins."""
    fields: dict[int, str] = {}
    for index, raw in enumerate(header):
        name = raw.strip()
        lower = name.lower()
        target = lower if lower in ROW_FIELDS else ASA2_COLUMNS.get(lower)
        if target is None or target in fields.values():
            plan.ignored.append(name or f"(column {index + 1})")
            continue
        if lower != target:
            plan.mapped[name] = target
        fields[index] = target
    return fields


def read_json(path: Path, default_country: str | None) -> ImportPlan:
    """``{"products": [{…}, …]}`` or a bare list; the "line" of an entry is its position (1-based)."""
    plan = ImportPlan()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        plan.errors.append(RowError(str(path), 1, None, f"invalid JSON: {exc}"))
        return plan
    items = data.get("products") if isinstance(data, dict) else data
    if not isinstance(items, list):
        plan.errors.append(RowError(str(path), 1, None, 'expected {"products": [...]}'))
        return plan
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            plan.errors.append(RowError(str(path), position, None, "not an object"))
            continue
        unknown = sorted(set(item) - set(ROW_FIELDS))
        plan.ignored.extend(name for name in unknown if name not in plan.ignored)
        cells = {k: v for k, v in item.items() if k in ROW_FIELDS}
        plan.columns |= set(cells)
        _add(plan, str(path), position, cells, default_country)
    return plan


def _add(plan: ImportPlan, path: str, line: int, raw: Mapping[str, Any], default_country: str | None) -> None:
    entry = validate_row(raw, default_country)
    if isinstance(entry, tuple):
        plan.errors.append(RowError(path, line, *entry))
    else:
        plan.entries.append((line, entry))


def validate_row(
    raw: Mapping[str, Any], default_country: str | None
) -> dict[str, Any] | tuple[str | None, str]:
    """The ``[[products]]`` entry for one row, or ``(column, message)`` explaining why it is bad."""
    data: dict[str, Any] = {}
    for name, value in raw.items():
        cleaned = _cell(name, value)
        if cleaned is not None:
            data[name] = cleaned
    if "asin" not in data:
        return "asin", "missing"
    if "title" not in data:
        return "title", "missing"
    try:
        item = LocalProduct.model_validate(data)
    except RecordError as exc:
        return exc.key or None, exc.reason
    if item.country is None and default_country is None:
        return "country", "empty, and no default marketplace to assume"
    return entry_of(item)


def _cell(name: str, value: Any) -> Any:
    """A CSV/JSON cell as the model reads it; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()] or None
    text = str(value).strip()
    if not text:
        return None
    if name in LIST_FIELDS:
        return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()] or None
    if name in {"price", "list_price", "rating"}:
        match = _DECIMAL_COMMA.match(text)
        return f"{match.group(1)}.{match.group(2)}" if match else text
    return text


def entry_of(item: LocalProduct) -> dict[str, Any]:
    """A validated product as a ``[[products]]`` entry: only the fields that are set, in column order."""
    values = item.model_dump(exclude_none=True, exclude_defaults=True)
    values["asin"] = item.asin
    values["title"] = item.title
    if item.availability != "IN_STOCK":
        values["availability"] = item.availability
    order = {name: index for index, name in enumerate((*ROW_FIELDS,))}
    return {k: values[k] for k in sorted(values, key=lambda k: order.get(k, len(order)))}


def export_rows(items: Iterable[tuple[LocalProduct, str]]) -> tuple[list[str], list[dict[str, str]]]:
    """CSV header and rows for (entry, store) pairs; ``shop``/``origin`` columns only when used."""
    rows: list[dict[str, str]] = []
    extras: set[str] = set()
    for item, country in items:
        row = {name: _text(getattr(item, name)) for name in COLUMNS}
        row["country"] = country
        row["availability"] = item.availability
        if item.shop is not None:
            row["shop"] = item.shop
            extras.add("shop")
        if item.origin != "manual":
            row["origin"] = item.origin
            extras.add("origin")
        rows.append(row)
    header = [*COLUMNS, *(name for name in EXTRA_COLUMNS if name in extras)]
    return header, rows


def export_json(items: Iterable[tuple[LocalProduct, str]]) -> dict[str, Any]:
    """``{"products": [...]}`` with the same fields as the CSV, lists as lists."""
    products = []
    for item, country in items:
        entry = item.model_dump(mode="json", exclude_none=True)
        entry["country"] = country
        if not entry.get("shop"):
            entry.pop("shop", None)
        if entry.get("origin") == "manual":
            entry.pop("origin")
        products.append({k: entry[k] for k in ROW_FIELDS if k in entry and entry[k] not in ((), [])})
    return {"products": products}


def csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def country_of(item: LocalProduct, default_country: str | None) -> str | None:
    return item.country or (normalize_country(default_country) if default_country else None)


__all__ = [
    "ASA2_COLUMNS",
    "COLUMNS",
    "EXTRA_COLUMNS",
    "ImportPlan",
    "RowError",
    "country_of",
    "csv_text",
    "entry_of",
    "export_json",
    "export_rows",
    "read_csv",
    "read_file",
    "read_json",
    "validate_row",
]
