"""CSV/JSON rows ↔ products.toml entries: validation, ASA2 columns, list fields and line numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from asa2render.products.local import LocalProduct
from asa2render.products.transfer import COLUMNS, csv_text, export_rows, read_csv, read_json, validate_row


def test_a_row_becomes_a_typed_entry() -> None:
    entry = validate_row(
        {
            "asin": " b0csv00001 ",
            "title": "Grinder",
            "price": Decimal("49.99"),
            "features": "a| b ||c",
            "rating": "4.5",
        },
        "de",
    )
    assert entry == {
        "asin": "B0CSV00001",
        "title": "Grinder",
        "price": Decimal("49.99"),
        "features": ("a", "b", "c"),
        "rating": 4.5,
    }


def test_without_a_country_or_a_default_the_row_is_bad() -> None:
    assert validate_row({"asin": "B0CSV00001", "title": "x"}, None) == (
        "country",
        "empty, and no default marketplace to assume",
    )


def test_shop_rows_take_any_https_url_and_their_own_ids() -> None:
    entry = validate_row(
        {"shop": "Mine", "asin": "beans-1", "title": "Beans", "url": "https://shop.example/b"}, "de"
    )
    assert isinstance(entry, dict) and entry["asin"] == "beans-1" and entry["shop"] == "Mine"
    bad = validate_row(
        {"shop": "Mine", "asin": "beans 1", "title": "Beans", "url": "http://shop.example/b"}, "de"
    )
    assert bad[0] == "asin"  # type: ignore[index]


def test_line_numbers_follow_quoted_cells_over_several_lines(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text('asin,title,review\nB0CSV00001,A,"one\ntwo\nthree"\n\nB0CSV00002,,x\n', encoding="utf-8")
    plan = read_csv(path, "de")
    assert [line for line, _ in plan.entries] == [2]
    assert [(e.line, e.column) for e in plan.errors] == [(6, "title")]
    assert str(plan.errors[0]) == f"{path}:6: title: missing"


def test_a_short_row_is_fine_a_long_row_is_not(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("asin,title\nB0CSV00001\nB0CSV00002,B,extra\n", encoding="utf-8")
    plan = read_csv(path, "de")
    assert plan.errors[0].message == "title: missing" or plan.errors[0].column == "title"
    assert "3 cells but the header has 2 columns" in plan.errors[1].message


def test_a_file_without_known_columns_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    plan = read_csv(path, "de")
    assert [e.line for e in plan.errors] == [1] and plan.ignored == ["foo", "bar"]


def test_byte_order_mark_and_asa2_names(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "\ufeffASIN,Title,DetailPageURL,Features\nB0CSV00001,A,https://www.amazon.de/dp/B0CSV00001,x|y\n",
        encoding="utf-8",
    )
    plan = read_csv(path, "de")
    assert plan.entries[0][1]["url"] == "https://www.amazon.de/dp/B0CSV00001"
    assert plan.mapped == {"DetailPageURL": "url"}  # ASIN, Title, Features are our own names in another case


def test_json_entries_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(
        '{"products": [{"asin": "B0CSV00001", "title": "A", "colour": "red"}, 3]}', encoding="utf-8"
    )
    plan = read_json(path, "de")
    assert [line for line, _ in plan.entries] == [1] and plan.ignored == ["colour"]
    assert [(e.line, e.message) for e in plan.errors] == [(2, "not an object")]


def test_export_rows_use_the_fixed_columns() -> None:
    item = LocalProduct.model_validate({"asin": "B0CSV00001", "title": "A", "tags": ["x", "y"], "rating": 4})
    header, rows = export_rows([(item, "de")])
    assert header == list(COLUMNS)
    assert csv_text(header, rows).splitlines()[1] == "B0CSV00001,de,A,,,,,,IN_STOCK,,,,x|y,4.0,,,"


def test_semicolon_separated_files_from_spreadsheets(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text('asin;title;price\nB0CSV00001;"Grinder; black";49,99\n', encoding="utf-8")
    plan = read_csv(path, "de")
    assert plan.entries[0][1]["title"] == "Grinder; black" and plan.entries[0][1]["price"] == Decimal("49.99")


def test_a_file_that_is_not_utf8_is_one_clear_error(tmp_path: Path) -> None:
    from asa2render.products.transfer import read_file

    path = tmp_path / "in.csv"
    path.write_bytes("asin,title\nB0CSV00001,Kaffeemühle\n".encode("latin-1"))
    plan = read_file(path, "de")
    assert not plan.entries and plan.errors[0].line == 2 and "not UTF-8" in plan.errors[0].message
