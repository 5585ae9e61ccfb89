"""``asa2render products import|export|add`` on real files, and ``add`` against the sandbox."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from asa2_fakes import SANDBOX_DE_MARKETPLACE
from click.testing import CliRunner, Result

from asa2render.cli.app import cli
from asa2render.products.transfer import COLUMNS
from asa2render.sandbox import Sandbox, SandboxOptions

CONFIG = (
    """
[site]
cache_dir = "cache"
products = "products.toml"

"""
    + SANDBOX_DE_MARKETPLACE
    + """"""
)
HEADER = ",".join(COLUMNS)
GOOD_AND_BAD = f"""{HEADER}
B0CSV00001,de,Grinder,,https://m.media-amazon.com/images/I/a.jpg,"49,99",EUR,59.99,IN_STOCK,Acme,fast|quiet,kitchen|coffee,grinder,4.5,12,"Great **grinder**
on two lines",2026-11-20T10:00:00Z
not-an-asin,de,Broken,,,,,,,,,,,,,,
B0CSV00002,xx,Wrong country,,,,,,,,,,,,,,
B0CSV00003,de,,,,,,,,,,,,,,,
B0CSV00004,de,Too many stars,,,10,,,,,,,,7,,,
B0CSV00005,,Default store,,,5,,,out_of_stock,,,,,,,,
B0CSV00006,de,Evil link,javascript:alert(1),,,,,,,,,,,,,
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "products.toml").write_text(
        '# my own products\n[[products]]\nasin = "B0KEEP0001"\ntitle = "Kept"\ncategories = ["mine"]\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_import_reports_bad_rows_by_line_and_imports_the_good_ones(site: Path) -> None:
    (site / "in.csv").write_text(GOOD_AND_BAD, encoding="utf-8")
    result = _run("products", "import", "in.csv")
    assert result.exit_code == 0, result.output
    assert "in.csv:4: asin: invalid ASIN 'not-an-asin'" in result.stderr  # the quoted review spans lines 2-3
    assert "in.csv:5: country: unknown country 'xx'" in result.stderr
    assert "in.csv:6: title: missing" in result.stderr
    assert "in.csv:7: rating:" in result.stderr
    assert "in.csv:9: url: url must be an https:// Amazon link" in result.stderr
    assert "imported 2 product(s)" in result.stdout and "5 bad row(s) skipped" in result.stdout
    stored = (site / "products.toml").read_text(encoding="utf-8")
    assert stored.startswith("# my own products\n")  # comments and existing entries survive
    assert 'price = "49.99"' in stored and 'availability = "OUT_OF_STOCK"' in stored
    assert 'review = """Great **grinder**\non two lines"""' in stored


def test_strict_import_writes_nothing(site: Path) -> None:
    (site / "in.csv").write_text(GOOD_AND_BAD, encoding="utf-8")
    before = (site / "products.toml").read_bytes()
    result = _run("products", "import", "--strict", "in.csv")
    assert result.exit_code == 1
    assert "nothing imported" in result.stderr
    assert (site / "products.toml").read_bytes() == before


def test_an_import_that_would_break_the_store_writes_nothing(site: Path) -> None:
    # Valid as a row, but the stored entry it updates is a shop product: the merged entry is invalid.
    (site / "products.toml").write_text(
        '[[products]]\nshop = "Mine"\nasin = "B0SHOP0001"\ntitle = "x"\nurl = "https://shop.example/x"\n',
        encoding="utf-8",
    )
    before = (site / "products.toml").read_bytes()
    (site / "in.csv").write_text(f"{HEADER}\nB0SHOP0001,de,Now on Amazon,,,,,,,,,,,,,,\n", encoding="utf-8")
    result = _run("products", "import", "in.csv")
    assert result.exit_code == 1 and "products[0]" in result.stderr
    assert (site / "products.toml").read_bytes() == before
    assert not list(site.glob(".products.toml.*"))  # no temporary file left behind


def test_asa2_export_columns_are_mapped_and_the_rest_listed(site: Path) -> None:
    (site / "asa2.csv").write_text(
        "ID,post_title,ASIN,country_code,OffersAutoPriceAmount,post_content,asa2_repo_category,post_status\n"
        "17,Espresso machine,B0ASA20001,de,199.00,Own review,kitchen,publish\n",
        encoding="utf-8",
    )
    result = _run("products", "import", "asa2.csv")
    assert result.exit_code == 0, result.output
    assert "reading ASA2 column 'post_title' as title" in result.stderr
    assert "ignored columns: ID, post_status" in result.stderr
    exported = _csv_rows(_run("products", "export").stdout)
    row = next(r for r in exported if r["asin"] == "B0ASA20001")
    assert (row["title"], row["price"], row["review"], row["categories"]) == (
        "Espresso machine",
        "199.00",
        "Own review",
        "kitchen",
    )


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_round_trips(site: Path, fmt: str) -> None:
    (site / "in.csv").write_text(GOOD_AND_BAD, encoding="utf-8")
    assert _run("products", "import", "in.csv").exit_code == 0
    first = _run("products", "export", "--format", fmt, "-o", f"out.{fmt}")
    assert first.exit_code == 0, first.output
    (site / "products.toml").unlink()
    assert _run("products", "import", f"out.{fmt}").exit_code == 0
    again = _run("products", "export", "--format", fmt)
    assert again.stdout == (site / f"out.{fmt}").read_text(encoding="utf-8")
    if fmt == "csv":
        assert again.stdout.splitlines()[0] == HEADER  # exactly the fixed columns: no shop/origin used
    else:
        assert [p["asin"] for p in json.loads(again.stdout)["products"]] == [
            "B0KEEP0001",
            "B0CSV00001",
            "B0CSV00005",
        ]


def test_without_a_configured_store_products_toml_is_used_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "asa2render.toml").write_text(
        CONFIG.replace('products = "products.toml"\n', ""), encoding="utf-8"
    )
    (tmp_path / "in.csv").write_text(f"{HEADER}\nB0CSV00001,de,A,,,,,,,,,,,,,,\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = _run("products", "import", "in.csv")
    assert result.exit_code == 0 and 'add products = "products.toml" to [site]' in result.stderr
    assert 'asin = "B0CSV00001"' in (tmp_path / "products.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions()) as running:
        yield running


def test_add_fetches_once_and_refresh_keeps_the_users_fields(site: Path, sandbox: Sandbox) -> None:
    result = _run("products", "add", "b0demo0001", "--sandbox", sandbox.url)
    assert result.exit_code == 0, result.output
    assert 'added de:B0DEMO0001 "Moltano' in result.stdout
    stored = (site / "products.toml").read_text(encoding="utf-8")
    assert 'origin = "api"' in stored and 'price = "84.99"' in stored
    again = _run("products", "add", "B0DEMO0001", "--sandbox", sandbox.url)
    assert "already in" in again.stdout and "--refresh" in again.stdout
    (site / "products.toml").write_text(stored + 'tags = ["grinder"]\n', encoding="utf-8")
    refreshed = _run("products", "add", "B0DEMO0001", "--refresh", "--sandbox", sandbox.url)
    assert refreshed.exit_code == 0 and "updated de:B0DEMO0001" in refreshed.stdout
    after = (site / "products.toml").read_text(encoding="utf-8")
    assert 'tags = ["grinder"]' in after and after.count("B0DEMO0001") >= 1
    assert after.count('asin = "B0DEMO0001"') == 1


def test_add_of_another_store_and_of_a_bad_asin(site: Path, sandbox: Sandbox) -> None:
    other = _run("products", "add", "B0DEMO0002", "--country", "uk", "--sandbox", sandbox.url)
    assert other.exit_code == 1 and "no API route" in other.stderr  # uk is not configured
    gone = _run("products", "add", "B0BAD00001", "--sandbox", sandbox.url)
    assert gone.exit_code == 1 and "de:B0BAD00001" in gone.stderr
    typo = _run("products", "add", "nope")
    assert typo.exit_code == 2 and "invalid ASIN" in typo.stderr
    assert "B0BAD00001" not in (site / "products.toml").read_text(encoding="utf-8")


def test_refresh_without_paths_includes_stored_api_products(site: Path, sandbox: Sandbox) -> None:
    assert _run("products", "add", "B0DEMO0005", "--sandbox", sandbox.url).exit_code == 0
    assert _run("cache", "clear").exit_code == 0  # only the stored entry knows the product now
    result = _run("refresh", "--sandbox", sandbox.url)
    assert result.exit_code == 0, result.output
    assert "de:B0DEMO0005: new in cache" in result.stdout
