"""Product boxes: a Jinja2 environment we own, built-in templates and ASA2-style placeholders.

User templates (``[site] templates``) come first in the loader, so a user template named ``box``
replaces the built-in one. Labels, dates and numbers follow each box's store (one environment per
locale, see :mod:`.i18n`), or ``[site] language`` when set. Autoescape is on: product data is
untrusted, and only ``https`` Amazon links become ``href``s. Everything a shortcode renders carries
``data-asa2-asin`` and ``data-asa2-state`` (fresh, stale or fallback) on its root element, and is one
line of HTML so it can sit inside Markdown without ending an HTML block or starting a code block.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
from markupsafe import Markup

from ..config.model import Config
from ..errors import ConfigError, TemplateError
from ..marketplaces import get_store
from ..products.models import Product, ProductKey, Resolved, State
from ..products.resolve import ProductRequest
from ..products.urls import is_amazon_url, is_safe_image_url, with_tag
from .i18n import LABEL_MESSAGES, Labels, box_locale

BUILTIN_TEMPLATES = ("box", "compact", "fallback", "image", "list", "textlink")
MEMO_SIZE = 8192  # rendered boxes kept per renderer; cleared wholesale when full
# (product, size) → {"url", "width", "height"} of the picture to show, or None for none.
ImageSource = Callable[[Product, str], dict[str, Any] | None]
_BLANKS = re.compile(r"\n\s*")
_ROOT_ASIN = re.compile(r'data-asa2-asin="[^"]*"')
_STATE_RANK: dict[State, int] = {"fresh": 0, "stale": 1, "fallback": 2}

# Image sizes assumed when the data gives none: every <img> gets width and height (no layout shift);
# CSS keeps the real aspect ratio once the image has loaded.
DEFAULT_IMAGE_SIZES = {"small": 75, "medium": 160, "large": 500}
# The English labels, as ASA2-style template globals (each environment holds its locale's translation).
LABELS = dict(LABEL_MESSAGES)


def stylesheet() -> str:
    """The built-in product stylesheet."""
    return files("asa2render.render").joinpath("templates/asa2render.css").read_text(encoding="utf-8")


class Renderer:
    """Renders resolved products with compiled, reused templates."""

    def __init__(self, config: Config, *, image_source: ImageSource | None = None) -> None:
        """``image_source`` decides which picture a box shows (the gallery maps to local files)."""
        self.config = config
        self._image_source = image_source or product_image
        self._zone = _zone(config.site.timezone)
        self._envs: dict[str, jinja2.Environment] = {}
        self.locale = box_locale(config.default_country, config.site.language)
        self.env = self.environment(self.locale)
        self._memo: dict[Hashable, str] = {}

    def locale_for(self, country: str | None) -> str:
        """The locale of a box for a product of this store (``[site] language`` wins)."""
        return box_locale(country, self.config.site.language)

    def labels(self, locale: str | None = None) -> Labels:
        """The translated labels and formatters of a locale (the site's default locale when None)."""
        return Labels(locale or self.locale, self._zone, self.config.site.paid_label)

    def environment(self, locale: str) -> jinja2.Environment:
        """The Jinja environment of one locale, built on first use."""
        env = self._envs.get(locale)
        if env is None:
            env = self._envs[locale] = self._environment(locale)
        return env

    def _environment(self, locale: str) -> jinja2.Environment:
        loaders: list[jinja2.BaseLoader] = []
        user_dir = self.config.resolve_path(self.config.site.templates)
        if user_dir is not None and user_dir.is_dir():
            loaders.append(jinja2.FileSystemLoader(str(user_dir)))
        loaders.append(jinja2.PackageLoader("asa2render.render", "templates"))
        env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            undefined=jinja2.ChainableUndefined,
            auto_reload=False,
            cache_size=64,
            extensions=["jinja2.ext.i18n"],
        )
        labels = self.labels(locale)
        env.install_gettext_translations(labels.catalogue, newstyle=True)  # type: ignore[attr-defined]
        env.filters["asa2_href"] = _href
        env.filters["asa2_safe_image"] = is_safe_image_url
        env.filters.update(labels.filters())
        # Site-wide values are globals, so "_macros.html" can be imported without context: Jinja
        # caches a module imported that way instead of re-running it on every box.
        site = self.config.site
        env.globals.update(
            labels.globals(),
            link_rel=site.rel,
            link_target=site.target,
            disclaimer_url=site.disclaimer_url,
            asa2_image=self._image_source,
        )
        return env

    def format_time(self, moment: datetime) -> str:
        """``2026-11-27 14:11 UTC`` in the configured time zone."""
        return moment.astimezone(self._zone).strftime("%Y-%m-%d %H:%M %Z")

    def render(self, request: ProductRequest, resolved: Mapping[ProductKey, Resolved]) -> str:
        """The HTML for one shortcode, given every product resolved for the document.

        Sites repeat the same box on many pages, so the markup is memoised by everything it depends
        on: the request's template and attributes, and each product's state and fetch time.
        """
        items = [
            resolved.get(key) or Resolved(key_country=key.country, key_asin=key.asin) for key in request.keys
        ]
        memo_key = _memo_key(request, items)
        markup = self._memo.get(memo_key)
        if markup is None:
            markup = self._render_items(request, items)
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[memo_key] = markup
        return markup

    def _render_items(self, request: ProductRequest, items: list[Resolved]) -> str:
        try:
            if len(items) == 1 and request.template != "list":
                return self._single(request, items[0])
            if not items:
                return self._fallback(request, None)
            return self._list(request, items)
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"{request.location}: template {exc.name!r} not found") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{request.location}: template {request.template!r} failed: {exc}") from None

    def _single(self, request: ProductRequest, item: Resolved) -> str:
        if item.product is None or item.state == "fallback":
            return self._fallback(request, item)
        product = self._tagged(item.product, request)
        context = {
            "product": product,
            "state": item.state,
            "link_text": request.link_text,
            **placeholders(product),
        }
        return self._render(request.template, request, context, item.key_country)

    def _list(self, request: ProductRequest, items: Sequence[Resolved]) -> str:
        rows = [
            {
                "product": self._tagged(i.product, request) if i.product and i.state != "fallback" else None,
                "state": i.state,
                "asin": i.key_asin,
                "fallback_url": self.fallback_url(i.key, request),
            }
            for i in items
        ]
        state = max((i.state for i in items), key=_STATE_RANK.__getitem__)
        context = {"items": rows, "asins": [i.key_asin for i in items], "state": state}
        return self._render(request.template, request, context, items[0].key_country)

    def _fallback(self, request: ProductRequest, item: Resolved | None) -> str:
        context = {
            "asin": item.key_asin if item else "",
            "fallback_url": self.fallback_url(item.key, request) if item else None,
            "link_text": request.link_text,
            "state": "fallback",
        }
        return self._render("fallback", request, context, item.key_country if item else None)

    def _render(
        self, name: str, request: ProductRequest, context: dict[str, Any], country: str | None
    ) -> str:
        template = self.environment(self.locale_for(country)).get_template(f"{name}.html")
        html = template.render({"options": dict(request.options), **context})
        return _with_set(_BLANKS.sub("", html.strip()), request.associate_set)

    def fallback_url(self, key: ProductKey, request: ProductRequest | None = None) -> str:
        """The plain tagged product-page link shown when nothing better is possible."""
        store = get_store(key.country)
        if store is None:
            return ""
        tag, _ = self.config.partner_tag(key.country, request.associate_set if request else None)
        return store.product_url(key.asin, tag)

    def _tagged(self, product: Product, request: ProductRequest) -> Product:
        """Apply a shortcode's own associate set (``set="…"``) to the product link."""
        if not request.associate_set:
            return product
        tag, _ = self.config.partner_tag(product.country, request.associate_set)
        if tag is None:
            return product
        return product.model_copy(update={"url": with_tag(product.url, tag)})


def _with_set(html: str, associate_set: str | None) -> str:
    """Mark the root with the shortcode's associate set (``data-asa2-set``) after its ``data-asa2-asin``.

    The geo script needs the set to pick each store's tracking ID; added here rather than in every
    template so that users' own templates carry it too.
    """
    if not associate_set:
        return html
    match = _ROOT_ASIN.search(html)
    if match is None:
        return html
    value = str(Markup.escape(associate_set))
    return f'{html[: match.end()]} data-asa2-set="{value}"{html[match.end() :]}'


def product_image(product: Product, size: str = "large") -> dict[str, Any] | None:
    """The image of a size (else the best one) with width and height always set, or None.

    Only ``https`` images (and loopback ones, for the sandbox's placeholders) become ``src``.
    """
    images = product.images
    image = getattr(images, size, None) or images.best
    if image is None or not is_safe_image_url(image.url):
        return None
    fallback = DEFAULT_IMAGE_SIZES.get(size, DEFAULT_IMAGE_SIZES["large"])
    return {"url": image.url, "width": image.width or fallback, "height": image.height or fallback}


def _memo_key(request: ProductRequest, items: Sequence[Resolved]) -> Hashable:
    products = tuple(
        (i.key_country, i.key_asin, i.state, i.product.fetched_at if i.product else None) for i in items
    )
    options = tuple(sorted(request.options.items()))
    return (request.template, options, request.link_text, request.associate_set, products)


def placeholders(product: Product) -> dict[str, Any]:
    """ASA2's placeholder names for what the model holds, so ASA2 templates port with few edits."""
    price = product.price if not product.violates_map else None
    images = product.images
    features = list(product.features)
    return {
        "ASIN": product.asin,
        "Country": product.country,
        "Title": product.title,
        "DetailPageURL": _href(product.url),
        "Brand": product.brand or "",
        "SmallImageUrl": images.small.url if images.small else "",
        "MediumImageUrl": images.medium.url if images.medium else "",
        "LargeImageUrl": images.best.url if images.best else "",
        "OffersAutoPriceAmount": str(price.amount) if price else "",
        "OffersAutoPriceInteger": price.minor_units if price else "",
        "OffersAutoPriceCurrencyCode": price.currency if price else "",
        "OffersAutoPriceFormattedPrice": price.display if price else "",
        "ListPriceAmount": str(product.list_price.amount) if product.list_price else "",
        "ListPriceFormattedPrice": product.list_price.display if product.list_price else "",
        "AmountSavedFormattedPrice": product.savings.money.display
        if product.savings and product.savings.money
        else "",
        "PercentageSaved": product.savings.percentage if product.savings else "",
        "IsAvailable": product.is_available,
        "AvailabilityType": product.availability.type,
        "AvailabilityMessage": product.availability.message or "",
        "AvailabilityMinOrderQuantity": product.availability.min_order_quantity or "",
        "AvailabilityMaxOrderQuantity": product.availability.max_order_quantity or "",
        "ViolatesMAP": product.violates_map,
        "Features": features,
        "FeaturesHTML": Markup("<ul>{}</ul>").format(
            Markup("").join(Markup("<li>{}</li>").format(f) for f in features)
        )
        if features
        else "",
        "CustomerReviewsAverageRating": product.rating if product.rating is not None else "",
        "CustomerReviewsTotalReviews": product.review_count if product.review_count is not None else "",
        "FetchedAt": product.fetched_at,
    }


def _href(url: object) -> str:
    """Only https Amazon URLs become links; anything else turns into an inert ``#``."""
    return _safe_href(str(url or ""))


@lru_cache(maxsize=8192)
def _safe_href(text: str) -> str:
    return text if is_amazon_url(text) else "#"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {name!r}", key="site.timezone") from None


__all__ = ["BUILTIN_TEMPLATES", "LABELS", "Renderer", "placeholders", "product_image", "stylesheet"]
