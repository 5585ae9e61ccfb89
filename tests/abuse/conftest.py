"""The abuse suite: a fresh site folder (the README's configuration, local products, a cache folder).

Every test here repeats an attack from issue 18 and asserts what the user sees: the exit code, the
message, the files written and the files that must still exist. ``run`` drives the command in
process through click (fast); tests that need a real process (signals, memory) start one.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from asa2render.cli.app import cli

CONFIG = """
[site]
products = "products.toml"
cache_dir = "cache"

[[marketplaces]]
country = "de"
partner_tag = "mytag-21"
default = true
"""
PRODUCTS = """
[[products]]
asin = "B0LOCAL001"
title = "Local grinder"
price = "10.00"
"""


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


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site folder as the README sets one up, made the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "products.toml").write_text(PRODUCTS, encoding="utf-8")
    (tmp_path / "content").mkdir()
    return tmp_path
