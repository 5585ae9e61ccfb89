"""What every integration shares: opening its engine, and splicing boxes into a host's page.

Hosts that are optional extras (mkdocs, pelican, Python-Markdown) are imported by their integration
module inside ``try``/``except ImportError``, which raises
:class:`~asa2render.errors.IntegrationMissingError` naming the ``pip install`` line; markdown-it-py and
Jinja are dependencies of asa2render itself. ``import asa2render`` imports no integration.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from .. import edges
from ..edges import ConfigSource
from ..engine import Document, Engine


def open_engine(
    config: ConfigSource,
    *,
    strict: bool | None = None,
    sandbox: str | None = None,
    base: Path | None = None,
) -> Engine:
    """An engine for an integration; ``sandbox`` is a URL, ``"auto"`` or None (``ASA2RENDER_SANDBOX``).

    Args:
        config: a configuration, a path to ``asa2render.toml`` (relative to ``base``), or None (searched).
        strict: override ``[site] strict``.
        sandbox: the integration's own setting; without one the environment variable decides.
        base: the folder a relative ``config`` path is resolved against.
    """
    return edges.open_engine(config, strict=strict, sandbox=edges.sandbox_setting(sandbox), base=base)


def splice(engine: Engine, doc: Document, store: Callable[[str], str]) -> str:
    """The document's text with each shortcode replaced by ``store(markup)`` (e.g. a stash placeholder).

    Boxes are rendered by the engine; escaped shortcodes become their literal text, HTML-escaped. In
    strict mode, :class:`StrictModeError` is raised before anything is replaced.
    """
    return engine.render(doc, wrap=store, literal=lambda text: html.escape(text, quote=False))


__all__ = ["ConfigSource", "open_engine", "splice"]
