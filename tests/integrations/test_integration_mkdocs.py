"""The MkDocs plugin, proven by real ``mkdocs build`` runs against the sandbox."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from integration_stats import get_items_per_marketplace

from asa2render.sandbox import Sandbox

SITE = Path(__file__).parent / "sites" / "mkdocs"
MKDOCS = Path(sys.executable).with_name("mkdocs")

pytestmark = pytest.mark.hosts


@pytest.fixture
def site(tmp_path: Path, site_config: Path) -> Path:
    shutil.copytree(SITE, tmp_path, dirs_exist_ok=True)
    return tmp_path


def mkdocs_build(site: Path, sandbox: Sandbox) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASA2RENDER_SANDBOX": sandbox.url}
    return subprocess.run(
        [str(MKDOCS), "build", "-q", "-f", str(site / "mkdocs.yml"), "-d", str(site / "out")],
        capture_output=True,
        text=True,
        env=env,
        cwd=site,
        check=False,
    )


def test_mkdocs_build_renders_boxes_with_one_fetch_per_marketplace(site: Path, sandbox: Sandbox) -> None:
    result = mkdocs_build(site, sandbox)
    assert result.returncode == 0, result.stderr

    index = (site / "out" / "index.html").read_text(encoding="utf-8")
    more = (site / "out" / "guide" / "more" / "index.html").read_text(encoding="utf-8")
    assert 'data-asa2-asin="B0DEMO0001" data-asa2-state="fresh"' in index
    assert 'data-asa2-asin="B0DEMO0101" data-asa2-state="fresh"' in index
    assert 'data-asa2-asin="B0LOCAL001" data-asa2-state="fresh"' in index
    assert 'data-asa2-asin="B0DEMO0102" data-asa2-state="fresh"' in more
    assert "<p><div" not in index + more  # a box alone on its line is not wrapped in <p>
    # code blocks and code spans show the shortcode untouched; the escape prints literally
    assert "[asa2 asin=&quot;B0DEMO0002&quot;]" in index
    assert '<code>[asa2 asin="B0DEMO0002"]</code>' in index or "<code>[asa2 asin=&quot;B0DEMO0002" in index
    assert '[asa2 asin="B0DEMO0003"]' in index
    assert "B0DEMO0002" not in index.split("<pre", 1)[0]
    # the theme's Jinja filter, prefetched with the pages
    assert 'class="theme-pick"><a class="asa2-textlink asa2-fresh"' in index
    # the stylesheet is written and linked
    assert (site / "out" / "assets" / "asa2render.css").is_file()
    assert (
        site / "out" / "assets" / "asa2render-logos" / "amazon-logo-small-de.svg"
    ).is_file()  # AmazonLogo*Url
    assert "assets/asa2render.css" in index

    stats = sandbox.stats()
    assert get_items_per_marketplace(stats) == {"www.amazon.de": 1, "www.amazon.com": 1}
    fetched = {asin for r in stats["requests"] for asin in r["asins"]}
    assert fetched == {"B0DEMO0001", "B0DEMO0004", "B0DEMO0005", "B0DEMO0101", "B0DEMO0102"}
    assert sorted(t["credential_id"] for t in stats["tokens"]) == ["demo-cognito-eu", "demo-lwa-na"]


def test_mkdocs_strict_failure_names_page_line_column(site: Path, sandbox: Sandbox) -> None:
    (site / "mkdocs.yml").write_text(
        (site / "mkdocs.yml").read_text(encoding="utf-8") + "      strict: true\n", encoding="utf-8"
    )
    page = site / "docs" / "guide" / "more.md"
    page.write_text(page.read_text(encoding="utf-8") + '\nText [asa2 asin="NOT-AN-ASIN"]\n', encoding="utf-8")

    result = mkdocs_build(site, sandbox)

    assert result.returncode != 0
    assert "guide/more.md:11:6" in result.stderr


def test_mkdocs_rebuilds_in_one_session_do_not_refetch(site: Path, sandbox: Sandbox) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    shutil.rmtree(site / "cache", ignore_errors=True)
    config = load_config(str(site / "mkdocs.yml"), site_dir=str(site / "out"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
        (site / "docs" / "index.md").write_text('# Edited\n\n[asa2 asin="B0DEMO0001"]\n', encoding="utf-8")
        build(load_config(str(site / "mkdocs.yml"), site_dir=str(site / "out")))
    finally:
        config.plugins.on_shutdown()

    assert get_items_per_marketplace(sandbox.stats()) == {"www.amazon.de": 1, "www.amazon.com": 1}
    assert "Edited" in (site / "out" / "index.html").read_text(encoding="utf-8")


def test_page_prepared_on_files_is_rendered_without_a_second_scan_only_when_mkdocs_hands_it_over() -> None:
    from asa2render.config.model import config_from_dict
    from asa2render.engine import Engine
    from asa2render.integrations.mkdocs import Asa2Plugin
    from asa2render.products.cache import ProductCache

    config = config_from_dict(
        {"marketplaces": [{"country": "de", "partner_tag": "test-21", "default": True}]}
    )
    plugin = Asa2Plugin()
    plugin.load_config({})
    source = '---\ntitle: A\n---\n# A\n\n[asa2 asin="B0DEMO0001"]\n'
    body = source.split("---\n", 2)[2]
    with Engine(config, offline=True, cache=ProductCache.in_memory()) as engine:
        plugin.engine = engine
        plugin.prepared = {"a.md": plugin._prepare(source, "a.md")}
        doc, skip = plugin._reuse("a.md", source, body, None)
        assert doc is not None and source[skip:] == body
        assert doc.requests[0].location.line == 6  # lines of the source file, front matter included
        # MkDocs handed over other text (another plugin changed it) or another store: scan again.
        plugin.prepared = {"a.md": plugin._prepare(source, "a.md")}
        assert plugin._reuse("a.md", source, body + "more\n", None) == (None, 0)
        plugin.prepared = {"a.md": plugin._prepare(source, "a.md")}
        assert plugin._reuse("a.md", source, body, "us") == (None, 0)
        assert plugin._reuse("b.md", source, body, None) == (None, 0)  # never prepared
