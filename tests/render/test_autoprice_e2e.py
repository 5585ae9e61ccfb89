"""End to end: ``asa2render build`` against the sandbox, both APIs, ASA2 price placeholders in a user template."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from asa2_fakes import SANDBOX_DE_MARKETPLACE
from click.testing import CliRunner

from asa2render.cli.app import cli
from asa2render.sandbox import Sandbox, SandboxOptions

CONFIG = (
    """
[site]
cache_dir = "cache"

"""
    + SANDBOX_DE_MARKETPLACE
    + """
[[marketplaces]]
country = "uk"
partner_tag = "mytag-21"

[[marketplaces]]
country = "jp"
partner_tag = "mytag-22"

[paapi]
access_key = "DEMOACCESSKEY"
secret_key = "demo-paapi-secret"

[placeholders]
autoprice_lowest_used_only_if_no_other = true
is_available_if_other_offers = true
localized_shop_logos = true
logo_base_url = "/static/"
"""
)
TEMPLATE = (
    '<p data-asa2-asin="{{ ASIN }}" data-asa2-state="{{ state }}">'
    "{{ OffersAutoPriceFormattedPrice }}|{{ OffersAutoPriceInteger }}|{{ OffersAutoPriceSource }}|"
    "{{ OffersMainPriceFormattedPrice }}|{{ OffersLowestNewPriceFormattedPrice }}|"
    "{{ OffersLowestUsedPriceFormattedPrice }}|{{ OffersTotalNew }}|{{ OffersTotalUsed }}|"
    "{{ IsAvailable }}|{{ AmazonLogoSmallUrl }}</p>"
)
ROW = re.compile(r'<p data-asa2-asin="(\w+)" data-asa2-state="fresh">([^<]*)</p>')


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # tokens stay in the test's folder
    monkeypatch.delenv("ASA2RENDER_SANDBOX", raising=False)
    (tmp_path / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "prices.html").write_text(TEMPLATE, encoding="utf-8")
    content = tmp_path / "content" / "deep"
    content.mkdir(parents=True)
    (content / "page.md").write_text(
        '# Prices\n\n[asa2 tpl="prices"]B0DEMO0004[/asa2]\n\n'
        '[asa2 country="uk" tpl="prices"]B0DEMO0004[/asa2]\n\n'
        '[asa2 country="jp" tpl="prices"]B0DEMO0003[/asa2]\n',
        encoding="utf-8",
    )
    return tmp_path


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(SandboxOptions()) as running:
        yield running


def _build(site: Path, sandbox: Sandbox) -> None:
    """``asa2render build`` of the site's content into ``site/out`` against the sandbox; it must succeed."""
    args = [
        "build",
        str(site / "content"),
        "-o",
        str(site / "out"),
        "--config",
        str(site / "asa2render.toml"),
    ]
    result = CliRunner().invoke(cli, [*args, "--sandbox", sandbox.url])
    assert result.exit_code == 0, result.stderr


def test_build_shows_autoprice_from_the_lowest_new_offer(site: Path, sandbox: Sandbox) -> None:
    _build(site, sandbox)
    rows = ROW.findall((site / "out" / "deep" / "page.html").read_text(encoding="utf-8"))
    assert [asin for asin, _ in rows] == ["B0DEMO0004", "B0DEMO0004", "B0DEMO0003"]
    # de through the Creators API: the buy box is 104,99 €, another seller's new offer 99,49 €
    assert rows[0][1].split("|") == [
        "99,49\xa0€",
        "9949",
        "lowest_new",
        "104,99\xa0€",
        "99,49\xa0€",
        "78,50\xa0€",
        "4",  # Creators: the listings shown (buy box + three)
        "2",
        "True",
        "/static/asa2render-logos/amazon-logo-small-de.svg",
    ]
    requests = sandbox.stats()["requests"]
    assert {r["operation"] for r in requests if r["operation"] != "Token"} >= {"GetItems"}


def test_paapi_summaries_fill_used_only_and_yen(site: Path, sandbox: Sandbox) -> None:
    _build(site, sandbox)
    page = (site / "out" / "deep" / "page.html").read_text(encoding="utf-8")
    uk, jp = [
        values.split("|") for asin, values in ROW.findall(page) if asin != "B0DEMO0004" or "£" in values
    ][-2:]
    # uk through PA-API: out of stock, no buy box; only used offers → AutoPrice "only if no other price"
    assert uk == [
        "£54.99",
        "5499",
        "lowest_used",
        "",
        "",
        "£54.99",
        "",
        "2",
        "True",
        "/static/asa2render-logos/amazon-logo-small-uk.svg",
    ]
    # jp through PA-API: summaries count the buy box too; yen have no minor unit
    assert jp[:5] == ["￥4,780", "4780", "lowest_new", "￥4,980", "￥4,780"] and jp[6] == "3"
    logos = site / "out" / "asa2render-logos"
    assert (site / "out" / "asa2render.css").is_file()
    assert (logos / "amazon-logo-small-uk.svg").read_text(encoding="utf-8").count(".co.uk") == 1
    assert (logos / "amazon-logo-large.svg").is_file()
