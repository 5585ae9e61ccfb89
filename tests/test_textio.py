"""BOM-aware decoding: which encodings are honoured, and where the first bad byte is reported."""

from __future__ import annotations

import codecs

import pytest

from asa2render.errors import Asa2Error, EncodingError
from asa2render.textio import decode_text

TEXT = "Grüße, 東京 🎉\r\n"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (b"", "utf-8"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_byte_order_marks_choose_the_encoding_and_are_dropped(bom: bytes, codec: str) -> None:
    assert decode_text(bom + TEXT.encode(codec), "f") == TEXT


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"abc\xffdef", "page.md: not valid UTF-8 at byte 3"),
        (b"\xc3", "page.md: not valid UTF-8 at byte 0"),
        (codecs.BOM_UTF8 + b"ab\x80", "page.md: not valid UTF-8 at byte 5"),
        (codecs.BOM_UTF16_LE + b"a\x00b", "page.md: not valid UTF-16 at byte 4"),
        (codecs.BOM_UTF32_BE + b"\x00\x11\x00\x00", "page.md: not valid UTF-32 at byte 4"),
    ],
)
def test_the_first_bad_byte_is_reported(data: bytes, message: str) -> None:
    with pytest.raises(EncodingError) as caught:
        decode_text(data, "page.md")
    assert str(caught.value) == message and isinstance(caught.value, Asa2Error)
