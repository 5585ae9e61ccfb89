"""Atomic file writes: the one way asa2render replaces a file on disk.

Readers (a web server, a second build, the user's editor) see the old file or the new one, never a
mix: the text goes to a uniquely named temporary file in the target's directory (a rename is atomic
only within one file system), is flushed and fsynced, renamed over the target, and the directory is
fsynced so the rename itself survives a crash. On any failure the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
_NEW_FILE_MODE = 0o666  # narrowed by the user's umask, like any file an editor creates


def atomic_write(
    path: Path, text: str | Iterable[str], *, mode: int | None = None, create_parents: bool = False
) -> None:
    """Replace ``path`` with ``text`` so readers see the old file or the new one, never a mix.

    Args:
        path: the file to replace (a symlink is followed: its target is replaced).
        text: the complete new content, written as UTF-8 with newlines kept as given; or its parts,
            written as they come (a huge rendered page is never held whole in memory).
        mode: permission bits for the file; default: keep the existing file's, or 0666 less the
            umask for a new file. Whenever a mode is given the temporary file is 0600 from its first
            byte, so a secret is never readable by others, even for an instant.
        create_parents: create missing parent directories first.
    """
    target = Path(os.path.realpath(path))
    if create_parents:
        target.parent.mkdir(parents=True, exist_ok=True)
    if mode is None and target.exists():
        mode = target.stat().st_mode & 0o777
    temporary = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")  # O_EXCL guards clashes
    create_mode = _NEW_FILE_MODE if mode is None else PRIVATE_FILE_MODE
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, create_mode)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            for part in (text,) if isinstance(text, str) else text:
                handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_directory(target.parent)


def _fsync_directory(folder: Path) -> None:
    # Not every platform lets a directory be opened for fsync; the rename has happened regardless.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


__all__ = ["PRIVATE_FILE_MODE", "atomic_write"]
