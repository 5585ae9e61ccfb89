"""``asa2render gallery``: every built-in template in every state on one page, for review and tests.

Each template (``box``, ``compact``, ``image``, ``list``, ``textlink``, ``fallback``) is shown fresh,
stale, as the compliant fallback, with its price hidden by a MAP rule, out of stock, without a picture
and with a very long title, plus a few stores' languages. Pictures are the sandbox's placeholders
written beside the page, so the gallery looks right offline; each case sits in an element carrying
``data-gallery-template`` and ``data-gallery-case`` so browser tests can find it.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..config.model import Config, config_from_dict
from ..marketplaces import store_for
from ..money import format_money
from ..products.models import (
    Availability,
    Image,
    Images,
    Money,
    Product,
    ProductKey,
    Resolved,
    Savings,
    State,
    utc_now,
)
from ..products.resolve import TAGS, ProductRequest, resolve
from ..sandbox.images import placeholder_svg
from ..shortcodes import parse
from .logos import write_logo_assets
from .renderer import DEFAULT_IMAGE_SIZES, Renderer, stylesheet
from .site import STYLESHEET_NAME

TEMPLATES = ("box", "compact", "image", "list", "textlink", "fallback")
CASES = ("fresh", "stale", "fallback", "map-hidden", "out-of-stock", "no-image", "long-title")
LOCALES = ("de", "fr", "jp")  # stores whose language and money format the gallery shows too
IMAGES_DIR = "images"
LONG_TITLE = (
    "Nordlicht Professional Stainless-Steel Espresso Machine with Integrated Conical Burr Grinder, "
    "Milk Frother, 15-Bar Italian Pump, Dual Boilers and Programmable Shots — "
    "ModelNumberNLX9000ProMaxPlusAnniversaryEditionWithExtraLongIdentifier2026"
)
_SAMPLE_TITLES = {
    "us": "Kestrel Compact Bluetooth Speaker, 24 h Battery, Waterproof",
    "de": "Moltano Kegelmahlwerk Kaffeemühle, 40 Mahlgrade, Edelstahl",
    "fr": "Lumina Lampe de bureau LED, 5 niveaux de luminosité",
    "jp": "Oakridge ステンレス 電気ケトル 1.0L",
}
_PRICES = {
    "us": ("49.99", "64.99"),
    "de": ("84.99", "109.99"),
    "fr": ("39.90", "49.90"),
    "jp": ("1980", "2480"),
}
_FEATURES = (
    "Rich, room-filling sound with deep bass",
    "Up to 24 hours of playback on one charge",
    "IP67 waterproof and dustproof",
)
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>asa2render template gallery</title>
<link rel="stylesheet" href="{css}">
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.5}}
.gallery-case{{margin:0 0 1.5rem}}h3{{font-size:1rem;margin:.5rem 0}}
@media (prefers-color-scheme:dark){{body{{background:#121416;color:#e8eaed}}a{{color:#8ab4f8}}}}</style>
</head>
<body>
<main>
<h1>asa2render template gallery</h1>
{body}
</main>
<footer><p class="asa2-disclosure">{disclosure}</p></footer>
</body>
</html>
"""


@dataclass(frozen=True)
class _Case:
    template: str
    case: str
    country: str
    html: str


def gallery_config() -> Config:
    """The configuration the gallery renders with when the site gives none: four stores, UTC."""
    markets = [
        {"country": "us", "partner_tag": "gallery-20", "default": True},
        {"country": "de", "partner_tag": "gallery-21"},
        {"country": "fr", "partner_tag": "gallery-21"},
        {"country": "jp", "partner_tag": "gallery-22"},
    ]
    return config_from_dict({"site": {"templates": None}, "marketplaces": markets}, environ={})


def build_gallery(output: Path, config: Config | None = None) -> Path:
    """Write ``index.html``, the stylesheet and the pictures to ``output``; returns the page's path."""
    config = config or gallery_config()
    renderer = Renderer(config, image_source=_local_image)
    cases = list(_cases(renderer, config))
    output.mkdir(parents=True, exist_ok=True)
    pictures = output / IMAGES_DIR
    pictures.mkdir(exist_ok=True)
    for asin in sorted({_asin(c, n) for c in ("us", *LOCALES) for n in range(3)}):
        for size in sorted(set(DEFAULT_IMAGE_SIZES.values())):
            (pictures / f"{asin}-{size}.svg").write_text(placeholder_svg(asin, size), encoding="utf-8")
    (output / STYLESHEET_NAME).write_text(stylesheet(), encoding="utf-8")
    write_logo_assets(output)
    page = output / "index.html"
    disclosure = html.escape(str(renderer.env.globals["disclosure"]))
    page.write_text(
        _PAGE.format(css=STYLESHEET_NAME, body=_body(cases), disclosure=disclosure), encoding="utf-8"
    )
    return page


def _body(cases: list[_Case]) -> str:
    parts: list[str] = []
    section = None
    for case in cases:
        heading = case.template if case.country == "us" else f"{case.template} ({case.country})"
        if heading != section:
            if section is not None:
                parts.append("</section>")
            parts.append(f'<section><h2 id="{_slug(heading)}">{html.escape(heading)}</h2>')
            section = heading
        wrapper = "p" if case.template in ("textlink", "fallback") else "div"
        intro = "Our pick: " if wrapper == "p" else ""
        parts.append(
            f'<div class="gallery-case" data-gallery-template="{case.template}"'
            f' data-gallery-case="{case.case}" data-gallery-country="{case.country}">'
            f"<h3>{html.escape(case.case)}</h3>"
            f"<{wrapper}>{intro}{case.html}</{wrapper}></div>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def _cases(renderer: Renderer, config: Config) -> Iterator[_Case]:
    for template in TEMPLATES:
        for case in CASES:
            yield _Case(template, case, "us", _render(renderer, config, template, case, "us"))
    for country in LOCALES:
        for template in ("box", "compact", "list"):
            yield _Case(template, "fresh", country, _render(renderer, config, template, "fresh", country))


def _render(renderer: Renderer, config: Config, template: str, case: str, country: str) -> str:
    count = 3 if template == "list" else 1
    keys = [ProductKey(country, _asin(country, n)) for n in range(count)]
    shortcode = f'[asa2 asin="{",".join(k.asin for k in keys)}" country="{country}" tpl="{template}"]'
    request: ProductRequest = resolve(parse(shortcode, TAGS)[0], config)[0]
    resolved = {key: _resolved(key, case if n == 0 else "fresh", template) for n, key in enumerate(keys)}
    return renderer.render(request, resolved)


def _resolved(key: ProductKey, case: str, template: str) -> Resolved:
    if case == "fallback" or template == "fallback":
        return Resolved(key_country=key.country, key_asin=key.asin, state="fallback")
    state: State = "stale" if case == "stale" else "fresh"
    return Resolved(key_country=key.country, key_asin=key.asin, product=_product(key, case), state=state)


def _product(key: ProductKey, case: str) -> Product:
    store = store_for(key.country)
    amount, list_amount = _PRICES[key.country]
    price = _money(amount, store.currency, store.language)
    list_price = _money(list_amount, store.currency, store.language)
    saved = _money(str(list_price.amount - price.amount), store.currency, store.language)
    values: dict[str, Any] = {
        "asin": key.asin,
        "country": key.country,
        "title": f"{_SAMPLE_TITLES[key.country]} {key.asin[-1]}"
        if key.asin[-1] != "0"
        else _SAMPLE_TITLES[key.country],
        "url": store.product_url(key.asin, "gallery-20"),
        "images": Images(large=Image(url=key.asin), small=Image(url=key.asin)),
        "price": price,
        "list_price": list_price,
        "savings": Savings(money=saved, percentage=round(saved.amount / list_price.amount * 100)),
        "availability": Availability(type="IN_STOCK"),
        "brand": _SAMPLE_TITLES[key.country].split()[0],
        "features": _FEATURES,
        "rating": 4.5,
        "review_count": 1234,
        "fetched_at": utc_now() - timedelta(hours=20 if case == "stale" else 1),
        "source": "creators",
    }
    if case == "map-hidden":
        values["violates_map"] = True
    elif case == "out-of-stock":
        values.update(
            price=None, list_price=None, savings=None, availability=Availability(type="OUT_OF_STOCK")
        )
    elif case == "no-image":
        values["images"] = Images()
    elif case == "long-title":
        values["title"] = LONG_TITLE
    return Product.model_validate(values)


def _money(amount: str, currency: str, locale: str) -> Money:
    value = Decimal(amount)
    return Money(amount=value, currency=currency, display=format_money(value, currency, locale))


def _asin(country: str, number: int) -> str:
    return f"B0GAL{country.upper()}{number:03d}"


def _local_image(product: Product, size: str) -> dict[str, Any] | None:
    """The gallery's pictures are files beside the page (the product's image URL holds its ASIN)."""
    image = getattr(product.images, size, None) or product.images.best
    if image is None:
        return None
    pixels = DEFAULT_IMAGE_SIZES.get(size, DEFAULT_IMAGE_SIZES["large"])
    return {"url": f"{IMAGES_DIR}/{image.url}-{pixels}.svg", "width": pixels, "height": pixels}


__all__ = ["CASES", "LOCALES", "TEMPLATES", "build_gallery", "gallery_config"]
