"""MkDocs plugin ``asa2render``: product boxes from shortcodes in every page.

``mkdocs.yml``::

    plugins:
      - search
      - asa2render:
          config: asa2render.toml   # relative to mkdocs.yml; empty: searched from the current directory
          strict: true              # default: [site] strict; failures raise PluginError at page:line:column
          sandbox: auto             # or a sandbox URL; default: the ASA2RENDER_SANDBOX environment variable
          country: de               # the site's default store (a page's ``asa2_country`` meta wins)

How a build goes:

- ``on_config`` opens the engine (kept for the whole ``mkdocs serve`` session: products resolved once
  are not fetched again on reload, and the disk cache keeps them between sessions), adds
  ``assets/asa2render.css`` to ``extra_css`` and a small Python-Markdown extension (see below);
- ``on_files`` reads the Markdown source of *every* page, prepares them all and fetches once — one
  batched request per marketplace for the whole site — and adds the product stylesheet as a file;
- ``on_page_markdown`` renders the page's shortcodes (code untouched, exact ``page:line:column`` in
  messages) and leaves one marker per box; the extension's preprocessor turns each marker into a
  Python-Markdown ``htmlStash`` entry, so Markdown neither wraps a box in ``<p>`` nor rewrites it;
- with ``[geo] enabled``, ``on_files`` also builds the geo table and adds ``asa2render-geo.json`` and
  ``asa2render-geo.js`` at the site's root, and ``on_post_page`` adds the script to pages with boxes;
- ``on_env`` adds the ``asa2`` and ``asa2_expand`` filters and the ``asa2_product`` global to the theme.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from ..engine import Document, Engine
from ..errors import Asa2Error, IntegrationMissingError, StrictModeError
from ..geo.assets import SCRIPT_NAME, TABLE_NAME, script_source, table_json
from ..geo.site import MISS_CODE, add_script, site_table
from ..geo.table import GeoTable
from ..render.logos import logo_assets
from ..render.renderer import stylesheet
from ..shortcodes import Shortcode
from ..sources import read_front_matter
from .hosts import open_engine, splice
from .jinja import install, theme_keys
from .markdown import StashPreprocessor

try:
    import jinja2
    from markdown import Markdown
    from markdown.extensions import Extension
    from mkdocs.config import base
    from mkdocs.config import config_options as c
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import PluginError
    from mkdocs.plugins import BasePlugin, get_plugin_logger
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page
    from mkdocs.utils import get_relative_url
except ImportError:
    raise IntegrationMissingError("mkdocs", "mkdocs") from None

STYLESHEET = "assets/asa2render.css"
log = get_plugin_logger(__name__)


class Asa2PluginConfig(base.Config):  # type: ignore[no-untyped-call]
    """The plugin's options in ``mkdocs.yml``."""

    config = c.Type(str, default="")
    strict = c.Optional(c.Type(bool))
    sandbox = c.Type(str, default="")
    country = c.Optional(c.Type(str))


class Asa2Plugin(BasePlugin[Asa2PluginConfig]):  # type: ignore[no-untyped-call]
    """See the module docstring."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.boxes = BoxMarkers()
        self.sources: dict[str, str] = {}
        # Each page prepared by on_files, with the store it was prepared for: on_page_markdown renders
        # it without scanning the page a second time when MkDocs hands over the same text.
        self.prepared: dict[str, tuple[Document, str | None]] = {}
        self._session = False
        self._settings: tuple[str, bool | None, str] | None = None
        self.geo: GeoTable | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self._session = True  # keep the engine until on_shutdown (mkdocs serve rebuilds)

    def on_shutdown(self) -> None:
        self._close()

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self._session:
            self._close()

    def on_build_error(self, *, error: Exception) -> None:
        if not self._session:
            self._close()

    # -- build -------------------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        base_dir = Path(config.config_file_path).parent if config.config_file_path else None
        settings = (self.config.config, self.config.strict, self.config.sandbox)
        if self.engine is None or settings != self._settings:
            self._close()
            try:
                self.engine = open_engine(
                    self.config.config or None,
                    strict=self.config.strict,
                    sandbox=self.config.sandbox or None,
                    base=base_dir,
                )
            except Asa2Error as exc:
                raise PluginError(f"asa2render: {exc}") from None
            self._settings = settings
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        config.markdown_extensions.append(BoxStashExtension(self.boxes))  # type: ignore[arg-type]
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        engine = self._engine()
        self.boxes.clear()
        self.sources = {f.src_uri: f.content_string for f in files.documentation_pages()}
        self.prepared = {uri: self._prepare(text, uri) for uri, text in self.sources.items()}
        documents = [doc for doc, _ in self.prepared.values()]
        keys = [key for doc in documents for r in doc.requests for key in engine.request_keys(r)]
        keys += theme_keys(config.theme.get_env(), engine)  # literal uses of the asa2 filter
        before = engine.report.api_requests
        engine.fetch(keys)  # one batch (per marketplace) for the whole site
        log.debug(
            "prefetched %d product(s) with %d request(s)",
            len(engine.resolved),
            engine.report.api_requests - before,
        )
        if files.get_file_from_path(STYLESHEET) is None:
            files.append(File.generated(config, STYLESHEET, content=stylesheet()))
        for relative, svg in logo_assets().items():  # AmazonLogo*Url files, beside the stylesheet
            path = f"{STYLESHEET.rpartition('/')[0]}/{relative}"
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=svg))
        self.geo = site_table(engine, documents)  # [geo] enabled: one table for the whole site
        if self.geo is not None:
            for problem in (p for doc in documents for p in doc.problems if p.code == MISS_CODE):
                log.info("%s", problem)
            for name, content in ((TABLE_NAME, table_json(self.geo)), (SCRIPT_NAME, script_source())):
                if files.get_file_from_path(name) is not None:
                    files.remove(files.get_file_from_path(name))  # type: ignore[arg-type]
                files.append(File.generated(config, name, content=content))
        return files

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        """Pages with boxes load the geo script (``[geo] enabled``)."""
        if self.geo is None:
            return output
        return add_script(output, get_relative_url(SCRIPT_NAME, page.url))

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        uri = page.file.src_uri
        source = self.sources.get(uri, "")
        country = _text(page.meta.get("asa2_country")) or self.config.country
        doc, skip = self._reuse(uri, source, markdown, country)
        if doc is None:
            skip = _front_matter_lines(source, markdown)
            doc = self._engine().prepare(
                "\n" * skip + markdown, mode="markdown", path=uri, page_country=country
            )
        for problem in doc.problems:
            if problem.severity == "warning" or not self._engine().strict:
                log.warning("%s", problem)
        try:
            return splice(self._engine(), doc, self.boxes.add)[skip:]
        except StrictModeError as exc:
            raise PluginError(f"asa2render: {exc}") from None

    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        install(env, self._engine())
        return env

    # -- helpers -----------------------------------------------------------------------------

    def _prepare(self, text: str, uri: str) -> tuple[Document, str | None]:
        front, _ = read_front_matter(text)
        country = _text(front.get("asa2_country")) or self.config.country
        return self._engine().prepare(text, mode="markdown", path=uri, page_country=country), country

    def _reuse(
        self, uri: str, source: str, markdown: str, country: str | None
    ) -> tuple[Document | None, int]:
        """The page as on_files prepared it, and how many characters of meta-data precede ``markdown``.

        Only when ``markdown`` is the source's tail (no other plugin changed it), the page's store is
        the one it was prepared for, and every shortcode lies in that tail; otherwise ``(None, 0)``.
        """
        prepared = self.prepared.pop(uri, None)
        if prepared is None or prepared[1] != country or not source.endswith(markdown):
            return None, 0
        doc, skip = prepared[0], len(source) - len(markdown)
        if any(min(code.start, code.outer_start) < skip for code in _shortcodes(doc)):
            return None, 0
        return doc, skip

    def _engine(self) -> Engine:
        if self.engine is None:
            raise PluginError("asa2render: the plugin was used before on_config")
        return self.engine

    def _close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None


class BoxMarkers:
    """Box HTML waiting behind plain-text markers between ``on_page_markdown`` and Markdown."""

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(4)
        self.pattern = re.compile(rf"asa2box{self.nonce}x(\d+)x")
        self.markup: list[str] = []

    def add(self, markup: str) -> str:
        self.markup.append(markup)
        return f"asa2box{self.nonce}x{len(self.markup) - 1}x"

    def clear(self) -> None:
        self.markup.clear()


class BoxStashExtension(Extension):
    """Moves marked boxes into ``htmlStash`` before any Markdown block or inline processing."""

    def __init__(self, boxes: BoxMarkers, **kwargs: Any) -> None:
        self.boxes = boxes
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's hook name
        md.preprocessors.register(_BoxStash(md, self.boxes), "asa2render_boxes", 29)


class _BoxStash(StashPreprocessor):
    marker = "asa2box"

    def __init__(self, md: Markdown, boxes: BoxMarkers) -> None:
        super().__init__(md)
        self.boxes = boxes

    def replace(self, text: str, store: Callable[[str], str]) -> str:
        return self.boxes.pattern.sub(lambda m: store(self.boxes.markup[int(m.group(1))]), text)


def _shortcodes(doc: Document) -> list[Shortcode]:
    return [request.shortcode for request in doc.requests] + doc.escapes


def _front_matter_lines(source: str, markdown: str) -> int:
    """How many lines MkDocs removed above the page's Markdown (its meta-data), for exact line numbers."""
    found = source.rfind(markdown) if markdown.strip() else -1
    return source[:found].count("\n") if found > 0 else 0


def _text(value: object) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None


__all__ = ["STYLESHEET", "Asa2Plugin", "Asa2PluginConfig", "BoxMarkers", "BoxStashExtension"]
