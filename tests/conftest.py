"""Shared fixtures: configurations written to temporary folders (fakes live in asa2_fakes.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from asa2render.config.model import Config, load_config
from asa2render.sandbox import Sandbox, SandboxOptions

BASE_TOML = """
[site]
cache_dir = "cache"

[[marketplaces]]
country = "de"
credential_type = "cognito"
credential_id = "de-id"
credential_secret = "de-very-secret"
partner_tag = "mytag-21"
default = true

[[marketplaces]]
country = "us"
credential_type = "lwa"
credential_id = "us-id"
credential_secret = "us-very-secret"
partner_tag = "mytag-20"

[collections]
summer = ["B0SUMMER01", "B0SUMMER02"]
"""


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Config]:
    def write(text: str = BASE_TOML) -> Config:
        path = tmp_path / "asa2render.toml"
        path.write_text(text, encoding="utf-8")
        return load_config(path, environ={})

    return write


@pytest.fixture
def config(write_config: Callable[[str], Config]) -> Config:
    return write_config(BASE_TOML)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own persisted-token folder and no sandbox from the developer's shell.

    Tokens persisted by one test's sandbox must not reach another sandbox that happens to reuse the port.
    Rendered boxes are not kept between runs (render/box_store.py): a box stored by an earlier run would
    hide what a test changes in code or templates; tests/render/test_box_store.py turns the store on.
    """
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("ASA2RENDER_BOX_CACHE", "off")
    monkeypatch.delenv("ASA2RENDER_SANDBOX", raising=False)


# The catalog sandbox's products. Titles share words on purpose: a search by one product's title finds its neighbours.
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
     "price": 499.0, "availability": "IN_STOCK", "category": "Küche", "violates_map": True},
]  # fmt: skip


@pytest.fixture(scope="module")
def catalog_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A sandbox serving CATALOG (one per test module)."""
    path = tmp_path_factory.mktemp("catalog") / "catalog.json"
    path.write_text(json.dumps({"products": CATALOG}), encoding="utf-8")
    with Sandbox(SandboxOptions(catalog=path)) as running:
        yield running
