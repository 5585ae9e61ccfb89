"""Figure family 1: scanner throughput against a floor, WordPress's regex and two peer libraries.

Contenders, all on the same seeded Markdown (only the shortcode syntax differs, see ``sites``):

* ``floor``: ``re.finditer`` for the opener ``[asa2`` alone — no parsing at all, a lower bound;
* ``ours``: ``asa2render.shortcodes.expand`` in Markdown mode with a handler returning ``""``
  (scan, code masks, attribute parsing, pairing, splicing — the work a real render does);
* ``wordpress``: a Python port of WordPress's ``do_shortcode`` (``get_shortcode_regex`` plus
  ``shortcode_parse_atts``), once on ``[asa2 … /]`` (its fast path) and once on ``[asa2 …]`` (where it
  looks ahead for a ``[/asa2]`` from every opener);
* ``shortcodes`` (``[% … %]``) and ``shrtcodes`` (``{% … %}``, line based): the peer libraries.

``scanner_speedup_vs_best_peer`` = the faster peer library's time / ours. ``scanner_linearity`` =
seconds per MB at the large size / at the small size, the worst of three inputs (normal, an unclosed
opener on every line, a stray closer at the end).
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from asa2render.products.resolve import TAGS
from asa2render.shortcodes import Shortcode, expand, scan
from asa2render.shortcodes.attributes import parse_attributes

from .measure import Figure, Timing, ratio_figure, time_runs
from .sites import markdown_document, stray_closer_document, unclosed_openers_document

MB = 1_000_000


# -- WordPress port ------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def wordpress_shortcode_regex(tags: tuple[str, ...]) -> re.Pattern[str]:
    """``get_shortcode_regex``: the six groups of WordPress's shortcode pattern, in Python syntax.

    Groups: 1 an extra ``[`` (escape), 2 the tag, 3 the attribute text, 4 the ``/`` of ``/]``, 5 the
    enclosed content, 6 an extra ``]`` (escape). The attribute text is "no ``]`` or ``/``, or a ``/``
    not followed by ``]``", taken lazily; the content is "no ``[``, or a ``[`` that does not start
    ``[/tag]``", taken possessively, up to the ``[/tag]``.
    """
    names = "|".join(re.escape(tag) for tag in tags)
    return re.compile(
        r"\[(\[?)"
        rf"({names})(?![\w-])"
        r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"
        r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)"
        r"(\]?)"
    )


# shortcode_parse_atts: name="v", name='v', name=v, "v", 'v', bare token — tried in that order.
_WORDPRESS_ATTRIBUTES = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)"""
    r"""|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)"""
)
_WORDPRESS_NAME_PRESCAN = re.compile(r"\[([^<>&/\[\]\x00-\x20=]++)")
_WORDPRESS_SPACES = str.maketrans({"\xa0": " ", "\u200b": " "})


def wordpress_parse_attributes(text: str) -> dict[str | int, str]:
    """``shortcode_parse_atts``: named attributes (lower-cased) and positional ones (integer keys)."""
    attributes: dict[str | int, str] = {}
    position = 0
    for match in _WORDPRESS_ATTRIBUTES.finditer(text.translate(_WORDPRESS_SPACES)):
        groups = match.groups()
        for name_group in (0, 2, 4):
            if groups[name_group] is not None:
                attributes[groups[name_group].lower()] = groups[name_group + 1]
                break
        else:
            value = next(group for group in groups[6:] if group is not None)
            attributes[position] = value
            position += 1
    return attributes


def wordpress_do_shortcode(text: str, tags: tuple[str, ...], handler: Callable[..., str]) -> str:
    """``do_shortcode``: a pre-scan for candidate names, then one regex substitution pass."""
    if "[" not in text:
        return text
    present = tuple(tag for tag in tags if tag in set(_WORDPRESS_NAME_PRESCAN.findall(text)))
    if not present:
        return text

    def replace(match: re.Match[str]) -> str:
        if match.group(1) == "[" and match.group(6) == "]":
            return match.group(0)[1:-1]
        attributes = wordpress_parse_attributes(match.group(3))
        return match.group(1) + handler(attributes, match.group(5), match.group(2)) + match.group(6)

    return wordpress_shortcode_regex(present).sub(replace, text)


# -- the contenders ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contender:
    """A way to process one document: ``run(text)`` returns how many shortcodes it handled."""

    name: str
    syntax: str
    run: Callable[[str], int]


def _floor(text: str) -> int:
    return sum(1 for _ in re.finditer(r"\[asa2", text))


def _cold() -> None:
    """Forget attribute texts parsed by earlier runs: every timed run is a first pass over its input.

    ``parse_attributes`` keeps an LRU cache (4,096 texts). Timing the same document repeatedly would
    otherwise measure cache hits on small documents and misses on large ones.
    """
    clear = getattr(parse_attributes, "cache_clear", None)
    if clear is not None:
        clear()


def _ours(text: str) -> int:
    _cold()
    count = 0

    def handler(shortcode: Shortcode) -> str:
        nonlocal count
        count += 1
        return ""

    expand(text, TAGS, handler, mode="markdown")
    return count


def _ours_scan_only(text: str) -> int:
    _cold()
    return len(scan(text, TAGS, mode="markdown").shortcodes)


def _wordpress(text: str) -> int:
    count = 0

    def handler(attributes: dict[str | int, str], content: str | None, tag: str) -> str:
        nonlocal count
        count += 1
        return ""

    wordpress_do_shortcode(text, TAGS, handler)
    return count


def _shortcodes_library(text: str) -> int:
    shortcodes: Any = importlib.import_module("shortcodes")  # the peer library (the bench extra)
    count = 0

    def handler(pargs: list[str], kwargs: dict[str, str], context: object) -> str:
        nonlocal count
        count += 1
        return ""

    parser = shortcodes.Parser(start="[%", end="%]", inherit_globals=False, ignore_unknown=True)
    parser.register(handler, "asa2")
    parser.parse(text)
    return count


def _shrtcodes_library(text: str) -> int:
    count = 0
    processor: Any = importlib.import_module("shrtcodes").Shrtcodes()

    def handler(*args: str, **kwargs: str) -> str:
        nonlocal count
        count += 1
        return ""

    processor.register_inline("asa2")(handler)
    processor.process_text(text)
    return count


CONTENDERS: tuple[Contender, ...] = (
    Contender("floor: re.finditer opener", "asa2", _floor),
    Contender("asa2render expand (markdown)", "asa2", _ours),
    Contender("asa2render scan only (markdown)", "asa2", _ours_scan_only),
    Contender("WordPress regex, [asa2 … /]", "asa2_self_closing", _wordpress),
    Contender("WordPress regex, [asa2 …]", "asa2", _wordpress),
    Contender("shortcodes 5.4.0 [% … %]", "shortcodes", _shortcodes_library),
    Contender("shrtcodes 1.2.0 {% … %}", "shrtcodes", _shrtcodes_library),
)
PEER_LIBRARIES = ("shortcodes 5.4.0 [% … %]", "shrtcodes 1.2.0 {% … %}")
OURS = "asa2render expand (markdown)"


@dataclass(frozen=True, slots=True)
class ScannerSizes:
    """Document sizes for the scanner figures."""

    throughput_bytes: int = MB
    throughput_shortcodes: int = 1000
    small_bytes: int = MB
    large_bytes: int = 8 * MB
    repeat: int = 5
    peer_repeat: int = 3


def throughput(
    sizes: ScannerSizes, log: Callable[[str], None] = print
) -> tuple[list[Figure], dict[str, Timing]]:
    """Time every contender on the same document; the speedup figure and one figure per contender."""
    documents = {
        syntax: markdown_document(sizes.throughput_bytes, sizes.throughput_shortcodes, syntax=syntax)  # type: ignore[arg-type]
        for syntax in {contender.syntax for contender in CONTENDERS}
    }
    runs: dict[str, list[float]] = {contender.name: [] for contender in CONTENDERS}
    for contender in CONTENDERS:  # untimed first pass: checks the count and warms imports
        _check_count(contender, contender.run(documents[contender.syntax]), sizes.throughput_shortcodes)
    # Rounds interleave the contenders, so a burst of load from other processes on a shared machine
    # hits all of them alike instead of whichever happened to be running.
    for round_number in range(max(sizes.repeat, sizes.peer_repeat)):
        for contender in CONTENDERS:
            slow = contender.name in PEER_LIBRARIES or contender.name.startswith("WordPress")
            if round_number < (sizes.peer_repeat if slow else sizes.repeat):
                work = functools.partial(contender.run, documents[contender.syntax])
                runs[contender.name] += time_runs(work, repeat=1, warmup=0).runs
    timings = {name: Timing(tuple(seconds)) for name, seconds in runs.items()}
    for name, timing in timings.items():
        log(f"  scanner: {name}: {timing.best * 1000:.1f} ms (median {timing.median * 1000:.1f} ms)")
    return _throughput_figures(sizes, timings), timings


def _check_count(contender: Contender, found: int, expected: int) -> None:
    """Every contender must handle every box; WordPress also expands the examples inside code blocks."""
    if contender.name.startswith("floor"):
        return
    if found < expected or (found != expected and not contender.name.startswith("WordPress")):
        raise AssertionError(f"{contender.name} handled {found} shortcodes, not {expected}")


def _throughput_figures(sizes: ScannerSizes, timings: dict[str, Timing]) -> list[Figure]:
    ours = timings[OURS].best
    best_peer = min(PEER_LIBRARIES, key=lambda name: timings[name].best)
    megabytes = sizes.throughput_bytes / MB
    figures = [
        ratio_figure(
            "scanner_speedup_vs_best_peer",
            ours,
            timings[best_peer].best,
            unit="s",
            target=">= 10",
            goal="min",
            limit=10.0,
            invert=True,
            detail=f"best peer: {best_peer}; {megabytes:g} MB, {sizes.throughput_shortcodes} shortcodes",
            ours_mb_per_s=megabytes / ours,
        )
    ]
    for name, label in (
        ("floor: re.finditer opener", "scanner_vs_floor"),
        ("WordPress regex, [asa2 … /]", "scanner_speedup_vs_wordpress_self_closing"),
        ("WordPress regex, [asa2 …]", "scanner_speedup_vs_wordpress"),
        ("shortcodes 5.4.0 [% … %]", "scanner_speedup_vs_shortcodes"),
        ("shrtcodes 1.2.0 {% … %}", "scanner_speedup_vs_shrtcodes"),
    ):
        invert = label != "scanner_vs_floor"
        figures.append(
            ratio_figure(
                label,
                ours,
                timings[name].best,
                unit="s",
                invert=invert,
                detail=name,
            )
        )
    return figures


def _once(work: Callable[[], object]) -> float:
    return time_runs(work, repeat=1, warmup=0).best


def linearity(sizes: ScannerSizes, log: Callable[[str], None] = print) -> list[Figure]:
    """Seconds per MB at the large size over the small size, for three inputs; the worst one counts."""
    per_mb = sizes.throughput_shortcodes / (sizes.throughput_bytes / MB)
    variants: dict[str, Callable[[int], str]] = {
        "normal": lambda size: markdown_document(size, round(per_mb * size / MB)),
        "unclosed opener every line": unclosed_openers_document,
        "stray closer at the end": lambda size: stray_closer_document(size, round(per_mb * size / MB)),
    }
    ratios: dict[str, tuple[float, float]] = {}
    floor = [float("inf"), float("inf")]
    for label, build in variants.items():
        texts = [build(size) for size in (sizes.small_bytes, sizes.large_bytes)]
        best = [float("inf"), float("inf")]
        # Interleaved, so a burst of load from other processes hits both sizes rather than one.
        for _ in range(sizes.repeat):
            for index, text in enumerate(texts):
                megabytes = len(text) / MB
                best[index] = min(best[index], _once(functools.partial(_ours_scan_only, text)) / megabytes)
                if label == "normal":  # the floor's own "linearity" shows how noisy the machine is
                    floor[index] = min(floor[index], _once(functools.partial(_floor, text)) / megabytes)
        ratios[label] = (best[1], best[0])
        log(f"  linearity: {label}: {best[1] / best[0]:.3f}")
    worst = max(ratios, key=lambda label: ratios[label][0] / ratios[label][1])
    large, small = ratios[worst]
    return [
        ratio_figure(
            "scanner_linearity",
            large,
            small,
            unit="s/MB",
            target="<= 1.2",
            goal="max",
            limit=1.2,
            detail=(
                f"worst input: {worst}; {sizes.large_bytes / MB:g} MB vs {sizes.small_bytes / MB:g} MB; "
                + ", ".join(f"{label}: {a / b:.3f}" for label, (a, b) in ratios.items())
                + f"; re.finditer floor on the same inputs: {floor[1] / floor[0]:.3f} (machine noise)"
            ),
        )
    ]


__all__ = [
    "CONTENDERS",
    "Contender",
    "ScannerSizes",
    "linearity",
    "throughput",
    "wordpress_do_shortcode",
    "wordpress_parse_attributes",
    "wordpress_shortcode_regex",
]
