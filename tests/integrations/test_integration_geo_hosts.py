"""Geo-targeting in the MkDocs and Pelican plugins: real builds write the table and tag the pages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from integration_stats import get_items_per_marketplace

from asa2render.geo.assets import script_source
from asa2render.sandbox import Sandbox, SandboxOptions

SITES = Path(__file__).parent / "sites"
BIN = Path(sys.executable).parent
GEO = """
[geo]
enabled = true
stores = ["de", "us"]
"""

pytestmark = pytest.mark.hosts


@pytest.fixture
def geo_sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions(missing=(("B0DEMO0001", "us"),))) as running:
        yield running


def with_geo(site: Path, site_config: Path, name: str) -> Path:
    shutil.copytree(SITES / name, site, dirs_exist_ok=True)
    site_config.write_text(site_config.read_text(encoding="utf-8") + GEO, encoding="utf-8")
    return site


def run(command: list[str], site: Path, sandbox: Sandbox) -> None:
    env = {**os.environ, "ASA2RENDER_SANDBOX": sandbox.url}
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=site, check=False)
    assert result.returncode == 0, result.stderr


def check_output(out: Path, pages_with_boxes: dict[str, str], sandbox: Sandbox) -> None:
    table = json.loads((out / "asa2render-geo.json").read_text(encoding="utf-8"))
    assert (out / "asa2render-geo.js").read_text(encoding="utf-8") == script_source()
    assert set(table["stores"]) == {"de", "us"}
    assert table["products"]["B0DEMO0001"]["s"] == ["us"]  # missing in the US: a search link
    assert table["tags"]["default"] == {"de": "asa2demo-21", "us": "asa2demo-20"}
    for page, src in pages_with_boxes.items():
        html = (out / page).read_text(encoding="utf-8")
        assert f'<script src="{src}" defer></script>' in html, page
        assert html.count("asa2render-geo.js") == 1
    # The pages' own fetch, then one lookup batch in the other store: at most 2 GetItems per store.
    assert set(get_items_per_marketplace(sandbox.stats()).values()) == {2}


def test_mkdocs_build_writes_the_geo_table_and_tags_pages(
    tmp_path: Path, site_config: Path, geo_sandbox: Sandbox
) -> None:
    site = with_geo(tmp_path, site_config, "mkdocs")
    run([str(BIN / "mkdocs"), "build", "-q", "-f", "mkdocs.yml", "-d", "out"], site, geo_sandbox)
    pages = {"index.html": "asa2render-geo.js", "guide/more/index.html": "../../asa2render-geo.js"}
    check_output(site / "out", pages, geo_sandbox)
    assert "asa2render-geo.js" not in (site / "out" / "404.html").read_text(encoding="utf-8")


def test_pelican_run_writes_the_geo_table_and_tags_pages(
    tmp_path: Path, site_config: Path, geo_sandbox: Sandbox
) -> None:
    site = with_geo(tmp_path, site_config, "pelican")
    run([str(BIN / "pelican"), "content", "-s", "pelicanconf.py", "-o", "out", "-q"], site, geo_sandbox)
    pages = {"first-post.html": "asa2render-geo.js", "pages/about.html": "../asa2render-geo.js"}
    check_output(site / "out", pages, geo_sandbox)
