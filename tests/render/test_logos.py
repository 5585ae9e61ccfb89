"""The neutral text logos behind ``AmazonLogoSmallUrl`` / ``AmazonLogoLargeUrl``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from asa2render.marketplaces import STORES, store_for
from asa2render.render.logos import (
    LOGO_FOLDER,
    logo_assets,
    logo_file_name,
    logo_svg,
    logo_url,
    store_tld,
    write_logo_assets,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize("size", ["small", "large"])
def test_shipped_logos_are_plain_text_svgs(size: str) -> None:
    root = parse(logo_svg(size))  # type: ignore[arg-type]
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("aria-label") == "amazon"
    text = root.find(f"{SVG}text")
    assert text is not None and "".join(text.itertext()) == "amazon"
    assert root.find(f"{SVG}path") is None and root.find(f"{SVG}image") is None  # no traced artwork
    width, height = int(root.get("width", "0")), int(root.get("height", "0"))
    assert (width, height) == ((84, 30) if size == "small" else (168, 60))


def test_localized_logos_show_the_domain_and_grow_to_fit() -> None:
    plain = parse(logo_svg("small"))
    uk = parse(logo_svg("small", ".co.uk"))
    text = uk.find(f"{SVG}text")
    assert text is not None and "".join(text.itertext()) == "amazon.co.uk"
    assert int(uk.get("width", "0")) > int(plain.get("width", "0"))
    large = parse(logo_svg("large", ".co.uk"))
    assert int(large.get("width", "0")) == 2 * int(uk.get("width", "0"))
    assert uk.get("viewBox") == large.get("viewBox")


def test_store_domain_endings() -> None:
    assert store_tld(store_for("us")) == ".com"
    assert store_tld(store_for("uk")) == ".co.uk"
    assert store_tld(store_for("jp")) == ".co.jp"
    assert store_tld(store_for("de")) == ".de"


def test_every_store_has_both_sizes(tmp_path: Path) -> None:
    assets = logo_assets()
    assert len(assets) == 2 * (1 + len(STORES))
    assert f"{LOGO_FOLDER}/amazon-logo-large-jp.svg" in assets
    write_logo_assets(tmp_path)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / LOGO_FOLDER).iterdir())
    assert written == sorted(assets)
    for relative in written:
        parse((tmp_path / relative).read_text(encoding="utf-8"))


def test_urls() -> None:
    assert logo_file_name("small") == "amazon-logo-small.svg"
    assert logo_file_name("large", "fr") == "amazon-logo-large-fr.svg"
    assert (
        logo_url("small", "fr", localized=True, base_url="/a/")
        == "/a/asa2render-logos/amazon-logo-small-fr.svg"
    )
    assert (
        logo_url("small", "fr", localized=False, base_url="/a/")
        == "/a/asa2render-logos/amazon-logo-small.svg"
    )
    assert (
        logo_url("small", "xx", localized=True, base_url="/a/") == "/a/asa2render-logos/amazon-logo-small.svg"
    )
    inline = logo_url("large", "de", localized=True, base_url=None)
    assert inline.startswith("data:image/svg+xml;base64,") and len(inline) < 2000
