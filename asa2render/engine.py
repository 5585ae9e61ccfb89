"""The engine: scan → resolve → fetch → render, for one document or a whole site.

Every integration is a thin adapter over this class. The order is strict: documents are *prepared*
(scanned and resolved, no I/O), then every product key of every prepared document is resolved in one
call to the store (one batched fetch per marketplace), then documents are rendered. Rendering never
fetches, except as a last resort for a key nobody prepared (still one batch per document).

Searches (``[asa2_search]``) run before that fetch, so their products join it; smart collections
(``[asa2_smart_collection]``) add the stored products their static filters select, and choose among
them once resolved. ``[site] unavailable`` is applied to everything the fetch resolves.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from itertools import chain, repeat
from operator import attrgetter, is_not
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from .config.model import MAX_CACHE_AGE, Config, Host
from .errors import ConfigError, EncodingError, Location, StrictModeError, TemplateError
from .marketplaces import get_store
from .products.cache import ProductCache
from .products.local import LocalProducts
from .products.models import ProductKey, Resolved, SearchQuery, SearchResolved, utc_now
from .products.resolve import TAGS, Problem, ProductRequest, resolve
from .products.store import ProductFetcher, ProductStore, StoreReport
from .products.unavailable import UnavailablePolicy
from .render.hosts import adapt, placement
from .render.renderer import Renderer
from .segments import pieces
from .shortcodes import Severity, Shortcode, scan
from .sources import Mode, read_front_matter
from .textio import read_text

if TYPE_CHECKING:
    from .shared import Backing, CacheUrl

log = logging.getLogger("asa2render")
# ``Engine(config, sandbox="auto")`` resolves "auto" through this hook ("module:factory" of a
# SandboxEndpoint), imported only then: the engine itself knows no emulator. The edges (CLI,
# integrations) start the sandbox themselves and hand the engine an endpoint (asa2render.edges).
AUTO_SANDBOX_HOOK = "asa2render.sandbox.launch:SandboxLauncher"
_RESOLVE_MEMO_SIZE = 8192


class _RequestBuilder:
    """A mutable twin of :class:`ProductRequest` (same slot layout) that places a memoised request.

    :meth:`Engine.resolve` answers every shortcode of every page with a copy of a memoised request
    moved to the shortcode's place. ``dataclasses.replace`` builds that copy through ``fields()``,
    a keyword dict and the frozen ``__init__`` (one ``object.__setattr__`` per field); filling this
    twin with plain slot stores and then switching its class (allowed for identical slot layouts, the
    device of :data:`asa2render.shortcodes.model.new_shortcode`) costs a fraction of that. What the
    call returns is an ordinary, frozen :class:`ProductRequest`; ``tests/test_engine.py`` checks that
    every field is copied.
    """

    __slots__ = ProductRequest.__slots__

    def __init__(self, template: ProductRequest, shortcode: Shortcode, location: Location) -> None:
        self.shortcode = shortcode
        self.location = location
        self.keys = template.keys
        self.template = template.template
        self.country = template.country
        self.options = template.options
        self.link_text = template.link_text
        self.associate_set = template.associate_set
        self.label = template.label
        self.search = template.search
        self.smart = template.smart
        self.fallback_url = template.fallback_url
        self.list_state = template.list_state
        self.__class__ = ProductRequest  # type: ignore[assignment]


#: ``replace(template, shortcode=shortcode, location=location)``, fast.
_placed_request: Callable[[ProductRequest, Shortcode, Location], ProductRequest] = _RequestBuilder  # type: ignore[assignment]
_KEYS = attrgetter("keys")
_SEARCH = attrgetter("search")
_SMART = attrgetter("smart")
# What a memoised request holds in place of the shortcode and location that every answer replaces.
_NOWHERE = Shortcode("", {}, (), None, 0, 0, 0, 0)
_NO_LOCATION = Location(None, 0, 0)
# A hostile page can hold millions of problems; a file lists its first ones and a count of the rest.
MAX_PROBLEMS_PER_FILE = 100


class SandboxEndpoint(Protocol):
    """A sandbox the engine talks to: its base URL (started on demand), and how to release it."""

    def url(self) -> str | None: ...

    def close(self) -> None: ...


class Document(msgspec.Struct):
    """A scanned and resolved source text, ready to render once its products are fetched."""

    text: str
    mode: Mode
    path: str | None
    requests: list[ProductRequest] = msgspec.field(default_factory=list)
    escapes: list[Shortcode] = msgspec.field(default_factory=list)
    problems: list[Problem] = msgspec.field(default_factory=list)
    front_matter: dict[str, Any] = msgspec.field(default_factory=dict)

    @property
    def keys(self) -> list[ProductKey]:
        return [key for request in self.requests for key in request.keys]


class Engine:
    """Turns shortcodes into product boxes. Use as a context manager, or call :meth:`close`.

    Args:
        config: the validated configuration.
        strict: override ``[site] strict``.
        sandbox: where all API traffic goes instead of Amazon: a base URL, ``"auto"`` (an in-process
            sandbox, started on the first fetch), or a :class:`SandboxEndpoint` the engine then owns.
            None talks to Amazon; the environment is not consulted here (the edges do that).
        offline: local products and the cache only, no API.
        host: override ``[site] host`` (the generator that reads the output; render/hosts.py).
        cache: the product cache (default: the shared store — on disk at ``[site] cache_dir``, or
            Redis at ``cache_url`` — with its claims, shared rate limits and token store).
        cache_url: Redis for products, tokens and rate limits shared by several builders (the edges
            read ``[site] cache_url`` and ``$ASA2RENDER_CACHE_URL``; see :mod:`asa2render.shared`).
        fetcher_factory: builds the API fetcher on first need (tests inject fakes).
        clock: "now", injectable for tests.
    """

    def __init__(
        self,
        config: Config,
        *,
        strict: bool | None = None,
        sandbox: str | SandboxEndpoint | None = None,
        offline: bool = False,
        host: Host | None = None,
        cache: ProductCache | None = None,
        fetcher_factory: Callable[[], ProductFetcher] | None = None,
        clock: Callable[[], datetime] = utc_now,
        cache_url: CacheUrl | None = None,
    ) -> None:
        if not offline and (sandbox == "auto" or (sandbox is not None and not isinstance(sandbox, str))):
            config = _with_demo_store(config)  # an in-process sandbox: its demo store when nothing is set
        self.config = config
        self.strict = config.site.strict if strict is None else strict
        self.host: Host = host or config.site.host
        self._sandbox: str | SandboxEndpoint | None = sandbox or None
        self._backing: Backing | None = None
        self._cache_url = cache_url
        if cache is None:
            from .shared import open_backing

            self._backing = open_backing(config, cache_url)
        self.cache = cache or self._backing.cache  # type: ignore[union-attr]
        factory = None if offline else (fetcher_factory or self._default_fetcher)
        local = LocalProducts.load(config)
        self.store = ProductStore(config, self.cache, local, factory, clock=clock)
        self.policy = UnavailablePolicy(
            config,
            self.cache,
            self._search_many,
            # Replacement candidates are looked up, not shown as themselves: not counted in the summary.
            lambda keys: self.store.get_many(keys, count=False),
            clock=clock,
        )
        shops = [p for p in local.all() if p.shop is not None]
        self._shop_ids = frozenset(p.asin for p in shops)
        self.renderer = Renderer(config, trusted_links=[p.url for p in shops])
        default_problem = self.renderer.template_problem(config.site.template)
        if default_problem is not None:  # every box would fail: a configuration error, not a page's
            raise ConfigError(default_problem, key="site.template")
        self.resolved: dict[ProductKey, Resolved] = {}
        self.searched: dict[SearchQuery, SearchResolved] = {}
        self.problems: list[Problem] = []
        self.max_problems_per_file: int | None = MAX_PROBLEMS_PER_FILE  # None: keep every problem
        self._shown: dict[str | None, int] = {}
        self._hidden: dict[str | None, tuple[int, int]] = {}
        self._resolved_shortcodes: dict[Hashable, ProductRequest] = {}
        self._resolve_problems: dict[Hashable, tuple[Problem, ...]] = {}

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.renderer.close()  # keeps this build's rendered boxes for the next (render/box_store.py)
        self.store.close()
        if self._backing is not None:
            self._backing.close()
        else:
            self.cache.close()
        if self._sandbox is not None and not isinstance(self._sandbox, str):
            self._sandbox.close()  # the engine owns the endpoint it was given
        self._sandbox = None

    @property
    def report(self) -> StoreReport:
        return self.store.report

    def unchanged_until(self) -> float | None:
        """Until when (epoch seconds) every product this engine resolved resolves the same again from
        the same files and cache: when the first Amazon product leaves its freshness window
        (``cache_ttl``, at most 24 h); infinity for the user's own products alone.

        None when the outcome may change sooner or was not reached from files and cache alone: an API
        request or token, a search, a stale, failed or unavailable product, a timer of ``[site]
        out_of_stock_after``, ``[geo]``, a sandbox, or a cache that is not the cache folder (Redis, or
        one handed in). Kept pages (render/kept_pages.py) are replayed only until then.
        """
        if self._sandbox is not None or self._cache_url is not None or self._backing is None:
            return None
        report, site = self.report, self.config.site
        if report.stale or report.fallback or report.searches or report.api_requests:
            return None
        if report.token_requests or report.notices or self.searched or self.config.geo.enabled:
            return None
        if site.unavailable != "keep" and site.out_of_stock_after:
            return None
        window = min(site.cache_ttl, MAX_CACHE_AGE)
        until = float("inf")
        for item in self.resolved.values():
            product = item.product
            if product is None or item.state != "fresh" or item.action is not None:
                return None
            if product.source != "local":
                until = min(until, product.fetched_at.timestamp() + window)
        return until

    # -- the flow ----------------------------------------------------------------------------

    def prepare(
        self,
        text: str,
        *,
        mode: Mode = "markdown",
        path: str | None = None,
        page_country: str | None = None,
        first_line: int = 1,
        front_matter: bool = True,
    ) -> Document:
        """Scan and resolve a document (no I/O). Problems are recorded on the document and engine.

        Args:
            text: the document, or one piece of a huge page (see :meth:`prepare_pieces`).
            mode: how to read it.
            path: named in problems.
            page_country: the page's marketplace (front matter ``asa2_country`` otherwise).
            first_line: the line number of the text's first line (pieces after the first).
            front_matter: whether the text starts a page and may carry front matter.
        """
        front, body_start = read_front_matter(text) if mode != "text" and front_matter else ({}, 0)
        country = page_country or _text_or_none(front.get("asa2_country"))
        result = scan(text, TAGS, mode=mode, path=path)
        doc = Document(text=text, mode=mode, path=path, front_matter=front)
        shift = first_line - 1
        problems = [
            Problem(Location(path, d.line + shift, d.column), d.code, d.message, d.severity)
            for d in result.diagnostics
            if d.code != "more-problems"  # the scanner's own summary: counted below instead
        ]
        if result.omitted:
            count, errors = self._hidden.get(path, (0, 0))
            self._hidden[path] = (count + result.omitted, errors + result.omitted_errors)
        for shortcode in result.shortcodes:
            if shortcode.start < body_start:
                continue
            if shortcode.escaped:
                doc.escapes.append(shortcode)
                continue
            request, found = self.resolve(shortcode, path=path, page_country=country, line_offset=shift)
            doc.requests.append(request)
            problems.extend(found)
        doc.problems.extend(self._admit(problems))
        self.problems.extend(doc.problems)
        return doc

    def prepare_pieces(
        self, text: str, *, mode: Mode = "markdown", path: str | None = None, page_country: str | None = None
    ) -> Iterator[Document]:
        """:meth:`prepare` for a page that may be huge: one document per piece, prepared lazily.

        Most pages are one piece. A page above :data:`~asa2render.segments.LARGE_PAGE` characters
        is cut where nothing spans the cut (see :mod:`asa2render.segments`), so callers that use
        each piece and let it go need memory for one piece, not for every shortcode of the page.
        """
        front, body_start = read_front_matter(text) if mode == "markdown" else ({}, 0)
        country = page_country or _text_or_none(front.get("asa2_country"))
        line = 1
        for start, end in pieces(text, mode, TAGS, body_start):
            piece = text[start:end] if (start, end) != (0, len(text)) else text
            yield self.prepare(
                piece, mode=mode, path=path, page_country=country, first_line=line, front_matter=start == 0
            )
            line += piece.count("\n")

    def render_pieces(
        self, text: str, *, mode: Mode = "markdown", path: str | None = None, page_country: str | None = None
    ) -> Iterator[str]:
        """The rendered page, piece by piece (see :meth:`prepare_pieces`); join or stream the parts."""
        for doc in self.prepare_pieces(text, mode=mode, path=path, page_country=page_country):
            yield self.render(doc)

    # -- problems: the first MAX_PROBLEMS_PER_FILE of each file are kept, the rest counted --------

    def _admit(self, problems: Iterable[Problem]) -> list[Problem]:
        kept: list[Problem] = []
        for problem in problems:
            path = problem.location.path
            shown = self._shown.get(path, 0)
            # Texts without a path (library callers preparing one string after another) are not
            # one file: each keeps all its problems; the scanner still bounds a single huge text.
            if self.max_problems_per_file is None or path is None or shown < self.max_problems_per_file:
                self._shown[path] = shown + 1
                kept.append(problem)
            else:
                count, errors = self._hidden.get(path, (0, 0))
                self._hidden[path] = (count + 1, errors + (problem.severity == "error"))
        return kept

    def hidden_problems(self, *paths: str | None) -> list[Problem]:
        """One summary problem per file whose problems were not all kept (of ``paths``, or all)."""
        summaries = []
        for where, (count, errors) in self._hidden.items():
            if paths and where not in paths:
                continue
            message = (
                f"{count} more problem(s) not listed ({errors} error(s)); only the first "
                f"{self.max_problems_per_file} of a file are"
            )
            severity: Severity = "error" if errors else "warning"
            summaries.append(Problem(Location(where, 0, 0), "more-problems", message, severity))
        return summaries

    def hidden_counts(self) -> dict[str | None, tuple[int, int]]:
        """Per file, how many problems were only counted (and how many of them are errors)."""
        return dict(self._hidden)

    def merge_hidden(self, counts: dict[str | None, tuple[int, int]]) -> None:
        """Add another engine's :meth:`hidden_counts` (a ``--jobs`` worker's) to this one's."""
        for path, (count, errors) in counts.items():
            known, known_errors = self._hidden.get(path, (0, 0))
            self._hidden[path] = (known + count, known_errors + errors)

    def forget_problems(self, path: str | None) -> None:
        """Forget how many problems of one file were kept or counted (its page is prepared again)."""
        self._shown.pop(path, None)
        self._hidden.pop(path, None)

    def clear_problems(self) -> None:
        """Forget every recorded problem (a CLI's second pass records them again)."""
        self.problems.clear()
        self._shown.clear()
        self._hidden.clear()

    def read_page(self, path: Path) -> str | None:
        """A page's text (BOM-aware, see :mod:`asa2render.textio`), or None when it cannot be decoded.

        An undecodable page is one problem (``page.md: not valid UTF-8 at byte N``) recorded on the
        engine; the caller skips the page, so one bad file never stops the others.
        """
        try:
            return read_text(path)
        except EncodingError as exc:
            self.problems.append(Problem(Location(str(path), 0, 0), "unreadable-page", exc.reason, "error"))
        except OSError as exc:  # unreadable, vanished or not a regular file: this page only
            reason = f"cannot read: {exc.strerror or exc}"
            self.problems.append(Problem(Location(str(path), 0, 0), "unreadable-page", reason, "error"))
        return None

    def resolve(
        self,
        shortcode: Shortcode,
        *,
        path: str | None = None,
        page_country: str | None = None,
        line_offset: int = 0,
    ) -> tuple[ProductRequest, list[Problem]]:
        """:func:`~asa2render.products.resolve.resolve`, memoised: sites repeat the same shortcodes.

        The memo holds the meaning of a shortcode's text; location and the shortcode itself are the
        caller's and are put back on every answer.
        """
        # One flat tuple (the attributes' names and values follow the fixed fields in order), and
        # problems only for the few shortcodes that have some: every distinct shortcode of a build
        # stays in the memo, and each object it holds counts towards the cyclic GC's next collection.
        memo_key = (
            shortcode.tag,
            shortcode.args,
            shortcode.content,
            page_country,
            *chain.from_iterable(shortcode.attrs.items()),
        )
        template = self._resolved_shortcodes.get(memo_key)
        if template is None:
            template, found = self._with_template_check(
                resolve(shortcode, self.config, page_country=page_country, shop_ids=self._shop_ids)
            )
            if len(self._resolved_shortcodes) >= _RESOLVE_MEMO_SIZE:
                self._resolved_shortcodes.clear()
                self._resolve_problems.clear()
            # Kept without the first use's shortcode and location, which every answer replaces.
            self._resolved_shortcodes[memo_key] = template = _placed_request(template, _NOWHERE, _NO_LOCATION)
            if found:
                self._resolve_problems[memo_key] = tuple(found)
        problems = self._resolve_problems.get(memo_key) if self._resolve_problems else None
        location = Location(path, shortcode.line + line_offset, shortcode.column)
        request = _placed_request(template, shortcode, location)
        return request, [
            msgspec.structs.replace(problem, location=location) for problem in problems
        ] if problems else []

    def fetch(self, keys: Iterable[ProductKey]) -> None:
        """Resolve every key not resolved yet, in one batch, and apply ``[site] unavailable``."""
        missing = [key for key in dict.fromkeys(keys) if key not in self.resolved]
        if missing:
            self.resolved.update(self.policy.apply(self.store.get_many(missing)))

    def search(self, queries: Iterable[SearchQuery]) -> None:
        """Run every search not run yet (cached like products)."""
        self._search_many(list(queries))

    def _search_many(self, queries: list[SearchQuery]) -> dict[SearchQuery, SearchResolved]:
        missing = [query for query in dict.fromkeys(queries) if query not in self.searched]
        if missing:
            self.searched.update(self.store.search_many(missing))
        return {query: self.searched[query] for query in queries}

    def fetch_documents(self, documents: Iterable[Document]) -> None:
        """Every search, then every product of every document, in one batch."""
        docs = list(documents)
        self.search(r.search for doc in docs for r in doc.requests if r.search is not None)
        self.fetch(self.keys_of([request for doc in docs for request in doc.requests]))

    def keys_of(self, requests: Sequence[ProductRequest]) -> list[ProductKey]:
        """Every key ``requests`` may show, in order: :meth:`request_keys` of each, joined.

        A page of plain requests (the usual page: no search, no smart collection) is answered in C,
        with no call per request.
        """
        if any(map(is_not, map(_SEARCH, requests), repeat(None))) or any(
            map(is_not, map(_SMART, requests), repeat(None))
        ):
            return [key for request in requests for key in self.request_keys(request)]
        return list(chain.from_iterable(map(_KEYS, requests)))

    def request_keys(self, request: ProductRequest) -> list[ProductKey]:
        """The keys a request may show: its own, a search's results, or a smart collection's candidates."""
        if request.search is not None:
            found = self._search_many([request.search])[request.search]
            asins = found.result.asins if found.result is not None else ()
            return [ProductKey(request.search.country, asin) for asin in asins]
        if request.smart is not None:
            from .products.smart import candidates

            return candidates(request.smart, self.store.local.all())
        return list(request.keys)

    def expand(self, request: ProductRequest) -> ProductRequest:
        """A search or smart collection with its products chosen (fetching what nobody fetched)."""
        if request.search is None and request.smart is None:
            return request
        keys = self.request_keys(request)
        self.fetch(keys)
        if request.smart is not None:
            from .products.smart import select

            return replace(request, keys=tuple(select(request.smart, keys, self.resolved)))
        assert request.search is not None
        found = self.searched[request.search]
        store = get_store(request.search.country)
        tag, _ = self.config.partner_tag(request.search.country, request.associate_set)
        fallback = store.search_url(request.search.keywords, tag) if store else None
        return replace(request, keys=tuple(keys), fallback_url=fallback, list_state=found.state)

    def render(
        self,
        doc: Document,
        *,
        wrap: Callable[[str], str] | None = None,
        literal: Callable[[str], str] | None = None,
    ) -> str:
        """Splice rendered boxes into the document's text; everything else is kept byte for byte.

        Args:
            doc: a prepared document.
            wrap: applied to each box's markup (integrations stash it, e.g. Python-Markdown's htmlStash).
            literal: applied to the literal text of an escaped ``[[asa2 …]]`` (e.g. HTML-escaping).
        """
        self.fetch(doc.keys)
        requests = [self.expand(request) for request in doc.requests]
        self.check(doc, requests)
        pieces: list[str] = []
        position = 0
        failures: list[Problem] = []
        for start, end, replacement in self._replacements(doc, requests, wrap, literal, failures):
            pieces.append(doc.text[position:start])
            pieces.append(replacement)
            position = end
        pieces.append(doc.text[position:])
        failures.extend(self.renderer.take_problems())  # a rejected user template (Twig: wp.*, …)
        if failures:
            kept = self._admit(failures)
            doc.problems.extend(kept)
            self.problems.extend(kept)
            self.enforce_strict(failures)
        return "".join(pieces)

    def process(
        self, text: str, *, mode: Mode = "markdown", path: str | None = None, page_country: str | None = None
    ) -> str:
        """Prepare, fetch and render one document."""
        return self.render(self.prepare(text, mode=mode, path=path, page_country=page_country))

    def render_request(self, request: ProductRequest) -> str:
        """The HTML for one resolved request (fetching its keys first if nobody did)."""
        request = self.expand(request)
        self.fetch(request.keys)
        problems: list[Problem] = []
        markup = self._box(request, problems)
        problems.extend(self.renderer.take_problems())
        self.problems.extend(problems)
        return markup

    # -- helpers -----------------------------------------------------------------------------

    def _replacements(
        self,
        doc: Document,
        requests: list[ProductRequest],
        wrap: Callable[[str], str] | None,
        literal: Callable[[str], str] | None,
        failures: list[Problem],
    ) -> Iterator[tuple[int, int, str]]:
        edits = [(r.shortcode, self._markup(doc, r, failures, spacing=wrap is None)) for r in requests]
        for escaped in doc.escapes:
            text = doc.text[escaped.start + 1 : escaped.end - 1]
            edits.append((escaped, literal(text) if literal else text))
        if wrap is not None:
            edits = [(shortcode, wrap(markup)) for shortcode, markup in edits]
        for shortcode, replacement in sorted(edits, key=lambda edit: edit[0].start):
            start, end = shortcode.start, shortcode.end
            if shortcode.outer_start >= 0 and not shortcode.escaped:
                start, end = shortcode.outer_start, shortcode.outer_end
            yield start, end, replacement

    def _markup(
        self, doc: Document, request: ProductRequest, failures: list[Problem], *, spacing: bool
    ) -> str:
        """One request's box, adapted to where it sits in the page and to the host generator."""
        shortcode = request.shortcode
        where = placement(
            doc.text,
            shortcode.outer_start,
            shortcode.outer_end,
            markdown=doc.mode == "markdown",
            unwrapped=shortcode.outer_start != shortcode.start,
        )
        markup = self._box(request, failures)
        return adapt(markup, host=self.host, mode=doc.mode, where=where, spacing=spacing)

    # -- templates: names are checked when a shortcode is resolved, failures cost one box ----------

    def _with_template_check(
        self, resolved: tuple[ProductRequest, list[Problem]]
    ) -> tuple[ProductRequest, list[Problem]]:
        request, problems = resolved
        message = self.renderer.template_problem(request.template)
        if message is None:
            return resolved
        return request, [*problems, Problem(request.location, "unknown-template", message, "error")]

    def _box(self, request: ProductRequest, failures: list[Problem]) -> str:
        """One shortcode's markup; an unusable or failing template gives the fallback and a problem."""
        if self.renderer.template_problem(request.template) is not None:
            return self.renderer.fallback(request, self.resolved)  # reported when it was resolved
        try:
            return self.renderer.render(request, self.resolved)
        except Exception as exc:  # a user template can raise anything: one box fails, not the page
            cause = str(exc).removeprefix(f"{request.location}: ")
            if not isinstance(exc, TemplateError):
                cause = f"template {request.template!r} failed: {type(exc).__name__}: {exc}"
            failures.append(Problem(request.location, "template-failed", cause, "error"))
            return self.renderer.fallback(request, self.resolved)

    def unavailable(self, requests: Iterable[ProductRequest]) -> list[Problem]:
        """A problem for every requested product that resolved to a fallback or met ``[site] unavailable``.

        A fallback is an error; hiding, replacing or linking to a search is the site's policy, so it
        is a warning.
        """
        problems: list[Problem] = []
        resolved = self.resolved
        for request in requests:
            if request.search is not None or request.smart is not None:
                # A search or smart collection: the products it shows. A plain request (every box of
                # a typical page) has no search problems and is its own expansion: no calls for it.
                request = self.expand(request)
                problems.extend(self._search_problems(request))
            for key in request.keys:
                item = resolved.get(key)
                if item is None:
                    continue
                if item.action is not None and item.action != "keep":
                    what = (
                        f"replaced by {item.replaced_by}" if item.replaced_by else _ACTION_TEXT[item.action]
                    )
                    message = f"{key}: {item.unavailable}; {what}"
                    problems.append(Problem(request.location, f"product-{item.action}", message, "warning"))
                elif item.state == "fallback":
                    reason = item.failure.message if item.failure else "unavailable"
                    problems.append(
                        Problem(request.location, "product-unavailable", f"{key}: {reason}", "error")
                    )
        return problems

    def _search_problems(self, request: ProductRequest) -> list[Problem]:
        if request.search is not None:
            found = self.searched.get(request.search)
            if found is not None and found.result is None:
                reason = found.failure.message if found.failure else "no answer"
                message = f"search {request.search}: {reason}; showing a search link"
                return [Problem(request.location, "search-unavailable", message, "error")]
            if found is not None and found.result is not None and not found.result.asins:
                message = f"search {request.search} found nothing; showing a search link"
                return [Problem(request.location, "search-empty", message, "warning")]
        if request.smart is not None and not request.keys:
            return [
                Problem(
                    request.location,
                    "collection-empty",
                    "the smart collection matched no products",
                    "warning",
                )
            ]
        return []

    def check(self, doc: Document, requests: list[ProductRequest] | None = None) -> list[Problem]:
        """Record products that could not be shown; in strict mode, fail before output is written."""
        if requests is None:
            requests = [self.expand(request) for request in doc.requests]
        problems = self._admit(self.unavailable(requests))
        doc.problems.extend(problems)
        self.problems.extend(problems)
        self.enforce_strict([*doc.problems, *self.hidden_problems(doc.path)])
        return problems

    def enforce_strict(self, problems: Iterable[Problem]) -> None:
        """In strict mode, raise :class:`StrictModeError` listing every error-level problem."""
        if not self.strict:
            return
        errors = [str(p) for p in problems if p.severity == "error"]
        if errors:
            raise StrictModeError(errors)

    def _default_fetcher(self) -> ProductFetcher:
        from .api import Fetcher

        backing = self._backing
        if backing is None or backing.coordinator is None:
            return Fetcher(self.config, sandbox=self._sandbox_base_url())
        from .api.ratelimit import SystemClock
        from .shared.fetching import SharedFetcher
        from .shared.limiter import SharedLimiter

        coordinator, clock = backing.coordinator, SystemClock()
        fetcher = Fetcher(
            self.config,
            sandbox=self._sandbox_base_url(),
            token_store=backing.tokens,
            limiter=lambda credential, rate: SharedLimiter(coordinator, credential, rate, clock),
        )
        return SharedFetcher(fetcher, self.cache, coordinator, self.config, mark=backing.mark)

    def _sandbox_base_url(self) -> str | None:
        if self._sandbox == "auto":
            module, _, factory = AUTO_SANDBOX_HOOK.partition(":")
            self._sandbox = getattr(importlib.import_module(module), factory)()
        if self._sandbox is None or isinstance(self._sandbox, str):
            return self._sandbox
        return self._sandbox.url()


_ACTION_TEXT = {"hide": "hidden", "search-link": "shown as a search link", "replace": "replaced"}


def _with_demo_store(config: Config) -> Config:
    """With ``--sandbox auto`` and nothing configured, the sandbox's demo store (sandbox/demo.py)."""
    from .sandbox.demo import DEMO_MARKETPLACES, demo_config, needs_demo_store

    if not needs_demo_store(config):
        return config
    stores = ", ".join(country for country, *_ in DEMO_MARKETPLACES)
    log.warning("sandbox auto: no marketplaces configured, using the sandbox's demo store (%s)", stores)
    return demo_config(config)


def _text_or_none(value: object) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None


__all__ = ["AUTO_SANDBOX_HOOK", "Document", "Engine", "SandboxEndpoint"]
