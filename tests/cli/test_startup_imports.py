"""A one-file offline render imports only what it uses (its start-up is most of its run).

The render runs in a child process, which reports ``sys.modules`` afterwards: what a page without
front matter, code, links or several stores does not need must not be there. Time is measured in
``benchmarks/startup.py``, never here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

_PROBE = """
import json, sys
from asa2render.cli.app import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

# Each is imported where it is used: YAML front matter or Hugo's YAML configuration, the markdown-it
# parse of a page the fast path cannot prove plain (and `build`), --jobs (its pool), smart collections, [geo], several stores
# fetched at once, the .po parser (the compiled .mo is read), the API and the sandbox. (Not difflib:
# click imports it to parse any short option such as -o.)
NOT_IMPORTED = (
    "yaml",
    "markdown_it",
    "multiprocessing",
    "concurrent.futures",
    "asa2render.render.parallel",
    "asa2render.products.smart",
    "babel.messages.pofile",
    "asa2render.render.site",
    "asa2render.render.gallery",
    "asa2render.geo.site",
    "asa2render.geo.assets",
    "asa2render.api",
    "asa2render.sandbox",
    "asa2render.twig",
    "httpx",
    "rich",
)


def _render_modules(tmp_path: Path, page: str) -> list[str]:
    _write_site(tmp_path, page)
    return _rendered_modules(tmp_path)


def _write_site(tmp_path: Path, page: str) -> None:
    (tmp_path / "products.toml").write_text(
        '[[products]]\nasin = "B0STARTUP1"\ncountry = "de"\ntitle = "Start-up grinder"\nprice = "49.99"\n',
        encoding="utf-8",
    )
    (tmp_path / "asa2render.toml").write_text(
        '[site]\nproducts = "products.toml"\n\n[[marketplaces]]\ncountry = "de"\n'
        'partner_tag = "startup-21"\ndefault = true\n',
        encoding="utf-8",
    )
    (tmp_path / "page.md").write_text(page, encoding="utf-8")


def _rendered_modules(tmp_path: Path, environ: dict[str, str] | None = None) -> list[str]:
    """Render ``page.md`` in a child process; the modules it imported."""
    modules, _ = _render_in_child(tmp_path, _PROBE, environ)
    return modules


def _render_in_child(tmp_path: Path, probe: str, environ: dict[str, str] | None) -> tuple[list[str], str]:
    """Render ``page.md`` with ``probe`` in a child process: the modules it imported, its stderr."""
    arguments = ["render", "page.md", "-o", "page.out.md", "--offline", "--config", "asa2render.toml"]
    done = subprocess.run(
        [sys.executable, "-c", probe, *arguments],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(environ or {})},
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] in (None, 0), done.stderr
    assert "Start-up grinder" in (tmp_path / "page.out.md").read_text(encoding="utf-8")
    modules: list[str] = report["modules"]
    return modules, done.stderr


def _loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules for name in names if m == name or m.startswith(name + "."))


def test_a_plain_page_imports_only_what_it_uses(tmp_path: Path) -> None:
    modules = _render_modules(tmp_path, '# One box\n\n[asa2 asin="B0STARTUP1"]\n')
    assert _loaded(modules, NOT_IMPORTED) == []


@pytest.mark.parametrize(
    ("page", "needed"),
    [
        ('---\ntitle: One box\n---\n\n[asa2 asin="B0STARTUP1"]\n', "yaml"),
        ('Intro\n\n- a list item [asa2 asin="B0STARTUP1"]\n', "markdown_it"),
    ],
    ids=["yaml-front-matter", "markdown-it-parse"],
)
def test_what_a_page_needs_is_still_imported(tmp_path: Path, page: str, needed: str) -> None:
    """The lazy imports happen: YAML front matter is read, a list item is located by the parse."""
    assert needed in _render_modules(tmp_path, page)


# What only rendering a box needs: the template engine, Babel's formatting and CLDR data, the
# package metadata machinery (versions are read from the dist-info folder names), the package's
# resource files (catalogues, logos, the stylesheet) and hashlib, which loads OpenSSL (the kept boxes'
# keys use its BLAKE2 without it), tempfile and shutil (Jinja's bytecode cache imports them; the
# private folder is found and the kept-page record written without them).
RENDERING = ("jinja2", "babel", "importlib.metadata", "importlib.resources", "hashlib", "tempfile", "shutil")


def test_a_kept_box_is_shown_without_jinja_or_babel(tmp_path: Path) -> None:
    """The second render of a page finds its box kept (box_store.py) and its price written: neither
    Jinja nor Babel is imported, yet the output is the same."""
    private = tmp_path / "tmp"
    private.mkdir()
    environ = {"ASA2RENDER_BOX_CACHE": "on", "TMPDIR": str(private)}
    _write_site(tmp_path, '# One box\n\n[asa2 asin="B0STARTUP1"]\n')
    first = _rendered_modules(tmp_path, environ)
    assert "jinja2" in first and "babel" in first  # the first render renders
    rendered = (tmp_path / "page.out.md").read_text(encoding="utf-8")
    (tmp_path / "page.out.md").unlink()
    again = _rendered_modules(tmp_path, environ)
    assert _loaded(again, RENDERING) == []
    assert (tmp_path / "page.out.md").read_text(encoding="utf-8") == rendered


# What a page of local products does not need once the cache folder exists: the product cache is
# opened on its first lookup and the shared state file when a run first fetches (a first run creates
# both); refreshing and the shared fetcher belong to other commands.
CACHE_AND_FETCHING = ("diskcache", "asa2render.shared.fetching", "asa2render.products.refresh")


def test_a_page_of_local_products_opens_no_product_cache(tmp_path: Path) -> None:
    _write_site(tmp_path, '# One box\n\n[asa2 asin="B0STARTUP1"]\n')
    first = _rendered_modules(tmp_path)
    assert "diskcache" in first  # the first run creates the cache folder's database
    rendered = (tmp_path / "page.out.md").read_text(encoding="utf-8")
    (tmp_path / "page.out.md").unlink()
    again = _rendered_modules(tmp_path)
    assert _loaded(again, CACHE_AND_FETCHING) == []
    assert (tmp_path / "page.out.md").read_text(encoding="utf-8") == rendered


# What the console script does not import when it replays a kept page (render/kept_pages.py): the
# command line, the engine and every library, down to typing and re.
_CONSOLE_PROBE = """
import sys
from asa2render.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
modules = sorted(sys.modules)  # before json (which imports re) is imported to report them
import json
print(json.dumps({"code": code, "modules": modules}))
"""
REPLAY_NOT_IMPORTED = (
    "click",
    "asa2render.cli.app",
    "asa2render.engine",
    "asa2render.config",
    "msgspec",
    "jinja2",
    "sqlite3",
    "typing",
    "re",
    "pathlib",
    "tempfile",
    "hashlib",
    "contextlib",
)


def test_a_kept_page_is_replayed_without_the_command_line_or_the_engine(tmp_path: Path) -> None:
    private = tmp_path / "tmp"
    private.mkdir()
    environ = {"ASA2RENDER_BOX_CACHE": "on", "TMPDIR": str(private)}
    _write_site(tmp_path, '# One box\n\n[asa2 asin="B0STARTUP1"]\n')
    first, first_err = _render_in_child(tmp_path, _CONSOLE_PROBE, environ)
    assert "click" in first  # the first run renders in full and keeps the page
    (tmp_path / "page.out.md").write_text("", encoding="utf-8")
    again, again_err = _render_in_child(tmp_path, _CONSOLE_PROBE, environ)
    assert _loaded(again, REPLAY_NOT_IMPORTED) == []
    assert again_err == first_err and "1 shortcode(s)" in again_err
