"""What a geo-targeted site ships: ``asa2render-geo.json``, ``asa2render-geo.js`` and the tags loading them.

Sites (``build``, ``render DIR -o OUT``, the MkDocs and Pelican plugins) get both files once, next to the
pages, and one ``<script src=… defer>`` per page with boxes; a single page gets its table inlined as
``<script type="application/json" id="asa2render-geo">``. The script finds the table itself: the inline
one first, else ``asa2render-geo.json`` beside the script.
"""

from __future__ import annotations

import gzip
import json
import re
from importlib.resources import files
from pathlib import Path

from ..files import atomic_write
from .table import GeoTable

TABLE_NAME = "asa2render-geo.json"
SCRIPT_NAME = "asa2render-geo.js"
INLINE_ID = "asa2render-geo"
BOX_MARKER = "data-asa2-asin"
BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


def script_source() -> str:
    """The browser localiser, as shipped in the package."""
    return files("asa2render.geo").joinpath(f"static/{SCRIPT_NAME}").read_text(encoding="utf-8")


def script_gzip_size() -> int:
    """The script's size in bytes once gzipped (``gzip -9``), as a web server would send it."""
    return len(gzip.compress(script_source().encode("utf-8"), compresslevel=9, mtime=0))


def table_json(table: GeoTable) -> str:
    """The table as compact JSON."""
    return json.dumps(table.data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def write_assets(directory: Path, table: GeoTable) -> list[Path]:
    """Write ``asa2render-geo.json`` and ``asa2render-geo.js`` into ``directory``; returns both paths."""
    written = [directory / TABLE_NAME, directory / SCRIPT_NAME]
    atomic_write(written[0], table_json(table) + "\n", create_parents=True)
    atomic_write(written[1], script_source(), create_parents=True)
    return written


def script_tag(src: str) -> str:
    """The one tag a page needs (the table is found beside the script)."""
    return f'<script src="{_attribute(src)}" defer></script>'


def inline_table(table: GeoTable) -> str:
    """The table inside the page, for single pages that have no site folder."""
    # "<" escaped keeps a title such as "</script>" from ending the element early.
    text = table_json(table).replace("<", "\\u003c")
    return f'<script type="application/json" id="{INLINE_ID}">{text}</script>'


def has_boxes(html: str) -> bool:
    """Whether a page shows anything rendered by asa2render."""
    return BOX_MARKER in html


def inject(html: str, snippet: str) -> str:
    """``snippet`` before the page's last ``</body>`` (appended when there is none)."""
    ends = list(BODY_END.finditer(html))
    if not ends:
        return html + snippet + "\n"
    at = ends[-1].start()
    return html[:at] + snippet + "\n" + html[at:]


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


__all__ = [
    "BODY_END",
    "BOX_MARKER",
    "INLINE_ID",
    "SCRIPT_NAME",
    "TABLE_NAME",
    "has_boxes",
    "inject",
    "inline_table",
    "script_gzip_size",
    "script_source",
    "script_tag",
    "table_json",
    "write_assets",
]
