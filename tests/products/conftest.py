"""A sandbox with a small catalog of its own, and sites that talk to it (module-scoped: one per module)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from asa2render.config.model import Config, load_config
from asa2render.sandbox import Sandbox, SandboxOptions

# Titles share words on purpose: a search by one product's title finds its neighbours.
CATALOG = [
    {"asin": "B0ACME0001", "country": "de", "title": "Acme Burr Grinder Classic", "brand": "Acme",
     "availability": "OUT_OF_STOCK", "category": "Küche"},
    {"asin": "B0ACME0002", "country": "de", "title": "Acme Burr Grinder Compact", "brand": "Acme",
     "availability": "OUT_OF_STOCK", "category": "Küche"},
    {"asin": "B0ACME0003", "country": "de", "title": "Acme Burr Grinder Deluxe", "brand": "Acme",
     "price": 59.99, "availability": "IN_STOCK", "rating": 4.7, "reviews": 210, "category": "Küche"},
    {"asin": "B0SOLO0001", "country": "de", "title": "Solo Porcelain Teapot", "brand": "Solo",
     "availability": "OUT_OF_STOCK", "category": "Küche"},
    {"asin": "B0KETL0001", "country": "de", "title": "Steamy Kettle 1.7 l", "brand": "Steamy",
     "price": 39.9, "availability": "IN_STOCK", "rating": 4.2, "reviews": 80, "category": "Küche"},
    {"asin": "B0MAPP0001", "country": "de", "title": "Mapped Espresso Machine", "brand": "Mapped",
     "price": 499.0, "availability": "IN_STOCK", "category": "Küche"},
]  # fmt: skip

SITE = """
[site]
cache_dir = "cache"
products = "products.toml"
unavailable = "{policy}"

[[marketplaces]]
country = "de"
credential_type = "cognito"
credential_id = "demo-cognito-eu"
credential_secret = "demo-secret"
partner_tag = "mytag-21"
default = true

[api]
requests_per_second = 50
timeout = 2.0
max_retries = 1
max_backoff = 0.1
"""


@pytest.fixture(scope="module")
def catalog_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    path = tmp_path_factory.mktemp("catalog") / "catalog.json"
    path.write_text(json.dumps({"products": CATALOG}), encoding="utf-8")
    with Sandbox(SandboxOptions(catalog=path)) as running:
        yield running


@pytest.fixture
def site(tmp_path: Path) -> Callable[..., Config]:
    """Write asa2render.toml (with ``[site] unavailable``) and products.toml; return the config."""

    def write(policy: str = "keep", products: str = "", extra: str = "") -> Config:
        (tmp_path / "asa2render.toml").write_text(SITE.format(policy=policy) + extra, encoding="utf-8")
        (tmp_path / "products.toml").write_text(products, encoding="utf-8")
        return load_config(tmp_path / "asa2render.toml", environ={})

    return write
