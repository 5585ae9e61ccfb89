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
    found = sorted(path.relative_to(content).as_posix() for path, _ in _sources(settings))
    assert found == ["outside.md", "posts/kept.md"]


_PROBE = '''"""Test probe: notes each article body that holds late box comments when Pelican creates it."""
from pathlib import Path

from pelican import signals


def _seen(content):
    if "<!--asa2render-box " in getattr(content, "_content", ""):
        with open(Path(__file__).with_name("late.txt"), "a", encoding="utf-8") as notes:
            notes.write(content.source_path.rsplit("/", 1)[-1] + "\\n")


def register():
    signals.content_object_init.connect(_seen)
'''


def _built(folder: Path) -> dict[str, str]:
    """Every file Pelican wrote (theme fonts and images too), by name; binary files as Latin-1."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes().decode("latin-1")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_late_boxes_build_the_same_site_as_boxes_put_in_by_markdown(site: Path, sandbox: Sandbox) -> None:
    (site / "content" / "third-post.md").write_text(
        "Title: Third post\nDate: 2026-11-22\n"
        'Summary: Our pick: [asa2_textlink asin="B0DEMO0005"]the scale[/asa2_textlink]\n\n'
        '[asa2 asin="B0DEMO0006"]\n\nA [link to the first post]({filename}/first-post.md).\n',
        encoding="utf-8",
    )
    (site / "plugins").mkdir()
    (site / "plugins" / "probe.py").write_text(_PROBE, encoding="utf-8")
    conf = site / "pelicanconf.py"
    late = (
        conf.read_text(encoding="utf-8")
        .replace("FEED_ALL_ATOM = None", 'FEED_ALL_ATOM = "feeds/all.atom.xml"')
        .replace(
            'PLUGINS = ["asa2render.integrations.pelican"]',
            'PLUGINS = ["asa2render.integrations.pelican", "probe"]',
        )
        + 'PLUGIN_PATHS = ["plugins"]\n'
    )
    conf.write_text(late, encoding="utf-8")
    result = pelican_run(site, sandbox)
    assert result.returncode == 0, result.stderr
    built_late = _built(site / "out")
    seen = sorted((site / "plugins" / "late.txt").read_text(encoding="utf-8").split())
    assert seen == ["about.md", "first-post.md", "second-post.md", "third-post.md"]  # boxes went in late

    shutil.rmtree(site / "out")
    (site / "plugins" / "late.txt").unlink()
    conf.write_text(
        late.replace('{"strict": False}', '{"strict": False, "late_boxes": False}'), encoding="utf-8"
    )
    result = pelican_run(site, sandbox)
    assert result.returncode == 0, result.stderr
    assert not (site / "plugins" / "late.txt").exists()  # early: Markdown put every box in

    assert built_late == _built(site / "out")
    everything = "".join(built_late.values())
    assert "asa2render-box" not in everything
    index = built_late["index.html"]
    assert 'data-asa2-asin="B0DEMO0006"' in index  # the newest post, shown in full
    assert 'data-asa2-asin="B0DEMO0001"' in index  # the first post's box, in its summary
    feed = built_late["feeds/all.atom.xml"]
    assert 'Our pick: &lt;a class="asa2-textlink' in feed  # the Summary: meta-data's box
    assert "B0DEMO0006" in feed
    assert 'href="/first-post.html"' in built_late["third-post.html"]  # Pelican's link pass still ran
