"""Figure family 6: start-up cost and lazy imports.

``asa2render --version`` and rendering a one-shortcode file (offline, from local products) are timed
as child processes of the console script a user runs, against ``python -c pass``. The render is run
again on the unchanged page, as a user's second run finds it: the console script replays the kept page
(``asa2render/render/kept_pages.py``) after checking every input. Beside it, and without a target,
``startup_render_edited_vs_python`` renders a page whose text changes before every round: the full
render, with the page's box kept (``render/box_store.py``) but nothing else. A second child runs the
CLI in-process and reports ``sys.modules``: host packages (mkdocs, pelican, markdown), rich tables and
the sandbox must not be imported by commands that do not use them.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

from .measure import ChildTime, Figure, ratio_figure, run_timed, spread

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


def _imported(arguments: list[str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _MODULES_PROBE, *arguments], capture_output=True, text=True, check=True
    )
    modules: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return [name for name in modules if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)]


def console_script() -> list[str]:
    """The ``asa2render`` console script beside this Python (what a user runs), else ``-m asa2render``."""
    script = Path(sys.executable).with_name("asa2render")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "asa2render"]


def prepared_render(root: Path) -> list[str]:
    """Write the one-shortcode page, its products and configuration into ``root``; the render command."""
    (root / "products.toml").write_text(_PRODUCTS, encoding="utf-8")
    (root / "asa2render.toml").write_text(_CONFIG, encoding="utf-8")
    page = root / "page.md"
    page.write_text('# One box\n\n[asa2 asin="B0STARTUP1"]\n', encoding="utf-8")
    render = ["render", str(page), "-o", str(root / "page.out.md"), "--offline"]
    return [*console_script(), *render, "--config", str(root / "asa2render.toml")]


def _edit(root: Path, round_number: int) -> None:
    """The edited page of one round: the same box, a sentence that differs from every other round's."""
    text = f'# One box\n\nEdited in round {round_number}.\n\n[asa2 asin="B0STARTUP1"]\n'
    (root / "edited.md").write_text(text, encoding="utf-8")


def startup(repeat: int, log: Callable[[str], None] = print) -> list[Figure]:
    """``--version`` and a one-shortcode render vs ``python -c pass``; lazy imports.

    The three commands run in ``repeat`` interleaved rounds after one untimed warm-up each (bytecode
    written, as a user's second run finds it). Each figure is the median over rounds of the per-round
    ratio of CPU times (user + system of the child); wall-time ratios are reported beside it.
    """
    with tempfile.TemporaryDirectory(prefix="asa2render-bench-") as temporary:
        root = Path(temporary)
        cli = console_script()
        render = prepared_render(root)[len(cli) :]
        edited = [*render]
        edited[1:4] = [str(root / "edited.md"), "-o", str(root / "edited.out.md")]
        commands = {
            "python": [sys.executable, "-c", "pass"],
            "version": [*cli, "--version"],
            "render": [*cli, *render],
            "edited": [*cli, *edited],
        }
        times: dict[str, list[ChildTime]] = {name: [] for name in commands}
        for command in commands.values():
            _edit(root, 0)
            run_timed(command, root)
        for round_number in range(1, repeat + 1):
            for name, command in commands.items():
                if name == "edited":
                    _edit(root, round_number)  # (not timed) a new text: nothing of the page is kept
                times[name].append(run_timed(command, root))
        leaks = {"--version": _imported(["--version"]), "render": _imported(render)}
        rendered = (root / "page.out.md").read_text(encoding="utf-8")
        if "Start-up grinder" not in rendered:
            raise AssertionError("the one-shortcode render did not render the local product")

    def ratios(name: str, clock: str) -> list[float]:
        return [
            getattr(a, clock) / getattr(b, clock) for a, b in zip(times[name], times["python"], strict=True)
        ]

    def median_ms(name: str, clock: str) -> float:
        return statistics.median(getattr(run, clock) for run in times[name]) * 1000

    log(
        f"  CPU medians: python -c pass {median_ms('python', 'cpu'):.0f} ms, --version "
        f"{median_ms('version', 'cpu'):.0f} ms, render {median_ms('render', 'cpu'):.0f} ms, edited page "
        f"{median_ms('edited', 'cpu'):.0f} ms; render/python CPU {spread(ratios('render', 'cpu'))}, "
        f"wall {spread(ratios('render', 'wall'))}; edited/python CPU {spread(ratios('edited', 'cpu'))}"
    )
    figures = []
    for name, figure_name, target in (
        ("version", "startup_version_vs_python", None),
        ("render", "startup_render_one_vs_python", 8.0),
        ("edited", "startup_render_edited_vs_python", None),
    ):
        figure = ratio_figure(
            figure_name,
            median_ms(name, "cpu") / 1000,
            median_ms("python", "cpu") / 1000,
            unit="s",
            target=f"<= {target:g}" if target else "",
            goal="max",
            limit=target,
            detail=(
                f"{Path(cli[-1] if len(cli) == 1 else cli[0]).name} {name} vs python -c pass: CPU time, median of "
                f"{repeat} interleaved rounds, spread {spread(ratios(name, 'cpu'))}; wall {spread(ratios(name, 'wall'))}"
            ),
            cpu_ratios=ratios(name, "cpu"),
            wall_ratios=ratios(name, "wall"),
        )
        figure.value = figure.ratio = statistics.median(ratios(name, "cpu"))
        figures.append(figure)
    found = sorted({name for names in leaks.values() for name in names})
    return [
        *figures,
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


__all__ = ["FORBIDDEN", "console_script", "prepared_render", "startup"]
