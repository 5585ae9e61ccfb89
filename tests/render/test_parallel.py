"""``--jobs N``: pages scanned and rendered in N processes give the same bytes as one process."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from asa2render.cli.app import cli
from asa2render.render.parallel import JOBS, split

CONFIG = """
[site]
products = "products.toml"
cache_dir = "cache"

[[marketplaces]]
country = "de"
partner_tag = "mytag-21"
default = true
"""
PRODUCTS = "".join(
    f'[[products]]\nasin = "B0PARA{i:04}"\ntitle = "Product {i}"\nprice = "{i}.99"\n\n' for i in range(12)
)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "products.toml").write_text(PRODUCTS, encoding="utf-8")
    pages = tmp_path / "site"
    (pages / "deep" / "er").mkdir(parents=True)
    for number in range(14):
        folder = pages if number % 3 else pages / "deep" / ("er" if number % 2 else "")
        text = (
            f"---\ntitle: Page {number}\n---\n# Page {number}\r\n\r\n"
            f"[asa2]B0PARA{number % 12:04}[/asa2]\n\n"
            f'[asa2 asin="B0PARA{(number + 1) % 12:04},B0MISSING{number % 10}" tpl="list"]\n\n'
            '[asa2 asin="bad"]\n\n`[asa2]B0PARA0001[/asa2]` [[asa2]]\n'
        )
        (folder / f"page{number:02}.md").write_text(text, encoding="utf-8", newline="")
    (pages / "image.txt").write_text("asset\n", encoding="utf-8")
    return tmp_path


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("command", ["render", "build"])
def test_two_jobs_write_the_same_bytes_and_report_the_same_problems(site: Path, command: str) -> None:
    runs = {}
    for jobs in ("1", "2"):
        result = CliRunner().invoke(cli, [command, "site", "-o", f"out{jobs}", "--offline", "--jobs", jobs])
        assert result.exit_code == 0, result.output
        runs[jobs] = result.stderr.replace(f"out{jobs}", "out")
    one, two = _tree(site / "out1"), _tree(site / "out2")
    assert len(one) >= 14 and one == two
    assert runs["1"] == runs["2"]
    assert "invalid ASIN 'bad'" in runs["2"] and "B0MISSING" in runs["2"]  # problems came back from workers


def test_strict_mode_fails_parallel_runs_like_single_ones(site: Path) -> None:
    for jobs in ("1", "2"):
        result = CliRunner().invoke(cli, ["build", "site", "-o", "out", "--offline", "--strict", "-j", jobs])
        assert result.exit_code == 1, result.output
        assert "strict mode: the build failed" in result.stderr
        result = CliRunner().invoke(cli, ["render", "site", "-o", "out", "--offline", "--strict", "-j", jobs])
        assert result.exit_code == 1, result.output


@pytest.mark.parametrize("value", ["0", "-2", "many"])
def test_jobs_must_be_a_positive_number_or_auto(site: Path, value: str) -> None:
    result = CliRunner().invoke(cli, ["render", "site", "-o", "out", "--jobs", value])
    assert result.exit_code == 2
    assert "--jobs" in result.stderr
    assert JOBS.convert("auto", None, None) >= 1
    with pytest.raises(click.BadParameter):
        JOBS.convert("0", None, None)


def test_slices_keep_order_and_cover_everything() -> None:
    items = list(range(23))
    parts = split(items, 4)
    assert [x for part in parts for x in part] == items
    assert [len(part) for part in parts] == [6, 6, 6, 5]
    assert split(items[:2], 4) == [[0], [1]]
    assert split([], 4) == []
