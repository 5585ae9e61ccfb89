"""Escaping strategies, byte for byte as Twig's EscaperRuntime produces them."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from asa2render.twig.errors import TwigRuntimeError
from asa2render.twig.escaping import escape


@pytest.mark.parametrize(
    ("strategy", "text", "expected"),
    [
        ("html", "<a href=\"x\">'&'</a>", "&lt;a href=&quot;x&quot;&gt;&#039;&amp;&#039;&lt;/a&gt;"),
        ("js", "é ♜ 𝌆", "\\u00E9\\u0020\\u265C\\u0020\\uD834\\uDF06"),
        ("js", "a/b\\c\n,._", "a\\/b\\\\c\\n,._"),
        ("html_attr", 'a b\x01é"', "a&#x20;b&#xFFFD;&#x00E9;&quot;"),
        ("css", "a b#", "a\\20 b\\23 "),
        ("url", "a b&c/é~", "a%20b%26c%2F%C3%A9~"),
    ],
)
def test_strategies(strategy: str, text: str, expected: str) -> None:
    assert escape(text, strategy) == expected


def test_markup_passes_only_the_auto_escaper() -> None:
    assert escape(Markup("<b>"), "html", None, True) == "<b>"
    assert escape(Markup("<b>"), "html") == "&lt;b&gt;"


def test_unknown_strategy() -> None:
    with pytest.raises(TwigRuntimeError, match='Invalid escaping strategy "nope"'):
        escape("x", "nope")
