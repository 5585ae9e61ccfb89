"""Atomic file writes: old or new content, never a mix; modes kept or set; no temporary left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from asa2render.files import PRIVATE_FILE_MODE, atomic_write

HAND_WRITTEN = "# hand written\n"


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "asa2render.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    return path


def test_failure_while_writing_the_temporary_file_cleans_up(config_path: Path) -> None:
    # A non-string makes the write itself fail, after the temporary file was created.
    with pytest.raises(TypeError):
        atomic_write(config_path, 42)  # type: ignore[arg-type]
    assert config_path.read_text(encoding="utf-8") == HAND_WRITTEN
    assert sorted(p.name for p in config_path.parent.iterdir()) == ["asa2render.toml"]


def test_atomic_write_keeps_the_existing_mode(config_path: Path) -> None:
    config_path.chmod(0o640)
    atomic_write(config_path, "# replaced\n")
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o640
    assert config_path.read_text(encoding="utf-8") == "# replaced\n"


def test_atomic_write_follows_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "asa2render.toml"
    link.symlink_to(real)
    atomic_write(link, "new\n")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new\n"


def test_a_given_mode_is_set_and_the_file_is_private_from_the_start(tmp_path: Path) -> None:
    target = tmp_path / "secrets.toml"
    atomic_write(target, "secret\n", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o644)
    atomic_write(target, "again\n", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_parents_are_created_on_request_and_newlines_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deep" / "page.md"
    atomic_write(target, "a\r\nb\n", create_parents=True)
    assert target.read_bytes() == b"a\r\nb\n"


def test_a_failed_rename_leaves_the_old_file(config_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(source: object, target: object) -> None:
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        atomic_write(config_path, "new\n")
    assert config_path.read_text(encoding="utf-8") == HAND_WRITTEN
    assert sorted(p.name for p in config_path.parent.iterdir()) == ["asa2render.toml"]


def test_atomic_write_writes_bytes_as_they_are(tmp_path: Path) -> None:
    target = tmp_path / "record.bin"
    target.write_text("old", encoding="utf-8")
    data = bytes(range(256))  # not UTF-8: written untouched, never decoded
    atomic_write(target, data, mode=PRIVATE_FILE_MODE)
    assert target.read_bytes() == data
    assert target.stat().st_mode & 0o777 == PRIVATE_FILE_MODE
    assert [path.name for path in tmp_path.iterdir()] == ["record.bin"]
