"""Real Jekyll 4.3 (Debian, scripts/test-tools/jekyll.sh): built through ``render`` and the data file."""

from __future__ import annotations

import os
import shutil
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

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = "<!doctype html><html><body><main>{{ content }}</main></body></html>\n"
DATA_PAGE = """\
---
title: Data
asa2_country: us
---
Before.

{% include asa2.html asin="B0HOST0001" country="de" %}

{% asa2 "B0HOST0002" "de" %}

{% include asa2.html asin="B0HOST0003" %}

{% include asa2.html asin="B0MISSING1" country="de" %}
"""


def jekyll() -> str:
    if shutil.which("jekyll") is None:
        run(["bash", str(ROOT / "scripts" / "test-tools" / "jekyll.sh")], cwd=ROOT)
    found = shutil.which("jekyll")
    assert found, "scripts/test-tools/jekyll.sh installs Jekyll"
    return found


def _build(site: Path) -> None:
    env = {**os.environ, "JEKYLL_ENV": "production", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    run(
        [jekyll(), "build", "--quiet", "--source", str(site), "--destination", str(site / "_site")], site, env
    )


def test_jekyll_through_render(tmp_path: Path) -> None:
    config = write_setup(tmp_path)
    source = tmp_path / "src"
    (source / "_layouts").mkdir(parents=True)
    (source / "_layouts" / "default.html").write_text(LAYOUT, encoding="utf-8")
    front = '---\nlayout: default\ntitle: "Trip [asa2]B0HOST0001[/asa2]"\nasa2_country: us\n---\n'
    (source / "trip.md").write_text(front + RENDER_BODY, encoding="utf-8")

    render_for_host("jekyll", source, tmp_path / "site", config, cwd=tmp_path)
    _build(tmp_path / "site")

    html = (tmp_path / "site" / "_site" / "trip.html").read_text(encoding="utf-8")
    assert "<p>Text right after the box.</p>" in html and "&lt;div" not in html and "&lt;span" not in html
    built = boxes_in(html)
    assert_hostile_titles_are_text(built, expected_boxes=3)
    assert (tmp_path / "site" / "_site" / "asa2render.css").exists()


def test_jekyll_through_the_data_file(tmp_path: Path) -> None:
    config = write_setup(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    asa2render("init", "jekyll", site, cwd=tmp_path)
    (site / "data.md").write_text(DATA_PAGE, encoding="utf-8")

    asa2render(
        "export-data", site, "-o", site / "_data" / "asa2.json", "--offline", "--config", config, cwd=tmp_path
    )
    _build(site)

    html = (site / "_site" / "data.html").read_text(encoding="utf-8")
    built = boxes_in(html)
    assert_hostile_titles_are_text(built, expected_boxes=4)  # 3 products + 1 fallback link
    fallback = [r for r in built.roots if r["data-asa2-state"] == "fallback"]
    assert len(fallback) == 1 and fallback[0]["href"] == "https://www.amazon.de/dp/B0MISSING1?tag=hosttest-21"
    assert (site / "_site" / "assets" / "asa2render.css").exists()
