"""products.toml edits keep the user's comments and the keys a row does not speak about."""

from __future__ import annotations

from pathlib import Path

from asa2render.products.edit import ProductsDocument


def test_upsert_replaces_by_store_and_asin_and_keeps_other_keys(tmp_path: Path) -> None:
    path = tmp_path / "products.toml"
    path.write_text(
        '# mine\n[[products]]\nasin = "b0edit0001"\ntitle = "Old"\nbrand = "X"\norigin = "api"\n',
        encoding="utf-8",
    )
    document = ProductsDocument.open(path, "de")
    assert (
        document.upsert({"asin": "B0EDIT0001", "country": "de", "title": "New"}, replace=("title", "brand"))
        is False
    )
    assert document.upsert({"asin": "B0EDIT0002", "title": "Added", "price": "1.50"}, replace=()) is True
    document.save()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# mine\n")
    assert 'title = "New"' in text and "brand" not in text and 'origin = "api"' in text
    assert 'asin = "B0EDIT0002"' in text and 'price = "1.50"' in text


def test_a_missing_file_starts_empty(tmp_path: Path) -> None:
    document = ProductsDocument.open(tmp_path / "new" / "products.toml", None)
    document.upsert({"asin": "B0EDIT0001", "country": "us", "title": "A"}, replace=())
    document.save()
    assert "[[products]]" in (tmp_path / "new" / "products.toml").read_text(encoding="utf-8")
