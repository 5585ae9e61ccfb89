from __future__ import annotations

import pytest

from asa2render.products.asins import normalize_asin, parse_asin_ref


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("B0TEST0001", "B0TEST0001"),
        (" b0test0001 ", "B0TEST0001"),
        ("3-16-148410-X", "316148410X"),
        ("B0SHORT", None),
    ],
)
def test_normalize(raw: str, expected: str | None) -> None:
    assert normalize_asin(raw) == expected


@pytest.mark.parametrize(
    ("url", "asin", "country"),
    [
        ("https://www.amazon.de/dp/B0TEST0001", "B0TEST0001", "de"),
        ("https://www.amazon.co.uk/Some-Title/dp/B0TEST0002/ref=sr_1?x=1", "B0TEST0002", "uk"),
        ("https://www.amazon.com/gp/product/b0test0003?psc=1", "B0TEST0003", "us"),
        ("https://www.amazon.co.jp/gp/aw/d/B0TEST0004", "B0TEST0004", "jp"),
    ],
)
def test_urls(url: str, asin: str, country: str) -> None:
    ref = parse_asin_ref(url)
    assert ref is not None and ref.asin == asin and ref.store is not None and ref.store.country == country


def test_non_amazon_url() -> None:
    assert parse_asin_ref("https://example.com/dp/B0TEST0001") is None


@pytest.mark.parametrize(
    "raw", ["[asa2_textlink asin=B0X]/dp/B0TEST0001", "https://[::1/dp/x", "[x]\nline/two"]
)
def test_text_that_breaks_url_parsing_is_no_asin_and_no_crash(raw: str) -> None:
    assert parse_asin_ref(raw) is None


def test_text_that_urlsplit_rejects_is_no_asin() -> None:
    assert parse_asin_ref("[ref]: /u") is None  # urlsplit raises on the bracketed "host"
