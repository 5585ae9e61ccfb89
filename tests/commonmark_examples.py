"""The CommonMark spec examples with a shortcode in place of their first ``foo``, and an offline engine.

The examples (``tests/shortcodes/fixtures/commonmark-spec.json``, CommonMark spec 0.31.2, 652 examples)
are ported from the CommonMark project (CC-BY-SA 4.0) as test data. The engine renders every box as a
fixed marker through an offline store, so the property tests run in seconds and see exactly which
shortcodes were expanded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from asa2render.config.model import Config
from asa2render.engine import Engine
from asa2render.products.cache import ProductCache
from asa2render.products.models import ProductKey, Resolved
from asa2render.products.resolve import ProductRequest
from asa2render.render.renderer import Renderer

SPEC = Path(__file__).parent / "shortcodes" / "fixtures" / "commonmark-spec.json"
SHORTCODE = '[asa2 asin="B0LOCAL001"]'
MARK = "ASA2EXPANDED"
# Raw-text content as plain markdown-it (or Python-Markdown) renders it: code, pre and raw elements.
_RAW = re.compile(r"<(code|pre|script|style|textarea)\b[^>]*>(.*?)</\1>", re.DOTALL | re.IGNORECASE)


def examples() -> list[dict[str, Any]]:
    """Every spec example (``markdown``, ``html``, ``example`` number, ``section``)."""
    data: list[dict[str, Any]] = json.loads(SPEC.read_text(encoding="utf-8"))
    return data


def with_shortcode(markdown: str) -> str:
    """The example with its first ``foo`` replaced by a box shortcode."""
    return markdown.replace("foo", SHORTCODE, 1)


def substituted() -> list[tuple[int, str]]:
    """``(example number, markdown)`` for every example holding a ``foo``."""
    return [(e["example"], with_shortcode(e["markdown"])) for e in examples() if "foo" in e["markdown"]]


def inside_code(html: str) -> bool:
    """Whether the shortcode's text lies in ``<code>``/``<pre>`` or a raw ``<script>``/``<style>``/``<textarea>``."""
    return any("asa2 asin=" in match.group(2) for match in _RAW.finditer(html))


class MarkRenderer(Renderer):
    """Every box is the same small ``<div>`` holding :data:`MARK`: no templates, no products."""

    def render(self, request: ProductRequest, resolved: Mapping[ProductKey, Resolved]) -> str:
        return f'<div class="asa2-box">{MARK}</div>'


def offline_engine() -> Engine:
    """An engine with no network, an in-memory cache and :class:`MarkRenderer`."""
    config = Config()
    engine = Engine(config, offline=True, cache=ProductCache.in_memory())
    engine.renderer = MarkRenderer(config)
    return engine
