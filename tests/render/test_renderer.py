"""Boxes: compliance by default, escaping of untrusted data, placeholders, user templates."""

from __future__ import annotations

import dataclasses
import itertools
import random
from pathlib import Path

from asa2_fakes import make_product, random_request

from asa2render.config.model import Config, config_from_dict
from asa2render.products.models import Availability, ProductKey, Resolved
from asa2render.products.resolve import TAGS, ProductRequest, resolve
from asa2render.render.renderer import Renderer, placeholders
from asa2render.shortcodes import parse

KEY = ProductKey("de", "B0TEST0001")


def _request(config: Config, text: str = '[asa2 asin="B0TEST0001"]') -> ProductRequest:
    return resolve(parse(text, TAGS)[0], config)[0]


def _render(config: Config, product: object = None, state: str = "fresh", text: str | None = None) -> str:
    item = Resolved.model_validate(
        {"key_country": "de", "key_asin": "B0TEST0001", "product": product or make_product(), "state": state}
    )
    return Renderer(config).render(_request(config, text or '[asa2 asin="B0TEST0001"]'), {KEY: item})


def test_box_is_compliant(config: Config) -> None:
    html = _render(config)
    assert 'data-asa2-asin="B0TEST0001"' in html and 'data-asa2-state="fresh"' in html
    assert 'rel="sponsored nofollow noopener"' in html
    assert 'loading="lazy"' not in html or "<img" in html
    # A German store's box speaks German: the stamp, Amazon's disclaimer and the paid-link label.
    assert "(Stand: 27.11.2026, 12:00 UTC" in html
    assert "Preise und Verfügbarkeit entsprechen dem angegebenen Datum" in html
    assert '<span class="asa2-paid">Anzeige</span>' in html
    assert "\n" not in html


def test_title_with_script_is_escaped(config: Config) -> None:
    html = _render(config, make_product(title="<script>alert(1)</script>", features=("<b>bold</b>",)))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html


def test_only_https_amazon_urls_become_links(config: Config) -> None:
    html = _render(config, make_product(url="javascript:alert(1)"))
    assert "javascript:" not in html and 'href="#"' in html


def test_map_price_is_hidden(config: Config) -> None:
    html = _render(config, make_product(violates_map=True))
    assert "19,99" not in html and "Preis bei Amazon ansehen" in html


def test_images_are_hotlinked_lazily(config: Config) -> None:
    product = make_product(images={"large": {"url": "https://m.media-amazon.com/images/I/x.jpg"}})
    html = _render(config, product)
    assert '<img src="https://m.media-amazon.com/images/I/x.jpg"' in html and 'loading="lazy"' in html


def test_stale_and_fallback_states(config: Config) -> None:
    assert 'data-asa2-state="stale"' in _render(config, state="stale")
    html = Renderer(config).render(_request(config), {})
    assert 'data-asa2-state="fallback"' in html
    assert 'href="https://www.amazon.de/dp/B0TEST0001?tag=mytag-21"' in html
    assert "19,99" not in html


def test_associate_set_attribute_changes_the_tag() -> None:
    config = config_from_dict(
        {
            "marketplaces": [{"country": "de", "default": True}],
            "associate_id_sets": {"default": {"de": "main-21"}, "promo": {"de": "promo-21"}},
        },
        environ={},
    )
    html = _render(config, text='[asa2 asin="B0TEST0001" set="promo"]')
    assert "tag=promo-21" in html and "tag=mytag-21" not in html


def test_user_template_overrides_builtin(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "box.html").write_text(
        '<div data-asa2-asin="{{ ASIN }}" data-asa2-state="{{ state }}">{{ Title }} {{ OffersAutoPriceFormattedPrice }}</div>'
    )
    config = config_from_dict(
        {"marketplaces": [{"country": "de", "default": True}]}, path=tmp_path / "x.toml"
    )
    assert (
        _render(config)
        == '<div data-asa2-asin="B0TEST0001" data-asa2-state="fresh">Product B0TEST0001 19,99 €</div>'
    )


def test_asa2_placeholders() -> None:
    values = placeholders(make_product(availability=Availability(type="IN_STOCK", message="In stock")))
    assert values["OffersAutoPriceInteger"] == 1999
    assert values["IsAvailable"] is True and values["AvailabilityType"] == "IN_STOCK"
    assert values["DetailPageURL"].startswith("https://www.amazon.de/")


def test_memoised_boxes_follow_product_changes(config: Config) -> None:
    renderer = Renderer(config)
    request = _request(config)
    rendered: list[str] = []
    render_items = renderer._render_items

    def counting(request: ProductRequest, items: list[Resolved]) -> str:
        rendered.append(request.template)
        return render_items(request, items)

    renderer._render_items = counting  # type: ignore[method-assign]

    def box(product: object, state: str = "fresh") -> str:
        item = Resolved.model_validate(
            {"key_country": "de", "key_asin": "B0TEST0001", "product": product, "state": state}
        )
        return renderer.render(request, {KEY: item})

    first = box(make_product())
    assert box(make_product()) == first
    assert len(rendered) == 1  # the repeat came from the memo
    refetched = make_product(title="New title", fetched_at=make_product().fetched_at.replace(hour=13))
    assert "New title" in box(refetched)
    assert 'data-asa2-state="stale"' in box(make_product(), "stale")


def test_review_markdown_becomes_html_and_raw_html_is_escaped(config: Config) -> None:
    product = make_product(review="**Great** <script>x</script>", categories=("kitchen",), tags=("a",))
    values = placeholders(product)
    assert str(values["ReviewHTML"]) == "<p><strong>Great</strong> &lt;script&gt;x&lt;/script&gt;</p>"
    assert values["Categories"] == ["kitchen"] and values["Tags"] == ["a"] and values["IsAmazon"] is True


def test_shop_links_are_trusted_only_for_the_users_own_shop_products(config: Config) -> None:
    shop = make_product(url="https://shop.example/beans", shop="Mine")
    item = Resolved.model_validate(
        {"key_country": "de", "key_asin": "B0TEST0001", "product": shop, "state": "fresh"}
    )
    request = _request(config)
    trusted = Renderer(config, trusted_links=["https://shop.example/beans"]).render(request, {KEY: item})
    untrusted = Renderer(config).render(request, {KEY: item})
    assert 'href="https://shop.example/beans"' in trusted and 'rel="sponsored nofollow noopener"' in trusted
    assert 'href="https://shop.example/beans"' not in untrusted and 'href="#"' in untrusted


def test_the_flat_memo_key_tells_boxes_apart_as_the_nested_one_did() -> None:
    """The memo key (one flat tuple) equals for two boxes exactly when the former nested key did, and
    the kept box's settings part (a ``repr``) when the former settings tuple did."""
    from datetime import UTC, datetime

    from asa2render.render.renderer import _memo_key, _settings

    def memo_key(request: ProductRequest, items: list[Resolved]) -> object:
        return _memo_key(_settings(request), items)

    def request_key(request: ProductRequest) -> object:  # the kept box's former settings part
        options = tuple(sorted(request.options.items()))
        lists = (request.search, request.smart is not None, request.fallback_url, request.list_state)
        return (request.template, options, request.link_text, request.associate_set, lists)

    def nested_key(request: ProductRequest, items: list[Resolved]) -> object:  # the former key
        products = tuple(
            (
                i.key_country,
                i.key_asin,
                i.state,
                i.product.fetched_at if i.product else None,
                i.action,
                i.replaced_by,
            )
            for i in items
        )
        options = tuple(sorted(request.options.items()))
        lists = (request.search, request.smart is not None, request.fallback_url, request.list_state)
        return (request.template, options, request.link_text, request.associate_set, products, lists)

    rng = random.Random(3)
    times = [datetime(2026, 11, 27, hour, tzinfo=UTC) for hour in (1, 2)]

    def item() -> Resolved:
        product = rng.choice([None, make_product(fetched_at=rng.choice(times))])
        return Resolved(
            key_country="de",
            key_asin=rng.choice(["B0A", "B0B"]),
            product=product,
            state=rng.choice(["fresh", "fallback"]),
            action=rng.choice([None, "hide"]),
        )

    cases = [(random_request(rng), [item() for _ in range(rng.randint(0, 2))]) for _ in range(400)]
    equal = 0
    for (first, first_items), (second, second_items) in itertools.combinations(cases[:150], 2):
        same = nested_key(first, first_items) == nested_key(second, second_items)
        assert (memo_key(first, first_items) == memo_key(second, second_items)) == same
        equal += same
        same_settings = request_key(first) == request_key(second)
        assert (repr(_settings(first)) == repr(_settings(second))) == same_settings
    assert equal  # the pools are small enough for some pairs to be one box
    for request, items in cases:  # and every case against a copy of itself with the options reordered
        reordered = dataclasses.replace(request, options=dict(reversed(request.options.items())))
        assert memo_key(request, items) == memo_key(reordered, items)
