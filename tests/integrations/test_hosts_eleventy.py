"""Real Eleventy 3.1 (npm, scripts/test-tools/eleventy.sh): built through ``render`` and the data file."""

from __future__ import annotations

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
DATA_PAGE = """\
---
title: Data
asa2_country: us
---
Before.

{% asa2 "B0HOST0001", "de" %}

{% asa2 "B0HOST0002", "de", "box" %}

{% asa2 "B0HOST0003" %}

{% asa2 "B0MISSING1", "de" %}
"""


def eleventy() -> str:
    binary = ROOT / ".tools" / "node" / "node_modules" / ".bin" / "eleventy"
    if not binary.exists():
        run(["bash", str(ROOT / "scripts" / "test-tools" / "eleventy.sh")], cwd=ROOT)
    return str(binary)


def test_eleventy_through_render(tmp_path: Path) -> None:
    config = write_setup(tmp_path)
    source = tmp_path / "src"
    (source / "_includes").mkdir(parents=True)
    (source / "_includes" / "base.njk").write_text("<main>{{ content | safe }}</main>\n", encoding="utf-8")
    front = "---\nlayout: base.njk\ntitle: Trip [asa2]B0HOST0001[/asa2]\nasa2_country: us\n---\n"
    (source / "trip.md").write_text(front + RENDER_BODY, encoding="utf-8")

    render_for_host("eleventy", source, tmp_path / "site", config, cwd=tmp_path)
    run([eleventy(), "--input=site", "--output=_site", "--quiet"], cwd=tmp_path)

    html = (tmp_path / "_site" / "trip" / "index.html").read_text(encoding="utf-8")
    assert html.startswith("<main>")  # the mirrored .njk layout was used
    assert "<p>Text right after the box.</p>" in html
    built = boxes_in(html)
    assert_hostile_titles_are_text(built, expected_boxes=3)
    assert (tmp_path / "site" / "asa2render.css").exists()  # for addPassthroughCopy (README)


def test_eleventy_through_the_data_file(tmp_path: Path) -> None:
    config = write_setup(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    asa2render("init", "eleventy", site, cwd=tmp_path)
    (site / "data.md").write_text(DATA_PAGE, encoding="utf-8")
    (site / "layout.njk").write_text('{% asa2 asin="B0HOST0002", country="de" %}\n', encoding="utf-8")

    asa2render(
        "export-data", site, "-o", site / "_data" / "asa2.json", "--offline", "--config", config, cwd=tmp_path
    )
    run([eleventy(), "--output=_site", "--quiet"], cwd=site)

    html = (site / "_site" / "data" / "index.html").read_text(encoding="utf-8")
    built = boxes_in(html)
    assert_hostile_titles_are_text(built, expected_boxes=4)  # 3 products + 1 fallback link
    fallback = [r for r in built.roots if r["data-asa2-state"] == "fallback"]
    assert len(fallback) == 1 and fallback[0]["href"] == "https://www.amazon.de/dp/B0MISSING1?tag=hosttest-21"
    nunjucks = boxes_in((site / "_site" / "layout" / "index.html").read_text(encoding="utf-8"))
    assert [r["data-asa2-asin"] for r in nunjucks.roots] == ["B0HOST0002"]  # keyword arguments
    assert (site / "_site" / "asa2render.css").exists()
