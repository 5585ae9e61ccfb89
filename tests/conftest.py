"""Shared fixtures: configurations written to temporary folders (fakes live in asa2_fakes.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from asa2render.config.model import Config, load_config

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
    """
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    monkeypatch.delenv("ASA2RENDER_SANDBOX", raising=False)
