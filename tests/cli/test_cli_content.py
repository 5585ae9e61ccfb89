"""The content commands through click: outputs, exit codes, messages on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from asa2_fakes import LOCAL_DE_MARKETPLACE, LOCAL_PRODUCTS
from click.testing import CliRunner

from asa2render.cli.app import cli
from asa2render.render.logos import LOGO_FOLDER as LOGOS
from asa2render.render.logos import logo_assets

CONFIG = (
    """
[site]
products = "products.toml"
cache_dir = "cache"
"""
    + LOCAL_DE_MARKETPLACE
)
PRODUCTS = LOCAL_PRODUCTS


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASA2RENDER_SANDBOX", raising=False)
    (tmp_path / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "products.toml").write_text(PRODUCTS, encoding="utf-8")
    content = tmp_path / "content"
    (content / "sub").mkdir(parents=True)
    (content / "a.md").write_text(
        "# A\n\n[asa2]B0LOCAL001[/asa2]\n\n`[asa2]B0LOCAL001[/asa2]`\n", encoding="utf-8"
    )
    (content / "sub" / "b.html").write_text('<p>[asa2 asin="B0LOCAL001"]</p>\n<pre>[asa2]X[/asa2]</pre>\n')
    (content / "notes.txt").write_text("[asa2]B0LOCAL001[/asa2]")
    return tmp_path


def _run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_render_single_file_to_stdout(site: Path) -> None:
    code, out, _ = _run("render", "content/a.md", "--offline")
    assert code == 0
    assert out.startswith('# A\n\n<div class="asa2-box') and "`[asa2]B0LOCAL001[/asa2]`" in out


def test_render_directory_mirrors_tree(site: Path) -> None:
    code, _, err = _run("render", "content", "-o", "out", "--offline")
    assert code == 0, err
    written = (site / "out").rglob("*")
    assert sorted(
        str(p.relative_to(site / "out")) for p in written if p.is_file() and LOGOS not in p.parts
    ) == [
        "a.md",
        "asa2render.css",
        "notes.txt",
        "sub/b.html",
    ]
    assert sorted(p.name for p in (site / "out" / LOGOS).iterdir()) == sorted(
        Path(name).name for name in logo_assets()
    )  # the logo files beside the stylesheet, as build writes them
    assert (site / "out" / "notes.txt").read_text() == "[asa2]B0LOCAL001[/asa2]"  # copied, not expanded
    html = (site / "out" / "sub" / "b.html").read_text()
    assert html.startswith('<div class="asa2-box')  # the lone <p> was unwrapped
    assert "<pre>[asa2]X[/asa2]</pre>" in html
    assert "1 fresh" in err or "fresh" in err


def test_render_stdin_to_stdout(site: Path) -> None:
    code, out, _ = _run("render", "-", "--offline", input="x [asa2]B0LOCAL001[/asa2] y")
    # inline in a paragraph: the box is span-based (README "Inline boxes")
    assert code == 0 and out.startswith('x <span data-asa2-block="div"') and out.endswith("</span> y")


def test_directory_needs_output(site: Path) -> None:
    code, _, err = _run("render", "content", "--offline")
    assert code == 2 and "need -o DIR" in err


def test_warnings_have_locations_and_strict_exits_1(site: Path) -> None:
    (site / "content" / "bad.md").write_text('ok\n  [asa2 asin="nope"]\n', encoding="utf-8")
    code, _, err = _run("render", "content/bad.md", "-o", "out.md", "--offline")
    assert code == 0 and "content/bad.md:2:3: invalid ASIN 'nope'" in err
    assert 'data-asa2-state="fallback"' in (site / "out.md").read_text()
    code, _, err = _run("render", "content/bad.md", "-o", "strict.md", "--offline", "--strict")
    assert code == 1 and not (site / "strict.md").exists()


def test_bad_config_exits_2(site: Path) -> None:
    (site / "asa2render.toml").write_text('[[marketplaces]]\ncountry = "xx"\n', encoding="utf-8")
    code, _, err = _run("render", "content/a.md", "--offline")
    assert code == 2 and "unknown country 'xx'" in err and "asa2render.toml" in err


def test_check_json(site: Path) -> None:
    (site / "content" / "bad.md").write_text('[asa2 asin="B0LOCAL001" country="zz"]\n', encoding="utf-8")
    code, out, _ = _run("check", "content", "--format", "json", "--offline")
    rows = json.loads(out)
    assert code == 1
    assert {row["location"] for row in rows} >= {"content/a.md:3:1", "content/bad.md:1:1"}
    bad = next(row for row in rows if row["location"] == "content/bad.md:1:1")
    assert bad["status"] == "error" and bad["marketplace"] == "de"


def test_build_site(site: Path) -> None:
    code, out, err = _run("build", "content", "-o", "public", "--offline")
    assert code == 0, err
    page = (site / "public" / "a.html").read_text()
    assert 'data-asa2-state="fresh"' in page and "<code>[asa2]B0LOCAL001[/asa2]</code>" in page
    assert (site / "public" / "asa2render.css").exists() and (site / "public" / "notes.txt").exists()
    assert "Open" in out


def test_export_data(site: Path) -> None:
    code, out, _ = _run("export-data", "content", "--offline")
    data = json.loads(out)
    assert code == 0 and data["products"]["de"]["B0LOCAL001"]["title"] == "Local grinder"
    code, out, _ = _run("export-data", "content", "--offline", "--format", "yaml")
    assert code == 0 and "B0LOCAL001:" in out


def test_cache_commands(site: Path) -> None:
    code, out, _ = _run("cache", "stats")
    assert code == 0 and "products: 0" in out
    assert _run("cache", "prune")[0] == 0
    assert _run("cache", "clear")[0] == 0


def test_version() -> None:
    code, out, _ = _run("--version")
    assert code == 0 and "asa2render" in out


def test_render_mirrors_bundles_templates_and_writes_the_stylesheet_once(site: Path) -> None:
    bundle = site / "content" / "posts" / "trip"
    bundle.mkdir(parents=True)
    (bundle / "index.md").write_text('+++\ntitle = "[asa2]B0LOCAL001[/asa2]"\n+++\n[asa2]B0LOCAL001[/asa2]\n')
    (bundle / "photo.jpg").write_bytes(bytes(range(256)))
    (site / "content" / "_includes").mkdir()
    (site / "content" / "_includes" / "base.njk").write_text("{{ content | safe }} [asa2]B0LOCAL001[/asa2]")
    (site / "content" / ".git").mkdir()
    (site / "content" / ".git" / "HEAD").write_text("ref")

    code, _, err = _run("render", "content", "-o", "out", "--offline", "--host", "hugo")
    assert code == 0, err
    out = site / "out"
    assert (out / "posts" / "trip" / "photo.jpg").read_bytes() == bytes(range(256))
    assert (out / "_includes" / "base.njk").read_text().endswith("[asa2]B0LOCAL001[/asa2]")  # not a page
    assert not (out / ".git").exists()
    page = (out / "posts" / "trip" / "index.md").read_text()
    assert page.startswith('+++\ntitle = "[asa2]B0LOCAL001[/asa2]"\n+++\n\n<div class="asa2-box')
    assert (out / "asa2render.css").read_text().startswith((site / "out" / "asa2render.css").read_text()[:20])

    (site / "content" / "asa2render.css").write_text("/* mine */")
    code, _, err = _run("render", "content", "-o", "out2", "--offline", "--stylesheet", "static/asa2.css")
    assert code == 0, err
    assert (site / "out2" / "asa2render.css").read_text() == "/* mine */"  # the site's own file, mirrored
    assert "span[data-asa2-block]" in (site / "static" / "asa2.css").read_text()
    assert (site / "static" / LOGOS / "amazon-logo-small-de.svg").is_file()  # logos beside the stylesheet
    (site / "content" / LOGOS).mkdir()
    (site / "content" / LOGOS / "amazon-logo-small.svg").write_text("<svg/>")
    code, _, _ = _run("render", "content", "-o", "out3", "--offline", "--no-stylesheet")
    assert code == 0 and (site / "out3" / "asa2render.css").read_text() == "/* mine */"
    assert [p.name for p in (site / "out3" / LOGOS).iterdir()] == ["amazon-logo-small.svg"]  # none added
    code, _, _ = _run("render", "content", "-o", "out4", "--offline")
    assert code == 0 and (site / "out4" / LOGOS / "amazon-logo-small.svg").read_text() == "<svg/>"  # it wins
    assert (site / "out4" / LOGOS / "amazon-logo-large.svg").is_file()


def test_site_host_from_the_configuration_and_its_validation(site: Path) -> None:
    (site / "products.toml").write_text(PRODUCTS.replace("Local grinder", "Grinder {{ 7 | times: 6 }}"))
    (site / "asa2render.toml").write_text(CONFIG.replace("[site]\n", '[site]\nhost = "jekyll"\n'))
    code, out, err = _run("render", "-", "--offline", input="Intro\n[asa2]B0LOCAL001[/asa2]\nNext\n")
    assert code == 0, err
    assert out.startswith("Intro\n\n<div") and "&#123;&#123; 7 | times: 6 &#125;&#125;" in out
    code, out, _ = _run("render", "-", "--offline", "--host", "plain", input="[asa2]B0LOCAL001[/asa2]")
    assert code == 0 and "{{ 7 | times: 6 }}" in out  # --host wins over [site] host
    (site / "asa2render.toml").write_text(CONFIG.replace("[site]\n", '[site]\nhost = "gatsby"\n'))
    code, _, err = _run("render", "-", "--offline", input="x")
    assert code == 2 and "site.host" in err and "hugo" in err
