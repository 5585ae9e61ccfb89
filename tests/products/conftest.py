"""Sites that talk to the catalog sandbox (``catalog_sandbox`` in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from asa2_fakes import SANDBOX_DE_MARKETPLACE

from asa2render.config.model import Config, load_config

SITE = (
    """
[site]
cache_dir = "cache"
products = "products.toml"
unavailable = "{policy}"

"""
    + SANDBOX_DE_MARKETPLACE
    + """
[api]
requests_per_second = 50
timeout = 2.0
max_retries = 1
max_backoff = 0.1
"""
)


@pytest.fixture
def site(tmp_path: Path) -> Callable[..., Config]:
    """Write asa2render.toml (with ``[site] unavailable``) and products.toml; return the config."""

    def write(policy: str = "keep", products: str = "", extra: str = "") -> Config:
        (tmp_path / "asa2render.toml").write_text(SITE.format(policy=policy) + extra, encoding="utf-8")
        (tmp_path / "products.toml").write_text(products, encoding="utf-8")
        return load_config(tmp_path / "asa2render.toml", environ={})

    return write
