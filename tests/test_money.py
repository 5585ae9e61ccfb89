"""Money as each store writes it, from Babel's CLDR data (never hand-written formats)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from asa2render.marketplaces import store_for
from asa2render.money import babel_locale, format_money, format_store_money, minor_units, quantize


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
