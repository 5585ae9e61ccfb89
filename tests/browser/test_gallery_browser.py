"""The template gallery in real headless Chromium: responsive, no overflow, sized images, axe-clean.

``asa2render gallery`` writes every template in every state; Chromium loads it at phone (320 and 360 px) and
desktop (1280 px) width, light and dark. Screenshots go to ``$ASA2_SCREENSHOTS`` (default
``build/screenshots/``) for a human to review.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import Chromium
from click.testing import CliRunner

from asa2render.cli import main
from asa2render.cli.app import cli
from asa2render.render.gallery import CASES, TEMPLATES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("ASA2_SCREENSHOTS", ROOT / "build" / "screenshots"))

# Everything the layout promises, measured in the page; returns plain JSON for the assertions.
CHECKS = """
(() => {
  const width = document.documentElement.clientWidth;
  const overflowing = [...document.querySelectorAll("body *")].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5);
  }).map(el => el.tagName.toLowerCase() + "." + [...el.classList].join("."));
  const boxes = [...document.querySelectorAll(".asa2-box")].map(box => {
    const image = box.querySelector(".asa2-image");
    const body = box.querySelector(".asa2-body").getBoundingClientRect();
    const own = box.getBoundingClientRect();
    const stacked = !image || image.getBoundingClientRect().bottom <= body.top + 0.5;
    return {asin: box.dataset.asa2Asin, stacked, share: body.width / own.width};
  });
  const images = [...document.images].map(img => ({
    src: img.getAttribute("src"), width: img.getAttribute("width"), height: img.getAttribute("height"),
    alt: img.getAttribute("alt"),
  }));
  const buttons = [...document.querySelectorAll(".asa2-button")].map(button => {
    const style = getComputedStyle(button);
    const lines = button.getBoundingClientRect().height / parseFloat(style.lineHeight || "20");
    return {text: button.textContent, clipped: button.scrollWidth > button.clientWidth + 1,
            height: button.getBoundingClientRect().height, fontSize: parseFloat(style.fontSize)};
  });
  const cases = [...document.querySelectorAll("[data-gallery-case]")].map(
    el => el.dataset.galleryTemplate + "/" + el.dataset.galleryCase);
  return {width, scrollWidth: document.documentElement.scrollWidth, overflowing, boxes, images, buttons,
          cases};
})()
"""
AXE_RUN = """
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                   resultTypes: ["violations"]})
  .then(result => ({passes: result.passes.length, violations: result.violations.map(v => ({
      id: v.id, impact: v.impact,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary)}))}))
"""
# A page that breaks every rule, to show the instruments above do see problems.
BAD_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bad</title></head><body>
<div class="asa2-box" data-asa2-asin="B0BAD00001"><a class="asa2-image" href="#"><img src="x.svg"></a>
<div class="asa2-body" style="width:900px">wide</div></div>
<p style="color:#bbb;background:#fff">low contrast</p></body></html>"""


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("gallery")
    result = CliRunner().invoke(cli, ["gallery", "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output / "index.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    with Chromium(accept_lang="en-US", timezone="UTC") as running:
        yield running


def _measure(browser: Chromium, page: Path, width: int, scheme: str = "light") -> dict[str, Any]:
    shot = SCREENSHOTS / f"gallery-{width}-{scheme}.png"
    result: dict[str, Any] = browser.run(
        page.as_uri(), CHECKS, width=width, height=900, screenshot=shot, color_scheme=scheme
    )
    assert shot.stat().st_size > 10_000  # a real picture of the page was written for review
    return result


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_gallery_layout(browser: Chromium, gallery: Path, width: int) -> None:
    result = _measure(browser, gallery, width)

    assert result["width"] == width
    assert sorted(set(result["cases"])) == sorted(f"{t}/{c}" for t in TEMPLATES for c in CASES)
    assert result["scrollWidth"] <= width and result["overflowing"] == []
    assert result["boxes"], "the gallery shows boxes"
    for box in result["boxes"]:
        if width <= 360:
            assert box["stacked"] or box["share"] >= 0.6, box
        else:
            assert not box["stacked"] or box["share"] > 0.9, box  # side by side (or no picture)
    assert result["images"]
    for image in result["images"]:
        assert image["width"] and image["height"] and (image["alt"] or "").strip(), image
    for button in result["buttons"]:
        # one line, never cut off: no taller than two lines of its own text
        assert not button["clipped"] and button["height"] < button["fontSize"] * 3.2, button


def test_boxes_sit_side_by_side_on_desktop(browser: Chromium, gallery: Path) -> None:
    boxes = _measure(browser, gallery, 1280)["boxes"]
    assert any(not box["stacked"] and box["share"] < 0.9 for box in boxes)


@pytest.mark.parametrize(("width", "scheme"), [(360, "light"), (1280, "light"), (1280, "dark")])
def test_gallery_has_no_wcag_violations(browser: Chromium, gallery: Path, width: int, scheme: str) -> None:
    assert AXE.is_file(), "run scripts/test-tools/axe-core.sh (make test-tools)"
    shot = SCREENSHOTS / f"gallery-{width}-{scheme}-axe.png"
    result = browser.run(
        gallery.as_uri(), AXE_RUN, width=width, inject=[AXE], color_scheme=scheme, screenshot=shot
    )
    assert result["violations"] == []
    assert result["passes"] > 10  # the rules did run over the page


def test_the_checks_see_a_broken_page(browser: Chromium, tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(BAD_PAGE, encoding="utf-8")
    measured = browser.run(page.as_uri(), CHECKS, width=360)
    assert measured["scrollWidth"] > 360 and "div.asa2-body" in measured["overflowing"]
    assert measured["images"] == [{"src": "x.svg", "width": None, "height": None, "alt": None}]
    found = browser.run(page.as_uri(), AXE_RUN, width=360, inject=[AXE])
    assert {"color-contrast", "image-alt"} <= {v["id"] for v in found["violations"]}


def test_cli_entry_point_writes_the_gallery(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as done:
        main(["gallery", "-o", str(tmp_path / "g")])
    assert done.value.code == 0
    assert (tmp_path / "g" / "index.html").is_file() and (tmp_path / "g" / "asa2render.css").is_file()
