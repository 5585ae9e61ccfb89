"""Money written the way each store writes it, by Babel's CLDR data.

``1.234,50 €`` in de, ``$1,234.50`` in us, ``￥1,980`` in jp.

Local products and the sandbox share this, so a German page shows one price style whether a product
came from the API, from ``products.toml`` or from the sandbox.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from .marketplaces import Store

if TYPE_CHECKING:
    from babel import Locale

# Written prices kept between processes (see _prices): at most this many, the rest of a run's only.
MAX_PRICES = 50_000
_PRICES_PREFIX = "__asa2render-prices-"


@lru_cache(maxsize=64)
def babel_locale(tag: str) -> Locale:
    """A Babel locale for ``de_DE``, ``de-DE`` or ``de``; English when Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_US")


def quantize(amount: Decimal | float | int, currency: str) -> Decimal:
    """The amount as the currency counts it: whole yen, cents for euros and dollars."""
    from babel.numbers import get_currency_precision

    digits = get_currency_precision(currency)
    step = Decimal(1).scaleb(-digits)
    return Decimal(str(amount)).quantize(step, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | float | int, currency: str, locale: str) -> str:
    """``amount`` in ``currency`` as written in ``locale`` (a store's language such as ``de_DE``)."""
    prices = _prices()
    key = f"{amount}|{currency}|{locale}"  # quantize() reads the amount through str() too
    written = prices.written.get(key)
    if written is None:
        from babel.numbers import format_currency

        written = str(format_currency(quantize(amount, currency), currency, locale=babel_locale(locale)))
        prices.add(key, written)
    return written


class _Prices:
    """Prices written in earlier processes, by amount, currency and locale.

    Every local product's price is written when ``products.toml`` is read, and the first price costs
    Babel's CLDR data (about 40 ms of a one-file render whose box is kept and needs no other Babel
    data). The file sits beside the kept boxes (box_store.py: Jinja's private per-user folder, never
    the shared product cache) and its name carries our and Babel's versions, which decide the text.
    """

    def __init__(self) -> None:
        from .render import box_store  # the private folder and the switch of kept output

        self.written: dict[str, str] = {}
        self.path: str | None = None
        self._added = False
        if not box_store.enabled():
            return
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            from . import __version__

            name = f"{_PRICES_PREFIX}{__version__}-{box_store.installed_version('babel')}.json"
            self.path = os.path.join(box_store.private_folder(), name)
            with open(self.path, encoding="utf-8") as stream:
                data = json.load(stream)
            if isinstance(data, dict):
                self.written = {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}

    def add(self, key: str, written: str) -> None:
        if len(self.written) >= MAX_PRICES:
            self.written.clear()
        self.written[key] = written
        if not self._added and self.path is not None:
            self._added = True
            atexit.register(self.save)

    def save(self) -> None:
        """Write the prices (atomically; a failure costs only the time saved)."""
        from .render import box_store

        if self.path is None:
            return
        with contextlib.suppress(OSError):
            box_store.write_atomically(self.path, json.dumps(self.written, separators=(",", ":")))


@lru_cache(maxsize=1)
def _prices() -> _Prices:
    return _Prices()


def minor_units(amount: Decimal, currency: str) -> int:
    """The amount in the currency's smallest unit: 47.67 EUR → 4767, 1980 JPY → 1980."""
    from babel.numbers import get_currency_precision

    return int(quantize(amount, currency).scaleb(get_currency_precision(currency)))


def format_store_money(amount: Decimal | float | int, store: Store, currency: str | None = None) -> str:
    """An amount written the way ``store`` writes it (in the store's currency unless given)."""
    return format_money(amount, currency or store.currency, store.language)


__all__ = ["babel_locale", "format_money", "format_store_money", "minor_units", "quantize"]
