"""PCRE patterns (``/…/flags``, as the ``matches`` operator takes them) to Python :mod:`re` patterns."""

from __future__ import annotations

import re
from functools import lru_cache

_CLOSING = {"(": ")", "[": "]", "{": "}", "<": ">"}
_FLAGS = {"i": re.I, "m": re.M, "s": re.S, "x": re.X, "u": 0, "D": 0}


class PcreError(ValueError):
    """The pattern is not a valid PCRE pattern (or uses a PCRE feature Python cannot run)."""


def _translate(body: str) -> str:
    """Rewrite the PCRE-only syntax Python spells differently."""
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"z": r"\Z", "Z": r"(?=\n?\Z)", "h": r"[ \t]", "H": r"[^ \t]"}.get(nxt, char + nxt))
            i += 2
            continue
        if body.startswith("(?<", i) and i + 3 < len(body) and body[i + 3] not in "=!":
            out.append("(?P<")
            i += 3
            continue
        out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def compile_pcre(pattern: str) -> re.Pattern[str]:
    """Compile a delimited PCRE pattern such as ``/^ab+c$/i``."""
    if len(pattern) < 2 or pattern[0].isalnum() or pattern[0] in "\\ \t\n":
        raise PcreError("Delimiter must not be alphanumeric, backslash, or NUL")
    opener = pattern[0]
    closer = _CLOSING.get(opener, opener)
    end = pattern.rfind(closer)
    if end <= 0:
        raise PcreError(f"No ending delimiter '{closer}' found")
    body, flags_text = pattern[1:end], pattern[end + 1 :]
    flags = 0
    for flag in flags_text:
        if flag not in _FLAGS:
            raise PcreError(f"Unknown modifier '{flag}'")
        flags |= _FLAGS[flag]
    try:
        return re.compile(_translate(body), flags)
    except re.error as exc:
        raise PcreError(str(exc)) from exc
