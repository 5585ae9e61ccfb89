"""Reading text files whose encoding nobody promised: pages, ``asa2render.toml``, ``products.toml``.

A byte-order mark decides (UTF-8, UTF-16 or UTF-32, either byte order); without one the text must be
UTF-8. Nothing is guessed beyond that — a wrong guess would silently garble product names — and
nothing undecodable is replaced: the caller hears exactly where the first bad byte is, as
``file: not valid UTF-8 at byte N`` (N counts from 0, as a hex editor does). Line endings are kept
as they are, so a rendered page differs from its source only where shortcodes were replaced.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from .errors import EncodingError

# UTF-32 first: its little-endian mark starts with UTF-16's (FF FE).
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def decode_text(data: bytes, name: str) -> str:
    """Decode ``data`` (named ``name`` in messages) by its byte-order mark, else as UTF-8.

    Raises:
        EncodingError: the bytes are not valid in the encoding they announce (or in UTF-8).
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _decode(data, len(bom), codec, label, name)
    return _decode(data, 0, "utf-8", "UTF-8", name)


def _decode(data: bytes, skip: int, codec: str, label: str, name: str) -> str:
    try:
        return data[skip:].decode(codec) if skip else data.decode(codec)
    except UnicodeDecodeError as exc:
        raise EncodingError(name, label, skip + exc.start) from None


def read_text(path: Path) -> str:
    """The decoded text of a file (see :func:`decode_text`); OSError when it cannot be read."""
    return decode_text(path.read_bytes(), str(path))


__all__ = ["decode_text", "read_text"]
