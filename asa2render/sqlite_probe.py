"""A quick look into an existing SQLite file before a store decides to open it lazily.

The product cache and the shared state file open on first use (a one-file render of a local product
never needs them), but a damaged, foreign or read-only file must still be reported at start, as before.
This probe runs the reads the real open would run and takes and releases the write lock.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def probe(path: Path, statements: tuple[str, ...]) -> list[list[Any]] | None:
    """The rows of each statement, after a write lock was taken and released; None on any doubt."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(path, timeout=60, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        answers = [db.execute(statement).fetchall() for statement in statements]
        db.execute("BEGIN IMMEDIATE")
        db.execute("ROLLBACK")
    except sqlite3.Error:
        return None
    finally:
        db.close()
    return answers
