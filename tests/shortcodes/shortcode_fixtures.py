"""Reads data-driven fixture files: blocks of title, input and expected output.

Format (after mdit-py-plugins' fixture files)::

    title of the case
    .
    input lines
    .
    expected lines
    .

Blank lines between blocks are ignored. Input and expected are the lines between the ``.``
separators joined with ``\\n`` (an empty last line therefore means a trailing newline).
``⍽`` stands for a trailing space that editors would strip.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Case:
    """One fixture case."""

    title: str
    line: int
    input: str
    expected: str


def _unmark(lines: list[str]) -> str:
    return "\n".join(lines).replace("⍽", " ")


def read_fixture_file(name: str) -> list[Case]:
    """Return the cases of ``fixtures/<name>``."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        title, start = lines[index], index + 1
        separators = [i for i in range(start, len(lines)) if lines[i] == "."][:3]
        if len(separators) < 3 or separators[0] != start:
            raise ValueError(f"{name}:{start}: malformed fixture {title!r}")
        first, second, third = separators
        cases.append(
            Case(title, start, _unmark(lines[first + 1 : second]), _unmark(lines[second + 1 : third]))
        )
        index = third + 1
    return cases


def params(name: str) -> list[object]:
    """Return ``pytest.param`` objects for ``fixtures/<name>``, identified by line and title."""
    import pytest

    return [pytest.param(case, id=f"{case.line}-{case.title}") for case in read_fixture_file(name)]
