"""What a page is: one suffix list for every edge, the mode a file name implies, front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from asa2render.sources import PAGE_SUFFIXES, is_page, mode_for, read_front_matter


@pytest.mark.parametrize(
    ("name", "mode"),
    [
        ("a.md", "markdown"),
        ("a.MARKDOWN", "markdown"),
        ("a.mdown", "markdown"),
        ("a.mkd", "markdown"),
        ("a.html", "html"),
        ("a.HTM", "html"),
        ("a.txt", "text"),
        ("README", "text"),
    ],
)
def test_mode_follows_the_suffix(name: str, mode: str) -> None:
    assert mode_for(name) == mode
    assert is_page(Path(name)) == (mode != "text")


def test_every_page_suffix_has_a_page_mode() -> None:
    assert all(mode_for(f"page{suffix}") != "text" for suffix in PAGE_SUFFIXES)


def test_front_matter_and_body_offset() -> None:
    text = "---\ntitle: Hi\nasa2_country: us\n---\nBody\n"
    front, start = read_front_matter(text)
    assert front == {"title": "Hi", "asa2_country": "us"}
    assert text[start:] == "Body\n"


@pytest.mark.parametrize(
    ("text", "body_start"),
    # a damaged block still ends where its closing delimiter is: nothing inside it is ever expanded
    [("No front matter\n", 0), ("---\n: [broken\n---\nBody\n", 18), ("---\n- a list\n---\nBody\n", 17)],
)
def test_missing_damaged_or_non_mapping_front_matter_is_empty(text: str, body_start: int) -> None:
    assert read_front_matter(text) == ({}, body_start)
