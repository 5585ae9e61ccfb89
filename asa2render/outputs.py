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
from collections.abc import Collection, Iterable, Iterator, Sequence
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
    for name in walk_relative(root, suffixes, exclude):
        yield root / name


def walk_relative(
    root: Path,
    suffixes: Iterable[str] | None = None,
    exclude: Sequence[Path] = (),
    skip_names: Collection[str] = (),
) -> list[str]:
    """What :func:`walk_files` finds, as paths relative to ``root`` (all files when ``suffixes`` is None).

    Entries named in ``skip_names`` (files or folders: ``.git``) are left out, folders unentered.
    Strings, not ``Path`` objects: a site of 100,000 pages is listed in a tenth of the memory. The
    order is ``sorted()`` of the full paths: part by part (``a/x`` before ``a-b/x``), case-folded
    where the platform's paths are.
    """
    wanted = None if suffixes is None else {s.lower() for s in suffixes}
    skip = {_real(p) for p in exclude}
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if d not in skip_names and _real(here / d) not in skip]
        prefix = os.path.relpath(folder, root)
        for file in files:
            if file in skip_names or (wanted is not None and _suffix(file).lower() not in wanted):
                continue
            found.append(file if prefix == os.curdir else os.path.join(prefix, file))
    found.sort(key=_parts_key)
    return found


def _suffix(name: str) -> str:
    # PurePath.suffix, without making a path of every file name
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _parts_key(name: str) -> list[str]:
    # How pure paths compare (PurePath._cparts): by their parts, case-folded on Windows.
    return os.path.normcase(name).split(os.sep)


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
    import shutil  # here: shutil (and the archive modules it imports) would cost every render's start-up

    shutil.copy2(path, target)
    return target


__all__ = [
    "BACKUP_SUFFIX",
    "backup",
    "is_inside",
    "refuse_output_at_input",
    "refuse_overwrite",
    "walk_files",
    "walk_relative",
]
