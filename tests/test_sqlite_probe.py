"""The start-up look into an existing SQLite file (asa2render/sqlite_probe.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from asa2render.sqlite_probe import probe


def test_a_missing_file_is_not_probed(tmp_path: Path) -> None:
    assert probe(tmp_path / "absent.db", ("SELECT 1",)) is None
    assert not (tmp_path / "absent.db").exists()


def test_a_healthy_file_answers_each_statement(tmp_path: Path) -> None:
    path = tmp_path / "ok.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE Settings (key TEXT, value TEXT)")
        db.execute("INSERT INTO Settings VALUES ('a', '1')")
    db.close()
    assert probe(path, ("SELECT key, value FROM Settings", "SELECT 2")) == [[("a", "1")], [(2,)]]


def test_a_damaged_or_foreign_file_is_doubted(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database at all" * 100)
    assert probe(damaged, ("SELECT 1 FROM Settings",)) is None
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).close()
    assert probe(foreign, ("SELECT key FROM Settings",)) is None
