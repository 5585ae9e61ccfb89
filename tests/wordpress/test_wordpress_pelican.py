"""The walkthrough end to end with a real generator: import-wordpress --host pelican, then a real Pelican
build against the sandbox — Markdown through the asa2render plugin, HTML pages expanded by
``asa2render render`` first (the plugin hooks Pelican's Markdown reader only)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_wordpress_import import CONFIG, EXPORT, MARKETPLACE, STORES

from asa2render.cli.app import cli
from asa2render.sandbox import Sandbox

PELICAN = Path(sys.executable).with_name("pelican")
PELICANCONF = """
SITENAME = "Imported"
PATH = "{path}"
TIMEZONE = "UTC"
DEFAULT_LANG = "de"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
DEFAULT_PAGINATION = False
PLUGINS = {plugins}
ASA2RENDER_CONFIG = "asa2render.toml"
ASA2RENDER_OPTIONS = {{"strict": True}}
"""

pytestmark = pytest.mark.hosts


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_imported_site_builds_with_pelican(tmp_path: Path, sandbox: Sandbox, fmt: str) -> None:
    imported = CliRunner().invoke(
        cli,
        [
            "import-wordpress",
            str(EXPORT),
            "-o",
            str(tmp_path / "content"),
            "--host",
            "pelican",
            "--format",
            fmt,
        ],
    )
    assert imported.exit_code == 0, imported.output
    marketplaces = "".join(
        MARKETPLACE.format(country=c, kind=k, credential=i, tag=t, default=str(c == "de").lower())
        for c, k, i, t in STORES
    )
    (tmp_path / "asa2render.toml").write_text(CONFIG.format(marketplaces=marketplaces), encoding="utf-8")
    env = {**os.environ, "ASA2RENDER_SANDBOX": sandbox.url, "XDG_STATE_HOME": str(tmp_path / "state")}
    source = "content" if fmt == "markdown" else "rendered"
    if fmt == "markdown":
        conf = PELICANCONF.format(path=source, plugins='["asa2render.integrations.pelican"]')
    else:
        rendered = CliRunner().invoke(
            cli,
            [
                "render",
                str(tmp_path / "content"),
                "-o",
                str(tmp_path / "rendered"),
                "--config",
                str(tmp_path / "asa2render.toml"),
                "--sandbox",
                sandbox.url,
                "--strict",
            ],
            env={"XDG_STATE_HOME": str(tmp_path / "state")},
        )
        assert rendered.exit_code == 0, rendered.output
        conf = PELICANCONF.format(path=source, plugins="[]")
    (tmp_path / "pelicanconf.py").write_text(conf, encoding="utf-8")
    result = subprocess.run(
        [str(PELICAN), source, "-s", "pelicanconf.py", "-o", "out", "-q"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    out = tmp_path / "out"
    classic = (out / "classic-boxes.html").read_text(encoding="utf-8")
    assert "Classic editor: boxes between paragraphs" in classic
    assert 'data-asa2-asin="B0DEMO0001" data-asa2-state="fresh"' in classic
    assert 'class="asa2-compact asa2-fresh" data-asa2-asin="B0DEMO0002"' in classic
    assert "https://www.amazon.com/dp/B0DEMO0003" in classic  # the text link's us store
    assert "<code>[asa2]B0DEMO0001[/asa2]</code>" in classic
    block = (out / "block-boxes.html").read_text(encoding="utf-8")
    assert (
        "https://www.amazon.fr/dp/B0DEMO0005" in block and "https://www.amazon.co.jp/dp/B0DEMO0003" in block
    )
    assert "[asa2_textlink asin='B0DEMO0002']Kaffee[/asa2_textlink]" in block or (
        "[asa2_textlink asin=&#39;B0DEMO0002&#39;]Kaffee[/asa2_textlink]" in block
    )
    caption = (out / "caption.html").read_text(encoding="utf-8")
    assert "https://www.amazon.co.uk/dp/B0DEMO0004" in caption and ">the tea kettle</a>" in caption
    html_block = (out / "html-block.html").read_text(encoding="utf-8")
    assert 'class="asa2-compact asa2-fresh" data-asa2-asin="B0DEMO0004"' in html_block
    assert (out / "pages" / "about.html").is_file()
    assert (out / "drafts" / "smart-quotes-primes-non-breaking-spaces.html").is_file()
    assert (out / "category" / "classic.html").is_file() and (out / "tag" / "kaffee.html").is_file()
