"""Atomic file writes: the one way asa2render replaces a file on disk.

Readers (a web server, a second build, the user's editor) see the old file or the new one, never a
mix: the text goes to a uniquely named temporary file in the target's directory (a rename is atomic
only within one file system), is flushed and fsynced, renamed over the target, and the directory is
fsynced so the rename itself survives a crash. On any failure the temporary file is removed.
"""

from __future__ import annotations

import os

# Imported for annotations only: a replayed one-file render (render/kept_pages.py) writes its page
# through this module, and pathlib alone would cost it more than the rest of its run.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

PRIVATE_FILE_MODE = 0o600
_NEW_FILE_MODE = 0o666  # narrowed by the user's umask, like any file an editor creates


def atomic_write(
    path: Path | str,
    text: str | bytes | Iterable[str],
    *,
    mode: int | None = None,
    create_parents: bool = False,
) -> None:
    """Replace ``path`` with ``text`` so readers see the old file or the new one, never a mix.

    Args:
        path: the file to replace (a symlink is followed: its target is replaced).
        text: the complete new content, written as UTF-8 with newlines kept as given; or its parts,
            written as they come (a huge rendered page is never held whole in memory); or bytes,
            written as they are.
        mode: permission bits for the file; default: keep the existing file's, or 0666 less the
            umask for a new file. Whenever a mode is given the temporary file is 0600 from its first
            byte, so a secret is never readable by others, even for an instant.
        create_parents: create missing parent directories first.
    """
    target = os.path.realpath(path)
    folder, name = os.path.split(target)
    if create_parents:
        os.makedirs(folder, exist_ok=True)
    if mode is None and os.path.exists(target):
        mode = os.stat(target).st_mode & 0o777
    temporary = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.tmp")  # O_EXCL guards clashes
    create_mode = _NEW_FILE_MODE if mode is None else PRIVATE_FILE_MODE
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, create_mode)
    try:
        if isinstance(text, bytes):
            with os.fdopen(descriptor, "wb") as stream:
                _finish(stream.fileno(), mode, lambda: stream.write(text), stream.flush)
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
                parts = (text,) if isinstance(text, str) else text
                _finish(handle.fileno(), mode, lambda: handle.writelines(parts), handle.flush)
        os.replace(temporary, target)
    except BaseException:
        try:  # noqa: SIM105 - contextlib is not imported on a kept page's replay path
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    _fsync_directory(folder)


def _finish(
    descriptor: int, mode: int | None, write: Callable[[], object], flush: Callable[[], None]
) -> None:
    """Set the mode, write, and make the temporary file durable before it replaces the target."""
    if mode is not None:
        os.fchmod(descriptor, mode)
    write()
    flush()
    os.fsync(descriptor)


def _fsync_directory(folder: str) -> None:
    # Not every platform lets a directory be opened for fsync; the rename has happened regardless.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


__all__ = ["PRIVATE_FILE_MODE", "atomic_write"]
