"""The Pelican plugin's late boxes (``LateBoxes``): what goes in late, and how it comes back."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pelican")

from asa2render.integrations.pelican import LateBoxes, _late_boxes

BOX = '<div class="asa2-box"><a href="https://www.amazon.de/dp/B0DEMO0001"><img src="x.jpg" alt="Grinder"></a></div>'


def _reading(late: LateBoxes) -> LateBoxes:
    late.reading_body = True
    return late


def test_a_box_of_the_body_is_a_comment_until_put_back() -> None:
    late = _reading(LateBoxes())
    placed = late.place(BOX)
    assert placed == f"<!--asa2render-box {late.token} 0-->"
    page = f"<p>Intro</p>\n{placed}\n<p>{late.place(BOX + '!')}</p>"
    assert late.put_back(page) == f"<p>Intro</p>\n{BOX}\n<p>{BOX}!</p>"


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="x.jpg" alt="">',  # Pelican warns about an empty alt: it must see it
        "<img src='x.jpg' alt=''>",
        '<a href="{filename}/other.md">x</a>',  # an intrasite link Pelican rewrites
        "<a href = '|static|/x.png'>x</a>",
        '<img src="{static}/x.png" alt="x">',
    ],
)
def test_a_box_pelican_could_rewrite_goes_in_at_once(markup: str) -> None:
    late = _reading(LateBoxes())
    assert late.place(markup) == markup
    assert late.boxes == []


def test_outside_an_article_body_boxes_go_in_at_once() -> None:
    late = LateBoxes()  # formatted meta-data (Summary:) is converted with reading_body off
    assert late.place(BOX) == BOX


def test_only_this_builds_comments_are_put_back() -> None:
    late = _reading(LateBoxes())
    late.place(BOX)
    forged = "<!--asa2render-box 0123456789abcdef 0-->"  # another token: a page's own comment
    assert late.put_back(forged) == forged
    assert LateBoxes().token != late.token


class _Content:
    def __init__(self, body: str) -> None:
        self._content = body

    def _update_content(self, html: str, siteurl: str) -> str:
        return html.replace("{filename}", siteurl)


def test_adopted_content_puts_boxes_back_after_its_link_pass() -> None:
    late = _reading(LateBoxes())
    body = f'<a href="{{filename}}/x.md">x</a>{late.place(BOX)}'
    content: Any = _Content(body)
    late.adopt(content)
    assert (
        content._update_content(content._content, "https://site") == f'<a href="https://site/x.md">x</a>{BOX}'
    )
    other: Any = _Content("<p>no boxes</p>")
    late.adopt(other)
    assert "_update_content" not in vars(other)  # content without late boxes is left alone


@pytest.mark.parametrize(
    ("settings", "options", "expected"),
    [
        ({}, {}, True),
        ({}, {"late_boxes": False}, False),
        ({"TYPOGRIFY": True}, {}, False),  # typogrify would rewrite box text when boxes go in early
        ({"CACHE_CONTENT": True}, {}, False),  # cached bodies would keep another build's comments
    ],
)
def test_late_boxes_only_where_the_result_is_the_same(
    settings: dict[str, Any], options: dict[str, Any], expected: bool
) -> None:
    assert _late_boxes(settings, options) is expected
