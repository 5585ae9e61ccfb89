"""Issue 18 item 6: ``-o`` at or inside the input never destroys sources or reads its own output."""

from __future__ import annotations

from pathlib import Path

import pytest
from abuse_helpers import run

SOURCE = "# Page\n\n[asa2]B0LOCAL001[/asa2]\n"


@pytest.fixture
def page(site: Path) -> Path:
    path = site / "content" / "page.md"
    path.write_text(SOURCE, encoding="utf-8")
    (site / "content" / "sub").mkdir()
    (site / "content" / "sub" / "two.md").write_text(SOURCE, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["render", "content", "-o", "content"],
        ["render", "content", "-o", "./content/../content"],
        ["render", "content/page.md", "-o", "content/page.md"],
        ["render", "content/page.md", "-o", "content"],
        ["render", "content/sub/two.md", "content/page.md", "-o", "content"],
        ["build", "content", "-o", "content"],
        ["export-data", "content", "-o", "content/page.md"],
    ],
)
def test_an_output_that_is_an_input_is_refused(site: Path, page: Path, args: list[str]) -> None:
    outcome = run(*args, "--offline")
    assert outcome.code == 2
    assert outcome.stderr.startswith("asa2render: error: refusing to write the output")
    assert page.read_text(encoding="utf-8") == SOURCE
    assert (site / "content" / "sub" / "two.md").read_text(encoding="utf-8") == SOURCE
    assert sorted(p.name for p in (site / "content").rglob("*")) == ["page.md", "sub", "two.md"]


def test_an_output_folder_inside_the_input_is_never_read_back(site: Path, page: Path) -> None:
    for _ in range(3):
        outcome = run("render", "content", "-o", "content/out", "--offline")
        assert outcome.code == 0, outcome.stderr
        assert "2 shortcode(s)" in outcome.stderr  # never the copies in content/out
    out = site / "content" / "out"
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.md"))
    assert written == ["page.md", "sub/two.md"]
    assert page.read_text(encoding="utf-8") == SOURCE
    assert "Local grinder" in (site / "content" / "out" / "page.md").read_text(encoding="utf-8")


def test_build_output_inside_the_site_is_never_read_back(site: Path, page: Path) -> None:
    for _ in range(2):
        assert run("build", "content", "-o", "content/_site", "--offline").code == 0
    assert sorted(p.name for p in (site / "content" / "_site").rglob("*.html")) == ["page.html", "two.html"]
    assert not (site / "content" / "_site" / "_site").exists()


def test_in_place_rewrites_sources_and_keeps_backups(site: Path, page: Path) -> None:
    outcome = run("render", "content", "--in-place", "--offline")
    assert outcome.code == 0, outcome.stderr
    assert "Local grinder" in page.read_text(encoding="utf-8")
    assert (site / "content" / "page.md.bak").read_text(encoding="utf-8") == SOURCE
    assert (site / "content" / "sub" / "two.md.bak").read_text(encoding="utf-8") == SOURCE
    # A second run changes nothing, so it writes no file and no new backup.
    rendered = page.read_text(encoding="utf-8")
    assert run("render", "content", "--in-place", "--offline").code == 0
    assert page.read_text(encoding="utf-8") == rendered and not (site / "content" / "page.md.bak.1").exists()
    # New shortcodes: the older backup is kept, the new one gets the next free name.
    page.write_text(rendered + '\n[asa2 tpl="compact"]B0LOCAL001[/asa2]\n', encoding="utf-8")
    assert run("render", "content/page.md", "--in-place", "--offline").code == 0
    assert (site / "content" / "page.md.bak").read_text(encoding="utf-8") == SOURCE
    assert "[asa2 tpl" in (site / "content" / "page.md.bak.1").read_text(encoding="utf-8")


@pytest.mark.parametrize("extra", [["-o", "out"], ["-"]])
def test_in_place_takes_neither_output_nor_stdin(site: Path, page: Path, extra: list[str]) -> None:
    outcome = run("render", "content/page.md", "--in-place", "--offline", *extra)
    assert outcome.code == 2 and "--in-place" in outcome.stderr
    assert page.read_text(encoding="utf-8") == SOURCE


def test_an_output_that_is_a_hard_link_to_the_input_is_refused(site: Path, page: Path) -> None:
    (site / "alias.md").hardlink_to(page)
    outcome = run("render", "content/page.md", "-o", "alias.md", "--offline")
    assert outcome.code == 2 and "refusing to write the output over its input" in outcome.stderr
    assert page.read_text(encoding="utf-8") == SOURCE
