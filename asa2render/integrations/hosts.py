"""What every integration shares: importing its host lazily, opening an engine, checking requests.

Each integration module imports its host package (mkdocs, pelican, markdown) through
:func:`require`, so a missing host becomes :class:`~asa2render.errors.IntegrationMissingError`
naming the ``pip install`` line, and ``import asa2render`` never imports a host.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from ..config.model import Config, load_config
from ..engine import Document, Engine
from ..errors import IntegrationMissingError

ConfigSource = Config | str | Path | None


def require(module: str, *, host: str, extra: str) -> ModuleType:
    """Import a host package, or explain which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise IntegrationMissingError(host, extra) from None


def load(config: ConfigSource, *, base: Path | None = None) -> Config:
    """A configuration object from an object, a path (relative to ``base``) or None (searched)."""
    if isinstance(config, Config):
        return config
    if config is None:
        return load_config(None)
    path = Path(config).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return load_config(path)


def open_engine(
    config: ConfigSource,
    *,
    strict: bool | None = None,
    sandbox: str | None = None,
    base: Path | None = None,
) -> Engine:
    """An engine for an integration; ``sandbox`` is a URL, ``"auto"`` or None (``ASA2RENDER_SANDBOX``)."""
    return Engine(load(config, base=base), strict=strict, sandbox=sandbox or None)


def splice(engine: Engine, doc: Document, store: Callable[[str], str]) -> str:
    """The document's text with each shortcode replaced by ``store(markup)`` (e.g. a stash placeholder).

    Boxes are rendered by the engine; escaped shortcodes become their literal text, HTML-escaped. In
    strict mode, :class:`StrictModeError` is raised before anything is replaced.
    """
    return engine.render(doc, wrap=store, literal=lambda text: html.escape(text, quote=False))


__all__ = ["ConfigSource", "load", "open_engine", "require", "splice"]
