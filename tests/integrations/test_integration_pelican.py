"""The Pelican plugin, proven by a real Pelican run against the sandbox."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from integration_stats import get_items_per_marketplace

from asa2render.sandbox import Sandbox

SITE = Path(__file__).parent / "sites" / "pelican"
PELICAN = Path(sys.executable).with_name("pelican")

pytestmark = pytest.mark.hosts


@pytest.fixture
def site(tmp_path: Path, site_config: Path) -> Path:
    shutil.copytree(SITE, tmp_path, dirs_exist_ok=True)
    return tmp_path


def pelican_run(site: Path, sandbox: Sandbox) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASA2RENDER_SANDBOX": sandbox.url}
    return subprocess.run(
        [str(PELICAN), "content", "-s", "pelicanconf.py", "-o", "out", "-q"],
        capture_output=True,
        text=True,
        env=env,
        cwd=site,
        check=False,
    )


def test_pelican_run_renders_boxes_with_one_fetch_per_marketplace(site: Path, sandbox: Sandbox) -> None:
    result = pelican_run(site, sandbox)
    assert result.returncode == 0, result.stderr

    first = (site / "out" / "first-post.html").read_text(encoding="utf-8")
    second = (site / "out" / "second-post.html").read_text(encoding="utf-8")
    about = (site / "out" / "pages" / "about.html").read_text(encoding="utf-8")
    assert 'data-asa2-asin="B0DEMO0001" data-asa2-state="fresh"' in first
    assert 'class="asa2-textlink asa2-fresh"' in first
    assert 'data-asa2-asin="B0DEMO0101" data-asa2-state="fresh"' in first
    assert 'data-asa2-asin="B0DEMO0102" data-asa2-state="fresh"' in second  # asa2_country: us
    assert 'data-asa2-asin="B0LOCAL001" data-asa2-state="fresh"' in second
    assert 'data-asa2-asin="B0DEMO0006" data-asa2-state="fresh"' in about  # in a table cell
    assert "<p><div" not in first + second
    # code untouched, escape literal
    assert "[asa2 asin=&quot;B0DEMO0002&quot;]" in first or '[asa2 asin="B0DEMO0002"]</code>' in first
    assert '[asa2 asin="B0DEMO0003"]' in first
    assert (site / "out" / "theme" / "css" / "asa2render.css").is_file()
    assert (site / "out" / "theme" / "css" / "asa2render-logos" / "amazon-logo-large.svg").is_file()

    stats = sandbox.stats()
    assert get_items_per_marketplace(stats) == {"www.amazon.de": 1, "www.amazon.com": 1}
    fetched = {asin for r in stats["requests"] for asin in r["asins"]}
    assert fetched == {"B0DEMO0001", "B0DEMO0005", "B0DEMO0006", "B0DEMO0101", "B0DEMO0102"}
    assert sorted(t["credential_id"] for t in stats["tokens"]) == ["demo-cognito-eu", "demo-lwa-na"]


def test_pelican_strict_failure_stops_the_build(site: Path, sandbox: Sandbox) -> None:
    conf = site / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('"strict": False', '"strict": True'))
    post = site / "content" / "first-post.md"
    post.write_text(post.read_text(encoding="utf-8") + '\nSee [asa2 asin="NOT-AN-ASIN"]\n', encoding="utf-8")

    result = pelican_run(site, sandbox)

    assert result.returncode != 0
    assert "first-post.md:17:5" in result.stdout + result.stderr
    assert not (site / "out" / "first-post.html").exists()


def test_prefetch_skips_pages_whose_real_path_is_in_the_output_folder(tmp_path: Path) -> None:
    from asa2render.integrations.pelican import _sources

    content = tmp_path / "content"
    (content / "posts").mkdir(parents=True)
    (content / "posts" / "kept.md").write_text("kept\n", encoding="utf-8")
    output = content / "out"
    (output / "deep").mkdir(parents=True)
    (output / "deep" / "built.md").write_text("built\n", encoding="utf-8")
    (content / "link.md").symlink_to(output / "deep" / "built.md")  # a file link into the output
    (content / "linked").symlink_to(output / "deep")  # a folder link into the output
    (tmp_path / "elsewhere.md").write_text("elsewhere\n", encoding="utf-8")
    (content / "outside.md").symlink_to(tmp_path / "elsewhere.md")  # a link out of both: kept
    settings = {"PATH": str(content), "OUTPUT_PATH": str(output), "IGNORE_FILES": []}
    found = sorted(path.relative_to(content).as_posix() for path, _, _ in _sources(settings, None))
    assert found == ["outside.md", "posts/kept.md"]
