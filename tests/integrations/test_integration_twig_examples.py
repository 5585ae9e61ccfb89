"""The Twig gallery in ``examples/twig``: built by ``asa2render build`` and through the markdown-it plugin."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from asa2render.cli.app import cli
from asa2render.integrations.markdown_it import asa2_plugin, engine_of
from asa2render.sandbox import Sandbox

EXAMPLE = Path(__file__).parents[2] / "examples" / "twig"


@pytest.fixture
def gallery(tmp_path: Path) -> Path:
    """A copy of the example (its cache must not land in the repository)."""
    target = tmp_path / "twig"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".asa2render-cache", "output"))
    return target


def _check_gallery(html: str, *, table: bool = True) -> None:
    # classic.twig: inheritance, macros, escaping of data, safe FeaturesHTML, compliance footer
    classic = re.search(
        r'<div data-asa2-asin="B0DEMO0001" data-asa2-state="fresh" class="asa2-box asa2-classic">.*?asa2-disclaimer.*?</div>',
        html,
        re.S,
    )
    assert classic, html
    box = classic.group(0)
    assert 'rel="sponsored nofollow noopener"' in box and "<ul><li>" in box
    assert re.search(r'class="asa2-rating" title="\d,\d / 5">[★☆]{5}</span>', box)
    assert re.search(r"As of \d{4}-\d\d-\d\d \d\d:\d\d CET\. Price and availability", box)
    # productlist.twig: for/loop/else over several products, each row tagged
    assert '<div data-asa2-asin="B0DEMO0002,B0DEMO0003,B0LOCAL001"' in html
    assert html.count("(our pick)") == 1 and "<h3>On our desk</h3>" in html
    # table_row.html.twig: one <tr> per product, carrying the attributes itself
    rows = re.findall(r'<tr data-asa2-asin="(B0DEMO000[45])" data-asa2-state="fresh" class="asa2-row">', html)
    assert rows == (["B0DEMO0004", "B0DEMO0005"] if table else [])
    # textlink_price.twig: inline, so wrapped in a span inside the paragraph
    assert re.search(
        r'<p>Our favourite scoop is <span data-asa2-asin="B0LOCAL001" data-asa2-state="fresh"><a href="https://www\.amazon\.de/dp/B0LOCAL001\?tag=asa2demo-21" '
        r'rel="sponsored nofollow noopener">Handmade walnut coffee scoop \(our own product entry\)</a> \(14,90\s€, as of 26\.11\.2026 09:00\)</span>, made by hand\.</p>',
        html,
    )


def test_gallery_builds_with_the_cli(gallery: Path, sandbox: Sandbox) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(gallery / "content"),
            "-o",
            str(gallery / "out"),
            "--sandbox",
            sandbox.url,
            "--strict",
            "--config",
            str(gallery / "asa2render.toml"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    _check_gallery((gallery / "out" / "index.html").read_text(encoding="utf-8"))


def test_gallery_renders_through_markdown_it(gallery: Path, sandbox: Sandbox) -> None:
    parser = MarkdownIt("commonmark").enable("table")
    parser.use(asa2_plugin, config=str(gallery / "asa2render.toml"), sandbox=sandbox.url)
    try:
        text = (gallery / "content" / "index.md").read_text(encoding="utf-8").split("---\n", 2)[2]
        # Boxes in HTML blocks (the page's <table>) expand with the plugin as with the CLI.
        _check_gallery(parser.render(text), table=True)
        row = parser.render('[asa2 asin="B0DEMO0004" tpl="table_row"]')
        assert row.startswith('<tr data-asa2-asin="B0DEMO0004" data-asa2-state="fresh" class="asa2-row">')
    finally:
        engine_of(parser).close()


def test_gallery_offline_falls_back_for_unknown_products(gallery: Path) -> None:
    config = str(gallery / "asa2render.toml")
    result = CliRunner().invoke(
        cli, ["build", str(gallery / "content"), "-o", str(gallery / "out"), "--offline", "--config", config]
    )
    assert result.exit_code == 0, result.stderr
    html = (gallery / "out" / "index.html").read_text(encoding="utf-8")
    assert 'data-asa2-asin="B0DEMO0001" data-asa2-state="fallback"' in html
    assert '<span data-asa2-asin="B0LOCAL001" data-asa2-state="fresh">' in html
