"""``asa2render`` states its public API: every public name is in a sorted ``__all__`` (cf. httpx)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from types import ModuleType

import pytest

import asa2render


def _isort_order(names: list[str]) -> list[str]:
    # ruff's RUF022 order: CONSTANTS, then Classes, then functions and dunders.
    return sorted(names, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))


def test_all_exports_are_public_and_sorted() -> None:
    public = {
        name
        for name in dir(asa2render)
        if not name.startswith("_") and not isinstance(getattr(asa2render, name), ModuleType)
    }
    assert asa2render.__all__ == _isort_order(asa2render.__all__)
    assert set(asa2render.__all__) == public | {"__version__"}


@pytest.mark.parametrize("name", [n for n in asa2render.__all__ if n != "__version__"])
def test_each_export_is_the_object_of_its_home_module(name: str) -> None:
    value = getattr(asa2render, name)
    home = importlib.import_module(value.__module__)
    assert getattr(home, name) is value
    assert value.__module__.startswith("asa2render.")


def test_the_documented_entry_points_are_exported() -> None:
    from asa2render.config.model import Config, load_config
    from asa2render.engine import Engine
    from asa2render.errors import Asa2Error
    from asa2render.shortcodes import Shortcode, expand, parse, scan

    assert (asa2render.Engine, asa2render.Config, asa2render.load_config) == (Engine, Config, load_config)
    assert (asa2render.parse, asa2render.expand, asa2render.scan) == (parse, expand, scan)
    assert asa2render.Shortcode is Shortcode
    assert issubclass(asa2render.StrictModeError, Asa2Error) and issubclass(asa2render.ConfigError, Asa2Error)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        asa2render.Nope  # noqa: B018 - the look-up is the test


def test_importing_the_package_stays_cheap() -> None:
    code = (
        "import sys, asa2render\n"
        "print([m for m in ('pydantic', 'msgspec', 'jinja2', 'httpx', 'yaml', 'asa2render.engine') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
