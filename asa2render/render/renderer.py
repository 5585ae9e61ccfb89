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
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
from markupsafe import Markup, escape

from ..config.model import Config
from ..errors import ConfigError, TemplateError
from ..marketplaces import get_store
from ..products.models import Product, ProductKey, Resolved, State
from ..products.resolve import ProductRequest
from ..products.urls import is_amazon_url, is_safe_image_url, with_tag
from .i18n import LABEL_MESSAGES, Labels, box_locale

BUILTIN_TEMPLATES = ("box", "compact", "fallback", "image", "list", "textlink")
SINGLE_TEMPLATES = frozenset({"box", "compact", "image", "textlink"})  # built-ins that show one product
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

    def __init__(
        self, config: Config, *, image_source: ImageSource | None = None, trusted_links: Iterable[str] = ()
    ) -> None:
        """``image_source`` decides which picture a box shows (the gallery maps to local files);
        ``trusted_links`` are the non-Amazon URLs of the user's own shop products, allowed as links."""
        self.config = config
        self._image_source = image_source or product_image
        self._zone = _zone(config.site.timezone)
        self._trusted = frozenset(trusted_links)
        self._envs: dict[str, jinja2.Environment] = {}
        self.locale = box_locale(config.default_country, config.site.language)
        self.env = self.environment(self.locale)
        self._memo: dict[Hashable, str] = {}

    def href(self, url: object) -> str:
        """Only https Amazon URLs (and the user's own shop links) become links; others become ``#``."""
        text = str(url or "")
        return text if text in self._trusted else _safe_href(text)

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
        env.filters["asa2_href"] = self.href
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
            lists = request.search is not None or request.smart is not None
            if not lists and len(items) == 1 and request.template != "list":
                return self._single(request, items[0])
            shown = [i for i in items if i.action != "hide"]
            if not shown:
                return self._empty(request, items)
            if lists and request.template in SINGLE_TEMPLATES:
                # tpl="box" on a search or collection: one box per product, side by side.
                return "".join(self._single(request, item) for item in shown)
            return self._list(request, shown)
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"{request.location}: template {exc.name!r} not found") from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{request.location}: template {request.template!r} failed: {exc}") from None

    def _empty(self, request: ProductRequest, items: list[Resolved]) -> str:
        """Nothing to list: a search link for a search, a comment for a collection or hidden products."""
        if request.search is not None and request.fallback_url:
            label = self._search_label(request.search.country)
            text = f"{label}: {request.search.keywords}"
            return self._link(request, request.fallback_url, text, "", request.search.country)
        if items:  # every product hidden by [site] unavailable
            return _comment(", ".join(f"{i.key} hidden: {i.unavailable}" for i in items))
        if request.smart is not None:
            return _comment("smart collection: no product matches")
        return self._fallback(request, None)

    def _single(self, request: ProductRequest, item: Resolved) -> str:
        if item.action == "hide":
            # A hidden text link keeps its words, unlinked: the sentence around it must still read.
            text = str(escape(request.link_text)) if request.link_text else ""
            return _comment(f"{item.key} hidden: {item.unavailable}") + text
        if item.action == "search-link" and item.search_url:
            text = request.link_text or self._search_label(item.key_country)
            return self._link(request, item.search_url, text, item.key_asin, item.key_country)
        if item.product is None or item.state == "fallback":
            return self._fallback(request, item)
        product = self._tagged(item.product, request)
        context = {
            "product": product,
            "state": item.state,
            "link_text": request.link_text,
            **placeholders(product, href=self.href),
        }
        html = self._render(request.template, request, context, item.key_country)
        return _mark_replacement(html, item) if item.replaced_by else html

    def _list(self, request: ProductRequest, items: Sequence[Resolved]) -> str:
        rows = [self._row(request, i) for i in items]
        states = [i.state for i in items]
        if request.list_state is not None:
            states.append(request.list_state)
        state = max(states, key=_STATE_RANK.__getitem__)
        context = {"items": rows, "asins": [i.key_asin for i in items], "state": state}
        return self._render(request.template, request, context, items[0].key_country)

    def _row(self, request: ProductRequest, item: Resolved) -> dict[str, Any]:
        linked = item.action == "search-link" and item.search_url
        shown = item.product is not None and item.state != "fallback" and not linked
        return {
            "product": self._tagged(item.product, request) if shown and item.product else None,
            "state": item.state if not linked else "fallback",
            "asin": item.key_asin,
            "fallback_url": item.search_url if linked else self.fallback_url(item.key, request),
            "replaces": item.key_asin if item.replaced_by else None,
            "review_html": review_html(item.product.review) if shown and item.product else "",
        }

    def _link(self, request: ProductRequest, url: str, text: str, asin: str, country: str) -> str:
        context = {"asin": asin, "fallback_url": url, "link_text": text, "state": "fallback"}
        return self._render("fallback", request, context, country)

    def _search_label(self, country: str) -> str:
        return self.labels(self.locale_for(country)).gettext(LABEL_MESSAGES["search_label"])

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
        (
            i.key_country,
            i.key_asin,
            i.state,
            i.product.fetched_at if i.product else None,
            i.action,
            i.replaced_by,
        )
        for i in items
    )
    options = tuple(sorted(request.options.items()))
    lists = (request.search, request.smart is not None, request.fallback_url, request.list_state)
    return (request.template, options, request.link_text, request.associate_set, products, lists)


def _comment(text: str) -> str:
    """An HTML comment that cannot be closed early by the text inside it."""
    return f"<!-- asa2: {text.replace('--', '- -')} -->"


_FIRST_TAG = re.compile(r"^<([a-zA-Z][a-zA-Z0-9]*)")


def _mark_replacement(html: str, item: Resolved) -> str:
    """A replacement says so: a comment, and ``data-asa2-replaces`` on the box's root element."""
    marked = _FIRST_TAG.sub(lambda m: f'{m.group(0)} data-asa2-replaces="{item.key_asin}"', html, count=1)
    return _comment(f"{item.key} {item.unavailable}; replaced by {item.replaced_by}") + marked


def review_html(text: str | None) -> Markup:
    """The user's review (Markdown) as HTML; raw HTML in it is escaped, not passed through."""
    if not text:
        return Markup("")
    return Markup(_review_markdown().render(text).strip())


@lru_cache(maxsize=1)
def _review_markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


def placeholders(product: Product, href: Callable[[object], str] | None = None) -> dict[str, Any]:
    """ASA2's placeholder names for what the model holds, so ASA2 templates port with few edits."""
    href = href or _href
    price = product.price if not product.violates_map else None
    images = product.images
    features = list(product.features)
    return {
        "ASIN": product.asin,
        "Country": product.country,
        "Title": product.title,
        "DetailPageURL": href(product.url),
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
        "Categories": list(product.categories),
        "Tags": list(product.tags),
        "Review": product.review or "",
        "ReviewHTML": review_html(product.review),
        "Shop": product.shop or "",
        "IsAmazon": product.is_amazon,
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


__all__ = [
    "BUILTIN_TEMPLATES",
    "LABELS",
    "Renderer",
    "placeholders",
    "product_image",
    "review_html",
    "stylesheet",
]
