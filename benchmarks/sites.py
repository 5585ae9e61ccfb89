"""Seeded synthetic documents and sites: the same seed gives byte-identical output on every machine.

Documents look like real blog posts (headings, paragraphs with links and inline code, lists, fenced
code that *documents* shortcodes and must be skipped) so that the Markdown-mode masks, the
``[`` of links and the scanner all do the work they do on real sites.

Shortcode syntaxes for the peer comparison (same documents, only the product shortcodes differ):

* ``asa2``: ``[asa2 asin="B0…" country="de"]`` (ours, and the WordPress regex without ``/]``);
* ``asa2_self_closing``: ``[asa2 asin="B0…" country="de" /]`` (WordPress regex with ``/]``);
* ``shortcodes``: ``[% asa2 asin="B0…" country="de" %]`` (the ``shortcodes`` library);
* ``shrtcodes``: ``{% asa2 asin=B0… country=de %}`` on its own line (the ``shrtcodes`` library).
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Syntax = Literal["asa2", "asa2_self_closing", "shortcodes", "shrtcodes"]
SYNTAXES: tuple[Syntax, ...] = ("asa2", "asa2_self_closing", "shortcodes", "shrtcodes")
DEFAULT_STORES: tuple[str, ...] = ("de", "us", "jp")

_VOCABULARY = (
    "espresso grinder burr coffee bean roast crema kettle pour over filter paper water temperature "
    "extraction bitter sweet acidity body aroma freshness storage airtight canister scale gram "
    "ratio brew time dose tamp portafilter basket milk steam wand latte cappuccino review verdict "
    "price value quality build motor noise cleaning maintenance warranty travel manual electric "
    "ceramic steel"
)
_WORDS = tuple(_VOCABULARY.split())
_ASIN_ALPHABET = string.ascii_uppercase + string.digits


def make_asins(count: int, seed: int = 0) -> list[str]:
    """``count`` distinct, valid ASINs (``B0`` + 8 letters/digits) the sandbox answers for."""
    rng = random.Random(f"asins-{seed}")
    found: dict[str, None] = {}
    while len(found) < count:
        tail = "".join(rng.choices(_ASIN_ALPHABET, k=8))
        # B0BAD… and B0NOACC… are the sandbox's invalid / inaccessible ASINs.
        if not tail.startswith(("BAD", "NOACC")):
            found["B0" + tail] = None
    return list(found)


def shortcode(asin: str, country: str, syntax: Syntax = "asa2") -> str:
    """One product box shortcode in the given syntax."""
    if syntax == "asa2":
        return f'[asa2 asin="{asin}" country="{country}"]'
    if syntax == "asa2_self_closing":
        return f'[asa2 asin="{asin}" country="{country}" /]'
    if syntax == "shortcodes":
        return f'[% asa2 asin="{asin}" country="{country}" %]'
    return f"{{% asa2 asin={asin} country={country} %}}"


class _Prose:
    """Paragraphs, lists and code blocks drawn from a fixed, seeded pool (generation stays cheap)."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"prose-{seed}")
        self.rng = rng
        self.paragraphs = [self._paragraph(rng) for _ in range(64)]
        self.lists = [self._list(rng) for _ in range(16)]
        self.codes = [self._code(rng, index) for index in range(8)]
        self.headings = [f"## {' '.join(rng.choices(_WORDS, k=4)).capitalize()}\n\n" for _ in range(32)]

    @staticmethod
    def _sentence(rng: random.Random) -> str:
        return " ".join(rng.choices(_WORDS, k=rng.randint(8, 18))).capitalize() + "."

    def _paragraph(self, rng: random.Random) -> str:
        sentences = [self._sentence(rng) for _ in range(rng.randint(3, 6))]
        # Every paragraph has a link and a bracketed aside, which the scanner must pass over; one in
        # three has an inline code span holding brackets, which markdown mode must mask.
        sentences.insert(
            1, f"See [the {rng.choice(_WORDS)} guide](https://example.org/{rng.choice(_WORDS)}) [sic]."
        )
        if rng.random() < 1 / 3:
            sentences.insert(2, f"Use `cfg[{rng.choice(_WORDS)!r}]` for the {rng.choice(_WORDS)}.")
        return " ".join(sentences) + "\n\n"

    def _list(self, rng: random.Random) -> str:
        return "".join(f"- {self._sentence(rng)}\n" for _ in range(rng.randint(3, 5))) + "\n"

    @staticmethod
    def _code(rng: random.Random, index: int) -> str:
        if index % 2 == 0:
            # Documentation of the shortcode itself: markdown mode must leave it alone.
            return '```markdown\nWrite [asa2 asin="B0EXAMPLE1"] on its own line.\n```\n\n'
        lines = [f"settings[{i}] = {rng.randint(0, 99)}  # {rng.choice(_WORDS)}" for i in range(4)]
        return "```python\n" + "\n".join(lines) + "\n```\n\n"

    def block(self) -> str:
        """A random non-shortcode block."""
        roll = self.rng.random()
        if roll < 0.70:
            return self.rng.choice(self.paragraphs)
        if roll < 0.82:
            return self.rng.choice(self.lists)
        if roll < 0.92:
            return self.rng.choice(self.headings)
        return self.rng.choice(self.codes)


def markdown_document(
    size_bytes: int,
    shortcodes: int,
    *,
    syntax: Syntax = "asa2",
    seed: int = 0,
    asins: list[str] | None = None,
    stores: tuple[str, ...] = DEFAULT_STORES,
) -> str:
    """A Markdown document of about ``size_bytes`` with exactly ``shortcodes`` product boxes.

    Boxes stand on their own lines, evenly spread, so every syntax (including the line-based
    ``shrtcodes``) can express the same document. The prose is identical for every syntax.
    """
    prose = _Prose(seed)
    pool = asins or make_asins(max(shortcodes, 1), seed)
    gap = size_bytes / max(shortcodes + 1, 1)
    parts: list[str] = ["# A long review\n\n"]
    written = len(parts[0])
    for index in range(shortcodes):
        written = _fill(parts, prose, written, gap * (index + 1))
        line = shortcode(pool[index % len(pool)], stores[index % len(stores)], syntax) + "\n\n"
        parts.append(line)
        written += len(line)
    _fill(parts, prose, written, size_bytes)
    return "".join(parts)


def _fill(parts: list[str], prose: _Prose, written: int, until: float) -> int:
    while written < until:
        block = prose.block()
        parts.append(block)
        written += len(block)
    return written


def unclosed_openers_document(size_bytes: int, seed: int = 0) -> str:
    """Every line starts an ``[asa2 …`` opener that is never closed (the adversarial input)."""
    asins = make_asins(64, seed)
    lines: list[str] = []
    written = index = 0
    while written < size_bytes:
        line = f'[asa2 asin="{asins[index % 64]}" country="de" some words about the product\n'
        lines.append(line)
        written += len(line)
        index += 1
    return "".join(lines)


def stray_closer_document(size_bytes: int, shortcodes: int, seed: int = 0) -> str:
    """A normal document whose only ``[/asa2]`` comes at the very end (quadratic for WordPress)."""
    return markdown_document(size_bytes, shortcodes, seed=seed) + "[/asa2]\n"


@dataclass(frozen=True, slots=True)
class SiteSpec:
    """A synthetic site: ``pages`` pages of ``page_bytes`` with ``per_page`` boxes each.

    Box ``i`` of the site uses ASIN ``i % unique_asins`` in store ``i % len(stores)``, so the site
    asks for exactly ``unique_asins`` products (when it has at least that many boxes).
    """

    pages: int
    per_page: int = 5
    unique_asins: int = 500
    stores: tuple[str, ...] = DEFAULT_STORES
    page_bytes: int = 6000
    seed: int = 0


def site_pages(spec: SiteSpec) -> Iterator[tuple[str, str]]:
    """``(relative path, Markdown text)`` for every page of the site, generated lazily."""
    asins = make_asins(spec.unique_asins, spec.seed)
    prose = _Prose(spec.seed)
    box = 0
    for page in range(spec.pages):
        parts = [f"---\ntitle: Page {page}\n---\n\n# Review number {page}\n\n"]
        written = len(parts[0])
        gap = spec.page_bytes / (spec.per_page + 1)
        for slot in range(spec.per_page):
            written = _fill(parts, prose, written, gap * (slot + 1))
            # Box i of the site → (ASIN, store) pair i % unique_asins: every pair is distinct.
            pair = box % spec.unique_asins
            store = spec.stores[pair % len(spec.stores)]
            line = shortcode(asins[pair], store) + "\n\n"
            parts.append(line)
            written += len(line)
            box += 1
        _fill(parts, prose, written, spec.page_bytes)
        yield f"section-{page // 500:03d}/page-{page:05d}.md", "".join(parts)


def site_keys(spec: SiteSpec) -> list[tuple[str, str]]:
    """The distinct ``(country, asin)`` pairs the site's boxes ask for, in first-use order."""
    asins = make_asins(spec.unique_asins, spec.seed)
    boxes = min(spec.pages * spec.per_page, spec.unique_asins)
    return [(spec.stores[pair % len(spec.stores)], asins[pair]) for pair in range(boxes)]


def write_site(directory: Path, spec: SiteSpec) -> int:
    """Write the site's pages under ``directory``; returns the number of bytes written."""
    total = 0
    for relative, text in site_pages(spec):
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        total += len(text)
    return total


def write_config(
    directory: Path,
    stores: tuple[str, ...] = DEFAULT_STORES,
    *,
    credentials: dict[str, tuple[str, str]] | None = None,
    requests_per_second: float = 20.0,
) -> Path:
    """Write ``asa2render.toml`` with one marketplace per store (and its cache in ``directory``).

    Args:
        directory: Where the file and the ``.asa2render-cache`` folder go.
        stores: Country codes; the first is the default marketplace.
        credentials: Store → ``(credential_type, credential_id)``; the secret is the sandbox's
            ``bench-secret``. Stores without credentials get only a partner tag (offline renders).
        requests_per_second: The client's per-credential rate (``[api] requests_per_second``).
    """
    credentials = credentials or {}
    lines = [
        "[site]",
        'cache_dir = ".asa2render-cache"',
        "cache_ttl = 86400",
        "",
        "[api]",
        f"requests_per_second = {requests_per_second}",
        "",
    ]
    for index, country in enumerate(stores):
        lines += ["[[marketplaces]]", f'country = "{country}"', f'partner_tag = "bench{country}-21"']
        if country in credentials:
            kind, credential_id = credentials[country]
            lines += [
                f'credential_type = "{kind}"',
                f'credential_id = "{credential_id}"',
                'credential_secret = "bench-secret"',
            ]
        lines += [f"default = {'true' if index == 0 else 'false'}", ""]
    path = directory / "asa2render.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


__all__ = [
    "DEFAULT_STORES",
    "SYNTAXES",
    "SiteSpec",
    "Syntax",
    "make_asins",
    "markdown_document",
    "shortcode",
    "site_keys",
    "site_pages",
    "stray_closer_document",
    "unclosed_openers_document",
    "write_config",
    "write_site",
]
