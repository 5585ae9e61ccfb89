"""Kept pages: an identical one-file render on unchanged inputs replays the full render's result.

Each test renders with the real command line once (``asa2render.cli.main``, which keeps the record),
then asks :func:`kept_pages.replay` directly whether the same command would be replayed: 0 when it
writes the kept page, None when the full render must run. Records go to a private folder under the
test's own temporary directory (``TMPDIR``).
"""

from __future__ import annotations

import os
import stat
import time
from datetime import timedelta
from pathlib import Path

import pytest
from asa2_fakes import make_product

from asa2render.cli import main
from asa2render.config.model import load_config
from asa2render.products.models import utc_now
from asa2render.render import kept_pages, private
from asa2render.shared import open_backing

PRODUCTS = '[[products]]\nasin = "B0KEPT0001"\ncountry = "de"\ntitle = "Kept grinder"\nprice = "49.99"\n'
CONFIG = (
    '[site]\nproducts = "products.toml"\n\n[[marketplaces]]\ncountry = "de"\npartner_tag = "${KEPT_TAG}"\n'
    "default = true\n"
)
PAGE = '# One box\n\n[asa2 asin="B0KEPT0001"]\n'
ARGV = ["render", "page.md", "-o", "out/page.md", "--offline", "--config", "asa2render.toml"]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    (root / "out").mkdir(parents=True)
    (root / "products.toml").write_text(PRODUCTS, encoding="utf-8")
    (root / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    (root / "page.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setenv("KEPT_TAG", "kept-21")
    monkeypatch.delenv(kept_pages.ENVIRONMENT)  # the suite turns kept boxes (and pages) off
    monkeypatch.chdir(root)
    return root


def _render(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The console script: the exit code, stdout and stderr."""
    try:
        main(argv)
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _replay(argv: list[str], capsys: pytest.CaptureFixture[str], **options: float) -> tuple[int | None, str]:
    code = kept_pages.replay(argv, **options)
    return code, capsys.readouterr().err


def _records(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "tmp").glob(f"*/{kept_pages.PREFIX}*"))


def test_an_unchanged_render_is_replayed_byte_for_byte(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _render(ARGV, capsys)
    assert (code, out) == (0, "")
    rendered = (site / "out" / "page.md").read_bytes()
    assert b"Kept grinder" in rendered and b"tag=kept-21" in rendered
    (site / "out" / "page.md").write_text("edited by hand", encoding="utf-8")
    assert _replay(ARGV, capsys) == (0, err)
    assert (site / "out" / "page.md").read_bytes() == rendered
    [record] = _records(tmp_path)
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    assert stat.S_IMODE(record.parent.stat().st_mode) == 0o700


def test_the_console_script_replays(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = _render(ARGV, capsys)
    (site / "out" / "page.md").unlink()
    (site / "out" / "page.md").write_text("", encoding="utf-8")
    assert _render(ARGV, capsys) == first  # replayed: the same page and the same summary
    assert b"Kept grinder" in (site / "out" / "page.md").read_bytes()


@pytest.mark.parametrize(
    "change",
    [
        "page",
        "config",
        "secrets file",
        "products",
        "template added",
        "cache",
        "own variable",
        "referenced variable",
        "nearer config",
        "other command line",
    ],
)
def test_any_changed_input_means_a_full_render(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    argv = ARGV if change != "nearer config" else ARGV[:-2]
    _render(argv, capsys)
    assert _replay(argv, capsys)[0] == 0
    later = time.time() + 5  # a new modification time even on a coarse clock
    if change == "page":
        _edit(site / "page.md", PAGE + "\nMore text.\n", later)
    elif change == "config":
        _edit(site / "asa2render.toml", CONFIG + "\n# a comment\n", later)
    elif change == "secrets file":
        _edit(site / "asa2render.secrets.toml", "", later)
    elif change == "products":
        _edit(site / "products.toml", PRODUCTS.replace("49.99", "39.99"), later)
    elif change == "template added":
        (site / "templates").mkdir()
        _edit(site / "templates" / "box.html", "<p>{{ Title }}</p>", later)
    elif change == "cache":
        cache = site / ".asa2render-cache"
        _edit(cache / "another.db", "x", later)
    elif change == "own variable":
        monkeypatch.setenv("ASA2RENDER_SOMETHING", "1")
    elif change == "referenced variable":
        monkeypatch.setenv("KEPT_TAG", "other-21")
    elif change == "nearer config":
        (site / "sub").mkdir()
        _edit(site / "sub" / "asa2render.toml", CONFIG, later)
        monkeypatch.chdir(site / "sub")
    elif change == "other command line":
        argv = [*ARGV, "--lenient"]
    assert _replay(argv, capsys)[0] is None


def _edit(path: Path, text: str, mtime: float) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))


@pytest.mark.parametrize("change", ["checkout", "python"])
def test_an_edited_checkout_or_another_python_means_a_full_render(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    _render(ARGV, capsys)
    if change == "checkout":
        monkeypatch.setattr(private, "_identity", "an edited checkout")
    else:
        monkeypatch.setattr(kept_pages, "python_identity", lambda: "another python")
    assert _replay(ARGV, capsys)[0] is None


def test_a_page_of_cached_amazon_products_is_replayed_until_they_leave_the_freshness_window(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "products.toml").write_text("", encoding="utf-8")
    config = load_config(site / "asa2render.toml", environ={"KEPT_TAG": "kept-21"})
    fetched = utc_now() - timedelta(minutes=10)
    backing = open_backing(config, None)
    backing.cache.put_product(make_product("B0KEPT0001", fetched_at=fetched), utc_now())
    backing.close()
    code, _, err = _render(ARGV, capsys)
    assert code == 0 and "1 fresh" in err
    ends = fetched.timestamp() + config.site.cache_ttl
    assert _replay(ARGV, capsys, now=ends - 1)[0] == 0
    assert _replay(ARGV, capsys, now=ends)[0] is None


@pytest.mark.parametrize(
    ("argv", "page"),
    [
        (["render", "page.md", "--offline", "--config", "asa2render.toml"], PAGE),  # to stdout
        (["render", "page.md", "--in-place", "--offline", "--config", "asa2render.toml"], PAGE),
        (ARGV, '[asa2 asin="B0UNKNOWN1"]\n'),  # a fallback box: the next run may fetch it
        ([*ARGV, "--strict"], '[asa2 asin="B0UNKNOWN1"]\n'),  # exit 1
        (["render", "page.md", "-o", "out/page.md", "--offline", "--config", "missing.toml"], PAGE),
    ],
    ids=["stdout", "in-place", "fallback", "strict-failure", "usage-error"],
)
def test_runs_that_may_not_repeat_are_not_kept(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], page: str
) -> None:
    (site / "page.md").write_text(page, encoding="utf-8")
    _render(argv, capsys)
    assert _records(tmp_path) == []
    assert _replay(argv, capsys)[0] is None


def test_nothing_is_kept_or_replayed_when_kept_boxes_are_off(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(kept_pages.ENVIRONMENT, "off")
    _render(ARGV, capsys)
    assert _records(tmp_path) == []
    monkeypatch.delenv(kept_pages.ENVIRONMENT)
    _render(ARGV, capsys)
    monkeypatch.setenv(kept_pages.ENVIRONMENT, "off")
    assert _replay(ARGV, capsys)[0] is None


def test_a_target_that_became_a_link_to_the_page_is_left_to_the_full_render(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _render(ARGV, capsys)
    target = site / "out" / "page.md"
    target.unlink()
    target.symlink_to(site / "page.md")
    assert _replay(ARGV, capsys)[0] is None
    assert (site / "page.md").read_text(encoding="utf-8") == PAGE
    code, _, err = _render(ARGV, capsys)  # the full render refuses to write over its input
    assert code == 2 and "page.md" in err
    assert (site / "page.md").read_text(encoding="utf-8") == PAGE


def test_a_target_that_is_a_link_is_always_rendered_in_full(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The link may be pointed elsewhere between runs: only the full render follows it as it is now."""
    (site / "elsewhere").mkdir()
    (site / "out" / "page.md").symlink_to(site / "elsewhere" / "page.md")
    assert _render(ARGV, capsys)[0] == 0
    assert b"Kept grinder" in (site / "elsewhere" / "page.md").read_bytes()
    assert _replay(ARGV, capsys)[0] is None


def test_a_damaged_record_costs_only_the_full_render(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _render(ARGV, capsys)
    [record] = _records(tmp_path)
    record.write_bytes(b"\x00not a record")
    assert _replay(ARGV, capsys)[0] is None
    assert _render(ARGV, capsys) == first
    assert _replay(ARGV, capsys)[0] == 0  # kept again


def test_records_hold_no_variable_value(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASA2RENDER_SECRET_PROBE", "s3cr3t-value-do-not-keep")
    _render(ARGV, capsys)
    [record] = _records(tmp_path)
    assert b"s3cr3t-value" not in record.read_bytes()


def test_records_unused_for_a_month_are_removed(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _render(ARGV, capsys)
    [old] = _records(tmp_path)
    month_ago = time.time() - kept_pages.MAX_AGE_S - 60
    os.utime(old, (month_ago, month_ago))
    _render([*ARGV, "--lenient"], capsys)  # another command line: another record, saved
    assert old not in _records(tmp_path) and len(_records(tmp_path)) == 1


def test_a_replayed_record_is_in_use(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _render(ARGV, capsys)
    [record] = _records(tmp_path)
    month_ago = time.time() - kept_pages.MAX_AGE_S - 60
    os.utime(record, (month_ago, month_ago))
    assert _replay(ARGV, capsys)[0] == 0
    assert record.stat().st_mtime > month_ago + 60


def test_signatures_tell_files_folders_and_absence_apart(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("x", encoding="utf-8")
    assert kept_pages.signature(str(tmp_path / "missing")) is None
    file_signature = kept_pages.signature(str(tmp_path / "a"))
    assert file_signature is not None and file_signature[0] == 1
    assert list(kept_pages.tree(str(tmp_path))) == [str(tmp_path), str(tmp_path / "a")]


def test_a_folder_changes_by_its_names_not_its_modification_time(tmp_path: Path) -> None:
    """A database's journal comes and goes on every open (the folder's time moves, nothing else)."""
    before = kept_pages.signature(str(tmp_path))
    (tmp_path / "cache.db-journal").write_text("", encoding="utf-8")
    assert kept_pages.signature(str(tmp_path)) != before
    (tmp_path / "cache.db-journal").unlink()
    assert kept_pages.signature(str(tmp_path)) == before


def test_a_full_render_between_replays_keeps_the_record_valid(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another page rendered in full from the same cache folder leaves this page's record valid."""
    _render(ARGV, capsys)
    (site / "other.md").write_text(PAGE, encoding="utf-8")
    other = ["render", "other.md", "-o", "out/other.md", "--offline", "--config", "asa2render.toml"]
    _render(other, capsys)
    assert _replay(ARGV, capsys)[0] == 0
