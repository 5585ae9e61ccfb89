"""Figure family 6: start-up cost and lazy imports.

``asa2render --version`` and rendering a one-shortcode file (offline, from local products) are timed
as child processes against ``python -c pass``. A second child runs the same CLI in-process and
reports ``sys.modules``: host packages (mkdocs, pelican, markdown), rich tables and the sandbox must
not be imported by commands that do not use them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from .measure import Figure, ratio_figure

FORBIDDEN = ("mkdocs", "pelican", "markdown", "rich.table", "asa2render.sandbox")

_PRODUCTS = textwrap.dedent(
    """
    [[products]]
    asin = "B0STARTUP1"
    country = "de"
    title = "Start-up grinder"
    price = "49.99"
    """
)
_CONFIG = textwrap.dedent(
    """
    [site]
    products = "products.toml"
    cache_dir = ".asa2render-cache"

    [[marketplaces]]
    country = "de"
    partner_tag = "benchde-21"
    default = true
    """
)
_MODULES_PROBE = textwrap.dedent(
    """
    import json, sys
    from asa2render.cli.app import main
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
    print(json.dumps(sorted(sys.modules)), file=sys.stderr)
    """
)


def _wall(command: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        best = min(best, time.perf_counter() - started)
    return best


def _imported(arguments: list[str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _MODULES_PROBE, *arguments], capture_output=True, text=True, check=True
    )
    modules: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return [name for name in modules if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)]


def startup(repeat: int, log: Callable[[str], None] = print) -> list[Figure]:
    """Wall time of ``--version`` and of a one-shortcode render vs ``python -c pass``; lazy imports."""
    with tempfile.TemporaryDirectory(prefix="asa2render-bench-") as temporary:
        root = Path(temporary)
        (root / "products.toml").write_text(_PRODUCTS, encoding="utf-8")
        (root / "asa2render.toml").write_text(_CONFIG, encoding="utf-8")
        page = root / "page.md"
        page.write_text('# One box\n\n[asa2 asin="B0STARTUP1"]\n', encoding="utf-8")
        render = ["render", str(page), "-o", str(root / "page.out.md"), "--offline"]
        render += ["--config", str(root / "asa2render.toml")]
        python = _wall([sys.executable, "-c", "pass"], repeat)
        version = _wall([sys.executable, "-m", "asa2render", "--version"], repeat)
        one = _wall([sys.executable, "-m", "asa2render", *render], repeat)
        leaks = {"--version": _imported(["--version"]), "render": _imported(render)}
        rendered = (root / "page.out.md").read_text(encoding="utf-8")
        if "Start-up grinder" not in rendered:
            raise AssertionError("the one-shortcode render did not render the local product")
    log(
        f"  python -c pass {python * 1000:.0f} ms, --version {version * 1000:.0f} ms, render {one * 1000:.0f} ms"
    )
    found = sorted({name for names in leaks.values() for name in names})
    return [
        ratio_figure("startup_version_vs_python", version, python, unit="s"),
        ratio_figure("startup_render_one_vs_python", one, python, unit="s"),
        Figure(
            "startup_eager_imports",
            len(found),
            "modules",
            0.0,
            None,
            "= 0",
            "eq",
            0.0,
            detail="unused modules imported: " + (", ".join(found) if found else "none"),
            extra=dict(leaks),
        ),
    ]


__all__ = ["FORBIDDEN", "startup"]
