"""ASA2 placeholders: the price groups, AutoPrice, IsAvailable, variations, ratings and logos."""

from __future__ import annotations

import base64
import re
from decimal import Decimal
from pathlib import Path

from asa2_fakes import make_product

from asa2render.config.model import PlaceholdersConfig, config_from_dict
from asa2render.products.models import (
    Availability,
    Money,
    OfferSummary,
    ProductKey,
    Resolved,
    Savings,
    VariationSummary,
)
from asa2render.products.resolve import TAGS, resolve
from asa2render.render.renderer import Renderer, placeholders
from asa2render.shortcodes import parse

README = Path(__file__).resolve().parents[2] / "README.md"


def eur(amount: str, display: str | None = None) -> Money:
    return Money(amount=Decimal(amount), currency="EUR", display=display or f"{amount.replace('.', ',')} €")


def keyboard(**changes: object) -> object:
    values: dict[str, object] = {
        "price": eur("104.99"),
        "offer_summaries": (
            OfferSummary(condition="New", lowest=eur("99.49"), highest=eur("104.99"), offer_count=5),
            OfferSummary(condition="Used", lowest=eur("78.50"), offer_count=2),
        ),
        "availability": Availability(type="IN_STOCK"),
        "rating": 4.56,
        "review_count": 1893,
    }
    values.update(changes)
    return make_product(**values)


def test_price_groups() -> None:
    values = placeholders(keyboard())
    assert values["OffersMainPriceAmount"] == "104.99" and values["OffersMainPriceInteger"] == 10499
    assert (
        values["OffersMainPriceCurrencyCode"] == "EUR"
        and values["OffersMainPriceFormattedPrice"] == "104,99 €"
    )
    assert values["OffersLowestNewPriceFormattedPrice"] == "99,49 €" and values["OffersTotalNew"] == 5
    assert values["OffersLowestUsedPriceAmount"] == "78.50" and values["OffersLowestUsedPriceInteger"] == 7850
    assert values["OffersTotalUsed"] == 2
    assert values["OffersLowestCollectiblePriceAmount"] == "" and values["OffersTotalCollectible"] == ""
    assert values["OfferSalePriceAmount"] == ""  # not reduced


def test_autoprice_follows_the_options() -> None:
    default = placeholders(keyboard())
    assert (default["OffersAutoPriceFormattedPrice"], default["OffersAutoPriceSource"]) == (
        "99,49 €",
        "lowest_new",
    )
    assert default["OffersAutoPriceInteger"] == 9949 and default["OffersAutoPriceCurrencyCode"] == "EUR"
    main_only = placeholders(keyboard(), PlaceholdersConfig(autoprice_lowest_new=False))
    assert (main_only["OffersAutoPriceAmount"], main_only["OffersAutoPriceSource"]) == ("104.99", "main")
    used = placeholders(keyboard(), PlaceholdersConfig(autoprice_lowest_used=True))
    assert used["OffersAutoPriceAmount"] == "78.50"


def test_sale_price_group() -> None:
    values = placeholders(
        keyboard(sale_price=eur("104.99"), savings=Savings(money=eur("25.00"), percentage=19))
    )
    assert values["OfferSalePriceFormattedPrice"] == "104,99 €" and values["OfferSalePriceInteger"] == 10499
    assert values["AmountSavedAmount"] == "25.00" and values["PercentageSaved"] == 19


def test_zero_decimal_currency() -> None:
    yen = Money(amount=Decimal("4980"), currency="JPY", display="￥4,980")
    values = placeholders(make_product(country="jp", price=yen))
    assert values["OffersAutoPriceAmount"] == "4980" and values["OffersAutoPriceInteger"] == 4980


def test_map_hides_every_price_but_not_availability() -> None:
    values = placeholders(keyboard(violates_map=True, sale_price=eur("104.99")))
    for prefix in (
        "OffersAutoPrice",
        "OfferSalePrice",
        "OffersMainPrice",
        "OffersLowestNewPrice",
        "ListPrice",
    ):
        assert values[f"{prefix}Amount"] == "" and values[f"{prefix}FormattedPrice"] == ""
    assert values["IsAvailable"] is True and values["ViolatesMAP"] is True
    assert values["OffersTotalNew"] == 5  # counts are not prices


def test_is_available_if_other_offers() -> None:
    gone = keyboard(price=None, availability=Availability(type="OUT_OF_STOCK"))
    assert placeholders(gone)["IsAvailable"] is False
    assert placeholders(gone, PlaceholdersConfig(is_available_if_other_offers=True))["IsAvailable"] is True


def test_variations_group() -> None:
    parent = make_product(
        price=None,
        variations=VariationSummary(
            lowest=eur("29.99"), highest=eur("44.99"), count=4, dimensions=("Farbe",)
        ),
    )
    values = placeholders(parent)
    assert values["VariationsLowestPriceFormattedPrice"] == "29,99 €"
    assert values["VariationsHighestPriceInteger"] == 4499 and values["VariationsCount"] == 4
    assert values["VariationsDimensions"] == ["Farbe"]
    assert values["OffersMainPriceAmount"] == "29.99" and values["OffersAutoPriceSource"] == "main"
    assert values["IsAvailable"] is True
    plain = placeholders(make_product())
    assert plain["VariationsCount"] == "" and plain["VariationsLowestPriceAmount"] == ""


def test_ratings_from_either_source() -> None:
    values = placeholders(keyboard())
    assert values["Rating"] == 4.6 and values["RatingPercent"] == 92
    assert values["RatingCount"] == values["TotalReviews"] == values["CustomerReviewsTotalReviews"] == 1893
    assert values["CustomerReviewsAverageRating"] == 4.6
    local = placeholders(make_product(source="local", rating=5.0, review_count=0))
    assert (local["Rating"], local["RatingCount"]) == (5.0, 0)
    none = placeholders(make_product())
    assert none["Rating"] == "" and none["RatingCount"] == "" and none["RatingPercent"] == ""


def test_logos_inline_by_default_and_localized_on_request() -> None:
    plain = placeholders(make_product())["AmazonLogoSmallUrl"]
    assert plain.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(plain.split(",", 1)[1]).decode()
    assert "amazon" in svg and "></tspan>" in svg  # no domain ending
    local = placeholders(make_product(), PlaceholdersConfig(localized_shop_logos=True))["AmazonLogoLargeUrl"]
    assert ">.de</tspan>" in base64.b64decode(local.split(",", 1)[1]).decode()
    hosted = PlaceholdersConfig(localized_shop_logos=True, logo_base_url="/assets/")
    uk = placeholders(make_product(country="uk"), hosted)
    assert uk["AmazonLogoSmallUrl"] == "/assets/asa2render-logos/amazon-logo-small-uk.svg"
    assert (
        placeholders(make_product(), PlaceholdersConfig(logo_base_url="https://cdn.example.org/s/"))[
            "AmazonLogoLargeUrl"
        ]
        == "https://cdn.example.org/s/asa2render-logos/amazon-logo-large.svg"
    )


def test_a_user_template_uses_the_site_options(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "price.html").write_text(
        '<p data-asa2-asin="{{ ASIN }}">{{ OffersAutoPriceFormattedPrice }} {{ OffersAutoPriceSource }}'
        '{% if IsAvailable %} buy{% endif %} <img src="{{ AmazonLogoSmallUrl }}"></p>'
    )
    config = config_from_dict(
        {
            "marketplaces": [{"country": "de", "default": True}],
            "placeholders": {
                "autoprice_lowest_new": False,
                "autoprice_lowest_used": True,
                "logo_base_url": "/s",
            },
        },
        path=tmp_path / "asa2render.toml",
    )
    request = resolve(parse('[asa2 asin="B0TEST0001" tpl="price"]', TAGS)[0], config)[0]
    item = Resolved(key_country="de", key_asin="B0TEST0001", product=keyboard(), state="fresh")
    html = Renderer(config).render(request, {ProductKey("de", "B0TEST0001"): item})
    assert html == (
        '<p data-asa2-state="fresh" data-asa2-asin="B0TEST0001">78,50 € lowest_used buy <img src="/s/asa2render-logos/amazon-logo-small.svg"></p>'
    )


def test_every_placeholder_is_in_the_readme_table() -> None:
    """One README table documents each name with its type, an example and the sources that fill it."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Placeholders", 1)[1].split("\n#", 1)[0]
    rows = [
        re.split(r"(?<!\\)\|", line.strip())[1:-1] for line in section.splitlines() if line.startswith("| `")
    ]
    documented = {match for cells in rows for match in re.findall(r"`(\w+)`", cells[0])}
    names = set(placeholders(keyboard()))
    assert names - documented == set(), "undocumented placeholders"
    assert documented - names == set(), "documented placeholders that do not exist"
    for cells in rows:
        assert len(cells) == 4 and all(cell.strip() for cell in cells), cells  # name, type, example, sources
