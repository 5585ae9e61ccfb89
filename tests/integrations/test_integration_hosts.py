"""Host packages stay optional: not imported by ``import asa2render``, and a clear error without them."""

from __future__ import annotations

import subprocess
import sys

import pytest

HOSTS = ("mkdocs", "pelican", "markdown")


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_importing_asa2render_imports_no_host() -> None:
    code = (
        "import sys, asa2render, asa2render.engine, asa2render.integrations.jinja, "
        "asa2render.integrations.markdown_it\n"
        f"print(sorted(h for h in {HOSTS!r} if h in sys.modules))"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("module", "missing", "extra"),
    [
        ("asa2render.integrations.markdown", "markdown", "markdown"),
        ("asa2render.integrations.mkdocs", "mkdocs", "mkdocs"),
        ("asa2render.integrations.pelican", "pelican", "pelican"),
    ],
)
def test_integration_without_its_host_names_the_extra(module: str, missing: str, extra: str) -> None:
    code = (
        "import sys\n"
        f"sys.modules[{missing!r}] = None\n"
        "from asa2render.errors import IntegrationMissingError\n"
        "try:\n"
        f"    __import__({module!r})\n"
        "except IntegrationMissingError as exc:\n"
        "    print(exc)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert f"pip install 'asa2render[{extra}]'" in result.stdout
