"""render_templates: tags, inheritance, includes, macros, scoping, strict variables, errors, caching."""

from __future__ import annotations

from typing import Any

import pytest

from asa2render.errors import TemplateError
from asa2render.twig import Environment, TwigRuntimeError, render_templates
from asa2render.twig.environment import compile_template
from asa2render.twig.errors import TwigLoaderError


def render(source: str, templates: dict[str, str] | None = None, **context: Any) -> str:
    return render_templates({"t": source, **(templates or {})}, "t", context)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% if a %}A{% elseif b %}B{% else %}C{% endif %}", "B"),
        ("{% for i in [] %}x{% else %}empty{% endfor %}", "empty"),
        ("{% for k, v in {a: 1, b: 2} %}{{ k }}={{ v }}{{ loop.last ? '' : ',' }}{% endfor %}", "a=1,b=2"),
        (
            "{% for i in 1..3 %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.length }}|{% endfor %}",
            "10323|21213|32103|",
        ),
        ("{% for i in [1, 2] %}{% for j in [1] %}{{ loop.parent.loop.index }}{% endfor %}{% endfor %}", "12"),
        (
            "{% set x = 1 %}{% for i in [1, 2] %}{% set x = x + i %}{% set tmp = 9 %}{% endfor %}{{ x }}{{ tmp is defined ? 'leak' }}",
            "4",
        ),
        ("{% set i = 'kept' %}{% for i in [1, 2] %}{% endfor %}{{ i }}", "kept"),
        ("{% set a, b = 1, 2 %}{{ a }}{{ b }}", "12"),
        ("{% set box %}<b>{{ '<' }}</b>{% endset %}{{ box }}|{{ box|length }}", "<b><</b>|8"),
        ("{% with {x: 2} %}{{ x }}{{ b }}{% endwith %}{{ x }}", "2B"),
        ("{% with {x: 2} only %}{{ x }}{{ b is defined ? 'B' }}{% endwith %}", "2"),
        ("{% apply upper %}hi {{ b }}{% endapply %}", "HI B"),
        ("{% apply lower|escape('html') %}<B>{% endapply %}", "&lt;b&gt;"),
        ("{% do 1 + 1 %}{% flush %}ok", "ok"),
        (
            "{{ cycle(['odd', 'even'], 3) }}|{{ max(1, 3, 2) }}|{{ max([1, 5]) }}|{{ min({a: 3, b: -1}) }}",
            "even|3|5|-1",
        ),
        (
            "{{ '%s'|format(true) }}|{{ false ~ '' }}|{{ null }}|{{ 1.0 }}|{{ 0.1 + 0.2 }}",
            "1|||1|0.3",
        ),
        ("{{ '0' ? 'y' : 'n' }}{{ [] ? 'y' : 'n' }}{{ '0.0' ? 'y' : 'n' }}", "nny"),
        (
            "{{ 7 // 2 }}|{{ -7 // 2 }}|{{ 7 % 3 }}|{{ 2 ** 10 }}|{{ 10 / 4 }}|{{ 10 / 5 }}",
            "3|-4|1|1024|2.5|2",
        ),
        ("{{ h['a'] }}{{ h.a }}{{ l[1] }}{{ l.1 }}{{ h.missing }}{{ _context.b }}", "11yyB"),
        ("{{ attribute(h, 'a') }}{{ attribute(l, 0) }}{{ attribute(h, 'z') is defined ? 'y' : 'n' }}", "1xn"),
    ],
)
def test_tags_and_semantics(source: str, expected: str) -> None:
    assert render(source, a=0, b="B", h={"a": 1}, l=["x", "y"]) == expected


def test_inheritance_blocks_and_parent() -> None:
    templates = {
        "base": "<{% block head %}H{% endblock %}|{% block body %}B{% endblock %}|{{ block('head') }}>",
        "mid": "{% extends 'base' %}{% block body %}M{{ parent() }}{% endblock %}",
    }
    source = "{% extends 'mid' %}{% block head %}h{{ parent() }}{% endblock %}"
    assert render(source, templates) == "<hH|MB|hH>"
    assert render("{% extends cond ? 'base' : 'mid' %}", templates, cond=True) == "<H|B|H>"
    assert render("{% extends ['missing', 'base'] %}", templates) == "<H|B|H>"
    assert render("{{ block('head', 'base') }}{{ block('x') is defined ? 'y' : 'n' }}", templates) == "Hn"
    # a block of a template that never ran still reaches its parent's block through parent()
    assert render("{{ block('body', 'mid') }}", templates) == "MB"


def test_include_tag_and_function() -> None:
    templates = {"part": "[{{ name }}{{ extra ?? '' }}]"}
    assert render("{% include 'part' %}", templates, name="n") == "[n]"
    assert render("{% include 'part' with {extra: '!'} %}", templates, name="n") == "[n!]"
    assert render("{% include 'part' with {name: 'o'} only %}", templates, name="n") == "[o]"
    assert render("{% include 'nope' ignore missing %}ok", templates) == "ok"
    assert render("{{ include('part', {name: '<'}) }}", templates) == "[&lt;]"
    assert render("{{ include('part', with_context=false) }}", templates, name="n") == "[]"
    with pytest.raises(TwigLoaderError, match='Template "nope" is not defined'):
        render("{% include 'nope' %}", templates)


def test_macros_import_from_self_defaults_and_varargs() -> None:
    templates = {
        "forms": '{% macro input(name, type=\'text\') %}<input name="{{ name }}" type="{{ type }}">{% endmacro %}'
    }
    source = (
        "{% import 'forms' as f %}{% from 'forms' import input as field %}{% import _self as me %}"
        "{{ f.input('a') }}{{ field('b', 'email') }}{{ me.all(1, 2, 3) }}{{ f.input(type='x', name='c') }}"
        "{% macro all(first) %}{{ first }}+{{ varargs|join }}{% endmacro %}"
    )
    assert render(source, templates) == (
        '<input name="a" type="text"><input name="b" type="email">1+23<input name="c" type="x">'
    )


def test_macros_do_not_see_the_caller_context() -> None:
    assert (
        render(
            "{% import _self as m %}{% macro show() %}[{{ secret }}]{% endmacro %}{{ m.show() }}", secret="s"
        )
        == "[]"
    )


def test_strict_variables_raise_with_the_line() -> None:
    source = "ok\n{{ defined }}\n{{ missing }}"
    assert render_templates({"t": source}, "t", {"defined": 1}) == "ok\n1\n"
    with pytest.raises(TwigRuntimeError) as info:
        render_templates({"t": source}, "t", {"defined": 1}, strict_variables=True)
    assert str(info.value) == 't:3: Variable "missing" does not exist.'
    assert isinstance(info.value, TemplateError)
    strict = render_templates(
        {"t": "{{ missing|default('d') }}{{ missing ?? 'n' }}{{ missing is defined }}"},
        "t",
        {},
        strict_variables=True,
    )
    assert strict == "dn"
    quiet = "{{ attribute(h, 'x') ?? 'a' }}{{ attribute(h, 'x')|default('b') }}{{ h.x.y ?? 'c' }}"
    assert render_templates({"t": quiet}, "t", {"h": {}}, strict_variables=True) == "abc"


def test_runtime_errors_name_the_included_template_and_line() -> None:
    with pytest.raises(TwigRuntimeError) as info:
        render_templates({"t": "{% include 'p' %}", "p": "\n\n{{ 1 / zero }}"}, "t", {"zero": 0})
    assert (
        str(info.value)
        == 'p:3: An exception has been thrown during the rendering of a template ("Division by zero").'
    )


def test_autoescape_off_and_strategies() -> None:
    assert render_templates({"t": "{{ v }}"}, "t", {"v": "<b>"}, autoescape=False) == "<b>"
    source = (
        "{% autoescape 'js' %}{{ v }}{% endautoescape %}|{% autoescape false %}{{ v }}{% endautoescape %}"
    )
    assert render(source, v="<b>") == "\\u003Cb\\u003E|<b>"


def test_templates_are_compiled_once() -> None:
    first = compile_template("same", "{{ x }}", autoescape=True, strict=False)
    assert compile_template("same", "{{ x }}", autoescape=True, strict=False) is first
    assert compile_template("same", "{{ x }} ", autoescape=True, strict=False) is not first


def test_environment_globals_fill_in() -> None:
    env = Environment({"t": "{{ g }}{% include 'p' only %}", "p": "{{ g }}"}, globals={"g": "G"})
    assert env.render("t", {}) == "GG"
    assert env.render("t", {"g": "c"}) == "cG"


def test_objects_attributes_and_methods() -> None:
    class Product:
        title = "T"

        def price(self) -> str:
            return "9 €"

    assert render("{{ p.title }} {{ p.price }} {{ p.price() }}", p=Product()) == "T 9 € 9 €"


def test_decimal_prices_behave_as_numbers() -> None:
    from decimal import Decimal

    source = (
        "{{ p + 1 }}|{{ p > 10 }}|{{ p == 19.99 }}|{{ p|number_format(1) }}|{{ z ? 'y' : 'n' }}|{{ p * 2 }}"
    )
    assert render(source, p=Decimal("19.99"), z=Decimal("0")) == "20.99|1|1|20.0|n|39.98"


def test_absurd_nesting_is_a_located_syntax_error() -> None:
    from asa2render.twig import TwigSyntaxError

    with pytest.raises(TwigSyntaxError, match="nested too deeply"):
        render("{{ " + "(" * 600 + "1" + ")" * 600 + " }}")
