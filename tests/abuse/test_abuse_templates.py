"""Issue 18 item 3: template names are names, and a failing template costs one box, never the run."""

from __future__ import annotations

from pathlib import Path

import pytest
from abuse_helpers import run

BAD_NAMES = ["nosuch", "../../etc/passwd", "/etc/passwd", "_macros", "fallback", "box.html", "a\x00b"]
AVAILABLE = "available: box, compact, image, list, textlink"


def _page(site: Path, tpl: str) -> Path:
    page = site / "content" / "page.md"
    escaped = tpl.replace('"', "&quot;")
    page.write_text(
        f'# Page\n\n[asa2 tpl="{escaped}"]B0LOCAL001[/asa2]\n\n[asa2 tpl="compact"]B0LOCAL001[/asa2]\n',
        encoding="utf-8",
    )
    (site / "content" / "other.md").write_text("[asa2]B0LOCAL001[/asa2]\n", encoding="utf-8")
    return page


@pytest.mark.parametrize("name", BAD_NAMES)
def test_unknown_or_private_template_is_located_and_falls_back(site: Path, name: str) -> None:
    _page(site, name)
    outcome = run("render", "content", "-o", "out", "--offline")
    assert outcome.code == 0, outcome.stderr
    assert f"content/page.md:3:1: unknown template {name!r}; {AVAILABLE}" in outcome.stderr
    page = (site / "out" / "page.md").read_text(encoding="utf-8")
    first, second = page.split("\n\n")[1:3]
    assert first.startswith('<a class="asa2-fallback"') and 'data-asa2-state="fallback"' in first
    assert "?tag=mytag-21" in first and 'rel="sponsored nofollow noopener"' in first
    assert second.startswith('<div class="asa2-compact asa2-fresh')  # the good shortcode still renders
    assert "asa2-box" in (site / "out" / "other.md").read_text(encoding="utf-8")  # and the other page
    assert "root:" not in page  # /etc/passwd was never read


@pytest.mark.parametrize("name", ["nosuch", "../../etc/passwd", "_macros", "a\x00b"])
def test_unknown_template_fails_strict_runs_and_check(site: Path, name: str) -> None:
    _page(site, name)
    strict = run("render", "content/page.md", "--offline", "--strict")
    assert strict.code == 1 and "unknown template" in strict.stderr
    check = run("check", "content/page.md", "--offline")
    assert check.code == 1
    assert f"content/page.md:3:1: [asa2] de B0LOCAL001 fresh error: unknown template {name!r}" in check.stdout
    assert "content/page.md:5:1: [asa2] de B0LOCAL001 fresh ok" in check.stdout


USER_TEMPLATES = {
    "syntax": ("{% if %}", "template 'syntax' has a syntax error ("),
    "raises": ("{{ 1 / 0 }}", "template 'raises' failed: ZeroDivisionError: division by zero"),
    "badfilter": ("{{ product.title | asa2_datetime }}", "template 'badfilter' failed: AttributeError"),
    "undefined": ("{{ product.title.nope() }}", "template 'undefined' failed:"),
    "recursive": ('{% include "recursive.html" %}', "template 'recursive' failed: RecursionError"),
}


@pytest.mark.parametrize("name", list(USER_TEMPLATES))
def test_a_broken_user_template_costs_one_box(site: Path, name: str) -> None:
    source, message = USER_TEMPLATES[name]
    (site / "templates").mkdir()
    (site / "templates" / f"{name}.html").write_text(source, encoding="utf-8")
    _page(site, name)
    outcome = run("render", "content", "-o", "out", "--offline")
    assert outcome.code == 0, outcome.stderr
    located = [line for line in outcome.stderr.splitlines() if line.startswith("content/page.md:3:1: ")]
    assert located and message in located[0], outcome.stderr
    page = (site / "out" / "page.md").read_text(encoding="utf-8")
    assert 'data-asa2-state="fallback"' in page and "asa2-compact asa2-fresh" in page
    assert run("render", "content/page.md", "--offline", "--strict").code == 1
    assert run("check", "content/page.md", "--offline").code == 1


def test_a_broken_user_fallback_template_still_gives_a_compliant_link(site: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates" / "fallback.html").write_text("{{ 1 / 0 }}", encoding="utf-8")
    _page(site, "nosuch")
    outcome = run("render", "content/page.md", "--offline")
    assert outcome.code == 0, outcome.stderr
    assert (
        '<a class="asa2-fallback" href="https://www.amazon.de/dp/B0LOCAL001?tag=mytag-21" '
        'rel="sponsored nofollow noopener" target="_blank"' in outcome.stdout
    )


def test_user_templates_are_listed_and_usable(site: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates" / "mine.html").write_text('<b data-asa2-state="{{ state }}">{{ Title }}</b>', "utf-8")
    (site / "templates" / "_helpers.html").write_text("private", encoding="utf-8")
    _page(site, "nosuch")
    outcome = run("render", "content/page.md", "--offline")
    assert "available: box, compact, image, list, mine, textlink" in outcome.stderr
    (site / "content" / "page.md").write_text('[asa2 tpl="mine"]B0LOCAL001[/asa2]\n', encoding="utf-8")
    assert (
        run("render", "content/page.md", "--offline").stdout
        == '<b data-asa2-asin="B0LOCAL001" data-asa2-state="fresh">Local grinder</b>\n'
    )


def test_an_unknown_default_template_is_a_configuration_error(site: Path) -> None:
    config = (site / "asa2render.toml").read_text(encoding="utf-8")
    (site / "asa2render.toml").write_text(config.replace("[site]\n", '[site]\ntemplate = "../x"\n'), "utf-8")
    _page(site, "box")
    outcome = run("render", "content/page.md", "--offline")
    assert outcome.code == 2
    assert outcome.stderr.startswith(
        f"asa2render: error: site.template: unknown template '../x'; {AVAILABLE}"
    )
