"""Local products: the user's own data, validated like untrusted input."""

from __future__ import annotations

from pathlib import Path

import pytest

from asa2render.config.model import load_config
from asa2render.errors import ConfigError
from asa2render.products.local import LocalProducts
from asa2render.products.models import ProductKey


def _write(tmp_path: Path, products: str) -> LocalProducts:
    (tmp_path / "asa2render.toml").write_text(
        '[site]\nproducts = "products.toml"\n[[marketplaces]]\ncountry = "de"\npartner_tag = "mytag-21"\n'
        "default = true\n",
        encoding="utf-8",
    )
    (tmp_path / "products.toml").write_text(products, encoding="utf-8")
    return LocalProducts.load(load_config(tmp_path / "asa2render.toml", environ={}))


def test_defaults_url_currency_and_country(tmp_path: Path) -> None:
    local = _write(tmp_path, '[[products]]\nasin = "b0local001"\ntitle = "Mine"\nprice = "9.5"\n')
    product = local.get_many([ProductKey("de", "B0LOCAL001")])[ProductKey("de", "B0LOCAL001")]
    assert product.url == "https://www.amazon.de/dp/B0LOCAL001?tag=mytag-21"
    assert product.price is not None and product.price.currency == "EUR"
    assert product.source == "local"


def test_javascript_url_is_rejected_with_file_and_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _write(tmp_path, '[[products]]\nasin = "B0LOCAL001"\ntitle = "x"\nurl = "javascript:alert(1)"\n')
    assert "products.toml" in str(caught.value) and "products[0].url" in str(caught.value)


def test_invalid_asin_in_products(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="invalid ASIN"):
        _write(tmp_path, '[[products]]\nasin = "nope"\ntitle = "x"\n')
