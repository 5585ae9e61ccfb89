"""ASA2's ``AmazonLogoSmallUrl`` / ``AmazonLogoLargeUrl``: neutral text logos shipped with the stylesheet.

The two shipped SVGs (``templates/logos/``) are a plain "amazon" wordmark set in a system font — our own
drawing, not Amazon's artwork. "Localized shop logos" adds the store's domain ending (``.de``,
``.co.uk``) in a lighter tone; those variants are derived from the shipped files, one per store.
The files are written beside ``asa2render.css`` (``asa2render-logos/``) by ``build``, ``gallery`` and the
integrations; a page links them under ``[placeholders] logo_base_url``, or inlines them as ``data:`` URLs
when no base is configured, so a box works wherever it is pasted.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ..marketplaces import STORES, Store, get_store
from ..patterns import lazy

LogoSize = Literal["small", "large"]
LOGO_SIZES: tuple[LogoSize, ...] = ("small", "large")
LOGO_FOLDER = "asa2render-logos"
_BASE_WIDTH = 84  # the drawing's width in viewBox units without a domain ending
_TLD_CHAR_WIDTH = 7.5  # average advance of a 15-unit regular Arial character, with room
_WIDTH = lazy(r'<svg([^>]*?) width="(\d+)"')
_VIEWBOX = lazy(r'viewBox="0 0 (\d+) (\d+)"')


@lru_cache(maxsize=2)
def _shipped(size: LogoSize) -> str:
    from importlib.resources import files  # (read once, when a box shows a logo: a kept box does not)

    path = files("asa2render.render").joinpath(f"templates/logos/amazon-logo-{size}.svg")
    return path.read_text(encoding="utf-8").strip()


def store_tld(store: Store) -> str:
    """The domain ending a localized logo shows: ``.de``, ``.co.uk``, ``.com``."""
    return "." + store.domain.removeprefix("www.").removeprefix("amazon.")


def logo_svg(size: LogoSize, tld: str | None = None) -> str:
    """The logo drawing, plain or with a domain ending (widened to fit it)."""
    svg = _shipped(size)
    if not tld:
        return svg
    extra = round(len(tld) * _TLD_CHAR_WIDTH) + 2
    scale = 2 if size == "large" else 1
    svg = svg.replace('<tspan class="tld"', '<tspan class="tld" dx="1"', 1)
    svg = svg.replace('font-weight="400"></tspan>', f'font-weight="400">{tld}</tspan>', 1)
    svg = _VIEWBOX().sub(lambda m: f'viewBox="0 0 {int(m[1]) + extra} {m[2]}"', svg, count=1)
    return _WIDTH().sub(lambda m: f'<svg{m[1]} width="{(_BASE_WIDTH + extra) * scale}"', svg, count=1)


def logo_file_name(size: LogoSize, country: str | None = None) -> str:
    """``amazon-logo-small.svg``, or ``amazon-logo-small-uk.svg`` for the UK store's localized logo."""
    return f"amazon-logo-{size}-{country}.svg" if country else f"amazon-logo-{size}.svg"


def logo_url(size: LogoSize, country: str | None, *, localized: bool, base_url: str | None) -> str:
    """The URL a template puts in ``<img src>``: under ``base_url``, else an inline ``data:`` URL."""
    store = get_store(country) if localized and country else None
    if base_url is not None:
        return f"{base_url}{LOGO_FOLDER}/{logo_file_name(size, store.country if store else None)}"
    return _data_url(size, store_tld(store) if store else None)


@lru_cache(maxsize=128)
def _data_url(size: LogoSize, tld: str | None) -> str:
    encoded = base64.b64encode(logo_svg(size, tld).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def logo_assets() -> dict[str, str]:
    """Every logo file (plain and one per store) by its path relative to the stylesheet's folder."""
    assets: dict[str, str] = {}
    for size in LOGO_SIZES:
        assets[f"{LOGO_FOLDER}/{logo_file_name(size)}"] = logo_svg(size)
        for store in STORES:
            assets[f"{LOGO_FOLDER}/{logo_file_name(size, store.country)}"] = logo_svg(size, store_tld(store))
    return assets


def write_logo_assets(folder: Path) -> None:
    """Write the logo files into ``folder`` (the stylesheet's folder), under ``asa2render-logos/``."""
    for relative, svg in logo_assets().items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(svg + "\n", encoding="utf-8")  # like the stylesheet beside it


__all__ = [
    "LOGO_FOLDER",
    "LOGO_SIZES",
    "LogoSize",
    "logo_assets",
    "logo_file_name",
    "logo_svg",
    "logo_url",
    "store_tld",
    "write_logo_assets",
]
