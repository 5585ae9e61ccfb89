"""``asa2render init``: what each generator gets, and that existing files are kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from asa2render.cli.app import cli
from asa2render.config.model import load_config
from asa2render.render.renderer import stylesheet


@pytest.mark.parametrize(
    ("generator", "files"),
    [
        (
            "hugo",
            [
                "layouts/shortcodes/asa2.html",
                "layouts/partials/asa2-disclosure.html",
                "static/asa2render.css",
            ],
        ),
        ("eleventy", ["asa2render.eleventy.cjs", "asa2render.css", "eleventy.config.cjs"]),
        (
            "jekyll",
            [
                "_includes/asa2.html",
                "_includes/asa2-disclosure.html",
                "_plugins/asa2.rb",
                "assets/asa2render.css",
            ],
        ),
    ],
)
def test_init_writes_the_generator_files_and_a_starter_config(
    tmp_path: Path, generator: str, files: list[str]
) -> None:
    result = CliRunner().invoke(cli, ["init", generator, str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    for name in [*files, "asa2render.toml"]:
        assert (site / name).is_file(), name
        assert f"written  {site / name}" in result.output
    config = load_config(site / "asa2render.toml")
    assert config.site.host == generator and not config.marketplaces
    css = next(site / f for f in files if f.endswith(".css"))
    assert css.read_text() == stylesheet()
    assert "export-data" in result.output


def test_existing_files_are_kept_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "asa2render.toml").write_text("[site]\n")
    (tmp_path / ".eleventy.js").write_text("module.exports = () => {};\n")
    result = CliRunner().invoke(cli, ["init", "eleventy", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "asa2render.toml").read_text() == "[site]\n" and "kept" in result.output
    assert not (tmp_path / "eleventy.config.cjs").exists()  # the site has its own config
    assert 'addPlugin(require("./asa2render.eleventy.cjs"))' in result.output
    result = CliRunner().invoke(cli, ["init", "eleventy", str(tmp_path), "--force"])
    assert "replaced" in result.output and 'host = "eleventy"' in (tmp_path / "asa2render.toml").read_text()
