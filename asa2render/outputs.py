"""Where output may go: never over an input, never read back as input, in place only with a backup.

Every command that walks an input folder and writes an output asks this module, so the same rules
hold everywhere:

* an output path that *is* an input (``render page.md -o page.md``, ``render c -o c``) is refused;
* an output folder inside an input folder is skipped while walking, so a run never reads its own
  previous output (``render content -o content/out`` stays one level deep);
* rewriting sources is explicit (``--in-place``) and keeps the original as ``page.md.bak``
  (``page.md.bak.1``, ``.2``… when older backups exist: a backup is never overwritten).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .errors import OutputError

BACKUP_SUFFIX = ".bak"


def _real(path: Path) -> Path:
    return path.resolve()


def walk_files(root: Path, suffixes: Iterable[str], exclude: Sequence[Path] = ()) -> Iterator[Path]:
    """Files under ``root`` whose suffix (case-insensitive) is in ``suffixes``, sorted, skipping ``exclude``.

    Excluded folders are pruned before they are entered (an output folder inside the input is
    never read). Symbolic links to folders are not followed, so link loops cannot recur.
    """
    wanted = {s.lower() for s in suffixes}
    skip = {_real(p) for p in exclude}
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if _real(here / d) not in skip)
        found.extend(here / f for f in files if Path(f).suffix.lower() in wanted)
    yield from sorted(found)


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (after resolving links and ``..``)."""
    return _real(path).is_relative_to(_real(folder))


def refuse_overwrite(pairs: Iterable[tuple[Path, Path]]) -> None:
    """Raise :class:`OutputError` if any ``(source, target)`` pair would write a source over itself."""
    for source, target in pairs:
        if _real(source) == _real(target) or (target.exists() and os.path.samefile(source, target)):
            raise OutputError(
                f"refusing to write the output over its input {source}; choose another -o, "
                f"or use --in-place, which keeps the original as {source.name}{BACKUP_SUFFIX}"
            )


def refuse_output_at_input(inputs: Iterable[Path], output: Path) -> None:
    """Raise :class:`OutputError` if ``output`` is one of the inputs (file or folder)."""
    for item in inputs:
        if str(item) != "-" and item.exists() and _real(item) == _real(output):
            kind = "folder" if item.is_dir() else "file"
            raise OutputError(f"refusing to write the output into its input {kind} {item}; choose another -o")


def backup(path: Path) -> Path:
    """Copy ``path`` to the first free ``<name>.bak[.N]`` beside it; returns the backup's path."""
    target = path.with_name(path.name + BACKUP_SUFFIX)
    number = 0
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}{BACKUP_SUFFIX}.{number}")
    shutil.copy2(path, target)
    return target


__all__ = ["BACKUP_SUFFIX", "backup", "is_inside", "refuse_output_at_input", "refuse_overwrite", "walk_files"]
