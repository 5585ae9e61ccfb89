"""Figure family 1: scanner throughput against a floor, WordPress's regex and two peer libraries.

Contenders, all on the same seeded Markdown (only the shortcode syntax differs, see ``sites``):

* ``floor``: ``re.finditer`` for the opener ``[asa2`` alone — no parsing at all, a lower bound;
* ``ours``: ``asa2render.shortcodes.expand`` in Markdown mode with a handler returning ``""``
  (scan, code masks, attribute parsing, pairing, splicing — the work a real render does);
* ``wordpress``: a Python port of WordPress's ``do_shortcode`` (``get_shortcode_regex`` plus
  ``shortcode_parse_atts``), once on ``[asa2 … /]`` (its fast path) and once on ``[asa2 …]`` (where it
  looks ahead for a ``[/asa2]`` from every opener);
* ``shortcodes`` (``[% … %]``) and ``shrtcodes`` (``{% … %}``, line based): the peer libraries.

``scanner_speedup_vs_best_peer`` = the faster peer library's time / ours, the median of interleaved
rounds in which ours runs back to back for about as long as the peer's one run (see
``measure.paired_rounds``). ``scanner_linearity`` = seconds per MB at the large size / at the small
size, the median of interleaved rounds (the small side scans as many distinct small documents as
cover the large size), the worst of three inputs (normal, an unclosed opener on every line, a stray
closer at the end). Both are reported with the spread of their rounds.

How ``scanner_linearity`` is kept fair on a shared machine (the scanner's instructions per MB are
the same at both sizes, ``instruction_linearity``; what differs is what the machine adds):

* **Memory**: both sides run on a heap grown once to twice the large side's traced peak and kept
  mapped (``measure.reserved_heap``). CPython hands an emptied 1 MiB arena back to the OS at once,
  so without it every 8 MB scan faulted its ~7 MB of objects in afresh (115 page faults and
  0.3-0.6 ms of kernel time per MB, 3-7 % of the scan) while back-to-back 1 MB scans reused the
  arenas the previous one freed (0 faults): a cost of the benchmark's long-lived process, not of
  the scanner (one page in a fresh process faults in proportion to its size at any size).
* **Results**: each side holds all of its results until its last scan is done, then frees them
  inside the timing (``_scan_all_kept``): both build and free the same number of shortcodes per MB
  into memory of the same size. Freeing each small result before the next small scan let it reuse
  memory still in the CPU cache, which the large scan's objects cannot fit in (at 8 MB vs 1 MB
  under load: 1.05-1.10 freed one by one, 0.97-1.00 kept, in the same process and rounds). A cost
  that grows with what one scan holds still shows: with the scan's pause of the garbage collector
  removed, the figure read 1.09 instead of 0.98 (the stray-closer input, full sizes, same machine).
* **Noise**: each round times both sides ``linearity_best_of`` times, alternating, and keeps each
  side's fastest (a burst of load from another process drops out); the figure is the median of
  ``linearity_rounds`` such rounds, in CPU time of this process, with their spread. The
  ``re.finditer`` floor's own ratio on the same inputs is reported as the noise gauge.
* Both sides still do the whole scan of their inputs at the issue's sizes (cold attribute cache,
  results built and freed inside the timing); nothing is skipped or cached between runs.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from asa2render.products.resolve import TAGS
from asa2render.shortcodes import ScanResult, Shortcode, expand, scan
from asa2render.shortcodes.attributes import parse_attributes

from .measure import (
    Figure,
    Paired,
    Timing,
    child_env,
    paired_figure,
    paired_rounds,
    ratio_figure,
    reserved_heap,
    time_runs,
    traced_peak,
)
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


def _ours_scan(text: str) -> ScanResult:
    _cold()
    return scan(text, TAGS, mode="markdown")


def _ours_scan_only(text: str) -> int:
    return len(_ours_scan(text).shortcodes)


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
    speedup_rounds: int = 7
    linearity_rounds: int = 21
    linearity_best_of: int = 5


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
    best_peer = min(PEER_LIBRARIES, key=lambda name: timings[name].best)
    peer = next(contender for contender in CONTENDERS if contender.name == best_peer)
    ours = next(contender for contender in CONTENDERS if contender.name == OURS)
    paired = paired_rounds(
        functools.partial(ours.run, documents[ours.syntax]),
        functools.partial(peer.run, documents[peer.syntax]),
        rounds=sizes.speedup_rounds,
        measured_times=max(1, min(50, round(timings[best_peer].best / timings[OURS].best))),
        best_of=2,
    )
    low, high = paired.spread(invert=True)
    log(
        f"  scanner: speedup vs {best_peer}: median {paired.median_ratio(invert=True):.1f}x ({low:.1f}-{high:.1f})"
    )
    return _throughput_figures(sizes, timings, best_peer, paired), timings


def _check_count(contender: Contender, found: int, expected: int) -> None:
    """Every contender must handle every box; WordPress also expands the examples inside code blocks."""
    if contender.name.startswith("floor"):
        return
    if found < expected or (found != expected and not contender.name.startswith("WordPress")):
        raise AssertionError(f"{contender.name} handled {found} shortcodes, not {expected}")


def _throughput_figures(
    sizes: ScannerSizes, timings: dict[str, Timing], best_peer: str, paired: Paired
) -> list[Figure]:
    ours = timings[OURS].best
    megabytes = sizes.throughput_bytes / MB
    figures = [
        paired_figure(
            "scanner_speedup_vs_best_peer",
            paired,
            unit="s",
            target=">= 20",
            goal="min",
            limit=20.0,
            invert=True,
            detail=f"best peer: {best_peer}; {megabytes:g} MB, {sizes.throughput_shortcodes} shortcodes",
            ours_mb_per_s=megabytes / ours,
            best_run_ratio=timings[best_peer].best / ours,
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


def _each(work: Callable[[str], int], texts: list[str]) -> int:
    return sum(work(text) for text in texts)


def _scan_all_kept(texts: list[str]) -> int:
    """Scan every text, holding every result until the last is made (then all are freed).

    The small side of ``scanner_linearity``: like the large side's one result, its results add up
    to the shortcodes of the large size and are all alive at the end, as a build holds the scans of
    all its pages. Freed one by one instead, each small scan would build its objects in the memory
    the previous one had just freed, still in the CPU cache, which the large scan cannot do.
    """
    results = [_ours_scan(text) for text in texts]
    return sum(len(result.shortcodes) for result in results)


class _Memory:
    """Minor page faults and system CPU seconds of the runs of one side, summed over its runs.

    callgrind counts the same instructions per MB on both sides (see :func:`instruction_linearity`);
    what a large page can add is memory: CPython returns emptied arenas to the OS after each scan,
    so without a reserved heap the 8 MB scan's objects are faulted in afresh every time, while
    back-to-back 1 MB scans reuse each other's memory. These counts show, in every run, that the
    reserve leaves neither side faulting.
    """

    def __init__(self, work: Callable[[], object]) -> None:
        self._work = work
        self.runs = 0
        self.faults = 0
        self.system = 0.0

    def __call__(self) -> object:
        before = resource.getrusage(resource.RUSAGE_SELF)
        result = self._work()
        after = resource.getrusage(resource.RUSAGE_SELF)
        self.runs += 1
        self.faults += after.ru_minflt - before.ru_minflt
        self.system += after.ru_stime - before.ru_stime
        return result

    def reset(self) -> None:
        """Forget the runs so far (the untimed warm-up run)."""
        self.runs, self.faults, self.system = 0, 0, 0.0

    def per_mb(self, megabytes: float) -> tuple[float, float]:
        """Faults and system milliseconds per MB of input, per run."""
        runs = max(self.runs, 1)
        return self.faults / runs / megabytes, self.system * 1000 / runs / megabytes


def _linearity_variants(sizes: ScannerSizes) -> dict[str, Callable[[int, int], str]]:
    per_mb = sizes.throughput_shortcodes / (sizes.throughput_bytes / MB)
    return {
        "normal": lambda size, seed: markdown_document(size, round(per_mb * size / MB), seed=seed),
        "unclosed opener every line": lambda size, seed: unclosed_openers_document(size, seed=seed),
        "stray closer at the end": lambda size, seed: stray_closer_document(
            size, round(per_mb * size / MB), seed=seed
        ),
    }


def _per_mb(paired: Paired, large_mb: float, small_mb: float) -> Paired:
    return Paired(
        tuple(seconds / large_mb for seconds in paired.measured),
        tuple(seconds / small_mb for seconds in paired.baseline),
    )


def linearity(sizes: ScannerSizes, log: Callable[[str], None] = print) -> list[Figure]:
    """Seconds per MB at the large size over the small size, for three inputs; the worst one counts."""
    results: dict[str, Paired] = {}
    memory: dict[str, str] = {}
    floor: Paired | None = None
    times = max(1, round(sizes.large_bytes / sizes.small_bytes))
    for label, build in _linearity_variants(sizes).items():
        # The small side scans `times` different documents (seeds), so both sides read the same
        # amount of distinct text: a small document scanned again and again would stay in the CPU
        # cache and make the large one look slower per MB than the algorithm makes it.
        smalls = [build(sizes.small_bytes, seed) for seed in range(times)]
        large = build(sizes.large_bytes, 0)
        small_mb, large_mb = sum(map(len, smalls)) / MB, len(large) / MB
        large_side = _Memory(functools.partial(_ours_scan_only, large))
        small_side = _Memory(functools.partial(_scan_all_kept, smalls))
        # Both sides run on a heap already grown to twice the large side's peak (see the module
        # docstring): without it CPython hands the large scan's arenas back to the OS after every
        # run and the next run faults them in again (115 page faults per MB, 0.3-0.6 ms of kernel
        # time per MB, 3-7 % of the scan), while the small documents reuse each other's arenas.
        with reserved_heap(2 * traced_peak(large_side)):
            # One untimed run of each side first, so both enter the rounds warm.
            large_side()
            small_side()
            large_side.reset()
            small_side.reset()
            paired = paired_rounds(
                large_side, small_side, rounds=sizes.linearity_rounds, best_of=sizes.linearity_best_of
            )
        results[label] = _per_mb(paired, large_mb, small_mb)
        low, high = results[label].spread()
        (large_faults, large_system), (small_faults, small_system) = (
            large_side.per_mb(large_mb),
            small_side.per_mb(small_mb),
        )
        memory[label] = (
            f"{large_faults:.0f} vs {small_faults:.0f} page faults/MB, "
            f"system {large_system:.2f} vs {small_system:.2f} ms/MB"
        )
        log(
            f"  linearity: {label}: {results[label].median_ratio():.3f} ({low:.3f}-{high:.3f}); {memory[label]}"
        )
        if label == "normal":  # the floor's own "linearity" shows how noisy the machine is
            floor_pair = paired_rounds(
                functools.partial(_floor, large),
                functools.partial(_each, _floor, smalls),
                rounds=sizes.linearity_rounds,
                best_of=sizes.linearity_best_of,
            )
            floor = _per_mb(floor_pair, large_mb, small_mb)
            log(
                f"  linearity: re.finditer floor: {floor.median_ratio():.3f} "
                f"({floor.spread()[0]:.3f}-{floor.spread()[1]:.3f})"
            )
    worst = max(results, key=lambda label: results[label].median_ratio())
    noise = (
        f"{floor.median_ratio():.3f} ({floor.spread()[0]:.3f}-{floor.spread()[1]:.3f})"
        if floor is not None
        else "n/a"
    )
    return [
        paired_figure(
            "scanner_linearity",
            results[worst],
            unit="s/MB",
            target="<= 1.1",
            goal="max",
            limit=1.1,
            detail=(
                f"worst input: {worst}; {sizes.large_bytes / MB:g} MB vs {sizes.small_bytes / MB:g} MB; "
                + ", ".join(
                    f"{label}: {paired.median_ratio():.3f} ({paired.spread()[0]:.3f}-{paired.spread()[1]:.3f})"
                    for label, paired in results.items()
                )
                + f"; re.finditer floor on the same inputs: {noise} (machine noise)"
                + f"; large vs small side, per MB: {memory[worst]}"
            ),
            noise_gauge=floor.median_ratio() if floor is not None else None,
            inputs={label: round(paired.median_ratio(), 4) for label, paired in results.items()},
        )
    ]


# The child that instruction_linearity runs under callgrind: scans the documents named on its command
# line as _ours_scan_only does (cold attribute cache), or only reads them ("0"). It imports no more
# than the scanner: under callgrind every imported module costs seconds.
_CALLGRIND_CHILD = """
import sys
from asa2render.shortcodes import scan
from asa2render.shortcodes.attributes import parse_attributes
tags = tuple(sys.argv[2].split(","))
texts = [open(name, encoding="utf-8").read() for name in sys.argv[3:]]
scan("[asa2 x]\\n\\nwarm [asa2 y]", tags, mode="markdown")
if sys.argv[1] == "1":
    for text in texts:
        parse_attributes.cache_clear()
        scan(text, tags, mode="markdown")
"""


def instruction_linearity(
    sizes: ScannerSizes, variants: tuple[str, ...] = ("normal",), log: Callable[[str], None] = print
) -> dict[str, float]:
    """Instructions per MB at the large size over the small size, counted by callgrind (no timing).

    Instruction counts do not depend on the machine's load, so this tells a real non-linearity of
    the scanner's code (ratio above 1) from what memory and other processes add to the timed
    figure. Each side runs in its own child; a child that only reads the same files is subtracted.
    Needs ``valgrind``; takes minutes (callgrind runs Python about 50 times slower).
    """
    if shutil.which("valgrind") is None:
        raise RuntimeError("valgrind is not installed; instruction counts need callgrind")
    builds = _linearity_variants(sizes)
    times = max(1, round(sizes.large_bytes / sizes.small_bytes))
    ratios: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="asa2render-callgrind-") as folder:
        for label in variants:
            smalls, large = [], os.path.join(folder, "large.md")
            for seed in range(times):
                smalls.append(os.path.join(folder, f"small-{seed}.md"))
                with open(smalls[-1], "w", encoding="utf-8") as file:
                    file.write(builds[label](sizes.small_bytes, seed))
            with open(large, "w", encoding="utf-8") as file:
                file.write(builds[label](sizes.large_bytes, 0))
            small_mb = sum(os.path.getsize(name) for name in smalls) / MB
            large_mb = os.path.getsize(large) / MB
            per_mb = {}
            for side, names, megabytes in (("small", smalls, small_mb), ("large", [large], large_mb)):
                scanned = _callgrind_instructions("1", names) - _callgrind_instructions("0", names)
                per_mb[side] = scanned / megabytes
                log(f"  instructions: {label}, {side}: {per_mb[side] / 1e6:.1f} M per MB")
            ratios[label] = per_mb["large"] / per_mb["small"]
            log(f"  instructions: {label}: large/small per MB {ratios[label]:.3f}")
    return ratios


def _callgrind_instructions(scan_flag: str, names: list[str]) -> int:
    with tempfile.NamedTemporaryFile(suffix=".callgrind") as output:
        completed = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={output.name}",
                sys.executable,
                "-c",
                _CALLGRIND_CHILD,
                scan_flag,
                ",".join(TAGS),
                *names,
            ],
            capture_output=True,
            text=True,
            env=child_env(),
            check=True,
        )
    found = re.search(r"Collected : (\d+)", completed.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no instruction count: {completed.stderr[-400:]}")
    return int(found.group(1))


__all__ = [
    "CONTENDERS",
    "Contender",
    "ScannerSizes",
    "instruction_linearity",
    "linearity",
    "throughput",
    "wordpress_do_shortcode",
    "wordpress_parse_attributes",
    "wordpress_shortcode_regex",
]
