"""ASA2's AutoPrice, main price and IsAvailable rules, branch by branch and option by option."""

from __future__ import annotations

from decimal import Decimal
from itertools import product as combinations
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asa2render.config.model import PlaceholdersConfig
from asa2render.products.autoprice import (
    auto_price,
    has_other_offers,
    is_available,
    lowest_offer_price,
    main_price,
)
from asa2render.products.models import Availability, Money, OfferSummary, Product, VariationSummary

Mode = Literal["off", "lower", "only"]
KINDS = ("lowest_new", "lowest_used", "collectible")
CONDITION = {"lowest_new": "New", "lowest_used": "Used", "collectible": "Collectible"}


def eur(amount: str | float | None, currency: str = "EUR") -> Money | None:
    if amount is None:
        return None
    return Money(amount=Decimal(str(amount)), currency=currency, display=f"{amount} {currency}")


def item(
    *,
    price: float | None = None,
    sale: float | None = None,
    new: float | None = None,
    used: float | None = None,
    collectible: float | None = None,
    variations: float | None = None,
    availability: str = "IN_STOCK",
    violates_map: bool = False,
    counts: dict[str, int] | None = None,
    currency: str = "EUR",
) -> Product:
    summaries = [
        OfferSummary(
            condition=condition, lowest=eur(amount, currency), offer_count=(counts or {}).get(condition)
        )
        for condition, amount in (("New", new), ("Used", used), ("Collectible", collectible))
        if amount is not None or (counts or {}).get(condition)
    ]
    return Product(
        asin="B0TEST0001",
        country="de",
        title="t",
        url="https://www.amazon.de/dp/B0TEST0001",
        price=eur(price),
        sale_price=eur(sale),
        offer_summaries=tuple(summaries),
        variations=VariationSummary(lowest=eur(variations), highest=eur(variations)) if variations else None,
        availability=Availability(type=availability),
        violates_map=violates_map,
    )


def options(**modes: Mode | bool) -> PlaceholdersConfig:
    """``lowest_new="lower"`` → autoprice_lowest_new; ``"only"`` → …_only_if_no_other; ``"off"`` → neither."""
    values: dict[str, Any] = {}
    for kind in KINDS:
        mode = modes.pop(kind, "off")
        values[f"autoprice_{kind}"] = mode == "lower"
        values[f"autoprice_{kind}_only_if_no_other"] = mode == "only"
    values.update(modes)
    return PlaceholdersConfig(**values)


def chosen(product: Product, config: PlaceholdersConfig) -> tuple[str, str] | None:
    result = auto_price(product, config)
    return (str(result.money.amount), result.source) if result else None


# --- steps 1 and 2: sale price, else main price -------------------------------------------------


def test_sale_price_comes_first() -> None:
    assert chosen(item(price=50, sale=45), options()) == ("45", "sale")


def test_main_price_without_a_sale() -> None:
    assert chosen(item(price=50), options()) == ("50", "main")


def test_a_product_with_variations_takes_the_variations_price() -> None:
    parent = item(variations=29.99)
    assert main_price(parent) == eur(29.99)
    assert chosen(parent, options()) == ("29.99", "main")


def test_an_own_price_wins_over_the_variations_price() -> None:
    assert chosen(item(price=35, variations=29.99), options()) == ("35", "main")


def test_no_price_at_all() -> None:
    assert chosen(item(), options(lowest_new="lower", lowest_used="lower", collectible="lower")) is None


def test_violates_map_hides_every_price() -> None:
    hidden = item(price=50, sale=45, new=40, violates_map=True)
    assert auto_price(hidden, options(lowest_new="lower")) is None


# --- steps 3 and 4: lowest new, lowest used, collectible -----------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_lower_offer_is_used_when_its_option_is_on(kind: str) -> None:
    product = item(price=50, **{CONDITION[kind].lower(): 40})
    assert chosen(product, options(**{kind: "lower"})) == ("40", kind)


@pytest.mark.parametrize("kind", KINDS)
def test_a_lower_offer_is_ignored_when_its_option_is_off(kind: str) -> None:
    product = item(price=50, **{CONDITION[kind].lower(): 40})
    assert chosen(product, options(**{kind: "off"})) == ("50", "main")


@pytest.mark.parametrize("kind", KINDS)
def test_a_higher_or_equal_offer_never_replaces_the_price(kind: str) -> None:
    for amount in (50, 60):
        product = item(price=50, **{CONDITION[kind].lower(): amount})
        assert chosen(product, options(**{kind: "lower"})) == ("50", "main")


@pytest.mark.parametrize("kind", KINDS)
def test_a_lower_offer_also_undercuts_the_sale_price(kind: str) -> None:
    product = item(price=50, sale=45, **{CONDITION[kind].lower(): 40})
    assert chosen(product, options(**{kind: "lower"})) == ("40", kind)


@pytest.mark.parametrize("kind", KINDS)
def test_an_offer_fills_in_when_there_is_no_price(kind: str) -> None:
    product = item(**{CONDITION[kind].lower(): 40})
    assert chosen(product, options(**{kind: "lower"})) == ("40", kind)
    assert chosen(product, options(**{kind: "only"})) == ("40", kind)


@pytest.mark.parametrize("kind", KINDS)
def test_only_if_no_other_price_leaves_an_existing_price_alone(kind: str) -> None:
    product = item(price=50, **{CONDITION[kind].lower(): 10})
    assert chosen(product, options(**{kind: "only"})) == ("50", "main")
    assert chosen(item(sale=45, **{CONDITION[kind].lower(): 10}), options(**{kind: "only"})) == ("45", "sale")


def test_only_if_no_other_price_counts_an_earlier_offer_as_a_price() -> None:
    product = item(new=40, used=20)
    assert chosen(product, options(lowest_new="lower", lowest_used="only")) == ("40", "lowest_new")
    assert chosen(product, options(lowest_new="off", lowest_used="only")) == ("20", "lowest_used")


def test_the_steps_run_in_asa2_order_and_keep_the_lowest() -> None:
    product = item(price=50, new=45, used=30, collectible=35)
    every = options(lowest_new="lower", lowest_used="lower", collectible="lower")
    assert chosen(product, every) == ("30", "lowest_used")
    cheap_collectible = item(price=50, new=45, used=30, collectible=25)
    assert chosen(cheap_collectible, every) == ("25", "collectible")


def test_a_price_in_another_currency_is_never_compared() -> None:
    product = item(price=50)
    usd = product.model_copy(
        update={"offer_summaries": (OfferSummary(condition="New", lowest=eur(10, "USD")),)}
    )
    assert chosen(usd, options(lowest_new="lower")) == ("50", "main")


def test_defaults_consider_the_lowest_new_price_only() -> None:
    defaults = PlaceholdersConfig()
    assert chosen(item(price=50, new=45), defaults) == ("45", "lowest_new")
    assert chosen(item(price=50, used=20, collectible=15), defaults) == ("50", "main")


MODES: tuple[Mode, ...] = ("off", "lower", "only")


@pytest.mark.parametrize("modes", list(combinations(MODES, repeat=3)), ids=lambda m: "-".join(m))
@pytest.mark.parametrize("base", [None, 50], ids=["no-price", "price"])
def test_every_option_combination(modes: tuple[Mode, Mode, Mode], base: float | None) -> None:
    """All 27 option combinations, against ASA2's rules stated one by one."""
    config = options(**dict(zip(KINDS, modes, strict=True)))
    product = item(price=base, new=45, used=30, collectible=40)
    expected: tuple[str, str] | None = ("50", "main") if base else None
    for kind, mode, amount in zip(KINDS, modes, (45, 30, 40), strict=True):
        lower = expected is None or amount < Decimal(expected[0])
        if (mode == "lower" and lower) or (mode == "only" and expected is None):
            expected = (str(amount), kind)
    assert chosen(product, config) == expected


prices = st.none() | st.decimals(min_value=1, max_value=10_000, places=2)


@given(
    price=prices,
    sale=prices,
    new=prices,
    used=prices,
    collectible=prices,
    modes=st.tuples(*[st.sampled_from(MODES)] * 3),
)
def test_autoprice_invariants(
    price: Decimal | None,
    sale: Decimal | None,
    new: Decimal | None,
    used: Decimal | None,
    collectible: Decimal | None,
    modes: tuple[Mode, Mode, Mode],
) -> None:
    product = item(
        price=price and float(price),
        sale=sale and float(sale),
        new=new and float(new),
        used=used and float(used),
        collectible=collectible and float(collectible),
    )
    config = options(**dict(zip(KINDS, modes, strict=True)))
    result = auto_price(product, config)
    base = product.sale_price or product.price
    offers = {"lowest_new": product.offer_summary("New"), "lowest_used": product.offer_summary("Used")}
    if base is not None:
        # AutoPrice never raises the price, and "only if no other price" never changes an existing one
        assert result is not None and result.money.amount <= base.amount
        if all(mode != "lower" for mode in modes):
            assert result.money == base
    elif all(mode == "off" for mode in modes):
        assert result is None
    if result is not None and result.source in offers:
        summary = offers[result.source]
        assert summary is not None and summary.lowest == result.money


# --- IsAvailable ---------------------------------------------------------------------------------


def test_is_available_when_a_main_price_exists() -> None:
    off = PlaceholdersConfig()
    assert is_available(item(price=50), off)
    assert is_available(item(variations=29.99), off)
    assert not is_available(item(), off)
    assert not is_available(item(price=50, availability="OUT_OF_STOCK"), off)


def test_is_available_if_other_offers() -> None:
    on = PlaceholdersConfig(is_available_if_other_offers=True)
    off = PlaceholdersConfig()
    used_only = item(used=20, availability="OUT_OF_STOCK")
    assert has_other_offers(used_only)
    assert is_available(used_only, on) and not is_available(used_only, off)
    counted = item(counts={"New": 3})
    assert is_available(counted, on)
    collectible_only = item(collectible=99)
    assert not has_other_offers(collectible_only) and not is_available(collectible_only, on)


def test_lowest_offer_price_per_condition() -> None:
    product = item(new=45, used=30)
    assert lowest_offer_price(product, "New") == eur(45)
    assert lowest_offer_price(product, "Used") == eur(30)
    assert lowest_offer_price(product, "Collectible") is None
