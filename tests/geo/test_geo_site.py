"""Geo-targeting through the commands: build, render (folder, single page, stdin) and check."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from asa2render.cli.app import cli
from asa2render.geo.assets import SCRIPT_NAME, TABLE_NAME, script_source
from asa2render.sandbox import Sandbox, SandboxOptions

CONFIG = """\
[site]
cache_dir = "cache"

[api]
requests_per_second = 100

[[marketplaces]]
country = "de"
credential_type = "cognito"
credential_id = "demo-cognito-eu"
credential_secret = "demo-secret"
partner_tag = "detag-21"
default = true

[[marketplaces]]
country = "uk"
credential_type = "lwa"
credential_id = "demo-lwa-eu"
credential_secret = "demo-secret"
partner_tag = "uktag-21"

[geo]
enabled = true
"""
PAGE = "# Pans\n\n[asa2]B0DEMO0001[/asa2]\n\n[asa2]B0DEMO0003[/asa2]\n"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions(missing=(("B0DEMO0003", "uk"),))) as running:
        yield running


@pytest.fixture
def site(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    (source / "sub").mkdir(parents=True)
    (tmp_path / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    (source / "index.md").write_text(PAGE, encoding="utf-8")
    (source / "sub" / "plain.md").write_text("# No boxes here\n", encoding="utf-8")
    return tmp_path


def invoke(site: Path, sandbox: Sandbox, *args: str, stdin: str | None = None) -> Result:
    runner = CliRunner()
    command = [*args, "--config", str(site / "asa2render.toml"), "--sandbox", sandbox.url]
    return runner.invoke(cli, command, input=stdin)


def test_build_writes_table_and_script_and_tags_pages_with_boxes(site: Path, sandbox: Sandbox) -> None:
    result = invoke(site, sandbox, "build", str(site / "src"), "-o", str(site / "out"))
    assert result.exit_code == 0, result.output

    table = json.loads((site / "out" / TABLE_NAME).read_text(encoding="utf-8"))
    assert table["stores"] == {"uk": "Amazon.co.uk", "de": "Amazon.de"}  # every store with a tag
    assert table["products"]["B0DEMO0003"]["s"] == ["uk"]
    assert (site / "out" / SCRIPT_NAME).read_text(encoding="utf-8") == script_source()
    assert '<script src="asa2render-geo.js" defer></script>' in (site / "out" / "index.html").read_text()
    assert SCRIPT_NAME not in (site / "out" / "sub" / "plain.html").read_text()
    assert "geo: B0DEMO0003 has no exact match in uk (search link) (warning)" in result.output


def test_render_folder_writes_the_assets_once_at_the_top(site: Path, sandbox: Sandbox) -> None:
    result = invoke(site, sandbox, "render", str(site / "src"), "-o", str(site / "out"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (site / "out").iterdir()) == [SCRIPT_NAME, TABLE_NAME, "index.md", "sub"]
    assert "<script" not in (site / "out" / "index.md").read_text()  # render users add the tag themselves


def test_render_single_page_and_stdin_inline_the_table(site: Path, sandbox: Sandbox) -> None:
    result = invoke(site, sandbox, "render", str(site / "src" / "index.md"), "-o", str(site / "one.md"))
    assert result.exit_code == 0, result.output
    text = (site / "one.md").read_text(encoding="utf-8")
    body = text.split('<script type="application/json" id="asa2render-geo">')[1].removesuffix("</script>\n")
    assert json.loads(body)["products"]["B0DEMO0001"] == {"x": ["uk", "de"]}

    piped = invoke(site, sandbox, "render", "-", stdin=PAGE)
    assert piped.exit_code == 0, piped.output
    assert '<script type="application/json" id="asa2render-geo">' in piped.stdout


def test_check_lists_products_without_an_exact_match_and_strict_does_not_fail_on_them(
    site: Path, sandbox: Sandbox
) -> None:
    text = invoke(site, sandbox, "check", str(site / "src"), "--strict")
    assert text.exit_code == 0, text.output
    assert "B0DEMO0003 fresh ok: geo: B0DEMO0003 has no exact match in uk (search link)" in text.output

    rows = json.loads(invoke(site, sandbox, "check", str(site / "src"), "--format", "json").stdout)
    by_asin = {row["asins"][0]: row for row in rows}
    assert by_asin["B0DEMO0003"]["geo"] == ["geo: B0DEMO0003 has no exact match in uk (search link)"]
    assert by_asin["B0DEMO0003"]["problems"] == []
    assert "geo" not in by_asin["B0DEMO0001"]


def test_nothing_changes_when_geo_is_off(site: Path, sandbox: Sandbox) -> None:
    config = site / "asa2render.toml"
    config.write_text(CONFIG.replace("enabled = true", "enabled = false"), encoding="utf-8")
    assert invoke(site, sandbox, "build", str(site / "src"), "-o", str(site / "out")).exit_code == 0
    assert not (site / "out" / TABLE_NAME).exists()
    assert SCRIPT_NAME not in (site / "out" / "index.html").read_text()
    single = invoke(site, sandbox, "render", str(site / "src" / "index.md"))
    assert "asa2render-geo" not in single.stdout
