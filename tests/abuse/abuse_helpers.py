"""Helpers of the abuse suite: the README's site configuration and an in-process runner."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from asa2_fakes import LOCAL_DE_MARKETPLACE, LOCAL_PRODUCTS
from click.testing import CliRunner

from asa2render.cli.app import cli

CONFIG = (
    """
[site]
products = "products.toml"
cache_dir = "cache"
templates = "templates"
"""
    + LOCAL_DE_MARKETPLACE
)
PRODUCTS = LOCAL_PRODUCTS


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str


def run(*args: str, input: str | bytes | None = None) -> Outcome:
    """Run ``asa2render ARGS`` in process; an uncaught exception (a traceback for the user) fails the test."""
    result = CliRunner().invoke(cli, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        details = "".join(traceback.format_exception(result.exception))
        pytest.fail(f"asa2render {' '.join(args)} raised instead of reporting:\n{details}")
    return Outcome(result.exit_code, result.stdout, result.stderr)


def victim_files(root: Path) -> list[Path]:
    """Three files, in nested folders, that no command may delete or change."""
    victims = [root / "a" / "victim.txt", root / "b" / "deep" / "victim.txt", root / "c" / "victim.txt"]
    for victim in victims:
        victim.parent.mkdir(parents=True, exist_ok=True)
        victim.write_text("keep me", encoding="utf-8")
    return victims
