"""wpautop: WordPress's paragraph rules for classic-editor posts."""

from __future__ import annotations

import pytest

from asa2render.wordpress import wpautop

CASES = [
    ("one line", "<p>one line</p>\n"),
    ("first\n\nsecond", "<p>first</p>\n<p>second</p>\n"),
    ("line one\nline two", "<p>line one<br />\nline two</p>\n"),
    ("a\r\n\r\nb", "<p>a</p>\n<p>b</p>\n"),
    ("a\n\n\n\n   \n\nb", "<p>a</p>\n<p>b</p>\n"),
    ("<div>block</div>", "<div>block</div>\n"),
    ("text\n<div>block</div>\nmore", "<p>text</p>\n<div>block</div>\n<p>more</p>\n"),
    ("<ul>\n<li>one</li>\n<li>two</li>\n</ul>", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"),
    ("<h2>Title</h2>\nText", "<h2>Title</h2>\n<p>Text</p>\n"),
    ("a<br />\n<br />\nb", "<p>a</p>\n<p>b</p>\n"),
    ("<figure><img src=x></figure>\ncaption", "<figure><img src=x></figure>\n<p>caption</p>\n"),
    ("inline <em>tags</em> stay", "<p>inline <em>tags</em> stay</p>\n"),
    ("", ""),
    ("   \n\n  ", ""),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_paragraph_rules(text: str, expected: str) -> None:
    assert wpautop(text) == expected


def test_pre_keeps_its_newlines_and_is_not_wrapped() -> None:
    text = "before\n\n<pre>line 1\n\nline 3\n</pre>\n\nafter"
    assert wpautop(text) == "<p>before</p>\n<pre>line 1\n\nline 3\n</pre>\n<p>after</p>\n"


def test_script_and_comments_keep_their_newlines() -> None:
    result = wpautop("<script>\nvar a = 1;\n\nvar b = 2;\n</script>\n\n<!-- a\n\nb -->")
    assert "<script>\nvar a = 1;\n\nvar b = 2;\n</script>" in result
    assert "<!-- a\n\nb -->" in result


def test_shortcode_paragraphs_like_wordpress() -> None:
    text = (
        'Intro\n\n[asa2]B0DEMO0001[/asa2]\n\nA [asa2_textlink asin="B0DEMO0002"]link[/asa2_textlink] inline.'
    )
    assert wpautop(text) == (
        "<p>Intro</p>\n<p>[asa2]B0DEMO0001[/asa2]</p>\n"
        '<p>A [asa2_textlink asin="B0DEMO0002"]link[/asa2_textlink] inline.</p>\n'
    )


def test_a_comment_alone_on_its_line_stands_between_paragraphs() -> None:
    assert wpautop("Teaser\n<!--more-->\nRest") == "<p>Teaser</p>\n<!--more-->\n<p>Rest</p>\n"
    assert wpautop("Inline <!-- note --> comment") == "<p>Inline <!-- note --> comment</p>\n"
