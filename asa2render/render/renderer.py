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
import sys
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import Markup, escape

from ..config.model import Config, PlaceholdersConfig
from ..errors import ConfigError, TemplateError
from ..marketplaces import get_store
from ..money import quantize
from ..patterns import lazy
from ..products.autoprice import auto_price, is_available, main_price
from ..products.models import Money, OfferCondition, Product, ProductKey, Resolved, State
from ..products.resolve import Problem, ProductRequest
from ..products.urls import is_amazon_url, is_safe_image_url, with_tag
from . import box_store
from .i18n import LABEL_MESSAGES, Labels, box_locale
from .logos import LogoSize, logo_url
from .user_templates import UserTemplates, WordPressBridgeError

if TYPE_CHECKING:
    # Imported where an environment is built or its errors are caught: a one-file render whose box
    # is kept (box_store.py) never builds one, and Jinja costs 45-55 ms of its start-up.
    import jinja2

BUILTIN_TEMPLATES = ("box", "compact", "fallback", "image", "list", "textlink")
SINGLE_TEMPLATES = frozenset({"box", "compact", "image", "textlink"})  # built-ins that show one product
MEMO_SIZE = 8192  # rendered boxes kept per renderer; cleared wholesale when full
# (product, size) → {"url", "width", "height"} of the picture to show, or None for none.
ImageSource = Callable[[Product, str], dict[str, Any] | None]
_BLANKS = re.compile(r"\n\s*")
_ROOT_ASIN = lazy(r'data-asa2-asin="[^"]*"')
_STATE_RANK: dict[State, int] = {"fresh": 0, "stale": 1, "fallback": 2}
# What a template name may look like: a file name stem, no folders, no leading "_" (private helpers).
_TEMPLATE_NAME = lazy(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
_INTERNAL = frozenset({"fallback"})  # rendered by the renderer itself, not chosen with tpl=

# Image sizes assumed when the data gives none: every <img> gets width and height (no layout shift);
# CSS keeps the real aspect ratio once the image has loaded.
DEFAULT_IMAGE_SIZES = {"small": 75, "medium": 160, "large": 500}
# The English labels, as ASA2-style template globals (each environment holds its locale's translation).
LABELS = dict(LABEL_MESSAGES)


def stylesheet() -> str:
    """The built-in product stylesheet."""
    from importlib.resources import files  # (a directory run writes it; a one-file render does not)

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
        self._twig_globals: dict[str, dict[str, Any]] = {}  # site globals per locale, for Twig contexts
        self.locale = box_locale(config.default_country, config.site.language)
        self.user_templates = UserTemplates(
            self.config.resolve_path(self.config.site.templates), config.site.timezone, lambda: self.env
        )
        self.problems: list[Problem] = []  # template problems since the last take_problems()
        self._memo: dict[Hashable, str] = {}
        # Boxes kept between builds (box_store.py); only with the built-in image source, whose
        # choices the store's key covers. Opened on the first box, None once known to be off.
        self._keeps_boxes = image_source is None and box_store.enabled()
        self._boxes: box_store.BoxStore | None = None
        self._names: list[str] | None = None
        self._problems: dict[str, str | None] = {}

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

    @property
    def env(self) -> jinja2.Environment:
        """The Jinja environment of the site's default locale, built on first use."""
        return self.environment(self.locale)

    def environment(self, locale: str) -> jinja2.Environment:
        """The Jinja environment of one locale, built on first use."""
        env = self._envs.get(locale)
        if env is None:
            env = self._envs[locale] = self._environment(locale)
        return env

    def _environment(self, locale: str) -> jinja2.Environment:
        import jinja2

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
            bytecode_cache=_bytecode_cache(),
        )
        labels = self.labels(locale)
        env.install_gettext_translations(labels.catalogue, newstyle=True)  # type: ignore[attr-defined]
        env.filters["asa2_href"] = self.href
        env.filters["asa2_safe_image"] = is_safe_image_url
        env.filters.update(labels.filters())
        # Site-wide values are globals, so "_macros.html" can be imported without context: Jinja
        # caches a module imported that way instead of re-running it on every box.
        env.globals.update(self.site_globals(locale))
        return env

    def site_globals(self, locale: str) -> dict[str, Any]:
        """Labels and link settings every template sees: Jinja globals, merged into Twig contexts."""
        found = self._twig_globals.get(locale)
        if found is None:
            site = self.config.site
            found = self._twig_globals[locale] = {
                **self.labels(locale).globals(),
                "link_rel": site.rel,
                "link_target": site.target,
                "disclaimer_url": site.disclaimer_url,
                "asa2_image": self._image_source,
            }
        return found

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
        settings = _settings(request)
        memo_key = _memo_key(settings, items)
        markup = self._memo.get(memo_key)
        if markup is None:
            boxes = self._box_store()
            kept_key = ""
            if boxes is not None:  # products by their whole data: JSON is 6x cheaper than repr
                kept_key = box_store.box_key(settings, Resolved.json_bytes(items))
            markup = boxes.get(kept_key) if boxes is not None else None
            if markup is None:
                problems_before = len(self.problems)
                markup = self._render_items(request, items)
                if len(self.problems) > problems_before:
                    return markup  # neither memoised nor kept: every use must report its problem
                if boxes is not None:
                    fetched = [i.product.fetched_at for i in items if i.product is not None]
                    boxes.put(kept_key, markup, min(fetched).timestamp() if fetched else None)
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[memo_key] = markup
        return markup

    def read_kept_boxes(self) -> None:
        """Read the boxes kept by earlier builds now rather than at the first box (same store, same boxes).

        A ``--jobs`` worker does it while its parent fetches the products, off the critical path.
        """
        boxes = self._box_store()
        if boxes is not None:
            boxes.load()

    def close(self) -> None:
        """Keep the boxes rendered since the last close for later builds (see box_store.py)."""
        if self._boxes is not None:
            self._boxes.save()

    def _box_store(self) -> box_store.BoxStore | None:
        if self._boxes is None and self._keeps_boxes:
            self._keeps_boxes = False  # decided once: opened below, or off for good
            try:
                folder = box_store.private_folder()  # Jinja's private per-user folder, checked as Jinja does
            except (OSError, RuntimeError):
                return None
            templates = self.config.resolve_path(self.config.site.templates)
            fingerprint = box_store.fingerprint(self.config, self._trusted, templates)
            self._boxes = box_store.store_for(fingerprint, folder)
        return self._boxes

    def take_problems(self) -> list[Problem]:
        """Template problems recorded since the last call (a rejected user template, …)."""
        problems, self.problems = self.problems, []
        return problems

    def _render_items(self, request: ProductRequest, items: list[Resolved]) -> str:
        try:
            return self._render_any(request, items)
        except TemplateError as exc:
            bridge = isinstance(exc, WordPressBridgeError)
            if not bridge and not _is_twig_error(exc):
                raise
            # A pasted template that cannot work here must not break the page: lenient runs get the
            # compliant fallback box and a located problem; strict mode fails on the problem.
            code = "template-wordpress" if bridge else "template-twig"
            message = f"template {request.template!r}: {exc}"
            self.problems.append(Problem(request.location, code, message, "error"))
            return self._fallback(request, items[0] if items else None)

    def _render_any(self, request: ProductRequest, items: list[Resolved]) -> str:
        import jinja2  # imported by then (the environment renders); a dictionary look-up here

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
        context = {"product": product, "state": item.state, "link_text": request.link_text}
        html = self._render(request.template, request, context, item.key_country, product)
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
        self,
        name: str,
        request: ProductRequest,
        context: dict[str, Any],
        country: str | None,
        product: Product | None = None,
    ) -> str:
        """Render a template; a single product's ASA2 placeholders join the context of users' templates.

        The built-in templates never read the placeholders (nor can the macros they import without
        context), so they are not computed for them: a sixth of a box's rendering time.
        """
        locale = self.locale_for(country)
        env = self.environment(locale)
        kind, filename = self.user_templates.kind(name)
        full = {"options": dict(request.options), **context}
        if kind == "builtin":
            html = _BLANKS.sub("", env.get_template(filename).render(full).strip())
            return _with_set(html, request.associate_set)
        if product is not None:
            full.update(placeholders(product, self.config.placeholders, href=self.href))
        # A pasted user template (Twig or Jinja) does not carry the data-asa2-* attributes: add them.
        self.user_templates.check(kind, filename)
        if kind == "twig":
            html = self.user_templates.render_twig(filename, {**self.site_globals(locale), **full})
        else:
            html = env.get_template(filename).render(full)
        from .root_attributes import add_root_attributes  # user templates only: HTML parser

        html = add_root_attributes(
            _BLANKS.sub("", html.strip()), _asins(context), str(context.get("state", ""))
        )
        return _with_set(html, request.associate_set)

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

    # -- template names and failures ---------------------------------------------------------
    # A shortcode's ``tpl`` is user input: it must name a public template, and a template that
    # fails must cost one box (rendered as the fallback), never the page or the run.

    def template_names(self) -> list[str]:
        """The templates a shortcode may name: built-ins and the user's, without private ``_…`` ones."""
        if self._names is None:
            found = {
                name.removesuffix(".html")
                for name in self.env.list_templates(extensions=["html"])
                if "/" not in name
            }
            found.update(self.user_templates.twig_names())
            self._names = sorted(n for n in found if _TEMPLATE_NAME().match(n) and n not in _INTERNAL)
        return self._names

    def template_problem(self, name: str) -> str | None:
        """Why ``tpl=name`` cannot be used (unknown, private, or not compiling), or None when it can."""
        if name not in self._problems:
            self._problems[name] = self._find_template_problem(name)
        return self._problems[name]

    def _find_template_problem(self, name: str) -> str | None:
        if self.user_templates.directory is None and name in BUILTIN_TEMPLATES and name not in _INTERNAL:
            # A built-in nobody overrides (no templates folder) compiles: the release's tests render
            # each one. Asking Jinja here would build the environment at start-up, which a one-file
            # render whose box is kept (box_store.py) never needs.
            return None
        names = self.template_names()
        if name not in names:
            shown = name if len(name) <= 60 else name[:57] + "..."
            return f"unknown template {shown!r}; available: {', '.join(names)}"
        if self.user_templates.kind(name)[0] == "twig":
            return None  # compiled on first render; a Twig error there costs that box (located)
        import jinja2

        try:
            self.env.get_template(f"{name}.html")
        except jinja2.TemplateSyntaxError as exc:
            return (
                f"template {name!r} has a syntax error ({exc.filename or name}:{exc.lineno}: {exc.message})"
            )
        except (jinja2.TemplateError, OSError, UnicodeDecodeError) as exc:
            return f"template {name!r} cannot be loaded: {exc}"
        return None

    def fallback(self, request: ProductRequest, resolved: Mapping[ProductKey, Resolved]) -> str:
        """The fallback markup for every product of a request whose own template cannot be used."""
        items = [resolved.get(k) or Resolved(key_country=k.country, key_asin=k.asin) for k in request.keys]
        try:
            return "".join(self._fallback(request, item) for item in items) or self._fallback(request, None)
        except Exception:  # a user's fallback.html that fails: the built-in minimal link, never nothing
            return "".join(self._last_resort(item.key, request) for item in items)

    def _last_resort(self, key: ProductKey, request: ProductRequest) -> str:
        site = self.config.site
        return str(
            Markup(
                '<a class="asa2-fallback" href="{}" rel="{}" target="{}" data-asa2-asin="{}" '
                'data-asa2-state="fallback">{}</a>'
            ).format(
                self.fallback_url(key, request), site.rel, site.target, key.asin, LABELS["fallback_label"]
            )
        )


@lru_cache(maxsize=1)
def _bytecode_cache() -> jinja2.FileSystemBytecodeCache:
    """Compiled templates kept between processes, so a build or a one-file render does not recompile.

    Jinja's own per-user cache folder (created 0700 in the temporary directory, its owner checked),
    never the product cache: that one may be shared between machines, and bytecode is code. Entries
    are keyed by template name and file, checked against the source's hash, and carry the Jinja and
    Python versions; the file names carry ours, because the compiled code also depends on the
    environment's settings and filters, which are this module's and fixed per release.
    """
    import jinja2

    from .. import __version__

    return jinja2.FileSystemBytecodeCache(box_store.private_folder(), f"__asa2render-{__version__}-%s.cache")


def _is_twig_error(error: BaseException) -> bool:
    """Whether ``error`` is a Twig template's failure, without importing the Twig front end.

    It is imported only when a templates folder exists (``UserTemplates``); until then no Twig error can
    have been raised, and a one-file render does not pay for the import.
    """
    errors = sys.modules.get("asa2render.twig.errors")
    return errors is not None and isinstance(error, errors.TwigError)


def _asins(context: Mapping[str, Any]) -> str:
    product = context.get("product")
    if isinstance(product, Product):
        return product.asin
    if context.get("asins"):
        return ",".join(context["asins"])
    return str(context.get("asin") or "")


def _with_set(html: str, associate_set: str | None) -> str:
    """Mark the root with the shortcode's associate set (``data-asa2-set``) after its ``data-asa2-asin``.

    The geo script needs the set to pick each store's tracking ID; added here rather than in every
    template so that users' own templates carry it too.
    """
    if not associate_set:
        return html
    match = _ROOT_ASIN().search(html)
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


def _settings(request: ProductRequest) -> tuple[Any, ...]:
    """Everything of a request that decides its markup besides its products, as one flat tuple: the
    fixed settings, the number of options, then their names and values in name order.

    One tuple serves both keys of a box: the memo's (with the products' fields after it) and the kept
    box's (its ``repr`` is hashed with the products' JSON). Flat because every distinct box of a
    build stays in the memo, and each tuple it holds counts towards the cyclic GC's next collection;
    the fixed width and the count keep the layout unambiguous.
    """
    options = sorted(request.options.items())
    return (
        request.template,
        request.link_text,
        request.associate_set,
        request.search,
        request.smart is not None,
        request.fallback_url,
        request.list_state,
        len(options),
        *chain.from_iterable(options),
    )


def _memo_key(settings: tuple[Any, ...], items: Sequence[Resolved]) -> Hashable:
    """The memo's key: a request's :func:`_settings`, then six fields per product (flat as well)."""
    return (
        *settings,
        *chain.from_iterable(
            (
                i.key_country,
                i.key_asin,
                i.state,
                i.product.fetched_at if i.product else None,
                i.action,
                i.replaced_by,
            )
            for i in items
        ),
    )


def _comment(text: str) -> str:
    """An HTML comment that cannot be closed early by the text inside it."""
    return f"<!-- asa2: {text.replace('--', '- -')} -->"


_FIRST_TAG = lazy(r"^<([a-zA-Z][a-zA-Z0-9]*)")


def _mark_replacement(html: str, item: Resolved) -> str:
    """A replacement says so: a comment, and ``data-asa2-replaces`` on the box's root element."""
    marked = _FIRST_TAG().sub(lambda m: f'{m.group(0)} data-asa2-replaces="{item.key_asin}"', html, count=1)
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


def placeholders(
    product: Product,
    options: PlaceholdersConfig | None = None,
    href: Callable[[object], str] | None = None,
) -> dict[str, Any]:
    """ASA2's placeholder names for what the model holds, so ASA2 templates port with few edits.

    ``options`` are the global ``[placeholders]`` settings (AutoPrice, ``IsAvailable``, logos). A
    price that must not be shown (``violatesMAP``) leaves every price placeholder empty. README.md's
    "Placeholders" table lists each name with its type, an example and the sources that fill it.
    """
    options = options or PlaceholdersConfig()
    href = href or _href
    images = product.images
    features = list(product.features)
    shown = not product.violates_map
    automatic = auto_price(product, options)
    values: dict[str, Any] = {
        "ASIN": product.asin,
        "ParentASIN": product.parent_asin or "",
        "Country": product.country,
        "Title": product.title,
        "DetailPageURL": href(product.url),
        "Brand": product.brand or "",
        "Merchant": product.merchant or "",
        "SmallImageUrl": images.small.url if images.small else "",
        "MediumImageUrl": images.medium.url if images.medium else "",
        "LargeImageUrl": images.best.url if images.best else "",
        "AmazonLogoSmallUrl": _logo("small", product.country, options),
        "AmazonLogoLargeUrl": _logo("large", product.country, options),
        **_money_placeholders("OffersAutoPrice", automatic.money if automatic else None),
        "OffersAutoPriceSource": automatic.source if automatic else "",
        **_money_placeholders("OfferSalePrice", product.sale_price if shown else None),
        **_money_placeholders("OffersMainPrice", main_price(product) if shown else None),
        **_offer_placeholders(product, shown),
        **_money_placeholders("ListPrice", product.list_price if shown else None),
        **_money_placeholders("AmountSaved", _saved(product) if shown else None),
        "PercentageSaved": product.savings.percentage if shown and product.savings else "",
        **_variation_placeholders(product, shown),
        "IsAvailable": is_available(product, options),
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
        **_rating_placeholders(product),
        "FetchedAt": product.fetched_at,
        "Categories": list(product.categories),
        "Tags": list(product.tags),
        "Review": product.review or "",
        "ReviewHTML": review_html(product.review),
        "Shop": product.shop or "",
        "IsAmazon": product.is_amazon,
    }
    return values


# Offer conditions with their own placeholder group: OffersLowest<Kind>Price*, OffersTotal<Kind>.
_OFFER_KINDS: tuple[OfferCondition, ...] = ("New", "Used", "Collectible", "Refurbished")


def _money_placeholders(prefix: str, money: Money | None) -> dict[str, Any]:
    """ASA2's four spellings of one price: ``…Amount`` 47.67, ``…Integer`` 4767 (minor units),
    ``…CurrencyCode`` EUR, ``…FormattedPrice`` 47,67 € (Amazon's own text, else the store's Babel format).
    """
    if money is None:
        return dict.fromkeys(
            (f"{prefix}Amount", f"{prefix}Integer", f"{prefix}CurrencyCode", f"{prefix}FormattedPrice"), ""
        )
    return {
        f"{prefix}Amount": str(quantize(money.amount, money.currency)),
        f"{prefix}Integer": money.minor_units,
        f"{prefix}CurrencyCode": money.currency,
        f"{prefix}FormattedPrice": money.display,
    }


def _offer_placeholders(product: Product, shown: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for kind in _OFFER_KINDS:
        summary = product.offer_summary(kind)
        lowest = summary.lowest if summary and shown else None
        values.update(_money_placeholders(f"OffersLowest{kind}Price", lowest))
        count = summary.offer_count if summary else None
        values[f"OffersTotal{kind}"] = count if count is not None else ""
    return values


def _variation_placeholders(product: Product, shown: bool) -> dict[str, Any]:
    variations = product.variations
    return {
        **_money_placeholders("VariationsLowestPrice", variations.lowest if variations and shown else None),
        **_money_placeholders("VariationsHighestPrice", variations.highest if variations and shown else None),
        "VariationsCount": variations.count if variations and variations.count is not None else "",
        "VariationsDimensions": list(variations.dimensions) if variations else [],
    }


def _rating_placeholders(product: Product) -> dict[str, Any]:
    rating = round(product.rating, 1) if product.rating is not None else None
    count = product.review_count
    return {
        "Rating": rating if rating is not None else "",
        "RatingPercent": round(rating * 20) if rating is not None else "",
        "RatingCount": count if count is not None else "",
        "TotalReviews": count if count is not None else "",
        "CustomerReviewsAverageRating": rating if rating is not None else "",
        "CustomerReviewsTotalReviews": count if count is not None else "",
    }


def _saved(product: Product) -> Money | None:
    return product.savings.money if product.savings else None


def _logo(size: LogoSize, country: str, options: PlaceholdersConfig) -> str:
    return logo_url(size, country, localized=options.localized_shop_logos, base_url=options.logo_base_url)


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
