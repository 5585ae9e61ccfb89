"""The gallery page: every template in every state, with local pictures and the stylesheet."""

from __future__ import annotations

import re
from pathlib import Path

from asa2render.render.gallery import CASES, LOCALES, TEMPLATES, build_gallery
from asa2render.render.renderer import stylesheet


def test_gallery_shows_every_template_in_every_case(tmp_path: Path) -> None:
    page = build_gallery(tmp_path / "g")
    html = page.read_text(encoding="utf-8")
    shown = set(re.findall(r'data-gallery-template="(\w+)" data-gallery-case="([\w-]+)"', html))
    assert {(t, c) for t in TEMPLATES for c in CASES} <= shown
    assert set(re.findall(r'data-gallery-country="(\w+)"', html)) == {"us", *LOCALES}
    assert (tmp_path / "g" / "asa2render.css").read_text(encoding="utf-8") == stylesheet()
    assert (tmp_path / "g" / "asa2render-logos" / "amazon-logo-small.svg").is_file()
    for src in re.findall(r'<img src="([^"]+)"', html):
        assert (tmp_path / "g" / src).is_file(), src  # offline: every picture sits beside the page


def test_gallery_states_look_as_they_should(tmp_path: Path) -> None:
    html = build_gallery(tmp_path).read_text(encoding="utf-8")

    def case(name: str) -> str:
        start = html.index(f'data-gallery-template="box" data-gallery-case="{name}"')
        return html[start : html.index('class="gallery-case"', start + 1)]

    assert 'data-asa2-state="stale"' in case("stale")
    assert 'data-asa2-state="fallback"' in case("fallback") and "$49.99" not in case("fallback")
    assert "See price on Amazon" in case("map-hidden") and "$49.99" not in case("map-hidden")
    assert "Currently unavailable" in case("out-of-stock")
    assert "<img" not in case("no-image") and "asa2-noimage" in case("no-image")
    assert "ModelNumberNLX9000" in case("long-title")
    assert "84,99\u00a0€" in html and "￥1,980" in html and "Bei Amazon ansehen" in html
    assert 'rel="sponsored nofollow noopener"' in case("fresh")


def test_stylesheet_is_small_and_self_contained() -> None:
    css = stylesheet()
    assert len(css.encode("utf-8")) <= 6 * 1024
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert "--asa2-accent" in css and "prefers-color-scheme:dark" in css


def test_gallery_uses_a_site_configuration(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from asa2render.cli.app import cli

    config = tmp_path / "asa2render.toml"
    config.write_text('[site]\nlanguage = "de"\npaid_label = "Werbung"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["gallery", "-o", str(tmp_path / "g"), "--config", str(config)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "g" / "index.html").read_text(encoding="utf-8")
    assert "View on Amazon" not in html and "Bei Amazon ansehen" in html and ">Werbung<" in html
    assert "$49.99" in html  # labels follow the site, prices keep their store's format
