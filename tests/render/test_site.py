"""``build``'s pages: the site's language, the associate disclosure, the stylesheet beside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from asa2render.config.model import config_from_dict
from asa2render.engine import Engine
from asa2render.render.site import build_site


@pytest.mark.parametrize(
    ("settings", "lang", "disclosure"),
    [
        ({}, "de", "Als Amazon-Partner verdiene ich an qualifizierten Verkäufen."),
        ({"language": "en_GB"}, "en", "As an Amazon Associate I earn from qualifying purchases."),
    ],
)
def test_pages_speak_the_site_language(
    tmp_path: Path, settings: dict[str, str], lang: str, disclosure: str
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "index.md").write_text("# Hi\n", encoding="utf-8")
    config = config_from_dict(
        {
            "site": {"cache_dir": str(tmp_path / "cache"), **settings},
            "marketplaces": [{"country": "de", "default": True, "partner_tag": "t-21"}],
        },
        environ={},
    )
    with Engine(config, offline=True) as engine:
        build_site(engine, source, tmp_path / "out")
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page and disclosure in page
    assert '<meta name="color-scheme" content="light dark">' in page
    assert (tmp_path / "out" / "asa2render.css").is_file()


@pytest.mark.parametrize("output", ["out", "site/out", "site/deep/out", ".", "site"])
def test_site_pages_are_those_outside_the_output_folder(tmp_path: Path, output: str) -> None:
    from asa2render.render.site import _inside_site, _site_pages

    source = tmp_path / "site"
    for relative in ("a.md", "deep/b.md", "out/c.md", "deep/out/d.md", "deep/out.md/e.md"):
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        (source / relative).write_text("x\n", encoding="utf-8")
    folder = tmp_path / output
    reference = sorted(p for p in source.rglob("*.md") if _inside_site(p, source, folder))  # checks each page
    assert _site_pages(source, folder) == reference
