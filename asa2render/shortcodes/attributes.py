"""Attribute parsing for the text between a shortcode's tag name and its ``]``.

The forms follow WordPress ``shortcode_parse_atts`` (``get_shortcode_atts_regex``):
``name="v"``, ``name='v'``, ``name=v``, positional ``"v"``, ``'v'`` and bare words. A quoted value
must be followed by whitespace or the end; otherwise the whole non-space run becomes one
positional value, as in WordPress. NBSP and ZERO WIDTH SPACE count as whitespace. A value with an
unclosed ``<`` is emptied, as WordPress does to keep broken HTML out of attributes.

Beyond WordPress:

* typographic quotes (“…”, „…“, ‘…’, ‚…‘, «…», »…«, ‹…›) and their HTML entities
  (``&quot;``, ``&#8220;``, ``&ldquo;`` …) delimit values, because smart-quote filters and HTML
  renderers rewrite ``"`` before shortcodes are expanded;
* WordPress's ``wptexturize`` turns a quote after a digit into a prime, so ``asin="B0…1"`` arrives
  as ``asin=&#8221;B0…1&#8243;``: the double prime ″ (U+2033) closes a double quote and the prime
  ′ (U+2032) a single one, written literally or as numeric entities;
* ``&nbsp;`` (and ``&#160;``, ``&#xa0;``) between attributes is whitespace, as NBSP itself is,
  because the visual editor writes it between attributes;
* values are kept verbatim (WordPress runs ``stripcslashes`` on them);
* an opening quote without a closing one yields an ``unbalanced-quote`` problem and the value runs
  to the end of the attribute text (WordPress would silently keep ``name="v`` as a positional).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from sys import intern

import msgspec

from ..patterns import lazy

# Opening quote -> the characters that may close it.
_CLOSERS: dict[str, str] = {
    '"': '"',
    "'": "'",
    "“": "”“″",
    "„": "”“″",
    "”": "”″",
    "‘": "’‘′",
    "‚": "’‘′",
    "’": "’′",
    "«": "»",
    "»": "«",
    "‹": "›",
    "›": "‹",
}
_NAMED_ENTITIES: dict[str, str] = {
    "&quot;": '"',
    "&apos;": "'",
    "&ldquo;": "“",
    "&rdquo;": "”",
    "&bdquo;": "„",
    "&lsquo;": "‘",
    "&rsquo;": "’",
    "&sbquo;": "‚",
    "&laquo;": "«",
    "&raquo;": "»",
    "&lsaquo;": "‹",
    "&rsaquo;": "›",
}
_SPACE_CLASS = "\\s\u200b"  # \s already covers NBSP in str patterns; ZWSP it does not.
# One unit of whitespace: a space character or an NBSP written as an entity.
_WS = f"(?:[{_SPACE_CLASS}]|&nbsp;|&#0*160;|&#[xX]0*[aA]0;)"
_STRIP = " \t\n\r\f\v\xa0\u200b"


def _spellings(char: str) -> list[str]:
    """Return every way ``char`` may be written: itself, named and numeric entities."""
    named = [entity for entity, value in _NAMED_ENTITIES.items() if value == char]
    code = ord(char)
    return [char, *named, f"&#{code};", f"&#0{code};", f"&#x{code:x};"]


def _alternation(chars: str) -> str:
    spellings = sorted({s for c in chars for s in _spellings(c)}, key=len, reverse=True)
    return "|".join(re.escape(s) for s in spellings)


class _Grammar:
    """The general token loop's regexes, compiled on first use rather than at import.

    Most attribute texts take the fast path below (plain ``name="value"`` pairs), and a one-page
    render may never need these: compiling them (the quote alternation alone spells every quote
    three ways) took about 4 ms of every ``import asa2render.shortcodes``. The loop fetches the
    instance once per attribute text, not once per regex use.
    """

    __slots__ = ("bare_value", "canonical", "name_eq", "non_space", "quote", "space", "space_char")

    def __init__(self) -> None:
        self.space = re.compile(f"{_WS}*")
        self.space_char = re.compile(_WS)
        self.name_eq = re.compile(f"([\\w-]+){_WS}*={_WS}*")
        self.non_space = re.compile(f"(?:(?!{_WS})[^{_SPACE_CLASS}])+")
        self.bare_value = re.compile(f"(?:(?!{_WS})[^{_SPACE_CLASS}'\"])+(?={_WS}|\\Z)")
        self.quote = re.compile(_alternation("".join(_CLOSERS)), re.IGNORECASE)
        self.canonical: dict[str, str] = {s.lower(): c for c in _CLOSERS for s in _spellings(c)}


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    return _Grammar()


@lru_cache(maxsize=1)
def _well_formed_html() -> re.Pattern[str]:
    """Compiled on first use: only a value holding ``<`` is checked."""
    return re.compile(r"[^<]*+(?:<[^>]*+>[^<]*+)*+")


@lru_cache(maxsize=32)
def _closer_regex(opener: str) -> re.Pattern[str]:
    """Return the regex for the quote closing ``opener``.

    Typographic closers double as apostrophes (``‘Peter’s’``), so for them a closer counts only
    when whitespace or the end follows; ASCII quotes keep WordPress's first-match rule.
    """
    alternation = _alternation(_CLOSERS[opener])
    if opener in "\"'":
        return re.compile(alternation, re.IGNORECASE)
    return re.compile(f"(?:{alternation})(?={_WS}|\\Z)", re.IGNORECASE)


class Problem(msgspec.Struct, frozen=True):
    """A problem inside attribute text; ``offset`` is relative to the attribute text."""

    offset: int
    code: str
    message: str


class ParsedAttributes(msgspec.Struct, frozen=True):
    """Named attributes, positional values and problems of one attribute text.

    Results are cached and shared, so ``named`` must not be mutated: use :meth:`attrs` for a
    private copy.
    """

    named: dict[str, str] = msgspec.field(default_factory=dict)
    positional: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    def attrs(self) -> dict[str, str]:
        """Return a fresh copy of the named attributes."""
        return self.named.copy()


_EMPTY = ParsedAttributes()

# The fast path's results: a Struct is built in C, faster than the frozen dataclass's
# ``object.__setattr__`` per field and than the mutable slotted twin that used to stand in for it.
_named_only: Callable[[dict[str, str]], ParsedAttributes] = ParsedAttributes

# Lower-cased attribute names by name as written, shared by every result: a page repeats the same
# few names on every shortcode, and a fresh string each would be memory held by every shortcode.
_NAMES: dict[str, str] = {}
_MAX_NAMES = 1024  # names are the page author's: past this many, new ones are simply not shared


def _name(written: str) -> str:
    name = intern(written.lower())
    if len(_NAMES) < _MAX_NAMES:
        _NAMES[written] = name
    return name


class _Token:
    """A value read by the general loop and where it ends (a plain class: a dataclass costs import time)."""

    __slots__ = ("end", "problem", "value")

    def __init__(self, value: str, end: int, problem: Problem | None = None) -> None:
        self.value = value
        self.end = end
        self.problem = problem


def _quoted(grammar: _Grammar, text: str, pos: int, quote: re.Match[str]) -> _Token | None:
    """Read a quoted value whose opening quote is ``quote``; ``None`` means "not a value"."""
    opener = grammar.canonical[quote.group().lower()]
    close = _closer_regex(opener).search(text, quote.end())
    if close is None:
        problem = Problem(
            pos,
            "unbalanced-quote",
            f"unbalanced quote {opener} in shortcode attributes: the value runs to the end "
            "of the shortcode; add the closing quote",
        )
        return _Token(text[quote.end() :].rstrip(_STRIP), len(text), problem)
    if close.end() < len(text) and grammar.space_char.match(text, close.end()) is None:
        return None
    return _Token(text[quote.end() : close.start()], close.end())


def _value(grammar: _Grammar, text: str, pos: int, named: bool) -> _Token | None:
    """Read the value at ``pos``; ``None`` sends the caller to the positional fallback."""
    quote = grammar.quote.match(text, pos)
    if quote is not None:
        return _quoted(grammar, text, pos, quote)
    if not named:
        return None
    bare = grammar.bare_value.match(text, pos)
    return _Token(bare.group(), bare.end()) if bare else None


def _skip_space(grammar: _Grammar, text: str, pos: int) -> int:
    space = grammar.space.match(text, pos)
    return space.end() if space else pos


def _clean(value: str) -> str:
    """Empty a value holding an unclosed HTML element, as WordPress does."""
    if "<" in value and _well_formed_html().fullmatch(value) is None:
        return ""
    return value


@lru_cache(maxsize=4096)
def parse_attributes(text: str) -> ParsedAttributes:
    """Parse attribute text such as ``' asin="B0123" 42'``.

    Args:
        text: Everything between the tag name and the closing ``]`` (or ``/]``).

    Returns:
        The named attributes, positional values and any problems; cached per text because
        documents repeat the same shortcodes.
    """
    if not text or text.isspace():
        return _EMPTY
    common = _COMMON.fullmatch(text)
    if common is not None and "&" not in text and "<" not in text:
        asin, country, tpl = common.groups()
        if tpl is None:  # written out, not a helper call: this runs once per distinct box of a page
            return _named_only({"asin": asin} if country is None else {"asin": asin, "country": country})
        return _named_only(_common_named(asin, country, tpl))
    fast = _parse_plain_pairs(text)
    if fast is not None:
        return fast
    return _parse_general(text)


# The dominant form of a product box, `` asin="…"`` with optional `` country="…"`` and `` tpl="…"``
# after it, one space apart, read by one match with literal names: what the plain-pair path below
# gives for it (a test compares them), without the per-character class tests of a general name and
# spacing, and without building a tuple per pair (callgrind, 1000 distinct box texts of the 1 MB
# benchmark page: 17.1 → 9.8 M instructions). Texts holding "&" or "<" take the general paths.
# (An empty alternative rather than "?": sre runs an optional group holding a capture through its
# general repeat machinery, a branch is cheaper.)
_COMMON = re.compile(r' asin="([^"]*+)"(?: country="([^"]*+)"|)(?: tpl="([^"]*+)"|)')


def _common_named(asin: str, country: str | None, tpl: str | None) -> dict[str, str]:
    """The named attributes of a `_COMMON` match, in the order written."""
    named = {"asin": asin}
    if country is not None:
        named["country"] = country
    if tpl is not None:
        named["tpl"] = tpl
    return named


# The common case — only name="value" pairs with straight double quotes and no entities — read
# with one C-level regex pass instead of the token loop below (same result; a test compares them).
# Each findall match is one pair, or (third group) the rest of the text from the first place that
# is not a plain pair: that happens exactly when the text is not all plain pairs, so checking
# the last match replaces a separate fullmatch pass (about a quarter of the parse's instructions).
_PLAIN_PAIR = lazy(
    f'[{_SPACE_CLASS}]*+(?:([\\w-]+)[{_SPACE_CLASS}]*=[{_SPACE_CLASS}]*"([^"]*)"(?=[{_SPACE_CLASS}]|\\Z)|(.+))',
    re.DOTALL,
)


def _parse_plain_pairs(text: str) -> ParsedAttributes | None:
    if "&" in text:
        return None
    pairs = _PLAIN_PAIR().findall(text)
    if not pairs or pairs[-1][2]:
        return None
    names = _NAMES
    if "<" in text:  # only a value holding "<" can need cleaning
        return _named_only({(names.get(name) or _name(name)): _clean(value) for name, value, _ in pairs})
    return _named_only({(names.get(name) or _name(name)): value for name, value, _ in pairs})


def _parse_general(text: str) -> ParsedAttributes:
    """The full WordPress-compatible token loop (every quote style, positional values, problems)."""
    grammar = _grammar()
    named: dict[str, str] = {}
    positional: list[str] = []
    problems: list[Problem] = []
    pos = _skip_space(grammar, text, 0)
    while pos < len(text):
        name_eq = grammar.name_eq.match(text, pos)
        start = name_eq.end() if name_eq else pos
        token = _value(grammar, text, start, named=name_eq is not None)
        if token is None:
            run = grammar.non_space.match(text, pos)
            token = _Token(run.group(), run.end()) if run else _Token(text[pos], pos + 1)
            positional.append(_clean(token.value))
        elif name_eq is not None:
            written = name_eq.group(1)
            named[_NAMES.get(written) or _name(written)] = _clean(token.value)
        else:
            positional.append(_clean(token.value))
        if token.problem is not None:
            problems.append(token.problem)
        pos = _skip_space(grammar, text, token.end)
    return ParsedAttributes(named, tuple(positional), tuple(problems))
