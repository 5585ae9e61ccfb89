"""Huge pages are cut only where nothing spans the cut: rendering the pieces equals rendering the whole."""

from __future__ import annotations

import itertools
import random

import pytest

from asa2render import segments
from asa2render.config.model import config_from_dict
from asa2render.engine import Engine
from asa2render.products.cache import ProductCache
from asa2render.products.resolve import TAGS

# Fragments chosen to straddle lines: enclosing content over lines, fences, code spans, comments,
# unterminated openers, stray closers, escapes, indented code and brackets in attribute text.
FRAGMENTS = [
    "[asa2]B0LOCAL001[/asa2]\n",
    '[asa2 asin="B0LOCAL001" tpl="compact"]\n',
    "[asa2_textlink asin=B0LOCAL001]line one\n\nline two[/asa2_textlink]\n",
    "[asa2]\n",
    "[/asa2]\n",
    "```\n[asa2]B0LOCAL001[/asa2]\n",
    "```\n",
    "`code [asa2]\n",
    "span` [asa2 asin=B0LOCAL001]\n",
    "<!-- [asa2]\n",
    "--> text\n",
    "    [asa2]B0LOCAL001[/asa2]\n",
    "[[asa2]]\n",
    "[asa2 asin='B0LOCAL001'\n",
    "title=x]\n",
    "plain text [link](http://example.com) ]\n",
    "\n",
    "- item [asa2]B0LOCAL001[/asa2]\n  continued\n",
]


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setattr(segments, "LARGE_PAGE", 0)
    monkeypatch.setattr(segments, "PIECE", 40)
    config = config_from_dict({"marketplaces": [{"country": "de", "partner_tag": "t-21", "default": True}]})
    engine = Engine(config, offline=True, cache=ProductCache.in_memory())
    engine.max_problems_per_file = None  # compare every problem
    return engine


@pytest.mark.parametrize("mode", ["markdown", "text"])
@pytest.mark.parametrize("seed", range(40))
def test_pieces_render_exactly_like_the_whole_page(engine: Engine, mode: str, seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(20, 120)))
    cuts = segments.pieces(text, mode, TAGS)  # type: ignore[arg-type]
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cuts))
    whole = engine.render(engine.prepare(text, mode=mode, path="p.md"))  # type: ignore[arg-type]
    whole_problems = [str(p) for p in engine.problems]
    engine.clear_problems()
    pieced = "".join(engine.render_pieces(text, mode=mode, path="p.md"))  # type: ignore[arg-type]
    assert pieced == whole
    assert sorted(str(p) for p in engine.problems) == sorted(whole_problems)


def test_a_page_of_simple_lines_is_cut_into_many_pieces(engine: Engine) -> None:
    text = "[asa2]B0LOCAL001[/asa2]\n" * 200
    assert len(segments.pieces(text, "markdown", TAGS)) > 50


def test_small_pages_and_html_are_never_cut() -> None:
    text = "[asa2]B0LOCAL001[/asa2]\n" * 100
    assert segments.pieces(text, "markdown", TAGS) == [(0, len(text))]
    assert segments.pieces(text * 2000, "html", TAGS) == [(0, len(text) * 2000)]
