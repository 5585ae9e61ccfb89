"""The edges start work: configuration from anywhere, the sandbox setting read once, "auto" launched here."""

from __future__ import annotations

from pathlib import Path

import pytest

from asa2render.config.model import Config, load_config
from asa2render.edges import SANDBOX_ENV, load, open_engine, sandbox_endpoint, sandbox_setting
from asa2render.engine import Engine
from asa2render.integrations import hosts
from asa2render.products.cache import ProductCache
from asa2render.products.models import ProductKey
from asa2render.sandbox.launch import SandboxLauncher

CONFIG = """\
[site]
cache_dir = "cache"

[[marketplaces]]
country = "de"
credential_type = "cognito"
credential_id = "demo-cognito-eu"
credential_secret = "demo-secret"
partner_tag = "asa2demo-21"
default = true
"""
DEMO = ProductKey("de", "B0DEMO0001")


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "asa2render.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_the_explicit_setting_wins_over_the_environment() -> None:
    environ = {SANDBOX_ENV: "http://127.0.0.1:1"}
    assert sandbox_setting("auto", environ) == "auto"
    assert sandbox_setting(None, environ) == "http://127.0.0.1:1"
    assert sandbox_setting("", {SANDBOX_ENV: ""}) is None


def test_only_auto_starts_anything() -> None:
    assert sandbox_endpoint(None) is None
    assert sandbox_endpoint("http://127.0.0.1:1") == "http://127.0.0.1:1"
    launcher = sandbox_endpoint("auto")
    assert isinstance(launcher, SandboxLauncher) and "not started" in repr(launcher)


def test_configuration_from_an_object_a_relative_path_or_nothing(config_path: Path) -> None:
    config = load_config(config_path)
    assert load(config) is config
    assert load("asa2render.toml", base=config_path.parent).path == config_path
    assert isinstance(load(None), Config)


def test_a_launched_sandbox_serves_the_engine_and_stops_with_it(config_path: Path) -> None:
    launcher = SandboxLauncher()
    with Engine(load_config(config_path), sandbox=launcher, cache=ProductCache.in_memory()) as engine:
        assert "not started" in repr(launcher)  # nothing fetched yet, nothing started
        assert engine.store.get_many([DEMO])[DEMO].state == "fresh"
        assert "127.0.0.1" in repr(launcher)
    assert "not started" in repr(launcher)


def test_open_engine_launches_auto(config_path: Path) -> None:
    with open_engine(config_path, sandbox="auto") as engine:
        assert engine.store.get_many([DEMO])[DEMO].state == "fresh"


def test_engine_keeps_accepting_auto_for_library_callers(config_path: Path) -> None:
    with Engine(load_config(config_path), sandbox="auto", cache=ProductCache.in_memory()) as engine:
        assert engine.store.get_many([DEMO])[DEMO].state == "fresh"


def test_integrations_read_the_environment_once_at_their_edge(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SANDBOX_ENV, "auto")
    with hosts.open_engine(config_path) as engine:
        assert engine.store.get_many([DEMO])[DEMO].state == "fresh"
