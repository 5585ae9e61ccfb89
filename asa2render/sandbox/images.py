"""Placeholder product pictures the sandbox draws itself, so demos look right offline.

The sandbox never serves or links Amazon's images: its catalog names pictures by path
(``/_sandbox/images/B0DEMO0001.svg``) and item responses turn that into a URL on the sandbox itself,
with Amazon's size suffixes (``._SL160_``) so every size of the API has its own address. Each
picture is a small SVG drawn from the ASIN: a soft background, a product silhouette (bottle, box,
round device, book or mug) and its shadow; the same ASIN always gets the same picture.
"""

from __future__ import annotations

import hashlib
import re

from .wire import Incoming, Reply

IMAGE_PREFIX = "/_sandbox/images/"
_NAME = re.compile(r"^(?P<asin>[A-Z0-9]{10})(?:\._SL(?P<size>\d{2,4})_)?\.svg$")
# Pairs of (background tint, product colour), all muted enough to read as product photography.
_PALETTES = (
    ("#eef3f8", "#3d5a80"),
    ("#f6f1ea", "#9c6644"),
    ("#eef6f0", "#2d6a4f"),
    ("#f7eef2", "#9d4462"),
    ("#f1f0f7", "#5a4e9c"),
    ("#f4f4f2", "#3a3a3a"),
    ("#fdf3e6", "#d17a22"),
    ("#eaf4f6", "#1b7f8c"),
)
_SHAPES = (
    # bottle
    '<rect x="205" y="70" width="90" height="40" rx="10" fill="{dark}"/>'
    '<rect x="160" y="105" width="180" height="300" rx="40" fill="{main}"/>'
    '<rect x="185" y="200" width="130" height="110" rx="10" fill="{light}"/>',
    # box
    '<rect x="110" y="120" width="280" height="280" rx="18" fill="{main}"/>'
    '<rect x="110" y="120" width="280" height="60" rx="18" fill="{dark}"/>'
    '<rect x="150" y="230" width="200" height="24" rx="12" fill="{light}"/>',
    # round device
    '<circle cx="250" cy="250" r="150" fill="{main}"/><circle cx="250" cy="250" r="95" fill="{dark}"/>'
    '<circle cx="250" cy="250" r="35" fill="{light}"/>',
    # book
    '<rect x="140" y="90" width="220" height="320" rx="8" fill="{main}"/>'
    '<rect x="140" y="90" width="26" height="320" fill="{dark}"/>'
    '<rect x="195" y="150" width="130" height="18" rx="9" fill="{light}"/>'
    '<rect x="195" y="185" width="90" height="14" rx="7" fill="{light}"/>',
    # mug
    '<rect x="130" y="150" width="200" height="230" rx="24" fill="{main}"/>'
    '<path d="M330 200h30a45 45 0 0 1 0 90h-30v-28h28a17 17 0 0 0 0-34h-28z" fill="{dark}"/>'
    '<rect x="160" y="190" width="140" height="16" rx="8" fill="{light}"/>',
)


def placeholder_svg(asin: str, size: int = 500) -> str:
    """The placeholder picture of an ASIN as an SVG document ``size`` pixels square."""
    digest = hashlib.sha256(asin.encode()).digest()
    background, main = _PALETTES[digest[0] % len(_PALETTES)]
    shape = _SHAPES[digest[1] % len(_SHAPES)].format(main=main, dark=_shade(main, 0.7), light=background)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 500 500">'
        f'<rect width="500" height="500" fill="{background}"/>'
        f'<ellipse cx="250" cy="440" rx="150" ry="18" fill="#000" opacity=".08"/>{shape}</svg>'
    )


def _shade(colour: str, factor: float) -> str:
    """A darker version of a ``#rrggbb`` colour."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * factor):02x}" for c in channels)


def image_path(asin: str) -> str:
    """The catalog's path of an ASIN's placeholder (turned into a sandbox URL in item responses)."""
    return f"{IMAGE_PREFIX}{asin}.svg"


def image_reply(request: Incoming) -> Reply:
    """``GET /_sandbox/images/<ASIN>[._SL<px>_].svg``: the placeholder, cacheable for a day."""
    match = _NAME.match(request.path.removeprefix(IMAGE_PREFIX))
    if match is None:
        return Reply(404, b"not found", {"Content-Type": "text/plain"})
    size = min(int(match.group("size") or 500), 2000)
    body = placeholder_svg(match.group("asin"), size).encode()
    headers = {"Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400"}
    return Reply(200, body, headers)


__all__ = ["IMAGE_PREFIX", "image_path", "image_reply", "placeholder_svg"]
