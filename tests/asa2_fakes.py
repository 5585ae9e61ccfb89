"""Fakes shared by the top-level tests: a product factory and a fetcher answering from a dict."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from asa2render.errors import Location
from asa2render.products.models import Failure, Money, Product, ProductKey, SearchQuery
from asa2render.products.resolve import ProductRequest
from asa2render.products.smart import SmartQuery
from asa2render.shortcodes import parse


def make_product(asin: str = "B0TEST0001", country: str = "de", **changes: object) -> Product:
    values: dict[str, object] = {
        "asin": asin,
        "country": country,
        "title": f"Product {asin}",
        "url": f"https://www.amazon.de/dp/{asin}?tag=mytag-21",
        "price": Money(amount=Decimal("19.99"), currency="EUR", display="19,99 €"),
        "fetched_at": datetime(2026, 11, 27, 12, 0, tzinfo=UTC),
        "source": "creators",
    }
    values.update(changes)
    return Product.model_validate(values)


@dataclass
class FakeReport:
    results: dict[ProductKey, Product | Failure]
    notices: list[str] = field(default_factory=list)
    requests: int = 0
    tokens: int = 0


class FakeFetcher:
    """Answers from a dict; records every batch it was asked for."""

    def __init__(
        self, answers: dict[ProductKey, Product | Failure] | None = None, fail_all: str | None = None
    ):
        self.answers = answers or {}
        self.fail_all = fail_all
        self.batches: list[list[ProductKey]] = []

    def fetch(
        self,
        keys: Iterable[ProductKey],
        on_batch: Callable[[Mapping[ProductKey, Product | Failure]], None] | None = None,
    ) -> FakeReport:
        batch = list(keys)
        self.batches.append(batch)
        results: dict[ProductKey, Product | Failure] = {}
        for key in batch:
            if self.fail_all:
                results[key] = Failure(kind=self.fail_all, message=f"{self.fail_all} failure")
            else:
                results[key] = self.answers.get(key) or Failure(
                    kind="not_found", message="nope", permanent=True
                )
        if on_batch is not None:
            on_batch(results)
        return FakeReport(results, requests=1 if batch else 0)


# The German marketplace on the sandbox's demo Cognito credential, as tests write it into asa2render.toml.
SANDBOX_DE_MARKETPLACE = """[[marketplaces]]
country = "de"
credential_type = "cognito"
credential_id = "demo-cognito-eu"
credential_secret = "demo-secret"
partner_tag = "mytag-21"
default = true
"""

# One local product and a German default marketplace without credentials: what offline CLI tests read.
LOCAL_PRODUCTS = """
[[products]]
asin = "B0LOCAL001"
title = "Local grinder"
price = "10.00"
"""
LOCAL_DE_MARKETPLACE = """
[[marketplaces]]
country = "de"
partner_tag = "mytag-21"
default = true
"""


def random_request(rng: random.Random) -> ProductRequest:
    """A request whose every field is drawn from a small pool, so that many pairs agree on many fields."""
    shortcode = parse('[asa2 asin="B0TEST0001"]', ("asa2",))[0]
    names = ["button", "title", "price"]
    options = {name: rng.choice(["a", "b"]) for name in rng.sample(names, rng.randint(0, 2))}
    return ProductRequest(
        shortcode=shortcode,
        location=Location("p.md", 1, 1),
        keys=tuple(ProductKey("de", asin) for asin in rng.sample(["B0A", "B0B"], rng.randint(0, 2))),
        template=rng.choice(["default", "list"]),
        country=rng.choice([None, "de"]),
        options=options,
        link_text=rng.choice([None, "x"]),
        associate_set=rng.choice([None, "s"]),
        search=rng.choice([None, SearchQuery("de", "tea", 3)]),
        smart=rng.choice([None, SmartQuery()]),
        fallback_url=rng.choice([None, "https://example.com"]),
        list_state=rng.choice([None, "fresh"]),
    )
