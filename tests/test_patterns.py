"""Patterns compiled on first use: the same pattern as ``re.compile``, compiled once."""

from __future__ import annotations

import re

import pytest

from asa2render import patterns


def test_the_pattern_is_compiled_on_the_first_call_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    compiles: list[str] = []
    real = re.compile

    def counting(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiles.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(re, "compile", counting)
    pattern = patterns.lazy(r"a(b+)c", re.IGNORECASE)
    assert compiles == []
    first = pattern()
    assert pattern() is first
    assert compiles == [r"a(b+)c"]
    assert first.pattern == r"a(b+)c"
    assert first.flags == real(r"a(b+)c", re.IGNORECASE).flags
    assert first.fullmatch("ABBC") is not None
