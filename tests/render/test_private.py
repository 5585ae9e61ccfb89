"""The per-user private folder's temporary directory (asa2render/render/private.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Run in a fresh interpreter: ``temporary_directory`` looks for itself only while tempfile is not
# imported, and tempfile caches its answer.
_PROBE = """
import json, sys
from asa2render.render.private import temporary_directory
ours = temporary_directory()
imported = "tempfile" in sys.modules
import tempfile
print(json.dumps({"ours": ours, "imported": imported, "theirs": tempfile.gettempdir()}))
"""


def _child(environ: dict[str, str], cwd: Path) -> dict[str, object]:
    env = {key: value for key, value in os.environ.items() if key not in {"TMPDIR", "TEMP", "TMP"}}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env={**env, **environ},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.skipif(os.name != "posix", reason="the shortcut is for POSIX; elsewhere tempfile decides")
@pytest.mark.parametrize(
    "case",
    ["unset", "tmpdir", "relative", "temp only", "empty then tmp", "missing", "file", "trailing slash"],
)
def test_the_temporary_directory_is_the_one_tempfile_finds(case: str, tmp_path: Path) -> None:
    folder = tmp_path / "tmp"
    folder.mkdir()
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    environ = {
        "unset": {},
        "tmpdir": {"TMPDIR": str(folder)},
        "relative": {"TMPDIR": "tmp"},
        "temp only": {"TEMP": str(folder)},
        "empty then tmp": {"TMPDIR": "", "TMP": str(folder)},
        "missing": {"TMPDIR": str(tmp_path / "missing"), "TMP": str(folder)},
        "file": {"TMPDIR": str(tmp_path / "a-file")},
        "trailing slash": {"TMPDIR": f"{folder}/"},
    }[case]
    found = _child(environ, tmp_path)
    assert found["ours"] == found["theirs"]
    # The usual cases need no tempfile; the rest are left to it.
    assert found["imported"] is (case in {"missing", "file"})
