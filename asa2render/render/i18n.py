"""The one message catalogue of the built-in boxes: gettext catalogues read with Babel.

Labels follow each box's store (``de`` → German, ``jp`` → Japanese) unless ``[site] language`` says
otherwise. The ``.po`` files in ``locale/<language>/LC_MESSAGES/`` are the only place a label is
written; ``make messages`` compiles each to the ``.mo`` beside it, which is what a run reads.
Parsing a ``.po`` at run time cost a one-file render about 50 ms (Babel's PO parser imports the
``email`` package for the header); a test fails when a ``.mo`` differs from its ``.po`` compiled
afresh, so the compiled file cannot fall out of date unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..marketplaces import get_store
from ..money import babel_locale

if TYPE_CHECKING:
    # Babel is imported where a box is formatted: a one-file render whose box is kept (box_store.py)
    # formats nothing, and importing Babel costs it about 30 ms.
    from zoneinfo import ZoneInfo

    from babel.support import NullTranslations

DOMAIN = "asa2render"
_MEMO_SIZE = 4096
DEFAULT_LOCALE = "en_US"


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional marker name, for extraction
    """Mark a message for the catalogue without translating it here."""
    return message


# Shown when a product carries no availability text of its own (local products, sparse API data).
AVAILABILITY_MESSAGES: dict[str, str] = {
    "IN_STOCK": N_("In stock"),
    "IN_STOCK_SCARCE": N_("Only a few left in stock"),
    "OUT_OF_STOCK": N_("Currently unavailable"),
    "UNAVAILABLE": N_("Not available"),
    "PREORDER": N_("Pre-order now"),
    "AVAILABLE_DATE": N_("Available soon"),
    "LEADTIME": N_("Usually ships within a few days"),
    "BACKORDER": N_("Available on back order"),
}

# The names templates know (ASA2-style ``{{ button_label }}``) → their catalogue messages.
LABEL_MESSAGES: dict[str, str] = {
    "as_of_label": N_("as of"),
    "details_label": N_("Details"),
    "button_label": N_("View on Amazon"),
    "fallback_label": N_("View on Amazon"),
    "unavailable_label": N_("Product unavailable"),
    "map_label": N_("See price on Amazon"),
    "search_label": N_("Search on Amazon"),
    "paid_label": N_("(paid link)"),
    "list_price_label": N_("List price"),
    "disclosure": N_("As an Amazon Associate I earn from qualifying purchases."),
    "disclaimer": N_(
        "Price and availability are accurate as of the date/time indicated and are subject to change. "
        "Any price and availability information displayed on Amazon at the time of purchase will apply "
        "to the purchase of this product."
    ),
}


def box_locale(country: str | None, override: str | None = None) -> str:
    """The locale of a box: ``[site] language`` when set, else the store's (``de`` → ``de_DE``)."""
    if override:
        return str(babel_locale(override))
    store = get_store(country or "")
    return store.language if store else DEFAULT_LOCALE


@lru_cache(maxsize=32)
def translations(locale: str) -> NullTranslations:
    """The compiled catalogue for a locale's language; English (the message ids) when there is none."""
    from importlib.resources import files  # (with Babel: a kept box reads no catalogue)

    from babel.support import NullTranslations, Translations

    language = babel_locale(locale).language
    compiled = files("asa2render.render").joinpath("locale", language, "LC_MESSAGES", f"{DOMAIN}.mo")
    if not compiled.is_file():
        return NullTranslations()
    with compiled.open("rb") as handle:
        return Translations(handle, domain=DOMAIN)


class Labels:
    """Everything a box says or formats in one locale: labels, dates, numbers, ratings."""

    def __init__(self, locale: str, zone: ZoneInfo, paid_label: str | None = None) -> None:
        self.locale = locale
        self._babel = babel_locale(locale)
        self._zone = zone
        self.catalogue = translations(locale)
        self._paid_label = paid_label
        # Formatting with Babel costs microseconds a call and boxes repeat the same values (ratings,
        # percentages, fetch times of one batch): remember the texts, bounded.
        self._memo: dict[tuple[Any, ...], str] = {}
        from babel.numbers import parse_pattern

        self._number_patterns = {d: parse_pattern("#,##0" + ("." + "0" * d if d else "")) for d in (0, 1)}

    def gettext(self, message: str) -> str:
        return self.catalogue.ugettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.catalogue.ungettext(singular, plural, count)

    def globals(self) -> dict[str, Any]:
        """Template globals: the ASA2-style label names, translated."""
        values: dict[str, Any] = {name: self.gettext(message) for name, message in LABEL_MESSAGES.items()}
        if self._paid_label is not None:
            values["paid_label"] = self._paid_label
        values["as_of_text"] = self.as_of
        values["availability_text"] = self.availability
        values["rating_text"] = self.rating
        values["locale"] = self.locale
        values["lang"] = self._babel.language
        return values

    def filters(self) -> dict[str, Callable[..., str]]:
        return {"asa2_datetime": self.datetime_text, "asa2_number": self.number, "asa2_percent": self.percent}

    def _remember(self, key: tuple[Any, ...], make: Callable[[], str]) -> str:
        text = self._memo.get(key)
        if text is None:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            text = self._memo[key] = make()
        return text

    def datetime_text(self, moment: datetime) -> str:
        """``27.11.2026, 12:00 UTC`` (de), ``Nov 27, 2026, 12:00 PM UTC`` (en): date, time and zone."""
        # The text shows minutes, never seconds (CLDR's short time formats have none), so products
        # fetched within the same minute share one Babel call: remembered by the local minute.
        local = moment.astimezone(self._zone).replace(second=0, microsecond=0)
        return self._remember(("datetime", local), lambda: self._datetime_text(local))

    def _datetime_text(self, moment: datetime) -> str:
        from babel.dates import format_date, format_time

        local = moment.astimezone(self._zone)
        pattern = str(self._babel.datetime_formats["short"])  # how the locale joins date and time
        date = format_date(local, "medium", locale=self._babel)
        time = format_time(local, "short", locale=self._babel)
        return f"{pattern.replace('{1}', date).replace('{0}', time)} {local.strftime('%Z')}"

    def as_of(self, moment: datetime) -> str:
        """The stamp Amazon asks for beside a price: ``as of <date time zone>``."""
        return self.gettext("as of %(time)s") % {"time": self.datetime_text(moment)}

    def number(self, value: float | int | Decimal, digits: int = 0) -> str:
        """``1234`` → ``1.234`` (de) / ``1,234`` (en); ``digits`` decimals (0 or 1)."""
        pattern = self._number_patterns.get(digits)
        if pattern is None:
            from babel.numbers import format_decimal

            return str(format_decimal(value, locale=self._babel))
        return self._remember(("number", value, digits), lambda: str(pattern.apply(value, self._babel)))

    def percent(self, value: int) -> str:
        """A whole percentage (``15`` → ``15 %`` in de, ``15%`` in en)."""
        from babel.numbers import format_percent

        return self._remember(
            ("percent", value), lambda: str(format_percent(Decimal(value) / 100, locale=self._babel))
        )

    def availability(self, kind: str, message: str | None = None) -> str:
        """The product's own availability text, else the catalogue's text for its type, else ''."""
        if message:
            return message
        default = AVAILABILITY_MESSAGES.get(kind.upper())
        return self.gettext(default) if default else ""

    def rating(self, rating: float, count: int | None) -> str:
        """``4.5 out of 5 stars, 1,234 ratings``: what a screen reader says for the star bar."""
        return self._remember(("rating", rating, count), lambda: self._rating(rating, count))

    def _rating(self, rating: float, count: int | None) -> str:
        stars = self.gettext("%(rating)s out of 5 stars") % {"rating": self.number(rating, 1)}
        if count is None:
            return stars
        ratings = self.ngettext("%(num)s rating", "%(num)s ratings", count) % {"num": self.number(count)}
        return f"{stars}, {ratings}"


__all__ = ["AVAILABILITY_MESSAGES", "DOMAIN", "LABEL_MESSAGES", "N_", "Labels", "box_locale", "translations"]
