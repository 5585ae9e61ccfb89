"""Every filter and test of issue 10, through templates, against Twig 3's documented output.

Where Twig's own fixture for a filter was left out because its data holds PHP objects, the same cases run
here with plain data.
"""

from __future__ import annotations

from typing import Any

import pytest

from asa2render.twig import TwigRuntimeError, render_templates


def render(source: str, **context: Any) -> str:
    return render_templates({"t": source}, "t", context)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # raw / escape
        ("{{ '<b>'|raw }}{{ v }}{{ v|raw }}", "<b>&lt;i&gt;<i>"),
        ("{{ v|e }}|{{ v|escape('html') }}", "&lt;i&gt;|&lt;i&gt;"),
        ("{{ \"a b&c=d/é\"|e('url') }}", "a%20b%26c%3Dd%2F%C3%A9"),
        ("{{ 'a \"b\"'|e('html_attr') }}", "a&#x20;&quot;b&quot;"),
        ("{{ \"it's </script>\"|e('js') }}", "it\\u0027s\\u0020\\u003C\\/script\\u003E"),
        ("{{ 'O\\'Neil'|e }}", "O&#039;Neil"),
        # default
        (
            "{{ missing|default('d') }}|{{ ''|default('d') }}|{{ 0|default('d') }}|{{ []|default('d') }}",
            "d|d|0|d",
        ),
        ("{{ h.missing|default('d') }}|{{ h.a|default('d') }}", "d|1"),
        # case
        (
            "{{ 'hello WORLD'|capitalize }}|{{ 'hello WORLD'|title }}|{{ 'Ärger'|upper }}|{{ 'ÄB'|lower }}",
            "Hello world|Hello World|ÄRGER|äb",
        ),
        ('{{ "o\'neil mcdonald-smith"|title|raw }}', "O'neil Mcdonald-Smith"),
        ("{{ '123abc straße'|title }}|{{ 'ǆemal'|title }}|{{ 'ß'|capitalize }}", "123Abc Straße|ǅemal|SS"),
        # trim
        (
            "[{{ '  x  '|trim }}][{{ '--x--'|trim('-', 'left') }}][{{ '--x--'|trim('-', side='right') }}]",
            "[x][x--][--x]",
        ),
        # length
        (
            "{{ 'héllo'|length }} {{ [1, 2]|length }} {{ {a: 1}|length }} {{ null|length }} {{ 12|length }}",
            "5 2 1 0 2",
        ),
        # slice (the plain-data half of Twig's slice fixture)
        (
            "{{ [1, 2, 3, 4][1:2]|join }}|{{ {a: 1, b: 2, c: 3, d: 4}[1:2]|join }}|{{ [1, 2, 3, 4]|slice(1, 2)|keys|join }}",
            "23|23|01",
        ),
        (
            "{{ [1, 2, 3, 4]|slice(1, 2, true)|keys|join }}|{{ {a: 1, b: 2, c: 3, d: 4}|slice(1, 2)|keys|join }}",
            "12|bc",
        ),
        (
            "{{ '1234'|slice(1, 2) }}|{{ '1234'[1:] }}|{{ '1234'[:1] }}|{{ '1234'|slice(-2) }}|{{ [1, 2, 3, 4]|slice(1, -1)|join }}",
            "23|234|1|34|23",
        ),
        # first / last
        (
            "{{ [1, 2, 3]|first }}{{ {a: 'x', b: 'y'}|first }}{{ 'abc'|first }}{{ [1, 2, 3]|last }}{{ 'abc'|last }}",
            "1xa3c",
        ),
        # join / split
        (
            "{{ [1, 2, 3]|join(', ', ' and ') }}|{{ [1]|join(', ', ' and ') }}|{{ {a: 1, b: 2}|join('-') }}",
            "1, 2 and 3|1|1-2",
        ),
        (
            "{{ 'one,two,three'|split(',')|join('|') }}/{{ 'one,two,three'|split(',', 2)|join('|') }}/"
            "{{ 'one,two,three'|split(',', -1)|join('|') }}/{{ 'abc'|split('')|join('|') }}/{{ 'abcde'|split('', 2)|join('|') }}",
            "one|two|three/one|two,three/one|two/a|b|c/ab|cd|e",
        ),
        # replace
        (
            "{{ 'I like %this% and %that%.'|replace({'%this%': 'apples', '%that%': 'pears'}) }}",
            "I like apples and pears.",
        ),
        ("{{ 'aaa'|replace({'a': 'b', 'aa': 'c'}) }}", "cb"),
        # format
        ("{{ '%s has %d items, %05.2f%%'|format('Cart', 3, 3.14159) }}", "Cart has 3 items, 03.14%"),
        (
            "{{ '%2$s %1$s'|format('a', 'b') }}|{{ '%-5s|%5s|%x|%b|%e'|format('a', 'b', 255, 5, 12345.678) }}",
            "b a|a    |    b|ff|101|1.234568e+4",
        ),
        # number_format
        (
            "{{ 1234.5678|number_format }}|{{ 1234.5678|number_format(2) }}|{{ 1234.5678|number_format(2, ',', '.') }}|"
            "{{ 0.5|number_format }}|{{ (-1234.567)|number_format(1) }}|{{ (-0.4)|number_format }}|{{ -1234.5|number_format }}",
            "1,235|1,234.57|1.234,57|1|-1,234.6|0|-1",
        ),
        # round
        (
            "{{ 2.5|round }}|{{ -2.5|round }}|{{ 42.55|round(1, 'floor') }}|{{ 42.55|round(1, 'ceil') }}|{{ 1234|round(-2) }}|{{ 3|round }}",
            "3|-3|42.5|42.6|1200|3",
        ),
        # abs
        # a unary minus applies after the filter, as in Twig: -5|abs is -(5|abs)
        ("{{ (-5)|abs }}{{ (-5.5)|abs }}{{ '-3'|abs }}{{ -5|abs }}", "55.53-5"),
        # striptags / nl2br
        (
            "{{ '<p>Hello <b>world</b><!-- c --></p>'|striptags }}|{{ '<p>a <b>b</b></p>'|striptags('<b>')|raw }}",
            "Hello world|a <b>b</b>",
        ),
        # a literal is safe, so it is not pre-escaped; a variable is
        ('{{ "a\\n<b>"|nl2br }}|{{ v|nl2br }}', "a<br />\n<b>|&lt;i&gt;"),
        # url_encode
        (
            "{{ 'path-seg*ment é'|url_encode }}|{{ {a: 'b c', d: [1, 2], e: true, f: null}|url_encode }}",
            "path-seg%2Ament%20%C3%A9|a=b%20c&amp;d%5B0%5D=1&amp;d%5B1%5D=2&amp;e=1",
        ),
        # json_encode (the plain-data half of Twig's fixture)
        ("{{ {a: 'b', c: [1, 2.5, true, null]}|json_encode|raw }}", '{"a":"b","c":[1,2.5,true,null]}'),
        (
            "{{ 'é/<'|json_encode|raw }}|{{ []|json_encode|raw }}|{{ {}|json_encode|raw }}|{{ 1.0|json_encode|raw }}",
            '"\\u00e9\\/<"|[]|[]|1',
        ),  # an empty hash is an empty PHP array
        # keys / merge / reverse / sort
        ("{{ {a: 1, b: 2}|keys|join }}|{{ [5, 6]|keys|join }}", "ab|01"),
        (
            "{{ [1, 2]|merge(['a'])|join }}|{{ {a: 1, b: 2}|merge({b: 3, c: 4})|json_encode|raw }}",
            '12a|{"a":1,"b":3,"c":4}',
        ),
        (
            "{{ [1, 2, 3]|reverse|join }}|{{ 'abc'|reverse }}|{{ {a: 1, b: 2}|reverse|keys|join }}|{{ [1, 2]|reverse(true)|keys|join }}",
            "321|cba|ba|10",
        ),
        (
            "{{ [3, 1, 2]|sort|join }}|{{ [3, 1, 2]|sort|keys|join }}|{{ {b: 2, a: 1}|sort|keys|join }}|{{ ['b', 'a', 10, 9]|sort|join(',') }}",
            "123|120|ab|9,10,a,b",
        ),
        # batch / column
        ("{% for row in [1, 2, 3, 4, 5]|batch(2, 'x') %}[{{ row|join }}]{% endfor %}", "[12][34][5x]"),
        ("{% for row in {a: 1, b: 2, c: 3}|batch(2) %}[{{ row|keys|join }}]{% endfor %}", "[ab][c]"),
        (
            "{{ [{id: 1, n: 'a'}, {id: 2, n: 'b'}, {x: 1}]|column('n')|join }}|{{ [{id: 7, n: 'a'}]|column('n', 'id')|keys|join }}",
            "ab|7",
        ),
        # date
        (
            "{{ 1286199900|date('d/m/Y H:i:s P') }}|{{ '2010-01-28T15:00:00+04:00'|date('Y-m-d H:i e', 'Asia/Hong_Kong') }}",
            "04/10/2010 13:45:00 +00:00|2010-01-28 19:00 Asia/Hong_Kong",
        ),
        (
            "{{ '2010-10-04 13:45'|date }}|{{ 0|date('D, jS F Y \\\\a\\\\t g:i a') }}",
            "October 4, 2010 13:45|Thu, 1st January 1970 at 12:00 am",
        ),
        # spaceless (deprecated in Twig 3.12, still there)
        ("{{ '<div>  <b>x</b>  </div>'|spaceless }}", "<div><b>x</b></div>"),
    ],
)
def test_filter(source: str, expected: str) -> None:
    assert render(source, v="<i>", h={"a": 1}) == expected


def test_date_uses_the_configured_time_zone() -> None:
    source = "{{ stamp|date('Y-m-d H:i T') }}|{{ stamp|date('H:i', false) }}|{{ stamp|date('H:i', 'America/Chicago') }}"
    out = render_templates({"t": source}, "t", {"stamp": 1286199900}, timezone="Europe/Paris")
    assert out == "2010-10-04 15:45 CEST|15:45|08:45"


def test_replace_needs_a_mapping() -> None:
    with pytest.raises(
        TwigRuntimeError, match='The "replace" filter expects a sequence or a mapping, got "string"'
    ):
        render("{{ 'a'|replace('b') }}")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "{{ '' is empty }}{{ null is empty }}{{ false is empty }}{{ [] is empty }}{{ {} is empty }}",
            "11111",
        ),
        ("[{{ 0 is empty }}][{{ '0' is empty }}][{{ ' ' is empty }}][{{ [0] is empty }}]", "[][][][]"),
        (
            "{{ x is defined }}|{{ missing is defined }}|{{ h.a is defined }}|{{ h.z is defined }}|{{ missing.z is defined }}",
            "1||1||",
        ),
        ("{{ null is null }}{{ null is none }}{{ 0 is null }}|{{ x is not null }}", "11|1"),
        (
            "{{ 1 is same as(1) }}[{{ 1 is same as('1') }}][{{ 1 is same as 1.0 }}]{{ 'a' is same as 'a' }}",
            "1[][]1",
        ),
        ("{{ 9 is divisible by(3) }}[{{ 10 is divisible by 3 }}]{{ 10 is not divisible by(3) }}", "1[]1"),
        ("{{ 2 is even }}[{{ 3 is even }}]{{ 3 is odd }}[{{ 2 is odd }}]", "1[]1[]"),
        (
            "{{ [] is iterable }}{{ {a: 1} is iterable }}[{{ 'abc' is iterable }}][{{ 1 is iterable }}]",
            "11[][]",
        ),
        (
            "{{ [1] is sequence }}[{{ {a: 1} is sequence }}]{{ {a: 1} is mapping }}[{{ [1] is mapping }}]",
            "1[]1[]",
        ),
    ],
)
def test_tests(source: str, expected: str) -> None:
    assert render(source, x=1, h={"a": 1}) == expected
