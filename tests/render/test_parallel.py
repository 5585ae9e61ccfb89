"""``--jobs N``: pages scanned and rendered in N processes give the same bytes as one process."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from asa2render.cli.app import cli
from asa2render.errors import Asa2Error
from asa2render.products.models import ProductKey, Resolved
from asa2render.render.parallel import JOBS, RenderResult, ScanResult, run_pages, split

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


@pytest.fixture(params=["fork", "spawn"])
def start_method(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways workers start: forked (Linux, one thread) and spawned (elsewhere, or with threads).

    Which one a test run picks by itself depends on the runner (pytest-xdist's workers run a thread).
    """
    import multiprocessing

    from asa2render.render import parallel

    method = str(request.param)
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    monkeypatch.setattr(parallel, "start_context", lambda: multiprocessing.get_context(method))
    return method


@pytest.mark.parametrize("command", ["render", "build"])
def test_two_jobs_write_the_same_bytes_and_report_the_same_problems(
    site: Path, command: str, start_method: str
) -> None:
    runs = {}
    for jobs in ("1", "2"):
        result = CliRunner().invoke(cli, [command, "site", "-o", f"out{jobs}", "--offline", "--jobs", jobs])
        assert result.exit_code == 0, result.output
        runs[jobs] = result.stderr.replace(f"out{jobs}", "out")
    one, two = _tree(site / "out1"), _tree(site / "out2")
    assert len(one) >= 14 and one == two
    assert runs["1"] == runs["2"]
    assert "invalid ASIN 'bad'" in runs["2"] and "B0MISSING" in runs["2"]  # problems came back from workers


def test_strict_mode_fails_parallel_runs_like_single_ones(site: Path, start_method: str) -> None:
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


# -- main's render features under --jobs ----------------------------------------------------------


def _runs(site: Path, command: str, *extra: str) -> dict[str, tuple[int, str, dict[str, bytes]]]:
    runs = {}
    for jobs in ("1", "2"):
        out = f"out{jobs}"
        result = CliRunner().invoke(cli, [command, "site", "-o", out, "--offline", "-j", jobs, *extra])
        tree = _tree(site / out) if (site / out).exists() else {}
        runs[jobs] = (result.exit_code, result.stderr.replace(out, "out"), tree)
    return runs


def test_huge_pages_are_streamed_in_pieces_by_workers_with_the_same_bytes(
    site: Path, start_method: str
) -> None:
    from asa2render.segments import LARGE_PAGE

    paragraph = "Some words about a product, " * 20 + "\n\n"
    boxes = "".join(f"[asa2]B0PARA{i % 12:04}[/asa2]\n\n" for i in range(40))
    body = (paragraph * (LARGE_PAGE // len(paragraph) // 2)) + boxes + '[asa2 asin="bad"]\n\n'
    text = "---\ntitle: Huge\n---\n" + body + paragraph * (LARGE_PAGE // len(paragraph) // 2) + boxes
    assert len(text) > LARGE_PAGE
    (site / "site" / "huge.md").write_text(text, encoding="utf-8")
    runs = _runs(site, "render")
    assert runs["1"][0] == runs["2"][0] == 0
    assert runs["1"][1] == runs["2"][1]
    assert runs["1"][2] == runs["2"][2]
    huge = runs["2"][2]["huge.md"].decode()
    assert "[asa2]" not in huge.replace("`[asa2]B0PARA0001[/asa2]`", "")
    assert "huge.md" in runs["2"][1]  # its problem (the bad ASIN) came back from the worker


@pytest.mark.parametrize("command", ["render", "build"])
def test_undecodable_pages_are_reported_in_order_and_skipped_with_jobs(site: Path, command: str) -> None:
    (site / "site" / "deep" / "broken.md").write_bytes(b"# Broken\n\n\xc3\x28 [asa2]B0PARA0001[/asa2]\n")
    runs = _runs(site, command)
    assert runs["1"] == runs["2"]
    assert runs["2"][0] == 0 and "broken.md" in runs["2"][1]


def test_a_strict_parallel_build_with_an_undecodable_page_writes_nothing(site: Path) -> None:
    (site / "site" / "broken.md").write_bytes(b"# Broken\n\xc3\x28\n")
    result = CliRunner().invoke(cli, ["build", "site", "-o", "out", "--offline", "--strict", "-j", "2"])
    assert result.exit_code == 1, result.output
    assert "broken.md" in result.stderr and "not valid UTF-8" in result.stderr
    assert not (site / "out").exists() or not list((site / "out").rglob("*.html"))


def test_problems_past_the_per_file_cap_are_counted_the_same_with_jobs(site: Path) -> None:
    (site / "site" / "noisy.md").write_text('[asa2 asin="bad"]\n\n' * 150, encoding="utf-8")
    runs = _runs(site, "render")
    assert runs["1"] == runs["2"]
    assert "more problem(s) not listed" in runs["2"][1]


def test_in_place_with_jobs_rewrites_the_inputs_like_one_process(site: Path) -> None:
    copies = {}
    for jobs in ("1", "2"):
        shutil.copytree(site / "site", site / f"in{jobs}")
        result = CliRunner().invoke(cli, ["render", f"in{jobs}", "--in-place", "--offline", "-j", jobs])
        assert result.exit_code == 0, result.output
        copies[jobs] = _tree(site / f"in{jobs}")
    assert copies["1"] == copies["2"]
    assert any(name.endswith(".bak") for name in copies["2"])


def test_workers_fork_only_while_one_thread_runs() -> None:
    import sys
    import threading

    from asa2render.render.parallel import start_context

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert start_context().get_start_method() == "spawn"  # a lock another thread holds is not copied
    finally:
        stop.set()
        other.join()
    if sys.platform == "linux" and threading.active_count() == 1:
        assert start_context().get_start_method() == "fork"


def _scan_numbers(engine: Any, part: list[int]) -> tuple[ScanResult, list[int]]:
    return ScanResult(pages=len(part)), part


def _prepare_without_products(engine: Any) -> None:
    if engine.resolved:  # the parent's products have not arrived: this runs while it fetches
        raise Asa2Error("prepared after the products arrived")
    engine.prepared = True


def _render_numbers(engine: Any, kept: list[int]) -> RenderResult:
    return RenderResult(value=(getattr(engine, "prepared", False), kept))


def test_each_worker_prepares_before_the_products_arrive(start_method: str) -> None:
    from asa2render.config.model import config_from_dict

    config = config_from_dict({"marketplaces": [{"country": "de", "default": True}]}, environ={})
    product = Resolved.model_validate({"key_country": "de", "key_asin": "B0PARA0001", "state": "fallback"})

    def fetch(keys: list[ProductKey]) -> dict[ProductKey, Resolved]:
        return {ProductKey("de", "B0PARA0001"): product}

    scans, results = run_pages(
        config, False, 2, [1, 2, 3], _scan_numbers, _render_numbers, fetch, prepare=_prepare_without_products
    )
    assert [scan.pages for scan in scans] == [2, 1]
    assert [result.value for result in results] == [(True, [1, 2]), (True, [3])]
