"""Front matter at the top of a page: YAML (``---``), TOML (``+++``) and JSON (``{ … }``).

These are the three forms Hugo accepts, and the YAML form is what Jekyll, Eleventy, MkDocs and
Pelican's Markdown reader use. A page's front matter is never expanded (a shortcode inside it is
data, not content) and its ``asa2_country`` sets the page's default store.

A block whose delimiters are present but whose body does not parse still counts as front matter
(its end is returned, its data is empty): the page's generator will report the syntax error, and
asa2render must not expand shortcodes inside it meanwhile.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from functools import lru_cache
from typing import Any, Literal

import msgspec

from .patterns import lazy

Format = Literal["yaml", "toml", "json"]

_BOM = "\ufeff"
_YAML = lazy(r"---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_TOML = lazy(r"\+\+\+[ \t]*\r?\n(.*?\r?\n)?\+\+\+[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_LINE_END = lazy(r"[ \t]*(?:\r?\n|\Z)")


class FrontMatter(msgspec.Struct, frozen=True):
    """What was found at the top of a page.

    Attributes:
        data: The parsed mapping (empty when there is none or it does not parse).
        end: Offset where the body starts (0 without front matter).
        format: ``yaml``, ``toml``, ``json`` or None.
        error: Why the block did not parse, or None.
    """

    data: dict[str, Any] = msgspec.field(default_factory=dict)
    end: int = 0
    format: Format | None = None
    error: str | None = None


def parse_front_matter(text: str) -> FrontMatter:
    """Find and parse the front matter at the very start of ``text`` (a UTF-8 BOM is skipped)."""
    offset = 1 if text.startswith(_BOM) else 0
    head = text[offset : offset + 3]
    if head == "---":
        return _delimited(text, offset, _YAML(), "yaml")
    if head == "+++":
        return _delimited(text, offset, _TOML(), "toml")
    if head[:1] == "{" and not head.startswith(("{{", "{%", "{#")):
        return _json(text, offset)
    return FrontMatter()


def read_front_matter(text: str) -> tuple[dict[str, Any], int]:
    """The front matter's data and where the body starts (``({}, 0)`` without front matter)."""
    found = parse_front_matter(text)
    return found.data, found.end


def _delimited(text: str, offset: int, pattern: re.Pattern[str], fmt: Format) -> FrontMatter:
    match = pattern.match(text, offset)
    if match is None:
        return FrontMatter()
    data, error = _parsed(match.group(1) or "", fmt)
    # A deep copy: the parsed block is shared by every page that repeats it; callers own theirs.
    return FrontMatter(copy.deepcopy(data), match.end(), fmt, error)


@lru_cache(maxsize=256)
def _parsed(body: str, fmt: Format) -> tuple[dict[str, Any], str | None]:
    """The mapping a block holds (empty unless a mapping) and why it did not parse, memoised.

    Site builds read every page twice (once to prefetch every product, once to render). YAML goes
    through libyaml's ``CSafeLoader`` when the PyYAML wheel has it (the same safe schema, about ten
    times faster); a block it rejects is parsed again by the pure-Python loader, so the message is
    the same with or without libyaml. PyYAML is imported only for pages that have YAML front matter.
    """
    if fmt != "yaml":
        try:
            data = tomllib.loads(body)
        except tomllib.TOMLDecodeError as exc:
            return {}, _first_line(exc)
        return data, None
    import yaml

    try:
        data = yaml.load(body, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # a safe loader
    except yaml.YAMLError:
        try:
            data = yaml.safe_load(body)
        except yaml.YAMLError as exc:
            return {}, _first_line(exc)
    return (data if isinstance(data, dict) else {}), None


def _json(text: str, offset: int) -> FrontMatter:
    # Hugo reads a JSON object at the top of the file; the body follows its closing brace.
    try:
        data, end = json.JSONDecoder().raw_decode(text, offset)
    except json.JSONDecodeError as exc:
        # A page that merely starts with "{" (a Liquid/Nunjucks expression, a JSON example) is not
        # front matter unless the object's first key is on the first line, as Hugo writes it.
        if re.match(r"\{\s*\"", text[offset:]):
            return FrontMatter({}, 0, "json", _first_line(exc))
        return FrontMatter()
    if not isinstance(data, dict):
        return FrontMatter()
    line_end = _LINE_END().match(text, end)
    return FrontMatter(data, line_end.end() if line_end else end, "json")


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


__all__ = ["FrontMatter", "parse_front_matter", "read_front_matter"]
