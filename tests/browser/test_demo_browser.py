"""The demo site as a new user opens it: built against the sandbox, loaded in headless Chromium.

Every picture loads (the sandbox draws them; none comes from Amazon's host), nothing overflows a
phone screen, prices share one style per store, and axe-core finds no WCAG 2 A/AA violation.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import Chromium
from click.testing import CliRunner

from asa2render.cli.app import cli
from asa2render.sandbox import Sandbox, SandboxOptions

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"

PICTURES = """
Promise.all([...document.images].map(img => {
  img.loading = "eager";
  return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
})).then(() => ({
  images: [...document.images].map(img => ({src: img.currentSrc, loaded: img.naturalWidth > 0})),
  scrollWidth: document.documentElement.scrollWidth,
  text: document.body.innerText,
}))
"""
AXE_RUN = """
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}, resultTypes: ["violations"]})
  .then(result => result.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", ")))
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    site = tmp_path_factory.mktemp("demo") / "site"
    shutil.copytree(
        ROOT / "examples" / "site", site, ignore=shutil.ignore_patterns("output", ".asa2render-*")
    )
    with Sandbox(SandboxOptions()) as sandbox:
        result = CliRunner(env={"XDG_STATE_HOME": str(site / "state")}).invoke(
            cli, ["build", str(site), "-o", str(site / "output"), "--sandbox", sandbox.url]
        )
        assert result.exit_code == 0, result.output
        yield site / "output" / "index.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    with Chromium(accept_lang="de-DE", timezone="Europe/Berlin") as running:
        yield running


def test_demo_pictures_load_from_the_sandbox(browser: Chromium, demo: Path) -> None:
    result: dict[str, Any] = browser.run(demo.as_uri(), PICTURES, width=360)
    assert result["images"], "the demo shows pictures"
    for image in result["images"]:
        assert image["loaded"], image
        assert "/_sandbox/images/" in image["src"] and "media-amazon" not in image["src"]
    assert result["scrollWidth"] <= 360


def test_demo_prices_follow_the_store(browser: Chromium, demo: Path) -> None:
    text = browser.run(demo.as_uri(), "document.body.innerText", width=1280)
    assert "14,90\u00a0€" in text  # the local product, formatted like the API's prices
    assert " EUR" not in text and "View on Amazon" not in text.split("Moltano Burr")[0]


@pytest.mark.parametrize("width", [360, 1280])
def test_demo_has_no_wcag_violations(browser: Chromium, demo: Path, width: int) -> None:
    assert browser.run(demo.as_uri(), AXE_RUN, width=width, inject=[AXE]) == []
