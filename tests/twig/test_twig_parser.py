"""The parser: Twig 3 precedence, and load-time rejection of what asa2render does not support."""

from __future__ import annotations

import pytest

from asa2render.twig import TwigSyntaxError, render_templates
from asa2render.twig.nodes import Binary, FilterExpr, Print, Unary
from asa2render.twig.parser import parse


def render(source: str, **context: object) -> str:
    return render_templates({"t": source}, "t", context)


def expression(source: str) -> object:
    node = parse("{{ " + source + " }}", "t").body[0]
    assert isinstance(node, Print)
    return node.expr


def test_precedence_matches_twig_3() -> None:
    node = expression("1 + 2 ~ 3 * 4")  # ~ (40) binds tighter than + (30)
    assert isinstance(node, Binary) and node.op == "+"
    assert isinstance(node.right, Binary) and node.right.op == "~"
    assert isinstance(expression("-2 ** 2"), Unary)  # -(2 ** 2)
    assert isinstance(expression("-a|abs"), Unary)  # filters bind tighter than unary minus
    assert isinstance(expression("not a and b"), Binary)
    filt = expression("a.b[0]|upper|lower")
    assert isinstance(filt, FilterExpr) and filt.name == "lower"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ 1 + 2 ~ 3 }}", "24"),  # Twig 3 before 3.15's precedence change: 1 + (2 ~ 3)
        ("{{ 2 ** 3 ** 2 }}", "512"),
        ("{{ -2 ** 2 }}|{{ (-2) ** 2 }}", "-4|4"),
        ("{{ not 0 and 1 }}|{{ 1 or 0 and 0 }}|{{ 1 xor 1 }}", "1|1|"),
        ("{{ 1 < 2 == true }}", "1"),
        (
            "{{ x ?: 'no' }}|{{ x ? 'yes' }}|{{ y ?? 'none' }}|{{ y.z ?? 'none' }}|{{ 0 ?? 'kept' }}",
            "no||none|none|0",
        ),
        (
            "{{ 'abc' starts with 'a' }}{{ 'abc' ends with 'bc' }}{{ 'abc' matches '/^A/i' }}[{{ 'abc' matches '/^b/' }}]",
            "111[]",
        ),
        ("{{ 1 in [1, 2] }}{{ 'b' in 'abc' }}{{ 'x' not in {a: 'x'} }}[{{ 3 in [1, 2] }}]", "11[]"),
        (
            "{{ [1, ...[2, 3]]|join }}|{{ {a: 1, ...{b: 2}}|keys|join }}|{{ {'k': 1, (1 + 1): 2, 3: 'c'}|keys|join }}",
            "123|ab|k23",
        ),
        ("{{ {a}|json_encode|raw }}", '{"a":5}'),
        (
            "{{ [3, 1, 2]|map(v => v * a)|join(',') }}|{{ {x: 1, y: 2}|map((v, k) => k ~ v)|join }}",
            "15,5,10|x1y2",
        ),
        (
            "{{ [1, 2, 3, 4]|filter(v => v is even)|keys|join }}|{{ [1, 2, 3]|reduce((c, v) => c + v, 10) }}",
            "13|16",
        ),
        (
            "{{ [5, 8, 9]|find(v => v > 6) }}|{{ [5]|find(v => v > 6) is null }}|{{ [3, 1, 2]|sort((a, b) => b <=> a)|join }}",
            "8|1|321",
        ),
        (
            "{{ 1 <=> 2 }}{{ 'b' <=> 'a' }}{{ 2 <=> 2 }}|{{ [1, 2] has some v => v > 1 }}|{{ [1, 2] has every v => v > 1 }}",
            "-110|1|",
        ),
        ("{% set f = x => x ~ a %}{{ [1]|map(f)|join }}|{{ [1, 2]|map(() => 'k')|join }}", "15|kk"),
        ("{{ [1, 2, 3,]|length }}|{{ (1..3)|join }}|{{ range(0, 10, 5)|join(',') }}", "3|123|0,5,10"),
        ("{{ -1 is null }}|{{ [1] is not null }}|{{ {a: 1} is null }}", "|1|"),  # no "is" on Python literals
    ],
)
def test_expressions(source: str, expected: str) -> None:
    assert render(source, x=0, a=5) == expected


@pytest.mark.parametrize(
    ("source", "feature", "line"),
    [
        ("{% embed 'x' %}{% endembed %}", "embed", 1),
        ("\n{% use 'x' %}", "use", 2),
        ("{% sandbox %}{% endsandbox %}", "sandbox", 1),
        ("{% cache 'k' %}{% endcache %}", "cache", 1),
        ("{{ x|shuffle }}", "filter shuffle", 1),
        ("{{ random(5) }}", "function random", 1),
        ("{{ constant('PHP_EOL') }}", "function constant", 1),
        ("{{ dump(x) }}", "function dump", 1),
        ("{{ source('x') }}", "function source", 1),
        ("{{ x is constant('A') }}", "test constant", 1),
        ("{{ 1 b-and 2 }}", "b-and", 1),
        (
            "{% for x in y if x %}{% endfor %}",
            "for … if (removed in Twig 3; use |filter or an if inside the loop)",
            1,
        ),
        ("{% autoescape 'name' %}{% endautoescape %}", "autoescape strategy name", 1),
        ("{{ f(...args) }}", "argument unpacking", 1),
    ],
)
def test_unsupported_features_fail_at_load(source: str, feature: str, line: int) -> None:
    with pytest.raises(TwigSyntaxError) as info:
        render(source)
    assert str(info.value) == f"t:{line}: unsupported Twig feature '{feature}'"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ x|nope }}", 'Unknown "nope" filter.'),
        ("{{ nope() }}", 'Unknown "nope" function.'),
        ("{{ x is nope }}", 'Unknown "nope" test.'),
        ("{% nope %}", 'Unknown "nope" tag.'),
        ("{% if x %}", "Unexpected end of template."),
        ("{% block a %}{% endblock b %}", 'Expected endblock for block "a" (but "b" given).'),
        ("{% set true = 1 %}", 'You cannot assign a value to "true".'),
        (
            "{{ 1 === 1 }}",
            'Unexpected operator of value "=". Did you try to use "===" or "!==" for strict comparison? Use "is same as(value)" instead.',
        ),
        ("{% set a, b = 1 %}", "When using set, you must have the same number of variables and assignments."),
        ("{{ parent() }}", 'Calling the "parent" function outside of a block is forbidden.'),
        (
            "{% extends 'b' %}text",
            "A template that extends another one cannot include content outside Twig blocks. Did you forget to put the content inside a {% block %} tag?",
        ),
        ("{{ range() }}", 'Value for argument "low" is required for function "range".'),
        ("{{ x|date(zone='UTC') }}", 'Unknown argument "zone" for filter "date(format, timezone)".'),
    ],
)
def test_syntax_errors_carry_twig_messages(source: str, message: str) -> None:
    with pytest.raises(TwigSyntaxError) as info:
        render(source)
    assert info.value.bare_message == message
    assert str(info.value).startswith("t:1: ")
