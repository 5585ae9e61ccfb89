"""What WordPress's ``wptexturize`` and the visual editor do to shortcode attributes is accepted.

wptexturize turns a quote after a digit into a prime (``1"`` → ``1&#8243;``) and a quote after
``=`` into a closing curly quote (``="`` → ``=&#8221;``); the visual editor writes ``&nbsp;``
between attributes. Issue 17 found both rejected.
"""

from __future__ import annotations

import pytest

from asa2render.shortcodes import parse
from asa2render.shortcodes.attributes import parse_attributes


@pytest.mark.parametrize(
    "text",
    [
        "[asa2 asin=&#8221;B0DEMO0001&#8243; tpl=&#8221;compact&#8221;]",
        "[asa2 asin=”B0DEMO0001″ tpl=”compact”]",
        "[asa2 asin=&#8220;B0DEMO0001&#8243; tpl=&#8220;compact&#8221;]",
        "[asa2 asin=&#8217;B0DEMO0001&#8242; tpl=&#8217;compact&#8217;]",
        "[asa2 asin=’B0DEMO0001′ tpl=’compact’]",
        "[asa2 asin=&#x201d;B0DEMO0001&#x2033; tpl=&#x201D;compact&#x201D;]",
    ],
)
def test_primes_after_digits_close_the_value(text: str) -> None:
    (shortcode,) = parse(text, ["asa2"])
    assert shortcode.attrs == {"asin": "B0DEMO0001", "tpl": "compact"}
    assert shortcode.args == ()


@pytest.mark.parametrize("space", ["&nbsp;", "&#160;", "&#xa0;", "&#XA0;", "\u00a0", " &nbsp; "])
@pytest.mark.parametrize(
    "template",
    [
        '[asa2{s}asin="B0DEMO0001"{s}tpl="compact"{s}]',
        "[asa2 asin='B0DEMO0001'{s}tpl='compact']",
        "[asa2 asin=B0DEMO0001{s}tpl=compact]",
        "[asa2 asin=&#8221;B0DEMO0001&#8243;{s}tpl=&#8221;compact&#8221;]",
    ],
)
def test_nbsp_entities_separate_attributes(space: str, template: str) -> None:
    (shortcode,) = parse(template.format(s=space), ["asa2"])
    assert shortcode.attrs == {"asin": "B0DEMO0001", "tpl": "compact"}
    assert shortcode.args == ()


def test_nbsp_before_a_positional_value() -> None:
    parsed = parse_attributes("&nbsp;B0DEMO0001&nbsp;")
    assert parsed.positional == ("B0DEMO0001",)
    assert parsed.named == {}


def test_nbsp_entity_inside_quotes_is_kept_verbatim() -> None:
    assert parse_attributes(' title="Tom&nbsp;&amp;&nbsp;Jerry"').named == {
        "title": "Tom&nbsp;&amp;&nbsp;Jerry"
    }


def test_a_prime_inside_a_straight_quoted_value_is_text() -> None:
    assert parse_attributes(' title="27″ monitor"').named == {"title": "27″ monitor"}


def test_textlink_from_the_visual_editor() -> None:
    text = "[asa2_textlink&nbsp;asin=&#8221;B0DEMO0002&#8243;&nbsp;country=&#8221;de&#8221;]Das Buch[/asa2_textlink]"
    (shortcode,) = parse(text, ["asa2_textlink"])
    assert shortcode.attrs == {"asin": "B0DEMO0002", "country": "de"}
    assert shortcode.content == "Das Buch"
