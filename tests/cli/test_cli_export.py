"""``export-data``: generator shortcode syntax, stdin, collections, strict mode, skipped reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from asa2render.cli.app import cli

CONFIG = """
[site]
products = "products.toml"
cache_dir = "cache"

[[marketplaces]]
country = "de"
partner_tag = "mytag-21"
default = true

[collections]
picks = ["B0LOCAL001", "B0LOCAL002"]
"""
PRODUCTS = """
[[products]]
asin = "B0LOCAL001"
title = "Grinder {{ 7 | times: 6 }} {% tag"
price = "10.00"

[[products]]
asin = "B0LOCAL002"
title = "Scale"
"""
PAGE = """+++
title = "{{< asa2 asin=\\"B0FRONT001\\" >}}"
+++
{{< asa2 asin="B0LOCAL001" tpl="compact" >}}
{{% asa2 "B0LOCAL002" %}}
{{</* asa2 asin="B0ESCAPED1" */>}}
{% include asa2.html asin="B0LOCAL001" %}
{% asa2 page.asin %}
{{< asa2 collection="picks" >}}
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASA2RENDER_SANDBOX", raising=False)
    (tmp_path / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "products.toml").write_text(PRODUCTS, encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "post.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "content" / "base.njk").write_text('{% asa2 "B0LOCAL002", "de" %}', encoding="utf-8")
    return tmp_path


def _run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["export-data", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def test_generator_shortcodes_collections_and_skips(site: Path) -> None:
    code, _, err = _run("content", "--offline", "-o", "data/asa2.json")
    assert code == 0, err
    data = json.loads((site / "data" / "asa2.json").read_text())
    products = data["products"]["de"]
    assert sorted(products) == ["B0LOCAL001", "B0LOCAL002"]  # not the front matter's, not the escaped one
    grinder = products["B0LOCAL001"]
    assert grinder["state"] == "fresh" and grinder["as_of"]
    assert sorted(grinder["html"]) == ["box", "compact"]
    for markup in grinder["html"].values():
        assert (
            "{{" not in markup and "{%" not in markup and "&#123;&#123; 7 | times: 6 &#125;&#125;" in markup
        )
        assert 'rel="sponsored nofollow noopener"' in markup and "asa2-asof" in markup  # the stamp
    assert sorted(data["collections"]["picks"]["html"]) == ["list"]
    assert data["collections"]["picks"]["asins"] == ["B0LOCAL001", "B0LOCAL002"]
    assert data["fallback_urls"]["de"] == "https://www.amazon.de/dp/{ASIN}?tag=mytag-21"
    fallback = data["fallback_html"]["de"].replace(data["asin_slot"], "B0OTHER001")
    assert 'href="https://www.amazon.de/dp/B0OTHER001?tag=mytag-21"' in fallback
    assert 'data-asa2-state="fallback"' in fallback and 'rel="sponsored nofollow noopener"' in fallback
    assert data["default_country"] == "de" and data["disclosure"].startswith(
        "Als Amazon-Partner"
    )  # the default store's language
    assert "post.md:8:1: skipped '{% asa2 page.asin %}'" in err and "skipped 1 generator shortcode" in err


def test_stdin_and_strict_mode(site: Path) -> None:
    code, out, err = _run("-", "--offline", "--strict", input='Text {% asa2 "B0LOCAL001" %}\n')
    assert code == 0, err  # a warning, not an error: strict mode still writes
    assert list(json.loads(out)["products"]["de"]) == ["B0LOCAL001"]
    assert "<stdin>:1:6: a box inside a paragraph is invalid HTML" in err and "(warning)" in err

    code, out, err = _run("-", "--offline", "--strict", input='[asa2 asin="not-an-asin"]\n')
    assert code == 1 and out == ""
    assert "<stdin>:1:1" in err and "no data file written" in err
    code, _, err = _run("-", "--offline", input='[asa2 asin="not-an-asin"]\n')
    assert code == 0 and "<stdin>:1:1" in err  # lenient: reported, still written
