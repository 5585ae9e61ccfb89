"""Money as each store writes it, from Babel's CLDR data (never hand-written formats)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from asa2render import money
from asa2render.marketplaces import store_for
from asa2render.money import babel_locale, format_money, format_store_money, minor_units, quantize
from asa2render.render import box_store


@pytest.mark.parametrize(
    ("country", "amount", "expected"),
    [
        ("de", Decimal("1234.5"), "1.234,50\u00a0€"),
        ("us", 1234.5, "$1,234.50"),
        ("jp", 1980, "￥1,980"),
        ("uk", 9.99, "£9.99"),
        ("fr", 39.9, "39,90\u00a0€"),
        ("in", 499, "₹499.00"),
    ],
)
def test_store_money(country: str, amount: Decimal | float, expected: str) -> None:
    assert format_store_money(amount, store_for(country)) == expected


def test_currency_precision_and_unknown_locale() -> None:
    assert quantize(1980.4, "JPY") == Decimal("1980") and quantize(9.995, "EUR") == Decimal("10.00")
    assert str(babel_locale("xx-not-a-locale")) == "en_US"
    assert format_money(5, "EUR", "de-DE") == "5,00\u00a0€"


def test_minor_units_follow_the_currency() -> None:
    assert minor_units(Decimal("47.67"), "EUR") == 4767
    assert minor_units(Decimal("47.675"), "USD") == 4768  # rounded half up, as Amazon counts cents
    assert minor_units(Decimal("1980"), "JPY") == 1980
    assert minor_units(Decimal("12.345"), "KWD") == 12345  # three decimals


@pytest.fixture
def kept_prices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Prices kept in a folder of this test; no prices in memory before or after."""
    monkeypatch.setenv(box_store.ENVIRONMENT, "on")
    monkeypatch.setattr(box_store, "private_folder", lambda: str(tmp_path))
    money._prices.cache_clear()
    yield tmp_path
    money._prices.cache_clear()


def test_a_written_price_is_kept_for_later_processes(kept_prices: Path) -> None:
    assert format_money(Decimal("49.99"), "EUR", "de_DE") == "49,99\u00a0€"
    money._prices().save()  # what the process does at exit
    [kept] = kept_prices.glob("__asa2render-prices-*.json")
    assert json.loads(kept.read_text(encoding="utf-8")) == {"49.99|EUR|de_DE": "49,99\u00a0€"}
    # A later process reads the text instead of asking Babel: poison the file to see it was read.
    kept.write_text(json.dumps({"49.99|EUR|de_DE": "kept"}), encoding="utf-8")
    money._prices.cache_clear()
    assert format_money(Decimal("49.99"), "EUR", "de_DE") == "kept"
    assert format_money(49.99, "EUR", "de_DE") == "kept"  # read through str() like quantize()
    assert format_money(Decimal("49.99"), "EUR", "fr_FR") == "49,99\u00a0€"


def test_no_price_is_kept_when_kept_output_is_off(kept_prices: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(box_store.ENVIRONMENT, "off")
    (kept_prices / "__asa2render-prices-poison.json").write_text(
        '{"49.99|EUR|de_DE": "kept"}', encoding="utf-8"
    )
    assert format_money(Decimal("49.99"), "EUR", "de_DE") == "49,99\u00a0€"
    money._prices().save()
    assert [p.name for p in kept_prices.iterdir()] == ["__asa2render-prices-poison.json"]
