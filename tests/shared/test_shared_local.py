"""The cache folder's shared state file: opened when a run first coordinates, checked at start."""

from __future__ import annotations

from pathlib import Path

import pytest

from asa2render.errors import CacheError
from asa2render.products.models import ProductKey
from asa2render.shared.local import FILENAME, LocalCoordinator

KEY = ProductKey("de", "B0LOCAL001")


def test_a_new_file_is_created_at_start(tmp_path: Path) -> None:
    coordinator = LocalCoordinator(tmp_path / "cache")
    assert (tmp_path / "cache" / FILENAME).is_file()
    coordinator.close()


def test_an_existing_file_is_opened_on_first_use(tmp_path: Path) -> None:
    LocalCoordinator(tmp_path).close()
    coordinator = LocalCoordinator(tmp_path)
    assert coordinator._connection is None  # a run that fetches nothing never opens it
    coordinator.offer([KEY], since=coordinator.now())
    assert coordinator._connection is not None
    assert coordinator.take(["de"], 10, claim_ttl=60) == [KEY]
    assert coordinator.healthy
    coordinator.close()


@pytest.mark.parametrize("damage", ["bytes", "foreign"])
def test_a_damaged_file_is_refused_at_start(tmp_path: Path, damage: str) -> None:
    path = tmp_path / FILENAME
    if damage == "bytes":
        path.write_bytes(b"\x00not a database" * 1000)
        with pytest.raises(CacheError, match=f"cannot open {path}"):
            LocalCoordinator(tmp_path)
    else:  # another program's SQLite file: our tables are added beside its own, as before
        import sqlite3

        with sqlite3.connect(path) as other:
            other.execute("CREATE TABLE mine (x)")
        coordinator = LocalCoordinator(tmp_path)
        assert coordinator._connection is not None  # not ours yet: opened (and completed) at start
        coordinator.close()
