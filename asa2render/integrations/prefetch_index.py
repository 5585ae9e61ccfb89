"""Kept prefetch keys: the products each source of a site named at its last build, by file signature.

A site prefetch (the Pelican plugin's) reads, scans and resolves every Markdown source so that all
products are fetched in one batch, and the generator's own Markdown run then reads and resolves each
source again. A source unchanged since the last build (same size, modification time, inode and device),
under the same configuration, the same page-country default and the same code, names the same products:
the index hands its keys over and the prefetch neither reads nor scans it again.

The index is a hint for batching only. A source is kept only when its preparation reported no problem
and every request of it names its products itself (no search, no smart collection: what those show
depends on the cache); every box is still resolved, fetched and checked by the Markdown extension when
the page is read. A wrong or stale entry could cost a fetch per page, never a different page.

Kept in the private per-user folder beside the kept boxes (:mod:`asa2render.render.private`, 0700), one
file per site, removed after a month unused; ``ASA2RENDER_BOX_CACHE=off`` turns it off with them.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterable
from hashlib import blake2b

from ..files import PRIVATE_FILE_MODE, atomic_write
from ..products.models import ProductKey
from ..render import box_store
from ..render.private import code_identity, private_folder, remove_unused

PREFIX = "prefetch-"
FORMAT = 1  # raised whenever the layout below changes: an older file then reads as empty

Signature = tuple[int, int, int, int]  # size, modification time (ns), inode, device
Keys = tuple[tuple[str, str], ...]  # (country, asin) of each product, in order
_Entries = dict[str, tuple[Signature, Keys]]


def signature(info: os.stat_result) -> Signature:
    """What says a file is unchanged since it was read (an edit, a replacement or a copy changes it)."""
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev)


class PrefetchIndex:
    """The keys of one site's sources at its last build; :meth:`save` keeps those of this build."""

    def __init__(self, path: str | None, kept: _Entries) -> None:
        self.path = path  # None: nothing is read or kept (keeping is off, or no private folder)
        self._kept = kept
        self._now: _Entries = {}

    @classmethod
    def open(cls, site: str, setting: str) -> PrefetchIndex:
        """The index of the site whose sources are under ``site``.

        Args:
            site: the content folder (its real path names the index).
            setting: everything else that decides a source's keys, as text: the configuration's
                ``repr`` (secrets masked) and the page-country default. Hashed with the code's
                identity; never written down.
        """
        if not box_store.enabled():
            return cls(None, {})
        try:
            folder = private_folder()
        except (OSError, RuntimeError):
            return cls(None, {})
        digest = blake2b(digest_size=16)
        for part in (code_identity(), os.path.realpath(site), setting):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        path = os.path.join(folder, f"{PREFIX}{digest.hexdigest()}.marshal")
        return cls(path, _read(path))

    def keys(self, name: str, info: os.stat_result) -> list[ProductKey] | None:
        """The kept keys of source ``name`` if it is unchanged (they stay kept), else None."""
        entry = self._kept.get(name)
        if entry is None or entry[0] != signature(info):
            return None
        self._now[name] = entry
        return [ProductKey(country, asin) for country, asin in entry[1]]

    def keep(self, name: str, info: os.stat_result, keys: Iterable[ProductKey]) -> None:
        """Keep the keys of source ``name``, read with signature ``info``, for the next build."""
        self._now[name] = (signature(info), tuple((key.country, key.asin) for key in keys))

    def save(self) -> None:
        """Write this build's entries (sources gone since are dropped) when they differ from the kept."""
        if self.path is None or self._now == self._kept:
            return
        try:
            atomic_write(self.path, marshal.dumps((FORMAT, self._now)), mode=PRIVATE_FILE_MODE)
        except OSError:
            return  # a hint only: the next build prepares every source again
        self._kept = dict(self._now)
        remove_unused(os.path.dirname(self.path), PREFIX, keep=self.path)


def _read(path: str) -> _Entries:
    """The entries kept at ``path``; empty when there is no file or it is not one this code wrote."""
    try:
        with open(path, "rb") as file:
            data = marshal.load(file)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not (isinstance(data, tuple) and len(data) == 2 and data[0] == FORMAT and isinstance(data[1], dict)):
        return {}
    entries: _Entries = data[1]
    return entries if all(_valid(name, entry) for name, entry in entries.items()) else {}


def _valid(name: object, entry: object) -> bool:
    if not (isinstance(name, str) and isinstance(entry, tuple) and len(entry) == 2):
        return False
    found, keys = entry
    return (
        isinstance(found, tuple)
        and len(found) == 4
        and all(type(part) is int for part in found)
        and isinstance(keys, tuple)
        and all(
            isinstance(key, tuple) and len(key) == 2 and all(type(part) is str for part in key)
            for key in keys
        )
    )


__all__ = ["FORMAT", "PREFIX", "PrefetchIndex", "Signature", "signature"]
