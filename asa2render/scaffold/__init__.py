"""What ``asa2render init hugo|eleventy|jekyll [DIR]`` writes: a native ``asa2`` shortcode per generator.

Each generator gets a shortcode (Hugo ``layouts/shortcodes/asa2.html``, an Eleventy plugin module,
a Jekyll include plus an optional tag plugin) and a disclosure snippet, all reading the data file
``asa2render export-data`` writes, plus the product stylesheet and a starter ``asa2render.toml``.
The shortcodes print the markup stored in the data file, which is rendered by asa2render's own
templates: a generator shows exactly what ``render`` would, and follows the built-in (or your)
templates without a second copy of them. Existing files are kept unless ``force`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from ..render.renderer import stylesheet

Generator = Literal["hugo", "eleventy", "jekyll"]
GENERATORS: tuple[Generator, ...] = ("hugo", "eleventy", "jekyll")

# Where each generator serves static files from, and where export-data should write its data file.
STYLESHEETS: dict[Generator, str] = {
    "hugo": "static/asa2render.css",
    "eleventy": "asa2render.css",
    "jekyll": "assets/asa2render.css",
}
DATA_FILES: dict[Generator, str] = {
    "hugo": "data/asa2.json",
    "eleventy": "_data/asa2.json",
    "jekyll": "_data/asa2.json",
}
# Eleventy reads none of these when the site has no configuration yet; init then writes the last one.
ELEVENTY_CONFIGS = (".eleventy.js", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs")
ELEVENTY_CONFIG = """\
// Written by `asa2render init eleventy`: asa2render's shortcodes read _data/asa2.json.
module.exports = function (eleventyConfig) {
  eleventyConfig.addPlugin(require("./asa2render.eleventy.cjs"));
};
"""
STARTER_CONFIG = """\
# asa2render.toml — written by `asa2render init {generator}`. Every key: README "Configuration".
[site]
host = "{generator}"              # what {title} needs from rendered boxes
cache_dir = ".asa2render-cache"   # add it to .gitignore
timezone = "UTC"                  # the zone of the "as of" stamp
# disclaimer_url = "https://example.com/affiliate-disclosure"

# One entry per Amazon store. To try everything first, leave them out and add --sandbox auto:
# the built-in sandbox then serves its demo store.
# [[marketplaces]]
# country = "de"
# credential_type = "cognito"
# credential_id = "your-credential-id"
# credential_secret = "${{ASA2_DE_SECRET}}"
# partner_tag = "mytag-21"
# default = true
"""
TITLES: dict[Generator, str] = {"hugo": "Hugo", "eleventy": "Eleventy", "jekyll": "Jekyll"}

Status = Literal["written", "kept", "replaced"]


@dataclass(frozen=True)
class Written:
    """One file init considered, and what it did with it."""

    path: Path
    status: Status


def scaffold(generator: Generator, directory: Path, *, force: bool = False) -> list[Written]:
    """Write the generator's shortcode files, the stylesheet and a starter configuration."""
    contents: dict[str, str] = {
        str(relative): source.read_text(encoding="utf-8") for relative, source in _files(generator)
    }
    contents[STYLESHEETS[generator]] = stylesheet()
    contents["asa2render.toml"] = STARTER_CONFIG.format(generator=generator, title=TITLES[generator])
    if generator == "eleventy" and not any((directory / name).exists() for name in ELEVENTY_CONFIGS):
        contents["eleventy.config.cjs"] = ELEVENTY_CONFIG
    return [_write(directory / relative, text, force) for relative, text in contents.items()]


def _files(generator: Generator) -> list[tuple[Path, Traversable]]:
    root = files("asa2render.scaffold").joinpath("files", generator)
    found: list[tuple[Path, Traversable]] = []
    pending: list[tuple[Path, Traversable]] = [(Path(), root)]
    while pending:
        relative, node = pending.pop()
        for child in node.iterdir():
            if child.is_dir():
                pending.append((relative / child.name, child))
            elif child.is_file():
                found.append((relative / child.name, child))
    return sorted(found, key=lambda item: str(item[0]))


def _write(path: Path, text: str, force: bool) -> Written:
    existed = path.exists()
    if existed and not force:
        return Written(path, "kept")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Written(path, "replaced" if existed else "written")


__all__ = ["DATA_FILES", "GENERATORS", "STYLESHEETS", "Generator", "Written", "scaffold"]
