"""Output rules: walking skips the output folder, targets never equal sources, backups never overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from asa2render.errors import OutputError
from asa2render.outputs import backup, is_inside, refuse_output_at_input, refuse_overwrite, walk_files


def test_walk_skips_excluded_folders_and_sorts(tmp_path: Path) -> None:
    for name in ("b.md", "a.MD", "x.txt", "out/c.md", "sub/d.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    found = list(walk_files(tmp_path, {".md", ".html"}, [tmp_path / "out"]))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.MD", "b.md", "sub/d.html"]


def test_targets_equal_to_sources_are_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("x", encoding="utf-8")
    refuse_overwrite([(page, tmp_path / "out" / "page.md")])
    with pytest.raises(OutputError, match="over its input"):
        refuse_overwrite([(page, tmp_path / "sub" / ".." / "page.md")])
    with pytest.raises(OutputError, match="input folder"):
        refuse_output_at_input([tmp_path], tmp_path / ".")
    assert is_inside(tmp_path / "out", tmp_path) and not is_inside(tmp_path, tmp_path / "out")


def test_backups_take_the_next_free_name(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("one", encoding="utf-8")
    assert backup(page).name == "page.md.bak"
    page.write_text("two", encoding="utf-8")
    assert backup(page).name == "page.md.bak.1"
    assert (tmp_path / "page.md.bak").read_text(encoding="utf-8") == "one"
