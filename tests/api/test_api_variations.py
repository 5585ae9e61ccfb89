"""GetVariations for parent products (``[placeholders] fetch_variation_summaries``), both APIs, real sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from asa2render.api import Fetcher, TokenStore
from asa2render.api.casing import camel_keys, pascal_keys
from asa2render.api.variations import needs_variations, summary_from_body
from asa2render.config.model import Config, config_from_dict
from asa2render.products.models import Money, Product, ProductKey, VariationSummary
from asa2render.render.renderer import placeholders
from asa2render.sandbox import Sandbox, SandboxOptions

PARENT = ProductKey("de", "B0DEMO0006")
CHILD = ProductKey("de", "B0DEMO0001")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions()) as running:
        yield running


def config(*, creators: bool, fetch: bool = True) -> Config:
    market: dict[str, Any] = {"country": "de", "partner_tag": "mytag-21", "default": True}
    if creators:
        market.update(
            credential_type="cognito", credential_id="demo-cognito-eu", credential_secret="demo-secret"
        )
    return config_from_dict(
        {
            "marketplaces": [market],
            "paapi": {"access_key": "DEMOACCESSKEY", "secret_key": "demo-paapi-secret"},
            "api": {"requests_per_second": 100.0},
            "placeholders": {"fetch_variation_summaries": fetch},
        },
        environ={},
    )


def fetch(sandbox: Sandbox, cfg: Config, tmp_path: Path) -> tuple[dict[ProductKey, Any], int]:
    with Fetcher(cfg, sandbox=sandbox.url, token_store=TokenStore(tmp_path / "tokens.json")) as fetcher:
        report = fetcher.fetch([PARENT, CHILD])
    return report.results, report.requests


@pytest.mark.parametrize("creators", [True, False], ids=["creators", "paapi"])
def test_a_parent_gets_its_variations_price(sandbox: Sandbox, tmp_path: Path, creators: bool) -> None:
    results, requests = fetch(sandbox, config(creators=creators), tmp_path)
    parent, child = results[PARENT], results[CHILD]
    assert isinstance(parent, Product) and isinstance(child, Product)
    assert parent.source == ("creators" if creators else "paapi")
    assert parent.price is None and parent.variations is not None
    assert parent.variations.lowest == Money(amount=Decimal("39.95"), currency="EUR", display="39,95\xa0€")
    assert parent.variations.highest is not None and parent.variations.highest.amount > Decimal("39.95")
    assert parent.variations.count is not None and parent.variations.count >= 2
    assert parent.variations.dimensions == ("Colour",)
    assert child.variations is None  # a product with an offer is not asked about
    assert requests == 2  # one GetItems, one GetVariations
    values = placeholders(parent)
    assert values["OffersMainPriceFormattedPrice"] == values["OffersAutoPriceFormattedPrice"] == "39,95\xa0€"
    assert values["VariationsLowestPriceInteger"] == 3995 and values["IsAvailable"] is True


def test_off_by_default_no_extra_request(sandbox: Sandbox, tmp_path: Path) -> None:
    results, requests = fetch(sandbox, config(creators=True, fetch=False), tmp_path)
    parent = results[PARENT]
    assert isinstance(parent, Product) and parent.variations is None and requests == 1
    assert placeholders(parent)["OffersAutoPriceAmount"] == ""


def test_needs_variations() -> None:
    bare = Product(
        asin="B0PARENT01",
        country="de",
        title="t",
        url="https://www.amazon.de/dp/B0PARENT01",
        source="creators",
    )
    assert needs_variations(bare)
    assert needs_variations(bare.model_copy(update={"parent_asin": "B0PARENT01"}))
    assert not needs_variations(bare.model_copy(update={"parent_asin": "B0OTHER001"}))  # a child
    assert not needs_variations(bare.model_copy(update={"source": "local"}))
    priced = Money(amount=Decimal(1), currency="EUR", display="1 €")
    assert not needs_variations(bare.model_copy(update={"price": priced}))
    assert not needs_variations(bare.model_copy(update={"variations": VariationSummary(count=2)}))


def test_summary_from_body_both_casings() -> None:
    body = {
        "variationsResult": {
            "variationSummary": {
                "variationCount": 3,
                "price": {"lowestPrice": {"amount": 5, "currency": "USD"}},
            }
        }
    }
    summary = summary_from_body(body, country="us")
    assert summary is not None and summary.count == 3 and summary.lowest is not None
    assert summary.lowest.display == "$5.00"
    assert summary_from_body(camel_keys(pascal_keys(body)), country="us") == summary
    assert summary_from_body({"variationsResult": {}}, country="us") is None
    assert summary_from_body([], country="us") is None
