"""Money written the way each store writes it, by Babel's CLDR data.

``1.234,50 €`` in de, ``$1,234.50`` in us, ``￥1,980`` in jp.

Local products and the sandbox share this, so a German page shows one price style whether a product
came from the API, from ``products.toml`` or from the sandbox.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision

from .marketplaces import Store


@lru_cache(maxsize=64)
def babel_locale(tag: str) -> Locale:
    """A Babel locale for ``de_DE``, ``de-DE`` or ``de``; English when Babel does not know it."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_US")


def quantize(amount: Decimal | float | int, currency: str) -> Decimal:
    """The amount as the currency counts it: whole yen, cents for euros and dollars."""
    digits = get_currency_precision(currency)
    step = Decimal(1).scaleb(-digits)
    return Decimal(str(amount)).quantize(step, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | float | int, currency: str, locale: str) -> str:
    """``amount`` in ``currency`` as written in ``locale`` (a store's language such as ``de_DE``)."""
    return str(format_currency(quantize(amount, currency), currency, locale=babel_locale(locale)))


def minor_units(amount: Decimal, currency: str) -> int:
    """The amount in the currency's smallest unit: 47.67 EUR → 4767, 1980 JPY → 1980."""
    return int(quantize(amount, currency).scaleb(get_currency_precision(currency)))


def format_store_money(amount: Decimal | float | int, store: Store, currency: str | None = None) -> str:
    """An amount written the way ``store`` writes it (in the store's currency unless given)."""
    return format_money(amount, currency or store.currency, store.language)


__all__ = ["babel_locale", "format_money", "format_store_money", "minor_units", "quantize"]
