"""PCRE patterns for ``matches``."""

from __future__ import annotations

import pytest

from asa2render.twig.pcre import PcreError, compile_pcre


@pytest.mark.parametrize(
    ("pattern", "subject", "found"),
    [
        ("/^ab+c$/", "abbc", True),
        ("/ABC/i", "xabcx", True),
        ("#^\\d{3}$#", "123", True),
        ("{^a.b$}s", "a\nb", True),
        ("/^b$/m", "a\nb", True),
        ("/(?<year>\\d{4})/", "in 2024", True),
        ("/a\\z/", "a\n", False),
        ("/a\\Z/", "a\n", True),
    ],
)
def test_patterns(pattern: str, subject: str, found: bool) -> None:
    assert (compile_pcre(pattern).search(subject) is not None) is found


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("abc", "Delimiter must not be alphanumeric"),
        ("/abc", "No ending delimiter '/' found"),
        ("/a/Q", "Unknown modifier 'Q'"),
        ("/(/", "missing"),
    ],
)
def test_invalid_patterns(pattern: str, message: str) -> None:
    with pytest.raises(PcreError, match=message):
        compile_pcre(pattern)
