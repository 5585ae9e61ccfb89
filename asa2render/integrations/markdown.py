"""Python-Markdown extension: ``markdown.markdown(text, extensions=["asa2render"])``.

Registered under the ``markdown.extensions`` entry point as ``asa2render``; ``makeExtension`` works too
(``extensions=["asa2render.integrations.markdown"]``). Configuration keys (``extension_configs``):

- ``config``: path to ``asa2render.toml`` (default: searched from the current directory);
- ``strict``: override ``[site] strict`` (a failure raises :class:`~asa2render.errors.StrictModeError`);
- ``sandbox``: a sandbox URL or ``auto`` (default: the ``ASA2RENDER_SANDBOX`` environment variable);
- ``path``: the document's name, used in ``file:line:column`` messages.

One preprocessor (priority 24) runs after ``fenced_code`` (25) has set fenced code aside and before
raw HTML blocks are read (20). It scans the text in Markdown mode (indented code and code spans are
masked by the scanner), fetches the page's products in one batch, and stores every box — and every
escaped ``[[asa2 …]]``, printed literally — in ``md.htmlStash``: Markdown then neither wraps a box in
``<p>`` nor escapes it, and ``smarty`` never sees attribute quotes. A page's ``asa2_country`` meta-data
(with the ``meta`` extension) sets its default store. Line numbers in messages count lines as
Python-Markdown hands them over: a fenced code block counts as one line.

Engines are shared by configuration (path, strict, sandbox) for the life of the process, so
consecutive ``markdown.markdown`` calls reuse fetched products; pass ``engine=`` to share your own.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..engine import Engine
from ..errors import IntegrationMissingError
from .hosts import open_engine, splice

try:
    from markdown import Markdown
    from markdown.extensions import Extension
    from markdown.preprocessors import Preprocessor
except ImportError:
    raise IntegrationMissingError("Python-Markdown", "markdown") from None

PRIORITY = 24  # after fenced_code_block (25), before html_block (20)
_ENGINES: dict[tuple[str, bool | None, str], Engine] = {}


class Asa2Extension(Extension):
    """Expands ASA2 shortcodes before Markdown parses the page; see the module docstring."""

    def __init__(self, *, engine: Engine | None = None, **kwargs: Any) -> None:
        self.config = {
            "config": ["", "Path to asa2render.toml; empty: search from the current directory"],
            "strict": [None, "Fail on any shortcode problem (default: [site] strict)"],
            "sandbox": ["", "Sandbox URL or 'auto' (default: ASA2RENDER_SANDBOX)"],
            "path": ["", "The document's name, for file:line:column in messages"],
        }
        self._engine = engine
        super().__init__(**kwargs)

    @property
    def engine(self) -> Engine:
        """The engine in use, opened (or shared) on first use."""
        if self._engine is None:
            self._engine = shared_engine(
                self.getConfig("config") or None, self.getConfig("strict"), self.getConfig("sandbox")
            )
        return self._engine

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's hook name
        md.preprocessors.register(ShortcodePreprocessor(md, self), "asa2render", PRIORITY)


class StashPreprocessor(Preprocessor):
    """Puts HTML into ``md.htmlStash`` before Markdown reads the page, so it is neither wrapped nor escaped.

    Subclasses say which text marks a page worth looking at (:attr:`marker`) and how to replace it,
    given the stash's ``store(html) -> placeholder``.
    """

    marker = "["

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if self.marker not in text:
            return lines
        return self.replace(text, self.md.htmlStash.store).split("\n")

    def replace(self, text: str, store: Callable[[str], str]) -> str:
        """The page's text with the HTML to protect swapped for ``store(html)`` placeholders."""
        raise NotImplementedError


class ShortcodePreprocessor(StashPreprocessor):
    """Replaces each shortcode with an ``htmlStash`` placeholder holding its box."""

    def __init__(self, md: Markdown, extension: Asa2Extension) -> None:
        super().__init__(md)
        self.extension = extension

    def replace(self, text: str, store: Callable[[str], str]) -> str:
        engine = self.extension.engine
        path = self.extension.getConfig("path") or None
        doc = engine.prepare(text, mode="markdown", path=path, page_country=self._page_country())
        return splice(engine, doc, store)

    def _page_country(self) -> str | None:
        meta: dict[str, list[str]] = getattr(self.md, "Meta", {}) or {}
        values = meta.get("asa2_country") or []
        return (values[0].strip() or None) if values else None


def shared_engine(config: str | Path | None, strict: bool | None, sandbox: str | None) -> Engine:
    """One engine per (configuration file, strict, sandbox), closed when the process exits."""
    location = str(Path(config).expanduser().resolve()) if config else ""
    key = (location, strict, sandbox or "")
    engine = _ENGINES.get(key)
    if engine is None:
        engine = open_engine(location or None, strict=strict, sandbox=sandbox or None)
        _ENGINES[key] = engine
        atexit.register(engine.close)
    return engine


def close_shared_engines() -> None:
    """Close every engine :func:`shared_engine` opened (they are also closed when the process exits)."""
    while _ENGINES:
        _, engine = _ENGINES.popitem()
        engine.close()
        atexit.unregister(engine.close)


def makeExtension(**kwargs: Any) -> Asa2Extension:  # noqa: N802 - Python-Markdown's factory name
    """Python-Markdown's factory hook: ``extensions=["asa2render.integrations.markdown"]``."""
    return Asa2Extension(**kwargs)


__all__ = [
    "PRIORITY",
    "Asa2Extension",
    "ShortcodePreprocessor",
    "StashPreprocessor",
    "close_shared_engines",
    "makeExtension",
    "shared_engine",
]
