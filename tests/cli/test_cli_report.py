"""``asa2render report`` and ``refresh --report`` against the catalog sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from asa2_fakes import SANDBOX_DE_MARKETPLACE
from click.testing import CliRunner, Result

from asa2render.cli.app import cli
from asa2render.sandbox import Sandbox

CONFIG = (
    """
[site]
cache_dir = "cache"
unavailable = "{policy}"

"""
    + SANDBOX_DE_MARKETPLACE
    + """{extra}
"""
)
RULES = """
[[report.rules]]
name = "kitchen-trouble"
condition = "out_of_stock or price_changed > 5%"
pages = ["content/kitchen/*"]

[[report.rules]]
name = "hidden-prices"
condition = "map_hidden and not replaced"
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    kitchen = tmp_path / "content" / "kitchen"
    kitchen.mkdir(parents=True)
    (kitchen / "grinders.md").write_text("# Grinders\n\n[asa2]B0ACME0001[/asa2]\n\n[asa2]B0KETL0001[/asa2]\n")
    (tmp_path / "content" / "espresso.md").write_text("[asa2]B0MAPP0001[/asa2] and [asa2]B0KETL0001[/asa2]\n")
    monkeypatch.chdir(tmp_path)
    _configure(tmp_path)
    return tmp_path


def _configure(site: Path, policy: str = "keep", extra: str = "") -> None:
    (site / "asa2render.toml").write_text(CONFIG.format(policy=policy, extra=extra), encoding="utf-8")


def _report(sandbox: Sandbox, *args: str) -> Result:
    return CliRunner().invoke(cli, ["report", "content", "--sandbox", sandbox.url, *args])


def test_default_rules_list_products_with_their_pages(site: Path, catalog_sandbox: Sandbox) -> None:
    result = _report(catalog_sandbox)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "asa2render report: 3 product(s) checked, 2 matched a rule" in out
    assert 'de:B0ACME0001 "Acme Burr Grinder Classic" [unavailable, out-of-stock]' in out
    assert "pages: content/kitchen/grinders.md:3:1" in out
    assert 'de:B0MAPP0001 "Mapped Espresso Machine" [map-hidden]' in out and "price hidden (MAP)" in out
    assert "B0KETL0001" not in out  # nothing to report about it


def test_fail_on_makes_ci_fail_only_for_matching_rules(site: Path, catalog_sandbox: Sandbox) -> None:
    failing = _report(catalog_sandbox, "--fail-on", "out-of-stock", "--fail-on", "replaced")
    assert failing.exit_code == 1
    assert "rules matched: out-of-stock (1 product)" in failing.stderr
    assert _report(catalog_sandbox, "--fail-on", "replaced").exit_code == 0
    assert _report(catalog_sandbox, "--fail-on", "any").exit_code == 1
    unknown = _report(catalog_sandbox, "--fail-on", "out-of-stok")
    assert unknown.exit_code == 2 and "unknown rule out-of-stok" in unknown.stderr


def test_price_changes_are_measured_since_the_last_report(site: Path, catalog_sandbox: Sandbox) -> None:
    assert _report(catalog_sandbox).exit_code == 0
    state = site / "cache" / "report-state.json"
    remembered = json.loads(state.read_text())
    assert remembered["prices"]["de:B0KETL0001"] == ["39.9", "EUR"]
    remembered["prices"]["de:B0KETL0001"] = ["30.00", "EUR"]  # as if the last report had seen 30 €
    state.write_text(json.dumps(remembered))
    result = _report(catalog_sandbox, "--format", "json", "--fail-on", "price-changed")
    assert result.exit_code == 1
    kettle = next(p for p in json.loads(result.stdout)["products"] if p["key"] == "de:B0KETL0001")
    assert kettle["price_change_percent"] == 33.0 and kettle["rules"] == ["price-changed"]
    assert sorted(kettle["pages"]) == ["content/espresso.md:1:29", "content/kitchen/grinders.md:5:1"]
    assert (
        _report(catalog_sandbox, "--fail-on", "price-changed").exit_code == 0
    )  # compared with the new state


def test_configured_rules_with_pages_and_markdown(site: Path, catalog_sandbox: Sandbox) -> None:
    _configure(site, extra=RULES)
    result = _report(catalog_sandbox, "--format", "markdown", "--fail-on", "kitchen-trouble")
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("# Product report\n")
    assert "| kitchen-trouble | `out_of_stock or price_changed > 5%` | 1 |" in out
    assert "| de:B0ACME0001 Acme Burr Grinder Classic | kitchen-trouble |" in out
    assert "| de:B0MAPP0001 Mapped Espresso Machine | hidden-prices |" in out


def test_replaced_products_are_reported(site: Path, catalog_sandbox: Sandbox) -> None:
    _configure(site, policy="replace")
    result = _report(catalog_sandbox, "--format", "json")
    acme = next(p for p in json.loads(result.stdout)["products"] if p["key"] == "de:B0ACME0001")
    assert acme["replaced_by"] == "B0ACME0003"
    assert acme["rules"] == ["unavailable", "out-of-stock", "replaced"]


def test_products_without_current_data_are_stale(site: Path, catalog_sandbox: Sandbox) -> None:
    result = CliRunner().invoke(cli, ["report", "content", "--offline", "--fail-on", "stale"])
    assert result.exit_code == 1
    assert "stale (3 products)" in result.stderr
    assert "no current data (fallback link shown)" in result.stdout


def test_a_bad_rule_is_a_configuration_error(site: Path) -> None:
    _configure(site, extra='[[report.rules]]\nname = "x"\ncondition = "cheaper"\n')
    result = CliRunner().invoke(cli, ["report", "content", "--offline"])
    assert result.exit_code == 2 and "unknown condition 'cheaper'" in result.stderr


def test_refresh_writes_the_same_report(site: Path, catalog_sandbox: Sandbox) -> None:
    result = CliRunner().invoke(
        cli, ["refresh", "content", "--sandbox", catalog_sandbox.url, "--report", "out/report.json"]
    )
    assert result.exit_code == 0, result.output
    written = json.loads((site / "out" / "report.json").read_text())
    assert {p["key"] for p in written["products"]} == {"de:B0ACME0001", "de:B0MAPP0001"}
    assert "2 product(s) matched a rule" in result.stderr


def test_check_lists_the_products_of_a_search(site: Path, catalog_sandbox: Sandbox) -> None:
    (site / "content" / "search.md").write_text('[asa2_search keywords="acme grinder" limit="2"]\n')
    result = CliRunner().invoke(
        cli, ["check", "content/search.md", "--format", "json", "--sandbox", catalog_sandbox.url]
    )
    row = json.loads(result.stdout)[0]
    assert row["tag"] == "asa2_search" and row["asins"] == ["B0ACME0001", "B0ACME0002"]
    assert row["state"] == "fresh" and row["status"] == "ok"
