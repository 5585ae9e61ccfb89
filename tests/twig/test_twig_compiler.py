"""Compiled output: Twig's auto-escaping rules (literals, branches, safe filters, captured blocks, macros)."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from asa2render.twig import render_templates
from asa2render.twig.compiler import compile_module
from asa2render.twig.parser import parse


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ '<br>' }}", "<br>"),  # literals are not escaped
        ("{{ '<br>' ~ v }}", "&lt;br&gt;&lt;i&gt;"),  # concatenations are
        ("{{ v|raw }}|{{ v|upper }}|{{ v|raw|upper }}", "<i>|&lt;I&gt;|&lt;I&gt;"),
        ("{{ yes ? '<br>' : v }}|{{ yes ? v : '<br>' }}", "<br>|&lt;i&gt;"),  # each branch on its own
        ("{{ '' ?: '<br>' }}|{{ missing ?? '<br>' }}", "<br>|<br>"),
        ("{{ safe }}|{{ safe|escape }}|{{ safe|length }}", "<em>x</em>|&lt;em&gt;x&lt;/em&gt;|10"),
        ("{{ v|nl2br }}", "&lt;i&gt;"),  # pre-escaped, then safe
        ("{{ v|e('html_attr') }}", "&lt;i&gt;"),  # html_attr output is safe in html
        ("{{ v|e('js') }}", "\\u003Ci\\u003E"),
        ("{% set c %}<p>{{ v }}</p>{% endset %}{{ c }}", "<p>&lt;i&gt;</p>"),  # captured blocks are safe
        (
            "{% import _self as m %}{% macro b(x) %}<b>{{ x }}</b>{% endmacro %}{{ m.b(v) }}",
            "<b>&lt;i&gt;</b>",
        ),
        ("{{ v|json_encode }}", "&quot;&lt;i&gt;&quot;"),
    ],
)
def test_autoescape(source: str, expected: str) -> None:
    context = {"v": "<i>", "yes": True, "safe": Markup("<em>x</em>")}
    assert render_templates({"t": source}, "t", context) == expected


def test_generated_code_maps_back_to_template_lines() -> None:
    compiled = compile_module(
        parse("a\n{{ x }}\n{% if y %}\n{{ z }}{% endif %}", "t"), autoescape=True, strict=False
    )
    assert "def root(r, c, blocks, m, w):" in compiled.source
    lines = compiled.source.splitlines()
    z_line = next(i for i, text in enumerate(lines, 1) if "'z'" in text)
    assert compiled.line_map[z_line] == 4


def test_for_without_loop_variable_skips_the_loop_object() -> None:
    source = compile_module(
        parse("{% for i in s %}{{ i }}{% endfor %}", "t"), autoescape=True, strict=False
    ).source
    assert "Loop(" not in source
    with_loop = compile_module(
        parse("{% for i in s %}{{ loop.index }}{% endfor %}", "t"), autoescape=True, strict=False
    )
    assert "Loop(" in with_loop.source
