"""The public surface: sorted __all__ lists, and imports that stay lazy."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

MODULES = [
    "asa2render",
    "asa2render.products.asins",
    "asa2render.products.cache",
    "asa2render.config.model",
    "asa2render.engine",
    "asa2render.errors",
    "asa2render.products.local",
    "asa2render.marketplaces",
    "asa2render.masking",
    "asa2render.products.models",
    "asa2render.products.refresh",
    "asa2render.render.renderer",
    "asa2render.products.resolve",
    "asa2render.config.routing",
    "asa2render.shortcodes",
    "asa2render.products.store",
    "asa2render.products.urls",
    "asa2render.render.user_templates",
    "asa2render.twig",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted_and_resolves(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    # isort-style order, as ruff's RUF022 keeps it: CONSTANTS, then Classes, then functions.
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
    assert all(hasattr(module, item) for item in exported)


def test_version_command_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from asa2render.cli.app import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('rich.table', 'mkdocs', 'pelican', 'markdown', 'asa2render.sandbox',"
        " 'asa2render.api', 'httpx', 'jinja2') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
