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


@pytest.mark.parametrize(
    ("country", "price", "list_price", "shown", "saved"),
    [
        ("de", "1234.5", "1500", "1.234,50\u00a0€", "265,50\u00a0€"),
        ("us", "1234.5", None, "$1,234.50", None),
        ("jp", "1980", "2480", "￥1,980", "￥500"),
    ],
)
def test_prices_are_written_like_the_store_writes_them(
    tmp_path: Path, country: str, price: str, list_price: str | None, shown: str, saved: str | None
) -> None:
    extra = f'list_price = "{list_price}"\n' if list_price else ""
    local = _write(
        tmp_path,
        f'[[products]]\nasin = "B0LOCAL001"\ncountry = "{country}"\ntitle = "x"\nprice = "{price}"\n{extra}',
    )
    product = local.get_many([ProductKey(country, "B0LOCAL001")])[ProductKey(country, "B0LOCAL001")]
    assert product.price is not None and product.price.display == shown
    if saved is None:
        assert product.savings is None
    else:
        assert product.savings is not None and product.savings.money is not None
        assert product.savings.money.display == saved and product.savings.percentage
        assert product.list_price is not None


def test_local_availability_message_is_kept(tmp_path: Path) -> None:
    local = _write(
        tmp_path,
        '[[products]]\nasin = "B0LOCAL001"\ntitle = "x"\navailability = "in_stock_scarce"\n'
        'availability_message = "Nur noch 2"\n',
    )
    product = local.get_many([ProductKey("de", "B0LOCAL001")])[ProductKey("de", "B0LOCAL001")]
    assert product.availability.type == "IN_STOCK_SCARCE" and product.availability.message == "Nur noch 2"
