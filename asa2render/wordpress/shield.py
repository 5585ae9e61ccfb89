"""Keeping ASA2 shortcodes out of reach of an HTML-to-Markdown converter.

Converters escape Markdown syntax in text (``[`` → ``\\[``, ``_`` → ``\\_``), which is how every
existing WordPress migration route turned ``[asa2_textlink …]`` into ``\\[asa2\\_textlink …\\]``.
So before conversion each shortcode is swapped for an opaque token made only of letters and
digits — text no converter escapes or splits — and swapped back afterwards, byte for byte.

Where a shortcode sits decides how it comes back in Markdown:

* in text: verbatim, so ``asa2render`` expands it later;
* inside an HTML attribute (``alt="[asa2_textlink …]…"``): as the escape ``[[…]]``, because in
  Markdown the attribute becomes image or link text that ``asa2render`` would otherwise expand;
  the escape prints the literal shortcode, which is what HTML mode leaves in an attribute;
* inside ``<pre>``/``<code>``: verbatim (the converter makes it a code span, which is never expanded).

HTML comments are shielded the same way (converters drop them; ``<!--more-->`` matters to Hugo and
WordPress alike), and so is raw HTML a converter must not touch.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Literal

from ..products.resolve import TAGS
from ..shortcodes import Diagnostic, Shortcode, scan

Place = Literal["text", "attribute", "code", "comment", "raw"]
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Guarded:
    """The original text behind one token and where it sat."""

    original: str
    place: Place
    shortcode: Shortcode | None = None


@dataclass(slots=True)
class Shield:
    """Tokens handed out for one document; ``restore`` puts the originals back."""

    prefix: str
    guarded: dict[str, Guarded] = field(default_factory=dict)

    @classmethod
    def for_text(cls, text: str) -> Shield:
        """A shield whose tokens cannot occur in ``text``."""
        while True:
            prefix = "ASA2WP" + secrets.token_hex(5).upper()
            if prefix not in text:
                return cls(prefix)

    def token(self, original: str, place: Place, shortcode: Shortcode | None = None) -> str:
        token = f"{self.prefix}N{len(self.guarded)}X"
        self.guarded[token] = Guarded(original, place, shortcode)
        return token

    def restore(self, text: str, *, markdown: bool) -> tuple[str, list[Guarded]]:
        """Put every original back; returns the text and the guarded items whose token was lost."""
        pattern = re.compile(re.escape(self.prefix) + r"N(\d+)X")
        seen: set[str] = set()

        def back(match: re.Match[str]) -> str:
            token = match.group()
            seen.add(token)
            item = self.guarded[token]
            inner = pattern.sub(back, item.original)  # raw HTML may hold shortcode tokens
            if markdown and item.place == "attribute" and not _is_escape(item):
                return f"[{inner}]"
            if markdown and item.place == "raw":
                # The token stands as a paragraph of its own; a blank line inside would end the
                # Markdown HTML block early and turn the rest into Markdown.
                return re.sub(r"\n\s*\n", "\n", inner.strip())
            return inner

        restored = pattern.sub(back, text)
        lost = [item for token, item in self.guarded.items() if token not in seen]
        return restored, lost


def _is_escape(item: Guarded) -> bool:
    return item.shortcode is not None and item.shortcode.escaped


@dataclass(frozen=True, slots=True)
class Shielded:
    """A document with its shortcodes and comments replaced by tokens."""

    text: str
    shield: Shield
    shortcodes: tuple[Shortcode, ...]
    diagnostics: tuple[Diagnostic, ...]


def shield_shortcodes(text: str) -> Shielded:
    """Replace every ASA2 shortcode in ``text`` (HTML) with a token."""
    shield = Shield.for_text(text)
    everywhere = scan(text, TAGS, mode="text")
    in_text = {sc.start for sc in scan(text, TAGS, mode="html").shortcodes}
    parts: list[str] = []
    position = 0
    for shortcode in everywhere.shortcodes:
        original = text[shortcode.start : shortcode.end]
        place = "text" if shortcode.start in in_text else _place(text, shortcode.start)
        parts += [text[position : shortcode.start], shield.token(original, place, shortcode)]
        position = shortcode.end
    parts.append(text[position:])
    return Shielded("".join(parts), shield, tuple(everywhere.shortcodes), tuple(everywhere.diagnostics))


def shield_comments(text: str, shield: Shield) -> str:
    """Replace every HTML comment in ``text`` with a token (converters drop comments)."""
    return _COMMENT.sub(lambda match: shield.token(match.group(), "comment"), text)


def shield_raw(text: str, raw_parts: list[str], shield: Shield) -> str:
    """Replace each of ``raw_parts`` (raw HTML to keep as is) in ``text`` with a token."""
    for raw in raw_parts:
        if raw.strip() and raw in text:
            text = text.replace(raw, shield.token(raw, "raw"), 1)
    return text


def _place(text: str, offset: int) -> Place:
    """Where a shortcode that HTML mode skips sits: in a tag's attributes, a comment, or code."""
    before = text[:offset]
    if before.rfind("<!--") > before.rfind("-->"):
        return "comment"
    if before.rfind("<") > before.rfind(">"):
        return "attribute"
    return "code"


__all__ = ["Guarded", "Place", "Shield", "Shielded", "shield_comments", "shield_raw", "shield_shortcodes"]
