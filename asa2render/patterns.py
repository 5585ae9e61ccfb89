"""Regular expressions compiled on first use, for patterns that most runs never need.

``re``'s compiler is pure Python: every ``re.compile`` at module level is paid by every start-up,
including a one-file render that never reaches the code using it (front matter, HTML blocks, error
messages, logos with a domain ending). :func:`lazy` compiles on the first call and keeps the result.
On a hot path, fetch the pattern once outside the loop.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache


def lazy(pattern: str, flags: int | re.RegexFlag = 0) -> Callable[[], re.Pattern[str]]:
    """A function returning ``re.compile(pattern, flags)``, compiled on its first call only."""

    @cache
    def compiled() -> re.Pattern[str]:
        return re.compile(pattern, flags)

    return compiled


__all__ = ["lazy"]
