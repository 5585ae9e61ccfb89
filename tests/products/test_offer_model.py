"""Offer and variation summaries in the model: cached as JSON, and older cache entries still load."""

from __future__ import annotations

import json
from decimal import Decimal

from asa2_fakes import make_product

from asa2render.products.cache import FORMAT_VERSION, MemoryBackend, ProductCache
from asa2render.products.models import Money, OfferSummary, ProductKey, VariationSummary

KEY = ProductKey("de", "B0TEST0001")


def eur(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="EUR", display=f"{amount} €")


def test_summaries_survive_the_cache() -> None:
    cache = ProductCache(MemoryBackend())
    product = make_product(
        sale_price=eur("19.99"),
        offer_summaries=(
            OfferSummary(condition="New", lowest=eur("18.50"), highest=eur("25.00"), offer_count=4),
            OfferSummary(condition="Used", lowest=eur("9.99"), offer_count=1),
        ),
        variations=VariationSummary(
            lowest=eur("17.00"), highest=eur("29.00"), count=3, dimensions=("Farbe",)
        ),
    )
    cache.put_product(product, product.fetched_at)
    assert cache.get_products([KEY]) == {KEY: product}
    used = cache.get_products([KEY])[KEY].offer_summary("Used")
    assert used is not None and used.lowest == eur("9.99")


def test_an_entry_written_before_summaries_existed_still_loads() -> None:
    backend = MemoryBackend()
    cache = ProductCache(backend)
    product = make_product()
    old = product.model_dump(mode="json")
    for field in ("sale_price", "offer_summaries", "variations"):
        old.pop(field)
    backend.set("p:de:B0TEST0001", json.dumps({"v": FORMAT_VERSION, "product": old}), 3600)
    loaded = cache.get_products([KEY])[KEY]
    assert loaded.offer_summaries == () and loaded.variations is None and loaded.sale_price is None
    assert loaded == product


def test_offer_summary_lookup() -> None:
    product = make_product(offer_summaries=(OfferSummary(condition="Collectible", offer_count=2),))
    assert product.offer_summary("Collectible") == OfferSummary(condition="Collectible", offer_count=2)
    assert product.offer_summary("New") is None


def test_lower_than() -> None:
    assert eur("1.00").is_lower_than(None)
    assert eur("1.00").is_lower_than(eur("1.01")) and not eur("1.01").is_lower_than(eur("1.01"))
    usd = Money(amount=Decimal("0.5"), currency="USD", display="$0.50")
    assert not usd.is_lower_than(eur("9.00"))
