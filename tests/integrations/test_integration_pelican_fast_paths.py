"""The Pelican plugin's per-article fast paths, each against the general code it stands in for."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from asa2render.front_matter import read_front_matter
from asa2render.integrations.pelican import _page_country, _relative, _relative_name

PARTS = st.sampled_from(["", ".", "..", "a", "b.md", "c d", "x.markdown"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(PARTS, max_size=4), st.lists(PARTS, max_size=4), st.booleans())
def test_pelican_relative_name_is_relative_of_the_path(
    content_parts: list[str], file_parts: list[str], absolute: bool
) -> None:
    content = Path(("/" if absolute else "") + "/".join(content_parts))
    for source in ("/".join([str(content), *file_parts]), "/".join(file_parts), str(content)):
        assert _relative_name(source, content) == _relative(Path(source), content)


def _page_country_reference(text: str) -> str | None:
    """The Pelican plugin's ``_page_country`` before it split only the header (the reference)."""
    front, _ = read_front_matter(text)
    if front.get("asa2_country"):
        return str(front["asa2_country"])
    for line in text.splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        if key.strip().lower() == "asa2_country" and value.strip():
            return value.strip()
    return None


LINES = st.sampled_from(
    [
        "Title: T",
        "asa2_country: de",
        "ASA2_Country :  us ",
        "asa2_country:",
        " ",
        "",
        "---",
        "text",
        "\r",
        "\x0c",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(LINES, max_size=8), st.sampled_from(["\n", "\r\n", "\r", "\x0b", "\u2028"]))
def test_pelican_page_country_reads_the_header_as_before(lines: list[str], newline: str) -> None:
    text = newline.join(lines) + "\n\nasa2_country: jp\n"
    assert _page_country(text) == _page_country_reference(text)
    mixed = "\n".join(lines[:2]) + newline + newline.join(lines[2:])
    assert _page_country(mixed) == _page_country_reference(mixed)
