"""The abuse suite: a fresh site folder (the README's configuration, local products, a cache folder).

Every test here repeats an attack from issue 18 and asserts what the user sees: the exit code, the
message, the files written and the files that must still exist. ``run`` drives the command in
process through click (fast); tests that need a real process (signals, memory) start one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from abuse_helpers import CONFIG, PRODUCTS


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site folder as the README sets one up, made the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "products.toml").write_text(PRODUCTS, encoding="utf-8")
    (tmp_path / "content").mkdir()
    return tmp_path
