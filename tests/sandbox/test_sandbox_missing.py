"""Products missing from some stores: the catalog's ``missing`` field and ``--missing ASIN:STORE``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from asa2render.api import Fetcher
from asa2render.cli.app import cli
from asa2render.config.model import config_from_dict
from asa2render.errors import ConfigError
from asa2render.marketplaces import store_for
from asa2render.products.models import Failure, Product, ProductKey
from asa2render.sandbox import Sandbox, SandboxOptions
from asa2render.sandbox.catalog import Catalog, parse_missing

CONFIG = {
    "marketplaces": [
        {
            "country": country,
            "credential_type": "cognito",
            "credential_id": "demo-cognito-eu",
            "credential_secret": "demo-secret",
            "partner_tag": f"{country}tag-21",
        }
        for country in ("de", "uk")
    ]
}


def test_catalog_file_names_missing_pairs(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    product = {"asin": "B0MINE0001", "country": "de", "title": "Moka"}
    path.write_text(json.dumps({"products": [product], "missing": {"B0MINE0001": ["uk", "GB", "fr"]}}))

    catalog = Catalog.load(path)

    assert catalog.is_missing("B0MINE0001", store_for("uk"))
    assert catalog.is_missing("B0MINE0001", store_for("fr"))
    assert not catalog.is_missing("B0MINE0001", store_for("de"))


def test_catalog_with_an_unknown_store_is_a_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"products": [], "missing": {"B0MINE0001": ["xx"]}}))

    with pytest.raises(ConfigError, match="unknown store 'xx'"):
        Catalog.load(path)


@pytest.mark.parametrize(
    ("text", "expected"), [("b0demo0003:GB", ("B0DEMO0003", "uk")), ("B0X1234567:de", ("B0X1234567", "de"))]
)
def test_parse_missing(text: str, expected: tuple[str, str]) -> None:
    assert parse_missing(text) == expected


@pytest.mark.parametrize("text", ["B0DEMO0003", ":uk", "B0DEMO0003:zz"])
def test_parse_missing_refuses_malformed_values(text: str) -> None:
    with pytest.raises(ValueError, match=r"ASIN:STORE|unknown store"):
        parse_missing(text)


def test_cli_option_refuses_a_malformed_value() -> None:
    result = CliRunner().invoke(cli, ["sandbox", "--missing", "B0DEMO0003"])

    assert result.exit_code == 2
    assert "ASIN:STORE" in result.output


def test_missing_asin_is_a_permanent_miss_in_that_store_only() -> None:
    options = SandboxOptions(missing=(("B0DEMO0003", "uk"),))
    keys = [ProductKey(c, a) for c in ("de", "uk") for a in ("B0DEMO0001", "B0DEMO0003")]
    with Sandbox(options) as sandbox, Fetcher(config_from_dict(CONFIG), sandbox=sandbox.url) as fetcher:
        report = fetcher.fetch(keys)

    missing = report.results[ProductKey("uk", "B0DEMO0003")]
    assert isinstance(missing, Failure)
    assert missing.permanent
    assert "InvalidParameterValue" in missing.message
    others = [report.results[k] for k in keys if k != ProductKey("uk", "B0DEMO0003")]
    assert all(isinstance(result, Product) for result in others)
    assert report.requests == 2  # one GetItems per store
