"""Small helpers of the abuse suite (kept out of conftest so tests import them by name)."""

from __future__ import annotations

from pathlib import Path


def victim_files(root: Path) -> list[Path]:
    """Three files, in nested folders, that no command may delete or change."""
    victims = [root / "a" / "victim.txt", root / "b" / "deep" / "victim.txt", root / "c" / "victim.txt"]
    for victim in victims:
        victim.parent.mkdir(parents=True, exist_ok=True)
        victim.write_text("keep me", encoding="utf-8")
    return victims
