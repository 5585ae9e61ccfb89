"""Pelican plugin: ``PLUGINS = ["asa2render.integrations.pelican"]``.

Settings (``pelicanconf.py``)::

    ASA2RENDER_CONFIG = "asa2render.toml"   # relative to the working directory or the content folder
    ASA2RENDER_OPTIONS = {"strict": True, "sandbox": "auto", "country": "de"}

Design — one fetch for the whole site, expansion before Markdown:

1. ``initialized``: opens one engine, then reads every Markdown source under ``PATH`` (``.md``,
   ``.markdown``, ``.mkd``, ``.mdown``; ``IGNORE_FILES`` and the output folder skipped) plus the theme's
   templates (literal ``"B0…" | asa2(…)`` uses), prepares them all and fetches **once** — one batched
   request per marketplace for the site. In strict mode any problem (with its ``file:line:column``)
   raises :class:`~asa2render.errors.StrictModeError` here, before anything is written. A source
   unchanged since the last build gives the product keys it named then
   (:mod:`asa2render.integrations.prefetch_index`) instead of being read and prepared twice; not in
   strict mode or with ``[geo] enabled``, which need every document.
2. The same step adds the Python-Markdown extension :class:`asa2render.integrations.markdown.Asa2Extension`,
   bound to that engine, to ``MARKDOWN["extensions"]``: Pelican's Markdown reader then expands shortcodes
   before Markdown runs (after fenced code is set aside; boxes go to ``htmlStash``), with every product
   already resolved — no further fetch. A page's ``asa2_country:`` meta-data sets its default store.
3. ``readers_init`` wraps the Markdown reader so the extension knows which file it is reading (for
   messages). ``JINJA_FILTERS`` gets ``asa2`` and ``asa2_expand``, ``JINJA_GLOBALS`` gets ``asa2_product``.
4. Boxes of an article's body go in *late*: the Markdown extension leaves a comment in their place
   (``<!--asa2render-box TOKEN N-->``, ``TOKEN`` random per build) and the article's
   ``_update_content`` — Pelican's pass that rewrites ``{filename}`` links, run whenever the content or
   summary is asked for — puts the markup back after it ran. Pelican's link and empty-``alt`` regexes
   then never walk through box markup (on a long line they backtrack: about half the plugin's
   instructions). The result is the same HTML: a box goes in early whenever one of those regexes
   could match inside it (an empty attribute or one starting with ``{`` or ``|``), and not at all in
   late mode with ``TYPOGRIFY`` (it would rewrite box text), ``CACHE_CONTENT`` (cached articles keep
   their comments) or ``ASA2RENDER_OPTIONS = {"late_boxes": False}`` — for a plugin that reads
   ``article._content`` itself. Boxes in formatted meta-data (``Summary:``) always go in early.
5. ``finalized`` writes the product stylesheet to ``<OUTPUT_PATH>/<THEME_STATIC_DIR>/css/asa2render.css``
   (link it from your theme) and closes the engine. With ``[geo] enabled`` it also writes
   ``asa2render-geo.json`` and ``asa2render-geo.js`` to ``OUTPUT_PATH`` and adds the script to every
   page with boxes.
"""

from __future__ import annotations

import fnmatch
import os
import re
import secrets
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine import Document, Engine
from ..errors import IntegrationMissingError
from ..geo.assets import write_assets
from ..geo.site import add_scripts, site_table
from ..geo.table import GeoTable
from ..products.models import ProductKey
from ..products.resolve import ProductRequest
from ..render.logos import write_logo_assets
from ..render.renderer import stylesheet
from ..sources import MARKDOWN_SUFFIXES, read_front_matter
from .hosts import open_engine
from .jinja import filters, product_global, theme_keys
from .markdown import Asa2Extension
from .prefetch_index import PrefetchIndex

try:
    import jinja2
    from pelican import signals
    from pelican.readers import MarkdownReader
except ImportError:
    raise IntegrationMissingError("pelican", "pelican") from None

STYLESHEET = "css/asa2render.css"


# Where Pelican's own regexes could match inside a box: an empty attribute value (the empty-alt
# check) or one opening with "{" or "|" (intrasite links, INTRASITE_LINK_REGEX's first character).
_EARLY = re.compile(r"""=\s*(["'])(?:\1|[{|])""")
_CHECKED_BOXES = 4096  # distinct markups whose check is kept (as many as the box memo keeps)


class LateBoxes:
    """Box markup kept aside while Pelican reads an article, and put back after its link pass."""

    def __init__(self) -> None:
        # Random per build: a comment a page could hold verbatim is never taken for a box.
        self.token = secrets.token_hex(8)
        self.boxes: list[str] = []
        self._comment = re.compile(rf"<!--asa2render-box {self.token} (\d+)-->")
        self.reading_body = False  # only an article's body; formatted meta-data gets boxes at once
        self._checked: dict[str, bool] = {}

    def place(self, markup: str) -> str:
        """What goes into the article now: ``markup`` itself, or a comment standing for it."""
        if not self.reading_body or self._early(markup):
            return markup
        self.boxes.append(markup)
        return f"<!--asa2render-box {self.token} {len(self.boxes) - 1}-->"

    def _early(self, markup: str) -> bool:
        """Whether Pelican's regexes could match inside ``markup``, decided once per distinct box (a
        site repeats its boxes; each check reads the whole markup)."""
        early = self._checked.get(markup)
        if early is None:
            if len(self._checked) >= _CHECKED_BOXES:
                self._checked.clear()
            early = self._checked[markup] = _EARLY.search(markup) is not None
        return early

    def put_back(self, html: str) -> str:
        """``html`` with every box comment of this build replaced by its markup."""
        if self.token not in html:
            return html
        return self._comment.sub(lambda match: self.boxes[int(match.group(1))], html)

    def adopt(self, content: Any) -> None:
        """Make ``content`` (a Pelican ``Content``) put its boxes back after its link pass."""
        body = getattr(content, "_content", None)
        if not isinstance(body, str) or self.token not in body:
            return
        links = content._update_content

        def update_content(html: str, siteurl: str) -> str:
            return self.put_back(links(html, siteurl))

        content._update_content = update_content


@dataclass
class _Build:
    engine: Engine
    extension: Asa2Extension
    content: Path
    geo: GeoTable | None = None
    late: LateBoxes | None = None


_current: _Build | None = None


def register() -> None:
    """Pelican's plugin hook."""
    signals.initialized.connect(initialized)
    signals.readers_init.connect(readers_init)
    signals.content_object_init.connect(content_object_init)
    signals.finalized.connect(finalized)


def initialized(pelican: Any) -> None:
    """Open the engine, hook Markdown and Jinja, and prefetch every product of the site."""
    global _current
    _close()
    settings: dict[str, Any] = pelican.settings
    options: dict[str, Any] = dict(settings.get("ASA2RENDER_OPTIONS") or {})
    content = Path(settings["PATH"])
    engine = open_engine(
        _config_path(settings.get("ASA2RENDER_CONFIG"), content),
        strict=options.get("strict"),
        sandbox=options.get("sandbox") or None,
    )
    extension = Asa2Extension(engine=engine)
    _current = _Build(engine, extension, content)
    if _late_boxes(settings, options):
        _current.late = LateBoxes()
        extension.late_box = _current.late.place
    _hook_markdown(settings, extension)
    settings["JINJA_FILTERS"] = {**settings.get("JINJA_FILTERS", {}), **filters(engine)}
    settings["JINJA_GLOBALS"] = {**settings.get("JINJA_GLOBALS", {}), "asa2_product": product_global(engine)}
    documents = prefetch_site(engine, settings, options.get("country"))
    _current.geo = site_table(engine, documents)  # [geo] enabled: one table for the whole site


def readers_init(readers: Any) -> None:
    """Let the Markdown extension know the file being read."""
    for suffix, reader_class in list(readers.reader_classes.items()):
        if reader_class is not None and issubclass(reader_class, MarkdownReader):
            readers.reader_classes[suffix] = _located(reader_class)


def content_object_init(content: Any) -> None:
    """An article or page whose body holds late boxes puts them back after Pelican's link pass."""
    if _current is not None and _current.late is not None:
        _current.late.adopt(content)


def _late_boxes(settings: dict[str, Any], options: dict[str, Any]) -> bool:
    """Late boxes unless something reads or keeps the body between reading and the link pass."""
    wanted = options.get("late_boxes", True) is not False
    return wanted and not settings.get("TYPOGRIFY") and not settings.get("CACHE_CONTENT")


def finalized(pelican: Any) -> None:
    """Write the product stylesheet and close the engine."""
    settings = pelican.settings
    target = Path(settings["OUTPUT_PATH"]) / settings.get("THEME_STATIC_DIR", "theme") / STYLESHEET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(stylesheet(), encoding="utf-8")
    write_logo_assets(target.parent)  # AmazonLogo*Url files, beside the stylesheet
    if _current is not None and _current.geo is not None:
        output = Path(settings["OUTPUT_PATH"])
        write_assets(output, _current.geo)
        add_scripts(output)
    _close()


# -- prefetch --------------------------------------------------------------------------------


def prefetch_site(engine: Engine, settings: dict[str, Any], country: str | None = None) -> list[Document]:
    """Prepare every Markdown source and theme template of the site, and fetch all products at once.

    A source unchanged since the last build gives its product keys from the :class:`PrefetchIndex`
    instead of being read and prepared again (not in strict mode, where every problem of the site is
    raised here before anything is written, nor with ``[geo] enabled``, whose table needs every
    document). Returns the documents prepared.
    """
    content = Path(settings["PATH"])
    index = _index(engine, content, country)
    documents: list[Document] = []
    keys: list[ProductKey] = []
    for path, info in _sources(settings):
        name = _relative_name(os.fspath(path), content)
        kept = index.keys(name, info) if index is not None else None
        if kept is not None:
            keys += kept
            continue
        text = path.read_text(encoding="utf-8")
        doc = engine.prepare(text, mode="markdown", path=name, page_country=_page_country(text) or country)
        documents.append(doc)
        found = [key for r in doc.requests for key in engine.request_keys(r)]
        keys += found
        if index is not None and not doc.problems and all(_plain(r) for r in doc.requests):
            index.keep(name, info, found)
    keys += _template_keys(engine, settings)
    engine.fetch(keys)
    problems = [p for doc in documents for p in doc.problems]
    missing = engine.unavailable([r for doc in documents for r in doc.requests])
    engine.problems.extend(missing)
    engine.enforce_strict([*problems, *missing])
    if index is not None:
        index.save()
    return documents


def _index(engine: Engine, content: Path, country: str | None) -> PrefetchIndex | None:
    """The site's kept prefetch keys, unless every document must be prepared (strict mode, geo)."""
    if engine.strict or engine.config.geo.enabled:
        return None
    return PrefetchIndex.open(os.fspath(content), f"{engine.config!r}\0{country or ''}")


def _plain(request: ProductRequest) -> bool:
    """Whether a request names its products itself (a search's or smart collection's depend on the cache)."""
    return request.search is None and request.smart is None


def _sources(settings: dict[str, Any]) -> list[tuple[Path, os.stat_result]]:
    """Every Markdown source of the site (sorted) with its ``stat``: none under the output folder or
    ignored."""
    content = Path(settings["PATH"])
    output = Path(settings["OUTPUT_PATH"]).resolve()
    inside_output = os.path.join(output, "")  # "/…/output/": a real path under it starts so
    real = _real_paths()
    ignored = list(settings.get("IGNORE_FILES") or [])
    found: list[tuple[Path, os.stat_result]] = []
    for path in sorted(content.rglob("*")):
        if path.suffix.lower() not in MARKDOWN_SUFFIXES:
            continue
        try:
            info = path.stat()
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        if real(path).startswith(inside_output) or _ignored(path, content, ignored):
            continue
        found.append((path, info))
    return found


def _real_paths() -> Callable[[Path], str]:
    """``os.path.realpath`` of files, each folder resolved once: a file that is no symbolic link is its
    folder's real path plus its name (resolving every file anew was a fifth of the prefetch's CPU)."""
    folders: dict[Path, str] = {}

    def real(path: Path) -> str:
        if path.is_symlink():
            return os.path.realpath(path)
        folder = folders.get(path.parent)
        if folder is None:
            folder = folders[path.parent] = os.path.realpath(path.parent)
        return os.path.join(folder, path.name)

    return real


def _ignored(path: Path, content: Path, patterns: list[str]) -> bool:
    relative = _relative_name(os.fspath(path), content)  # path is under content: rglob found it there
    return any(
        fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(path.name, p.removeprefix("**/")) for p in patterns
    )


def _page_country(text: str) -> str | None:
    """``asa2_country`` from Pelican's ``Key: value`` header, or from YAML front matter."""
    front, _ = read_front_matter(text)
    if front.get("asa2_country"):
        return str(front["asa2_country"])
    # The header ends at its first blank line: split only up to the first "\n\n" (a cut after a line
    # feed splits no "\r\n"), not the whole article.
    blank = text.find("\n\n")
    for line in (text if blank < 0 else text[: blank + 2]).splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        if key.strip().lower() == "asa2_country" and value.strip():
            return value.strip()
    return None


def _template_keys(engine: Engine, settings: dict[str, Any]) -> list[ProductKey]:
    """Products the theme's templates name literally."""
    overrides = [Path(folder) for folder in settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    folders = [
        folder for folder in (*overrides, Path(settings.get("THEME", "")) / "templates") if folder.is_dir()
    ]
    if not folders:
        return []
    loader = jinja2.FileSystemLoader([str(folder) for folder in folders])
    return theme_keys(jinja2.Environment(loader=loader, autoescape=True), engine)


# -- hooks -----------------------------------------------------------------------------------


def _hook_markdown(settings: dict[str, Any], extension: Asa2Extension) -> None:
    markdown_settings = dict(settings.get("MARKDOWN") or {})
    previous = [e for e in markdown_settings.get("extensions", []) if not isinstance(e, Asa2Extension)]
    markdown_settings["extensions"] = [*previous, extension]
    settings["MARKDOWN"] = markdown_settings


def _located(reader_class: type[MarkdownReader]) -> type[MarkdownReader]:
    """A Markdown reader subclass that tells the extension which file it reads."""

    class LocatedMarkdownReader(reader_class):  # type: ignore[misc]
        def read(self, source_path: str) -> Any:
            late = _current.late if _current is not None else None
            if _current is not None:
                _current.extension.setConfig("path", _relative_name(source_path, _current.content))
            if late is None:
                return super().read(source_path)
            # Pelican converts the body first, then the formatted meta-data (_parse_metadata).
            late.reading_body = True
            try:
                return super().read(source_path)
            finally:
                late.reading_body = False

        def _parse_metadata(self, *args: Any) -> Any:
            if _current is not None and _current.late is not None:
                _current.late.reading_body = False
            return super()._parse_metadata(*args)

    return LocatedMarkdownReader


def _config_path(value: str | None, content: Path) -> Path | None:
    if not value:
        return None
    path = Path(value).expanduser()
    if path.is_absolute():
        return path
    for base in (Path.cwd(), content.parent, content):
        if (base / path).is_file():
            return base / path
    return path


def _relative_name(source_path: str, content: Path) -> str:
    """``_relative(Path(source_path), content)``; once per article, so a plain path under ``content``
    (no empty or ``.`` part, which pathlib would drop) is cut by its prefix instead of parsed."""
    prefix = os.path.join(content, "")
    parts = f"/{source_path[len(prefix) :]}/"
    if os.sep == "/" and source_path.startswith(prefix) and "//" not in parts and "/./" not in parts:
        return parts[1:-1]
    return _relative(Path(source_path), content)


def _relative(path: Path, content: Path) -> str:
    try:
        return path.relative_to(content).as_posix()
    except ValueError:
        return os.fspath(path)


def _close() -> None:
    global _current
    if _current is not None:
        _current.engine.close()
        _current = None


__all__ = [
    "MARKDOWN_SUFFIXES",
    "STYLESHEET",
    "LateBoxes",
    "content_object_init",
    "finalized",
    "initialized",
    "prefetch_site",
    "readers_init",
    "register",
]
