"""The shared store of processes on one machine: a small SQLite file in the cache folder.

Every operation is one ``BEGIN IMMEDIATE`` transaction, so it is atomic across processes — SQLite's
own locking, not a home-made one. A claim records its owner's host and process id: on the same host
a claim of a process that has exited is void at once, elsewhere (a cache folder on a network share)
it lapses after its timeout.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from ..errors import CacheError
from ..products.models import Failure, ProductKey
from ..sqlite_probe import probe
from .coordination import RESULT_TTL, Status, key_id, parse_id

FILENAME = "shared.sqlite3"
log = logging.getLogger("asa2render.shared")
_T = TypeVar("_T")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS pool (id TEXT PRIMARY KEY, country TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS pool_country ON pool (country, seq);
CREATE TABLE IF NOT EXISTS claims (id TEXT PRIMARY KEY, owner TEXT NOT NULL, host TEXT NOT NULL,
                                   pid INTEGER NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS results (id TEXT PRIMARY KEY, value TEXT NOT NULL, at REAL NOT NULL,
                                    expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS limits (name TEXT PRIMARY KEY, tat REAL NOT NULL);
"""
_TABLES = {"pool", "claims", "results", "limits"}


class LocalCoordinator:
    """:class:`~asa2render.shared.coordination.Coordinator` over ``<cache_dir>/shared.sqlite3``."""

    def __init__(self, directory: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = directory / FILENAME
        self._clock = clock
        self._owner = uuid.uuid4().hex
        # platform.node(): the host name like socket.gethostname(), without importing socket and
        # selectors (uuid has imported platform already), which cost a one-file render 5 ms.
        self._host = platform.node()
        self._notices: list[str] = []
        self._healthy = True
        self._lock = threading.Lock()  # one connection, used by the fetch threads in turn
        # Only fetching coordinates: a run that fetches nothing (offline, local products) never
        # opens the file. A file that is there is checked now, so a damaged or read-only one is
        # still refused at start; a missing one (the first run) is created now, as before.
        self._connection: sqlite3.Connection | None = None
        if not self._looks_usable():
            self._connection = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # autocommit mode: each operation opens its own IMMEDIATE transaction
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(f"cannot open {self.path}: {exc}") from None
        return db

    def _looks_usable(self) -> bool:
        """Whether the existing file reads as our schema and can be locked for writing; False: open it now."""
        answers = probe(self.path, ("SELECT name FROM sqlite_master WHERE type = 'table'",))
        return answers is not None and {row[0] for row in answers[0]} >= _TABLES

    @property
    def _db(self) -> sqlite3.Connection:
        """The connection, opened on first use (under ``_lock``, or before any thread starts)."""
        if self._connection is None:
            self._connection = self._open()
        return self._connection

    def __repr__(self) -> str:
        return f"LocalCoordinator({str(self.path)!r})"

    @property
    def healthy(self) -> bool:
        return self._healthy

    @property
    def notices(self) -> list[str]:
        return list(self._notices)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _guard(self, operation: Callable[[sqlite3.Connection], _T], default: _T) -> _T:
        if not self._healthy:
            return default
        try:
            with self._lock, self._transaction() as db:
                return operation(db)
        except sqlite3.Error as exc:
            self._healthy = False
            notice = f"shared state {self.path} failed ({exc}); this process no longer coordinates"
            log.warning("%s", notice)
            self._notices.append(notice)
            return default

    def now(self) -> float:
        return self._clock()

    def offer(self, keys: Sequence[ProductKey], since: float) -> None:
        def run(db: sqlite3.Connection) -> None:
            now = self._clock()
            (seq,) = db.execute("SELECT COALESCE(MAX(seq), 0) FROM pool").fetchone()
            for number, key in enumerate(keys, start=seq + 1):
                id_ = key_id(key)
                if self._claimed(db, id_, now) or self._result(db, id_, since) is not None:
                    continue
                db.execute("INSERT OR IGNORE INTO pool VALUES (?, ?, ?)", (id_, key.country, number))

        self._guard(run, None)

    def take(self, countries: Sequence[str], limit: int, claim_ttl: float) -> list[ProductKey]:
        def run(db: sqlite3.Connection) -> list[ProductKey]:
            now = self._clock()
            marks = ",".join("?" * len(countries))
            row = db.execute(
                f"SELECT country FROM pool WHERE country IN ({marks}) "
                "GROUP BY country ORDER BY COUNT(*) DESC, country LIMIT 1",
                list(countries),
            ).fetchone()
            if row is None:
                return []
            ids = [
                r[0]
                for r in db.execute(
                    "SELECT id FROM pool WHERE country = ? ORDER BY seq LIMIT ?", (row[0], limit)
                )
            ]
            taken = []
            for id_ in ids:
                db.execute("DELETE FROM pool WHERE id = ?", (id_,))
                if self._claimed(db, id_, now):
                    continue
                db.execute(
                    "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?)",
                    (id_, self._owner, self._host, os.getpid(), now + claim_ttl),
                )
                taken.append(parse_id(id_))
            return taken

        return self._guard(run, [])

    def settle(self, outcomes: Mapping[ProductKey, Failure | None]) -> None:
        def run(db: sqlite3.Connection) -> None:
            now = self._clock()
            for key, failure in outcomes.items():
                id_ = key_id(key)
                value = "" if failure is None else failure.model_dump_json()
                db.execute(
                    "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", (id_, value, now, now + RESULT_TTL)
                )
                db.execute("DELETE FROM claims WHERE id = ? AND owner = ?", (id_, self._owner))
            db.execute("DELETE FROM results WHERE expires < ?", (self._clock(),))

        self._guard(run, None)

    def release(self, keys: Sequence[ProductKey]) -> None:
        def run(db: sqlite3.Connection) -> None:
            for key in keys:
                db.execute("DELETE FROM claims WHERE id = ? AND owner = ?", (key_id(key), self._owner))

        self._guard(run, None)

    def status(self, keys: Sequence[ProductKey], since: float) -> dict[ProductKey, Status]:
        def run(db: sqlite3.Connection) -> dict[ProductKey, Status]:
            now = self._clock()
            found: dict[ProductKey, Status] = {}
            for key in keys:
                id_ = key_id(key)
                result = self._result(db, id_, since)
                if result is not None:
                    found[key] = _decode(result)
                elif self._claimed(db, id_, now):
                    found[key] = "claimed"
                elif db.execute("SELECT 1 FROM pool WHERE id = ?", (id_,)).fetchone():
                    found[key] = "pending"
                else:
                    found[key] = "lost"
            return found

        return self._guard(run, dict.fromkeys(keys, "lost"))

    def reserve(self, name: str, interval: float) -> float | None:
        def run(db: sqlite3.Connection) -> float | None:
            now = self._clock()
            row = db.execute("SELECT tat FROM limits WHERE name = ?", (name,)).fetchone()
            start = max(float(row[0]) if row else 0.0, now)
            db.execute("INSERT OR REPLACE INTO limits VALUES (?, ?)", (name, start + interval))
            return start - now

        return self._guard(run, None)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()

    def _claimed(self, db: sqlite3.Connection, id_: str, now: float) -> bool:
        row = db.execute("SELECT host, pid, expires FROM claims WHERE id = ?", (id_,)).fetchone()
        if row is None:
            return False
        host, pid, expires = row
        if expires > now and not (host == self._host and not _alive(int(pid))):
            return True
        db.execute("DELETE FROM claims WHERE id = ?", (id_,))  # lapsed, or its process is gone
        return False

    def _result(self, db: sqlite3.Connection, id_: str, since: float) -> str | None:
        """The marker of a product settled at or after ``since`` (and not expired)."""
        row = db.execute(
            "SELECT value FROM results WHERE id = ? AND at >= ? AND expires >= ?", (id_, since, self._clock())
        ).fetchone()
        return None if row is None else str(row[0])


def _decode(value: str) -> Status:
    if not value:
        return "done"
    try:
        return Failure.model_validate(json.loads(value))
    except ValueError:
        return "lost"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, alive
    return True


__all__ = ["FILENAME", "LocalCoordinator"]
