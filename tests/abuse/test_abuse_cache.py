"""Issue 18 items 1–2: poisoned and corrupted caches, and cache folders that cannot be used."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import diskcache
import pytest
from abuse_helpers import run, victim_files

PAGE = "# Page\n\n[asa2]B0LOCAL001[/asa2]\n\n[asa2]B0CACHED01[/asa2]\n"


def _poison(cache_dir: Path, filenames: list[str]) -> None:
    """Plant rows whose ``filename`` column names files elsewhere, as an untrusted CI cache could."""
    raw = diskcache.Cache(str(cache_dir))
    for index, _ in enumerate(filenames):
        key = "p:de:B0CACHED01" if index == 0 else f"p:de:B0POISON{index:02d}"
        raw.set(key, "{}")
    raw.close()
    with sqlite3.connect(cache_dir / "cache.db") as db:
        for index, filename in enumerate(filenames):
            key = "p:de:B0CACHED01" if index == 0 else f"p:de:B0POISON{index:02d}"
            db.execute(
                "UPDATE Cache SET mode = ?, filename = ?, value = NULL, expire_time = ? WHERE key = ?",
                (diskcache.core.MODE_TEXT, filename, 1.0 if index == 2 else None, key),
            )


@pytest.mark.parametrize("command", ["build", "render", "check", "cache clear", "cache prune", "cache stats"])
def test_poisoned_rows_never_touch_files_outside_the_cache(site: Path, command: str) -> None:
    victims = victim_files(site / "outside")
    _poison(
        site / "cache",
        [str(victims[0]), f"../outside/{victims[1].relative_to(site / 'outside')}", str(victims[2])],
    )
    (site / "content" / "page.md").write_text(PAGE, encoding="utf-8")
    args = {
        "build": ["build", "content", "-o", "out", "--offline"],
        "render": ["render", "content/page.md", "--offline"],
        "check": ["check", "content", "--offline"],
    }.get(command, command.split())
    outcome = run(*args)
    assert outcome.code in (0, 1), outcome.stderr
    for victim in victims:
        assert victim.read_text(encoding="utf-8") == "keep me", f"{command} touched {victim}"
    assert "Traceback" not in outcome.stderr


def test_values_always_stay_inside_the_database(site: Path) -> None:
    from asa2render.products.cache import DiskBackend

    backend = DiskBackend(site / "cache")
    backend.set("p:de:B0LARGE001", "x" * 5_000_000, 60)  # far above diskcache's 32 kB file threshold
    assert backend.get_many(["p:de:B0LARGE001"]) == {"p:de:B0LARGE001": "x" * 5_000_000}
    backend.close()
    with sqlite3.connect(site / "cache" / "cache.db") as db:
        assert db.execute("SELECT COUNT(*) FROM Cache WHERE filename IS NOT NULL").fetchone() == (0,)
    assert list((site / "cache").rglob("*.val")) == []


def _corrupt(database: Path, how: str) -> None:
    data = database.read_bytes()
    if how == "random":
        database.write_bytes(os.urandom(max(len(data), 8192)))
    elif how == "truncated":
        database.write_bytes(data[: len(data) // 2])
    elif how == "foreign":  # a valid SQLite file of some other program
        database.unlink()
        with sqlite3.connect(database) as other:
            other.execute("CREATE TABLE Cache (x)")
            other.execute("CREATE TABLE Settings (key, value)")
    else:  # garbage pages after the first two: the header still says "SQLite format 3"
        pages = bytearray(data)
        for offset in range(8192, len(pages), 4096 * 2):
            pages[offset : offset + 4096] = os.urandom(len(pages[offset : offset + 4096]))
        database.write_bytes(bytes(pages))


def _filled_cache(site: Path) -> Path:
    from asa2_fakes import make_product

    from asa2render.products.cache import ProductCache

    cache = ProductCache.on_disk(site / "cache")
    for number in range(200):
        product = make_product(asin=f"B0FILL{number:04d}")
        cache.put_product(product, product.fetched_at)
    cache.close()
    for leftover in ("cache.db-wal", "cache.db-shm"):
        (site / "cache" / leftover).unlink(missing_ok=True)
    return site / "cache" / "cache.db"


COMMANDS = {
    "render": ["render", "content/page.md", "--offline"],
    "build": ["build", "content", "-o", "out", "--offline"],
    "check": ["check", "content/page.md", "--offline"],
    "refresh": ["refresh", "content/page.md"],
    "export-data": ["export-data", "content/page.md", "--offline"],
    "cache clear": ["cache", "clear"],
    "cache prune": ["cache", "prune"],
    "cache stats": ["cache", "stats"],
}


@pytest.mark.parametrize("how", ["random", "truncated", "pages", "foreign"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_corrupted_cache_is_moved_aside_and_the_run_finishes(site: Path, how: str, command: str) -> None:
    database = _filled_cache(site)
    _corrupt(database, how)
    (site / "content" / "page.md").write_text("# Page\n\n[asa2]B0LOCAL001[/asa2]\n", encoding="utf-8")
    outcome = run(*COMMANDS[command])
    assert outcome.code == 0, outcome.stderr
    warnings = [line for line in outcome.stderr.splitlines() if "damaged" in line]
    assert len(warnings) == 1, outcome.stderr
    moved = sorted((site / "cache").glob("cache.db.corrupt-*"))
    assert len(moved) == 1 and str(moved[0].name) in warnings[0]
    assert sqlite3.connect(site / "cache" / "cache.db").execute("PRAGMA integrity_check").fetchone() == (
        "ok",
    )
    if command == "build":
        assert "Local grinder" in (site / "out" / "page.html").read_text(encoding="utf-8")
    # The next run finds a healthy cache and says nothing about damage.
    assert "damaged" not in run(*COMMANDS[command]).stderr


@pytest.mark.parametrize("command", ["cache stats", "cache clear", "cache prune", "render content/page.md"])
def test_cache_dir_that_is_a_file_is_a_clear_usage_error(site: Path, command: str) -> None:
    (site / "cache").write_text("not a folder", encoding="utf-8")
    (site / "content" / "page.md").write_text("[asa2]B0LOCAL001[/asa2]\n", encoding="utf-8")
    outcome = run(*command.split(), "--offline") if command.startswith("render") else run(*command.split())
    assert outcome.code == 2
    assert "asa2render: error:" in outcome.stderr and "cache" in outcome.stderr
    assert (site / "cache").read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("command", ["cache stats", "cache clear", "cache prune"])
def test_unwritable_cache_dir_is_a_clear_usage_error(site: Path, command: str) -> None:
    # Root ignores permission bits, so as root the cache goes where nobody may create folders.
    parent = Path("/sys") if os.geteuid() == 0 else site / "locked"
    if parent != Path("/sys"):
        parent.mkdir()
        parent.chmod(0o500)
    cache_dir = parent / "asa2render-abuse-cache"
    config = (site / "asa2render.toml").read_text(encoding="utf-8")
    (site / "asa2render.toml").write_text(config.replace('"cache"', f'"{cache_dir}"'), encoding="utf-8")
    try:
        outcome = run(*command.split())
    finally:
        if parent != Path("/sys"):
            parent.chmod(0o700)
    assert outcome.code == 2, outcome.stderr
    assert "asa2render: error: cannot create the cache folder" in outcome.stderr
    assert not cache_dir.exists()
