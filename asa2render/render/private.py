"""What is private to this user and this installation: the per-user folder where compiled templates,
kept boxes and kept pages live, and the identity of the code that made them.

Both are read before anything else on the path of a one-file render that is replayed
(:mod:`asa2render.render.kept_pages`), so this module imports nothing beyond what ``python -c pass``
has already loaded (``os``, ``stat``, ``sys``, ``time``): no ``pathlib``, ``functools`` or
``importlib.metadata``.
"""

from __future__ import annotations

import os
import stat
import sys
import time

_identity: str | None = None  # the code identity, computed once per process
_versions: dict[str, str] = {}


def code_identity() -> str:
    """asa2render's version and every file of the package by size and modification time, plus the
    versions of the libraries that shape the markup.

    The library versions come from the names of their installed ``*.dist-info`` folders, not from
    importing them or ``importlib.metadata``: a one-file render whose box is kept then imports neither
    Jinja nor Babel, and the metadata machinery alone costs 25 ms of start-up.
    """
    global _identity
    if _identity is None:
        _identity = _list_code()
    return _identity


def forget_code_identity() -> None:
    """Compute the identity again on next use (the package's files were edited in this process)."""
    global _identity
    _identity = None


def _list_code() -> str:
    from .. import __version__

    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    files: list[str] = []
    top = len(package) + 1
    for root, folders, names in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        # os.walk joins each folder to the (resolved) package path, so the path relative to the
        # package is a slice: os.path.relpath per file would normalise both paths again each time.
        relative = os.path.join(root[top:], "")
        for name in sorted(names):
            try:
                info = os.stat(os.path.join(root, name))
            except OSError:
                continue
            files.append(f"{relative}{name}:{info.st_size}:{info.st_mtime_ns}")
    libraries = [f"{name}={installed_version(name)}" for name in ("jinja2", "babel", "markupsafe")]
    return "\n".join([__version__, *libraries, *files])


def installed_version(name: str) -> str:
    """The version of an installed distribution, read from its ``name-version.dist-info`` folder name
    beside the package; ``importlib.metadata`` when the package was installed some other way."""
    found = _versions.get(name)
    if found is None:
        found = _versions[name] = _dist_info_version(name) or _metadata_version(name)
    return found


def _dist_info_version(name: str) -> str | None:
    from importlib.machinery import PathFinder  # the import system's own finder: no importlib.util

    spec = PathFinder.find_spec(name)
    if spec is None or spec.origin is None:
        return None
    site = os.path.dirname(os.path.dirname(spec.origin))
    prefix = name.lower() + "-"
    try:
        found = sorted(
            entry.name.removesuffix(".dist-info")[len(prefix) :]
            for entry in os.scandir(site)
            if entry.name.lower().startswith(prefix) and entry.name.endswith(".dist-info")
        )
    except OSError:
        return None
    return found[0] if len(found) == 1 else None


def _metadata_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def temporary_directory() -> str:
    """The system's temporary directory, as :func:`tempfile.gettempdir` finds it.

    ``gettempdir`` returns the first usable of ``$TMPDIR``, ``$TEMP``, ``$TMP``, then ``/tmp`` (on
    POSIX). When that first candidate is a directory this user may write to, it is the answer, found
    without importing :mod:`tempfile` (which imports shutil, random and the archive modules: about
    3 % of a one-file render). Anything else, or a ``tempfile`` already imported (its ``tempdir`` may
    have been set), is left to ``gettempdir``.
    """
    if "tempfile" not in sys.modules and os.name == "posix":
        first = next(filter(None, map(os.environ.get, ("TMPDIR", "TEMP", "TMP"))), "/tmp")
        if os.path.isdir(first) and os.access(first, os.W_OK | os.X_OK):
            return os.path.abspath(first)
    import tempfile

    return tempfile.gettempdir()


def private_folder(temporary: str | None = None) -> str:
    """Jinja's per-user cache folder (``_jinja2-cache-<uid>`` in the temporary directory, 0700, owned
    by this user), where compiled templates, kept boxes and kept pages live.

    The same folder and the same checks as ``jinja2.FileSystemBytecodeCache``'s default, done here so
    that finding the kept boxes does not import Jinja (45 ms of a one-file render). Raises RuntimeError
    when the folder is not safe to use (another owner, a link, other permissions), like Jinja.

    Args:
        temporary: the temporary directory to use (default: :func:`temporary_directory`).
    """
    if temporary is None:
        temporary = temporary_directory()
    if os.name == "nt":
        return temporary
    if not hasattr(os, "getuid"):
        raise RuntimeError("Cannot determine safe temp directory.  You need to explicitly provide one.")
    folder = os.path.join(temporary, f"_jinja2-cache-{os.getuid()}")
    try:  # noqa: SIM105 - contextlib is not imported on a kept page's replay path
        os.mkdir(folder, stat.S_IRWXU)
    except FileExistsError:
        pass
    os.chmod(folder, stat.S_IRWXU)
    info = os.lstat(folder)
    if (
        info.st_uid != os.getuid()
        or not stat.S_ISDIR(info.st_mode)
        or stat.S_IMODE(info.st_mode) != stat.S_IRWXU
    ):
        raise RuntimeError("Cannot determine safe temp directory.  You need to explicitly provide one.")
    return folder


UNUSED_AGE_S = 30 * 24 * 3600  # kept files untouched this long are removed when another is saved


def remove_unused(folder: str, prefix: str, keep: str, max_age_s: float = UNUSED_AGE_S) -> None:
    """Remove files named ``prefix…`` in ``folder``, except ``keep``, not modified for ``max_age_s``
    (records of other pages, configurations, sites or releases nobody builds any more).

    Written with ``os`` alone: a kept page's replay path calls it and imports nothing else.
    """
    limit = time.time() - max_age_s
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(prefix) and entry.path != keep:
            try:
                if entry.stat().st_mtime < limit:
                    os.unlink(entry.path)
            except OSError:
                continue


def python_identity() -> str:
    """The interpreter a record was made by (marshal's format and the compiled code follow it)."""
    return f"{sys.executable}\n{sys.version}"


__all__ = [
    "code_identity",
    "forget_code_identity",
    "installed_version",
    "private_folder",
    "python_identity",
    "temporary_directory",
]
