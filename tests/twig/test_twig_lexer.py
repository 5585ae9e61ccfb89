"""The lexer: Twig's whitespace rules, verbatim, strings, interpolation, line numbers, errors."""

from __future__ import annotations

import pytest

from asa2render.twig import TwigSyntaxError, render_templates
from asa2render.twig.lexer import NAME, NUMBER, OPERATOR, STRING, TEXT, tokenize, unescape


def render(source: str, **context: object) -> str:
    return render_templates({"t": source}, "t", context)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% if true %}\nyes\n{% endif %}\n", "yes\n"),  # the newline after %} is dropped
        ("{# comment #}\nx", "x"),
        ("a  {{- 'b' -}}  \n c", "abc"),
        ("a \t{{~ 'b' ~}} \t\nc", "ab\nc"),  # ~ trims spaces and tabs, not newlines
        ("<li>\n    {%- if true %}x{% endif -%}\n</li>", "<li>x</li>"),
        ("{{ 'a' }}\nb", "a\nb"),  # }} keeps the newline
        ("{% verbatim %}{{ not parsed }}{% endverbatim %}", "{{ not parsed }}"),
        ("{%- verbatim -%}  {% x %}  {%- endverbatim %}", "{% x %}"),
        ('{{ "a#{1 + 1}b#{"c"}" }}', "a2bc"),
        ("{{ 'it\\'s' }}|{{ \"tab\\tq\\\"\" }}", "it's|tab\tq\""),  # literals are never escaped
        ("{{ 1 # an inline comment\n + 2 }}", "3"),
    ],
)
def test_whitespace_and_literals(source: str, expected: str) -> None:
    assert render(source) == expected


def test_tokens_carry_lines() -> None:
    tokens = tokenize("a\n{{ x.y\n  ~ 'z' }}\n{% set n = 1.5 %}", "t")
    kinds = [(t.kind, t.value, t.line) for t in tokens if t.kind in (NAME, STRING, NUMBER, OPERATOR, TEXT)]
    assert kinds[:5] == [
        (TEXT, "a\n", 1),
        (NAME, "x", 2),
        (NAME, "y", 2),
        (OPERATOR, "~", 3),
        (STRING, "z", 3),
    ]
    assert (NUMBER, 1.5, 4) in kinds


def test_operators_are_words_only_before_separators() -> None:
    names = [t.value for t in tokenize("{{ index is not defined and notes in x }}", "t") if t.kind == NAME]
    assert names == ["index", "defined", "notes", "x"]


def test_unescape_php_rules() -> None:
    assert unescape(r"a\nb\x41\101\\\'", "'") == "a\nbAA\\'"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ x", 't:1: Unexpected token "end of template" ("end of print statement" expected).'),
        ("{{ x ", 't:1: Unclosed "variable".'),
        ("x\n{% if x ", 't:2: Unclosed "block".'),
        ("{# x", "t:1: Unclosed comment."),
        ("{% verbatim %}x", 't:1: Unexpected end of file: Unclosed "verbatim" block.'),
        ("{{ (1 }}", 't:1: Unclosed "(".'),
        ("{{ 1) }}", 't:1: Unexpected ")".'),
        ("\n\n{{ 1 @ 2 }}", 't:3: Unexpected character "@".'),
    ],
)
def test_lexer_errors_are_located(source: str, message: str) -> None:
    with pytest.raises(TwigSyntaxError) as info:
        render(source)
    assert str(info.value) == message
