"""Products asked for in a generator's own shortcode syntax, for ``export-data``.

``asa2render init`` gives Hugo, Eleventy and Jekyll a native ``asa2`` shortcode that reads the data
file ``export-data`` writes; ``export-data`` must therefore find the products those shortcodes name:

- Hugo: ``{{< asa2 asin="B0…" country="de" tpl="compact" >}}``, ``{{% asa2 … %}}`` and the positional
  ``{{< asa2 "B0…" "de" >}}``; ``{{</* asa2 … */>}}`` is Hugo's escape and is skipped;
- Eleventy (Nunjucks or Liquid) and Jekyll with the plugin: ``{% asa2 "B0…" %}``,
  ``{% asa2 "B0…", "de", "compact" %}``, keyword arguments ``country="de"``; Eleventy's
  ``{% asa2Collection "name" %}``;
- Jekyll's include: ``{% include asa2.html asin="B0…" country="de" %}``.

Positional values mean ``asin``, ``country``, ``tpl`` in that order; ``collection="name"`` asks for a
named ASIN list. A value that is not a literal (a Liquid variable) cannot be exported and is reported.
Each one becomes a :class:`~asa2render.shortcodes.Shortcode` so the engine resolves it exactly like an
``[asa2]`` shortcode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Location
from .attributes import parse_attributes
from .model import Shortcode

_POSITIONAL_NAMES = ("asin", "country", "tpl")
_COLLECTION_NAMES = ("collection", "tpl")  # Eleventy's {% asa2Collection "name" %}
_PATTERN = re.compile(
    r"\{\{<(?!\s*/\*)\s*asa2\s+(?P<angle_args>.*?)\s*/?>\}\}"
    r"|\{\{%(?!\s*/\*)\s*asa2\s+(?P<percent_args>.*?)\s*/?%\}\}"
    r"|\{%-?\s*(?P<liquid_tag>asa2Collection|asa2|include\s+asa2\.html)\s+(?P<liquid_args>.*?)\s*-?%\}",
    re.DOTALL,
)
_LITERAL = re.compile(r"""^(?:"[^"]*"|'[^']*'|[\w-]+=\s*(?:"[^"]*"|'[^']*'))$""")
_TOKEN = re.compile(r"""[\w-]+=\s*(?:"[^"]*"|'[^']*'|[^\s,]+)|"[^"]*"|'[^']*'|[^\s,]+""")


@dataclass(frozen=True)
class Skipped:
    """A generator shortcode that names no exportable product, and why."""

    location: Location
    text: str
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: skipped {self.text!r}: {self.reason}"


def find_generator_shortcodes(
    text: str, path: str | None = None, *, start: int = 0
) -> tuple[list[Shortcode], list[Skipped]]:
    """Every ``asa2`` shortcode of Hugo, Eleventy or Jekyll syntax in ``text`` from ``start`` on.

    Args:
        text: the page or template.
        path: its name in messages.
        start: where the body starts (after front matter, which is data, not content).
    """
    found: list[Shortcode] = []
    skipped: list[Skipped] = []
    for match in _PATTERN.finditer(text, start):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        location = Location(path, line, column)
        arguments = next(a for a in match.group("angle_args", "percent_args", "liquid_args") if a is not None)
        tokens = _TOKEN.findall(arguments or "")
        not_literal = [t for t in tokens if not _LITERAL.match(t)]
        if not_literal:
            reason = f"{not_literal[0]!r} is not a literal value (a variable cannot be exported)"
            skipped.append(Skipped(location, match.group(0), reason))
            continue
        names = _COLLECTION_NAMES if match.group("liquid_tag") == "asa2Collection" else _POSITIONAL_NAMES
        shortcode = _shortcode(" ".join(tokens), names, match.start(), match.end(), line, column)
        if shortcode is None:
            skipped.append(Skipped(location, match.group(0), "no ASIN or collection"))
            continue
        found.append(shortcode)
    return found, skipped


def _shortcode(
    arguments: str, names: tuple[str, ...], start: int, end: int, line: int, column: int
) -> Shortcode | None:
    parsed = parse_attributes(arguments)
    attrs = parsed.attrs()
    args = list(parsed.positional)
    for name in names:
        if args and name not in attrs:
            attrs[name] = args.pop(0)
    collection = attrs.pop("collection", None)
    if collection:
        attrs.pop("asin", None)
        return Shortcode("asa2_collection", attrs, (), collection, start, end, line, column)
    if not attrs.get("asin"):
        return None
    return Shortcode("asa2", attrs, (), None, start, end, line, column)


__all__ = ["Skipped", "find_generator_shortcodes"]
