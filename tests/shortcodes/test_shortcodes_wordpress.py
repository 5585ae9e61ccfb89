"""WordPress core's shortcode suite (tests/phpunit/tests/shortcode.php), restated as fixtures.

The handlers mirror the ones registered by the WordPress test case; ``test-shortcode-tag``
answers with a JSON dump of what it received so parse results show in the fixture file.
"""

from __future__ import annotations

import json

import pytest
from shortcode_fixtures import Case, params

from asa2render.shortcodes import Shortcode, expand

TAGS = (
    "test-shortcode-tag",
    "footag",
    "bartag",
    "baztag",
    "dumptag",
    "hyphen",
    "hyphen-foo",
    "hyphen-foo-bar",
    "url",
    "ucase",
)


def _dump(shortcode: Shortcode) -> str:
    lines = [f"{key} = {value}\n" for key, value in shortcode.attrs.items()]
    lines += [f"{index} = {value}\n" for index, value in enumerate(shortcode.args)]
    return "".join(lines)


def _record(shortcode: Shortcode) -> str:
    return json.dumps(
        {
            "attrs": shortcode.attrs,
            "args": list(shortcode.args),
            "content": shortcode.content,
            "self_closing": shortcode.self_closing,
        },
        ensure_ascii=False,
    )


def handle(shortcode: Shortcode) -> str:
    """Dispatch like WordPress's registered test shortcodes."""
    attrs, content = shortcode.attrs, shortcode.content or ""
    answers = {
        "footag": lambda: f"foo = {attrs.get('foo', '')}",
        "bartag": lambda: f"foo = {attrs.get('foo', 'no foo')}",
        "baztag": lambda: "content = " + expand(content, TAGS, handle),
        "dumptag": lambda: _dump(shortcode),
        "url": lambda: "http://www.wordpress.org/",
        "ucase": content.upper,
        "test-shortcode-tag": lambda: _record(shortcode),
    }
    if shortcode.tag.startswith("hyphen"):
        return "shortcode_" + shortcode.tag.replace("-", "_")
    return answers[shortcode.tag]()


@pytest.mark.parametrize("case", params("wordpress.txt"))
def test_wordpress_case(case: Case) -> None:
    assert expand(case.input, TAGS, handle) == case.expected


@pytest.mark.parametrize(
    ("separator", "name"),
    [("\u00a0", "NO-BREAK SPACE"), ("\u200b", "ZERO WIDTH SPACE")],
)
def test_utf8_whitespace_separates_attributes(separator: str, name: str) -> None:
    text = f'[test-shortcode-tag foo="bar" {separator}baz="123"{separator}abc="def"]'
    record = json.loads(expand(text, TAGS, handle))
    assert record["attrs"] == {"foo": "bar", "baz": "123", "abc": "def"}, name
