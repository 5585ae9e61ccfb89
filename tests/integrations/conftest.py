"""Shared fixtures for the integration tests: a sandbox, and a site configuration in a tmp dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from asa2render.sandbox import Sandbox, SandboxOptions

CONFIG = """\
[site]
products = "products.toml"
cache_dir = "cache"
strict = false
timezone = "UTC"

[[marketplaces]]
country = "de"
credential_type = "cognito"
credential_id = "demo-cognito-eu"
credential_secret = "demo-secret"
partner_tag = "asa2demo-21"
default = true

[[marketplaces]]
country = "us"
credential_type = "lwa"
credential_id = "demo-lwa-na"
credential_secret = "demo-secret"
partner_tag = "asa2demo-20"
"""

PRODUCTS = """\
[[products]]
asin = "B0LOCAL001"
country = "de"
title = "Handmade walnut coffee scoop"
price = "14.90"
availability = "IN_STOCK"
updated = 2026-11-26T08:00:00Z
"""


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """An in-process sandbox; ``ASA2RENDER_SANDBOX`` points at it for engines opened by hosts."""
    with Sandbox(SandboxOptions()) as sb:
        monkeypatch.setenv("ASA2RENDER_SANDBOX", sb.url)
        yield sb


@pytest.fixture
def site_config(tmp_path: Path) -> Path:
    """``asa2render.toml`` (de + us, cache in the tmp dir) and ``products.toml``."""
    (tmp_path / "products.toml").write_text(PRODUCTS, encoding="utf-8")
    path = tmp_path / "asa2render.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path
