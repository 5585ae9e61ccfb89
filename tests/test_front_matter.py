"""Front matter in the three forms Hugo accepts, in Markdown and HTML pages."""

from __future__ import annotations

import pytest
from asa2_fakes import FakeFetcher, make_product

from asa2render.config.model import Config
from asa2render.engine import Engine
from asa2render.front_matter import parse_front_matter, read_front_matter
from asa2render.products.cache import ProductCache
from asa2render.products.models import ProductKey

YAML = '---\ntitle: "[asa2]B0TEST0001[/asa2]"\nasa2_country: us\n---\n'
TOML = '+++\ntitle = "[asa2]B0TEST0001[/asa2]"\nasa2_country = "us"\n+++\n'
JSON = '{\n  "title": "[asa2]B0TEST0001[/asa2]",\n  "asa2_country": "us"\n}\n'


@pytest.mark.parametrize(("head", "fmt"), [(YAML, "yaml"), (TOML, "toml"), (JSON, "json")])
def test_each_form_is_read_and_its_end_found(head: str, fmt: str) -> None:
    found = parse_front_matter(head + "Body [asa2]B0TEST0001[/asa2]\n")
    assert found.format == fmt and found.data["asa2_country"] == "us" and found.error is None
    assert found.end == len(head)


def test_bom_crlf_and_no_front_matter() -> None:
    data, end = read_front_matter("\ufeff+++\r\nasa2_country = 'de'\r\n+++\r\nx")
    assert data == {"asa2_country": "de"} and end == len("\ufeff+++\r\nasa2_country = 'de'\r\n+++\r\n")
    assert read_front_matter("# Title\n\n---\nnot: front\n---\n") == ({}, 0)
    assert read_front_matter("{{ site.title }}\n") == ({}, 0)  # a Liquid line is not JSON front matter
    assert read_front_matter("{% include x.html %}\n") == ({}, 0)


def test_a_broken_block_is_still_skipped_and_reported() -> None:
    found = parse_front_matter('+++\ntitle = "unterminated\n+++\nbody')
    assert found.format == "toml" and found.data == {} and found.error
    assert found.end == len('+++\ntitle = "unterminated\n+++\n')


@pytest.mark.parametrize("head", [YAML, TOML, JSON])
@pytest.mark.parametrize("mode", ["markdown", "html"])
def test_engine_reads_the_country_and_never_expands_front_matter(
    config: Config, head: str, mode: str
) -> None:
    fetcher = FakeFetcher({ProductKey("us", "B0TEST0001"): make_product(country="us")})
    engine = Engine(config, cache=ProductCache.in_memory(), fetcher_factory=lambda: fetcher)
    with engine:
        text = head + "\n[asa2]B0TEST0001[/asa2]\n"
        doc = engine.prepare(text, mode=mode, path="page")  # type: ignore[arg-type]
        out = engine.render(doc)
    assert [k.country for k in doc.keys] == ["us"]
    assert out.startswith(head)  # the shortcode in the title is untouched
    assert out.count("data-asa2-asin") == 1
