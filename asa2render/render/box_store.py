"""Rendered boxes kept between builds, so a warm rebuild does not render the same 500 boxes again.

A site build renders each distinct box once (the renderer's memo), but every build is a new process
(``mkdocs build``, ``pelican``, ``asa2render render``) and rendering a box with Jinja and Babel costs
0.1-0.3 ms: about 0.1 s of a 500-box build. This store keeps the markup between processes.

Where: one JSON file per *renderer fingerprint* in Jinja's per-user cache folder (created 0700 in the
temporary directory, its owner and mode checked by Jinja), the folder the compiled templates already
live in. Never the product cache: that one may be shared between machines, and markup read back from it
would be inserted into pages unescaped.

What decides a box, and so its key:

* the fingerprint (the file name): asa2render's version and the size and modification time of every
  file of the installed package (its code, built-in templates and translations, so an edited checkout
  never reuses markup), the Jinja, MarkupSafe and Babel versions, the whole configuration (site options,
  placeholders, tags, language and time zone), the user's own shop links, and the content of every file
  in the user's templates folder;
* per box: the template name, the shortcode's options, link text and associate set, the list settings,
  and each resolved item in full as JSON (its product's data, state and unavailability action; the fetch
  time and so the "as of" minute are part of the product).

Anything the key does not cover is not stored: a box whose rendering reported a problem, boxes of a
renderer with its own image source (the gallery), and everything when ``ASA2RENDER_BOX_CACHE=off``.
A file that cannot be read or written costs only the time saved; boxes are then rendered as usual.

Amazon's 24 h cap holds here too: each box carries the fetch time of its oldest product (the time it
was kept when it shows none), and a box past 24 h is dropped when the file is read or written. A kept box
is only ever shown for products the engine resolved with exactly that data, which the product cache
itself never keeps past 24 h.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..files import PRIVATE_FILE_MODE, atomic_write
from .private import code_identity as _code_identity
from .private import installed_version, private_folder, remove_unused

try:  # hashlib's own BLAKE2 (hashlib.blake2b is this one), without hashlib loading OpenSSL at start-up
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without its own hash modules
    from hashlib import blake2b

ENVIRONMENT = "ASA2RENDER_BOX_CACHE"  # "off" (or "0", "no", "false"): neither read nor write
MAX_ENTRIES = 20_000  # a file beyond this keeps only the boxes this process used
MAX_AGE_S = 30 * 24 * 3600  # other fingerprints' files untouched this long are removed on save
# Amazon's cap on keeping product data: a box older than its oldest product's fetch + 24 h goes.
DATA_CAP_S = 24 * 3600
_PREFIX = "__asa2render-boxes-"
_STORES: dict[Path, BoxStore] = {}  # one per file and process: rebuilds in one process share it


def enabled() -> bool:
    """Whether boxes may be kept between builds (``ASA2RENDER_BOX_CACHE`` is not off)."""
    return os.environ.get(ENVIRONMENT, "").strip().lower() not in {"off", "0", "no", "false"}


class BoxStore:
    """Markup by box key for one renderer fingerprint, loaded on first use, saved by :meth:`save`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._boxes: dict[str, tuple[str, float]] | None = None  # key → (markup, fetched, epoch seconds)
        self._used: set[str] = set()
        self._added = 0

    def get(self, key: str) -> str | None:
        found = self._loaded().get(key)
        if found is None:
            return None
        self._used.add(key)
        return found[0]

    def put(self, key: str, markup: str, fetched: float | None = None) -> None:
        """Keep ``markup``; ``fetched``: when its oldest product was fetched (None: now)."""
        self._loaded()[key] = (markup, time.time() if fetched is None else fetched)
        self._used.add(key)
        self._added += 1

    def load(self) -> None:
        """Read the file now instead of at the first :meth:`get` or :meth:`put`."""
        self._loaded()

    def save(self) -> None:
        """Write the boxes added since the last save (atomically; a failure is ignored)."""
        if not self._added or self._boxes is None:
            return
        boxes = self._boxes = _current(self._boxes)
        if len(boxes) > MAX_ENTRIES:
            boxes = self._boxes = {key: boxes[key] for key in self._used if key in boxes}
        try:
            write_atomically(self.path, json.dumps(boxes, separators=(",", ":")))
        except OSError:
            return
        self._added = 0
        remove_unused(os.fspath(self.path.parent), _PREFIX, keep=os.fspath(self.path), max_age_s=MAX_AGE_S)

    def _loaded(self) -> dict[str, tuple[str, float]]:
        if self._boxes is None:
            self._boxes = _read(self.path)
        return self._boxes


def store_for(fingerprint: str, folder: str) -> BoxStore:
    """The process's store of one fingerprint in ``folder`` (the private per-user cache folder)."""
    from .. import __version__

    path = Path(folder) / f"{_PREFIX}{__version__}-{fingerprint}.json"
    store = _STORES.get(path)
    if store is None:
        store = _STORES[path] = BoxStore(path)
    return store


def fingerprint(config: Any, trusted_links: Iterable[str], templates: Path | None) -> str:
    """What every box of a renderer depends on besides its own request and products (a hex digest)."""
    digest = blake2b(digest_size=16)
    for part in (_code_identity(), repr(config), repr(sorted(trusted_links)), _folder_digest(templates)):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def box_key(settings: object, items: bytes) -> str:
    """A box's key from what decides it: the ``repr`` of the request's settings and the resolved items
    as one JSON document.

    The JSON is hashed as the encoder wrote it: taking the ``repr`` of JSON text (escaping every quote
    and backslash again) and encoding it back to UTF-8 cost more than the hash, once per distinct box
    in every build. A NUL byte between the two parts cannot occur in either (``repr`` escapes it, JSON
    too), so two different boxes never hash the same bytes.
    """
    digest = blake2b(repr(settings).encode("utf-8", "surrogatepass"), digest_size=20)
    digest.update(b"\0")
    digest.update(items)
    return digest.hexdigest()


def _folder_digest(folder: Path | None) -> str:
    """The names and contents of every file under the user's templates folder ("" when there is none)."""
    if folder is None or not folder.is_dir():
        return ""
    digest = blake2b(digest_size=16)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogatepass") + b"\0")
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _read(path: Path) -> dict[str, tuple[str, float]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    boxes = {
        key: (value[0], float(value[1]))
        for key, value in data.items()
        if isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], int | float)
    }
    return _current(boxes)


def _current(boxes: dict[str, tuple[str, float]]) -> dict[str, tuple[str, float]]:
    """The boxes whose products are younger than Amazon's 24 h cap."""
    oldest = time.time() - DATA_CAP_S
    return {key: box for key, box in boxes.items() if box[1] > oldest}


def write_atomically(path: Path | str, data: str | bytes) -> None:
    """Replace ``path`` by a complete private (0600) file holding ``data`` (text as UTF-8; never a
    half-written file): :func:`asa2render.files.atomic_write`, which does not import tempfile either."""
    atomic_write(path, data, mode=PRIVATE_FILE_MODE)


__all__ = [
    "ENVIRONMENT",
    "MAX_ENTRIES",
    "BoxStore",
    "box_key",
    "enabled",
    "fingerprint",
    "installed_version",
    "private_folder",
    "store_for",
    "write_atomically",
]
