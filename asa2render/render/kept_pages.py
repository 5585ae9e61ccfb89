"""Kept pages: a one-file render whose inputs have not changed replays its last result.

``asa2render render page.md -o page.out.md`` is what an editor's save hook, a ``make`` rule or a
static-site build runs again and again, mostly on pages that did not change. Its start-up is most of its
run: configuration, products, the cache and the templates are loaded to place boxes that are already
on disk. So when such a render succeeds, what it wrote is kept with everything it was made from, and
the next identical run — the same command line in the same folder — checks those inputs and writes the
same result again, before the command line or any of the engine is imported.

What a record is checked against (any difference, and the render runs in full and keeps a new record):

* the code: asa2render's files by size and modification time and the versions of Jinja, Babel and
  MarkupSafe (:func:`~asa2render.render.private.code_identity`, the kept boxes' own), and the Python
  that made it;
* every file the page was made from, by size, modification time, inode and mode: the page, the
  configuration and its secrets file (and every nearer place a configuration would have been found
  at, which must still hold none), the local products file, every file and folder of the templates
  folder and of the cache folder (a product cached, refreshed or removed since changes them);
* the environment: ``ASA2RENDER_*``, the variables the configuration names (``${NAME}``) and those that
  move the cache or the temporary folder, as one digest (values are never written down);
* time: the record ends when the first of its Amazon products leaves its freshness window
  (``cache_ttl``, at most Amazon's 24 h), exactly when the full render would start fetching it again.

Only runs that are exactly reproducible are kept: one page written to a file (``-o``), exit 0, every
product fresh, no API request or token, no search, no ``[geo]``, no shared cache URL, no sandbox. The
record holds the page's output and what the run printed, and is replayed byte for byte. Records live
beside the kept boxes in the private per-user folder (0700), never in the product cache; a record
that cannot be read, or any failure while replaying, costs only the full render.
``ASA2RENDER_BOX_CACHE=off`` turns kept pages off with kept boxes.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import time

from .private import code_identity, private_folder, python_identity, remove_unused

try:  # hashlib's own BLAKE2 (hashlib.blake2b is this one), without hashlib loading OpenSSL
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without its own hash modules
    from hashlib import blake2b

TYPE_CHECKING = False  # typing is not imported on the replay path
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence
    from types import TracebackType
    from typing import TextIO

FORMAT = 1
PREFIX = "__asa2render-page-"
ENVIRONMENT = "ASA2RENDER_BOX_CACHE"  # the kept boxes' switch: "off" turns kept pages off too
MAX_OUTPUT_CHARS = 2_000_000  # a bigger page is rendered in full each time (the record holds it whole)
MAX_AGE_S = 30 * 24 * 3600  # records untouched this long are removed when another is saved
# Variables that move the cache folder, the temporary folder or the time zone of a run.
LOCATION_VARIABLES = ("HOME", "XDG_CACHE_HOME", "TMPDIR", "TEMP", "TMP", "TZ")
_OWN_VARIABLES = "ASA2RENDER_"

# A file: size, mtime_ns, inode, device, mode. A folder: inode, device, mode and its names (not its
# modification time, which a database's journal moves each time it comes and goes). None: absent.
Signature = tuple[int | str, ...] | None


def enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether pages may be kept (``ASA2RENDER_BOX_CACHE`` is not off)."""
    value = (os.environ if environ is None else environ).get(ENVIRONMENT, "")
    return value.strip().lower() not in {"off", "0", "no", "false"}


# -- replay ---------------------------------------------------------------------------------------


def replay(argv: Sequence[str], *, folder: str | None = None, now: float | None = None) -> int | None:
    """Write the kept result of this exact command line when all its inputs are unchanged.

    Returns the exit code (0) after writing the page and repeating what the run printed, or None when
    there is no valid record: the caller then runs the command in full.

    Args:
        argv: the command line after the program name.
        folder: where records live (default: the private per-user folder).
        now: the time, in epoch seconds (default: the clock).
    """
    if not argv or argv[0] != "render" or not enabled():
        return None
    try:
        path = _record_path(folder, argv)
        record = _load(path)
        if record is None or not _valid(record, argv, time.time() if now is None else now):
            return None
        from ..files import atomic_write

        atomic_write(str(record["target"]), str(record["output"]))
    except Exception:
        return None
    _touch(path)
    sys.stdout.write(str(record["stdout"]))
    sys.stderr.write(str(record["stderr"]))
    return 0


def _touch(path: str) -> None:
    """A record in use is not old (see :func:`~asa2render.render.private.remove_unused`)."""
    try:  # noqa: SIM105 - contextlib is not imported on the replay path
        os.utime(path)
    except OSError:
        pass


def _record_path(folder: str | None, argv: Sequence[str]) -> str:
    key = _digest([str(FORMAT), os.getcwd(), *argv])
    return os.path.join(folder or _folder(), f"{PREFIX}{key}.rec")


def _folder() -> str:
    """The private per-user folder, found without importing :mod:`tempfile` when the environment
    names the temporary directory the usual way (``tempfile`` itself costs a replay a third of its
    run); both the record's writer and its reader find the folder this way."""
    for name in ("TMPDIR", "TEMP", "TMP"):
        value = os.environ.get(name)
        if value and os.path.isdir(value):
            return private_folder(os.path.abspath(value))
    if os.name != "nt" and os.path.isdir("/tmp"):
        return private_folder("/tmp")
    return private_folder()


def _load(path: str) -> dict[str, object] | None:
    try:
        with open(path, "rb") as stream:
            record = marshal.load(stream)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return record if isinstance(record, dict) and record.get("format") == FORMAT else None


def _valid(record: Mapping[str, object], argv: Sequence[str], now: float) -> bool:
    until = record["until"]
    if record["argv"] != tuple(argv) or record["cwd"] != os.getcwd():
        return False
    if not isinstance(until, float) or now >= until:
        return False
    if record["code"] != _code_digest():
        return False
    variables = record["variables"]
    if not isinstance(variables, tuple) or record["environment"] != _environment_digest(variables):
        return False
    inputs = record["inputs"]
    if not isinstance(inputs, tuple) or any(signature(path) != kept for path, kept in inputs):
        return False
    return _writable_target(str(record["target"]), inputs)


def _writable_target(target: str, inputs: Iterable[tuple[str, Signature]]) -> bool:
    """The target is still a plain file (no link, no folder) and none of the inputs: anything else the
    full render decides about (it refuses to write over a source)."""
    try:
        info = os.lstat(target)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    files = (kept for _, kept in inputs if kept is not None and len(kept) == 5)
    return all(kept[2:4] != (info.st_ino, info.st_dev) for kept in files)


# -- what a record is checked against ------------------------------------------------------------


def signature(path: str) -> Signature:
    """A file's size, modification time, inode, device and mode; a folder's inode, device, mode and
    names; None when absent."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            return (info.st_ino, info.st_dev, info.st_mode, "\0".join(sorted(os.listdir(path))))
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev, info.st_mode)


def _code_digest() -> str:
    return _digest((python_identity(), code_identity()))


def _environment_digest(named: Iterable[str], environ: Mapping[str, str] | None = None) -> str:
    """One digest of the variables that decide a run: the record keeps this digest and the names the
    configuration refers to, never a value (a referenced variable may hold a secret)."""
    env = os.environ if environ is None else environ
    names = sorted({*named, *LOCATION_VARIABLES, *(n for n in env if n.startswith(_OWN_VARIABLES))})
    return _digest(f"{name}={env[name]}" if name in env else name for name in names)


def _digest(parts: Iterable[str]) -> str:
    """One digest of several strings, each ended by a NUL (which a path, argument or variable
    cannot hold), so that no two different lists hash the same bytes. (Not marshal: it writes an
    object once and refers to it afterwards, so equal values need not give equal bytes.)"""
    digest = blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()


def tree(folder: str) -> Iterator[str]:
    """A folder and everything under it (files and folders): each entry's signature goes into a
    record, so a file added, removed or changed anywhere below changes one of them."""
    yield folder
    for root, folders, names in os.walk(folder):
        folders.sort()
        for name in (*folders, *sorted(names)):
            yield os.path.join(root, name)


# -- recording ------------------------------------------------------------------------------------


class Note:
    """What the render command tells about a run that may be kept: its page, target and inputs."""

    def __init__(self, target: str, inputs: Iterable[str], variables: Iterable[str], until: float) -> None:
        # As given (absolute), not resolved: a target that is a link is never replayed (see
        # _writable_target), so a link pointed elsewhere later is followed by the full render.
        self.target = os.path.abspath(target)
        self.inputs = tuple(dict.fromkeys(os.path.abspath(path) for path in inputs))
        self.variables = tuple(sorted(set(variables)))
        self.until = until


_noted: Note | None = None


def note(target: str, inputs: Iterable[str], variables: Iterable[str], until: float) -> None:
    """The render that is running may be kept: it wrote ``target`` from ``inputs`` (files and folders
    read, or places that must stay empty), the configuration names the environment ``variables``,
    and its products stay as they were until ``until`` (epoch seconds)."""
    global _noted
    _noted = Note(target, inputs, variables, until)


class Recording:
    """Around one run of the command line: copies what it prints, and keeps the record when the run
    ended with exit 0 after :func:`note` (see the module's documentation for what is kept)."""

    def __init__(self, argv: Sequence[str], folder: str | None = None) -> None:
        self.argv = tuple(argv)
        self._folder = folder
        self._active = bool(argv) and argv[0] == "render" and enabled()
        self._streams: tuple[TextIO, TextIO] | None = None
        self._out = _Copy(sys.stdout)
        self._err = _Copy(sys.stderr)

    def __enter__(self) -> Recording:
        global _noted
        _noted = None
        if self._active:
            self._streams = (sys.stdout, sys.stderr)
            sys.stdout, sys.stderr = self._out, self._err
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        global _noted
        if self._streams is not None:
            sys.stdout, sys.stderr = self._streams
        noted, _noted = _noted, None
        succeeded = kind is None or (kind is SystemExit and getattr(error, "code", 1) in (0, None))
        if self._active and noted is not None and succeeded:
            self.keep(noted)

    def keep(self, noted: Note) -> None:
        """Save the record (a failure costs only the next run's time)."""
        try:
            with open(noted.target, encoding="utf-8", newline="") as stream:
                output = stream.read(MAX_OUTPUT_CHARS + 1)
            if len(output) > MAX_OUTPUT_CHARS or self._out.overflowed or self._err.overflowed:
                return
            record = {
                "format": FORMAT,
                "argv": self.argv,
                "cwd": os.getcwd(),
                "code": _code_digest(),
                "variables": noted.variables,
                "environment": _environment_digest(noted.variables),
                "inputs": tuple((path, signature(path)) for path in noted.inputs),
                "until": float(noted.until),
                "target": noted.target,
                "output": output,
                "stdout": self._out.text(),
                "stderr": self._err.text(),
            }
            path = _record_path(self._folder, self.argv)
            from .box_store import write_atomically

            write_atomically(path, marshal.dumps(record))
            remove_unused(os.path.dirname(path), PREFIX, keep=path, max_age_s=MAX_AGE_S)
        except (OSError, RuntimeError, ValueError):
            return


class _Copy:
    """A text stream that writes through to another and keeps a copy of what it wrote."""

    LIMIT = 100_000  # a run that prints more is not kept

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._parts: list[str] = []
        self._size = 0
        self.overflowed = False

    def write(self, text: str) -> int:
        written = self._stream.write(text)
        if isinstance(text, str) and not self.overflowed:
            self._parts.append(text)
            self._size += len(text)
            self.overflowed = self._size > self.LIMIT
        return written

    def text(self) -> str:
        return "".join(self._parts)

    def __getattr__(self, name: str) -> object:  # flush, encoding, isatty, fileno, buffer …
        return getattr(self._stream, name)


__all__ = [
    "ENVIRONMENT",
    "FORMAT",
    "MAX_OUTPUT_CHARS",
    "PREFIX",
    "Note",
    "Recording",
    "enabled",
    "note",
    "replay",
    "signature",
    "tree",
]
