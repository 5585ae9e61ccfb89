"""``--sandbox auto`` without any configuration renders real boxes from the demo store."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from asa2render.cli.app import cli
from asa2render.config.model import Config
from asa2render.sandbox.demo import demo_config, needs_demo_store


def test_auto_sandbox_without_configuration_renders_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASA2RENDER_SANDBOX", raising=False)
    page = '[asa2]B0DEMO0001[/asa2]\n\n[asa2 country="us"]B0DEMO0002[/asa2]\n\n[asa2 country="jp"]B0DEMO0003[/asa2]\n'
    result = CliRunner().invoke(cli, ["render", "-", "--sandbox", "auto"], input=page)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count('data-asa2-state="fresh"') == 3
    assert "tag=asa2demo-21" in result.stdout and "tag=asa2demo-20" in result.stdout
    assert "demo store" in result.stderr


def test_demo_store_only_when_nothing_is_configured(config: Config) -> None:
    assert not needs_demo_store(config)  # the test configuration has marketplaces
    demo = demo_config(Config())
    assert needs_demo_store(Config()) and demo.default_marketplace is not None
    assert demo.default_marketplace.country == "de" and demo.paapi.usable
    assert "demo-secret" not in repr(demo)
