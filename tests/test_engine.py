"""The engine end to end with a fake fetcher: byte-for-byte output, code untouched, strict mode."""

from __future__ import annotations

import pytest
from asa2_fakes import FakeFetcher, make_product

from asa2render.config.model import Config
from asa2render.engine import Engine
from asa2render.errors import StrictModeError
from asa2render.products.cache import ProductCache
from asa2render.products.models import ProductKey
from asa2render.sources import read_front_matter

KEY = ProductKey("de", "B0TEST0001")


def _engine(config: Config, fetcher: FakeFetcher, strict: bool = False) -> Engine:
    return Engine(config, strict=strict, cache=ProductCache.in_memory(), fetcher_factory=lambda: fetcher)


def test_only_shortcodes_change(config: Config) -> None:
    text = "# T\r\n\r\nBefore [asa2]B0TEST0001[/asa2] after.\r\n\r\n```\r\n[asa2]B0TEST0001[/asa2]\r\n```\r\n"
    with _engine(config, FakeFetcher({KEY: make_product()})) as engine:
        out = engine.process(text, mode="markdown", path="p.md")
    # inside a paragraph the box is span-based (render/hosts.py, the inline rule)
    before, _, rest = out.partition('<span data-asa2-block="div" class="asa2-box')
    assert before == "# T\r\n\r\nBefore "
    assert rest.endswith("</span> after.\r\n\r\n```\r\n[asa2]B0TEST0001[/asa2]\r\n```\r\n")


def test_one_fetch_for_all_documents(config: Config) -> None:
    fetcher = FakeFetcher({KEY: make_product()})
    with _engine(config, fetcher) as engine:
        docs = [engine.prepare(f"[asa2]B0TEST000{i}[/asa2] [asa2]B0TEST0001[/asa2]") for i in range(1, 4)]
        engine.fetch_documents(docs)
        outputs = [engine.render(doc) for doc in docs]
    assert len(fetcher.batches) == 1 and len(fetcher.batches[0]) == 3
    assert all("data-asa2-state" in out and "[asa2" not in out for out in outputs)


def test_escaped_shortcode_prints_literally(config: Config) -> None:
    with _engine(config, FakeFetcher()) as engine:
        assert engine.process('x [[asa2 asin="B0TEST0001"]] y') == 'x [asa2 asin="B0TEST0001"] y'


def test_bad_input_never_breaks_the_page(config: Config) -> None:
    text = '[asa2 asin="nope"] [asa2 asin="B0TEST0001" country="zz"] [asa2 asin="B0TEST0002]\n[/asa2]'
    with _engine(config, FakeFetcher(fail_all="server")) as engine:
        out = engine.process(text, path="bad.md")
        codes = {p.code for p in engine.problems}
    assert "[asa2" not in out.replace("[/asa2]", "")  # every opener became markup
    assert 'data-asa2-state="fallback"' in out
    assert {"invalid-asin", "unknown-country"} <= codes


def test_strict_mode_fails_with_locations(config: Config) -> None:
    with _engine(config, FakeFetcher(), strict=True) as engine, pytest.raises(StrictModeError) as caught:
        engine.process('\n[asa2 asin="bad"]', path="page.md")
    assert "page.md:2:1: invalid ASIN" in str(caught.value)


def test_front_matter_country_and_not_scanned(config: Config) -> None:
    text = '---\ntitle: "[asa2]B0XXXXXXXX[/asa2]"\nasa2_country: us\n---\n[asa2]B0TEST0001[/asa2]\n'
    fetcher = FakeFetcher({ProductKey("us", "B0TEST0001"): make_product(country="us")})
    with _engine(config, fetcher) as engine:
        out = engine.process(text)
    assert out.startswith('---\ntitle: "[asa2]B0XXXXXXXX[/asa2]"')
    assert fetcher.batches == [[ProductKey("us", "B0TEST0001")]]
    assert read_front_matter(text)[0]["asa2_country"] == "us"


def test_resolve_places_every_field_of_the_memoised_request(config: Config) -> None:
    """The memoised request is copied field by field (not with ``replace``): none may be left out."""
    import dataclasses

    from asa2render.engine import _placed_request
    from asa2render.errors import Location
    from asa2render.products.resolve import ProductRequest
    from asa2render.shortcodes import scan

    shortcode = scan('[asa2 asin="B0TEST0001"]', ("asa2",)).shortcodes[0]
    names = [spec.name for spec in dataclasses.fields(ProductRequest)]
    template = ProductRequest(**{name: f"value {index}" for index, name in enumerate(names)})  # type: ignore[arg-type]
    location = Location("p.md", 3, 4)
    placed = _placed_request(template, shortcode, location)
    assert type(placed) is ProductRequest
    assert placed == dataclasses.replace(template, shortcode=shortcode, location=location)
    with pytest.raises(dataclasses.FrozenInstanceError):
        placed.keys = ()  # type: ignore[misc]
    with _engine(config, FakeFetcher({KEY: make_product()})) as engine:
        first, _ = engine.resolve(dataclasses.replace(shortcode, line=1, column=1), path="a.md")
        second, _ = engine.resolve(dataclasses.replace(shortcode, line=7, column=2), path="b.md")
    assert first.location == Location("a.md", 1, 1) and second.location == Location("b.md", 7, 2)
    assert dataclasses.replace(first, shortcode=shortcode, location=location) == dataclasses.replace(
        second, shortcode=shortcode, location=location
    )


def test_the_resolve_memo_answers_as_resolve_does_over_random_shortcodes(config: Config) -> None:
    """Memo hits, misses and problems (a bad ASIN, an unknown template) give what ``resolve`` gives."""
    import random

    from asa2render.errors import Location
    from asa2render.products.resolve import resolve
    from asa2render.shortcodes import scan

    rng = random.Random(7)
    attributes = [
        'asin="B0TEST0001"',
        'asin="B0TEST0002"',
        'asin="bad"',
        'country="us"',
        'template="nope"',
        'button="Buy"',
        'title="T"',
    ]
    with _engine(config, FakeFetcher({KEY: make_product()})) as engine:
        for number in range(300):
            chosen = rng.sample(attributes, rng.randint(0, 3))
            body = rng.choice(["", "B0TEST0003", "B0TEST0001"])
            text = f"[asa2 {' '.join(chosen)}]{body}[/asa2]" if body else f"[asa2 {' '.join(chosen)}]"
            shortcode = scan(text, ("asa2",)).shortcodes[0]
            country = rng.choice([None, "de", "us"])
            path = f"p{number % 3}.md"
            request, problems = engine.resolve(shortcode, path=path, page_country=country)
            expected, expected_problems = engine._with_template_check(
                resolve(shortcode, engine.config, path=path, page_country=country, shop_ids=engine._shop_ids)
            )
            assert request == expected
            assert request.location == Location(path, shortcode.line, shortcode.column)
            assert problems == expected_problems


def test_keys_of_joins_the_keys_of_each_request(config: Config) -> None:
    """A page of plain requests (answered in C) and one with a smart collection give request_keys joined."""
    from asa2render.products.resolve import TAGS
    from asa2render.shortcodes import scan

    plain = '[asa2]B0TEST0001[/asa2] [asa2]B0TEST0002[/asa2] [asa2 asin="bad"] [asa2]B0TEST0001[/asa2]'
    with _engine(config, FakeFetcher({KEY: make_product()})) as engine:
        for text in (plain, plain + " [asa2_smart_collection tags=tea]"):
            requests = [engine.resolve(s)[0] for s in scan(text, TAGS).shortcodes]
            expected = [key for request in requests for key in engine.request_keys(request)]
            assert engine.keys_of(requests) == expected
        assert engine.keys_of([]) == []
        assert len(engine.keys_of(requests)) == 3
