"""The store table and the derived Creators API versions."""

from __future__ import annotations

import pytest

from asa2render.marketplaces import STORES, get_store, normalize_country, store_for_host, store_for_paapi_host


def test_all_22_stores_are_known() -> None:
    assert len(STORES) == 22
    assert len({s.country for s in STORES}) == 22


@pytest.mark.parametrize(
    ("country", "cognito", "lwa"),
    [
        ("us", "2.1", "3.1"),
        ("de", "2.2", "3.2"),
        ("in", "2.2", "3.2"),
        ("jp", "2.3", "3.3"),
        ("au", "2.3", "3.3"),
    ],
)
def test_versions_are_derived_from_type_and_region(country: str, cognito: str, lwa: str) -> None:
    store = get_store(country)
    assert store is not None
    assert (store.api_version("cognito"), store.api_version("lwa")) == (cognito, lwa)


def test_uk_and_gb_are_the_same_store() -> None:
    assert normalize_country("GB") == normalize_country("uk") == "uk"
    assert normalize_country("xx") is None


def test_host_lookups() -> None:
    assert store_for_host("www.amazon.co.uk").country == "uk"  # type: ignore[union-attr]
    assert store_for_host("amazon.de").country == "de"  # type: ignore[union-attr]
    assert store_for_host("example.com") is None
    assert store_for_paapi_host("webservices.amazon.co.jp").country == "jp"  # type: ignore[union-attr]
    assert get_store("ie").paapi_host is None  # type: ignore[union-attr]
