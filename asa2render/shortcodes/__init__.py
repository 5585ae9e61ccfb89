"""WordPress-style shortcodes (``[asa2 asin="B0123"]``), found in linear time.

Grammar (WordPress ``get_shortcode_regex`` / ``shortcode_parse_atts``, lenient):

* ``[tag …]``, ``[tag … /]`` (self-closing) and ``[tag …]content[/tag]`` (enclosing). Tag names
  match exactly and case-sensitively and must not be followed by a word character or ``-``.
* ``[[tag …]]`` and ``[[tag …]…[/tag]]`` are escapes: ``expand`` prints them without the outer
  brackets and calls no handler.
* Attributes: see :mod:`asa2render.shortcodes.attributes` (quotes, typographic quotes, entities,
  NBSP/ZWSP as whitespace, values verbatim).
* ``expand`` follows ``do_shortcode``: the handler's string replaces the shortcode, content is
  passed raw, unknown tags are left alone.

Deliberate differences from WordPress:

* **Enclosing**: an opener encloses only when its ``[/tag]`` comes *before the next opener of the
  same tag* (self-closing ``[tag /]`` openers do not count). In WordPress one stray ``[/tag]``
  makes the last opener before it swallow everything in between, at quadratic cost. Here the
  earlier openers stay self-contained; a closer no opener claims is left in the text unchanged
  and reported as ``stray-closer`` (warning) with its line and column.
* **Attribute text** ends at the first ``]``, ``/]`` or ``[``. An opener without ``]`` before the
  next ``[`` is left as text and reported as ``unterminated-opener`` (error); the scan continues
  right after it, so nothing else is swallowed and the cost stays linear.
* **Unbalanced quote** (``[asa2 asin="B0123]``): reported as ``unbalanced-quote`` (error) at the
  quote; the shortcode is still parsed best-effort, the value running to the end of the
  attribute text (``asin`` = ``B0123``). The rest of the document is scanned normally.
* Values are verbatim (no ``stripcslashes``); typographic quotes and quote entities delimit
  values.
* In ``markdown`` and ``html`` modes code, comments and (HTML) the inside of tags are never
  touched; WordPress expands some shortcodes inside HTML attributes.

Strict mode (``expand(…, strict=True)``) raises :class:`~asa2render.errors.ShortcodeError` for the
first diagnostic; lenient mode never raises because of the input.
"""

from __future__ import annotations

from asa2render.shortcodes.expansion import Handler, expand
from asa2render.shortcodes.model import Diagnostic, Mode, ScanResult, Severity, Shortcode
from asa2render.shortcodes.positions import Locator, line_col
from asa2render.shortcodes.scanner import parse, scan

__all__ = [
    "Diagnostic",
    "Handler",
    "Locator",
    "Mode",
    "ScanResult",
    "Severity",
    "Shortcode",
    "expand",
    "line_col",
    "parse",
    "scan",
]
