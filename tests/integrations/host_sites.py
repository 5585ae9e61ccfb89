"""What the real-generator tests share: hostile products, source pages, and reading the built HTML.

Each host test builds one small site twice — through ``asa2render render`` and through the data file
(``init`` + ``export-data``) — and checks the built pages with :func:`boxes_in`.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

# Titles that would run as template code, break the build or inject markup if they reached a generator.
HOSTILE_TITLES = {
    "B0HOST0001": "Grinder {{ 7 | times: 6 }} {{< asa2 x >}}",
    "B0HOST0002": "Kettle {% tag {# comment *stars* _under_",
    "B0HOST0003": "Scale <script>alert(1)</script> [a](b)",
}
CONFIG = """\
[site]
products = "products.toml"
cache_dir = "cache"

[[marketplaces]]
country = "de"
partner_tag = "hosttest-21"
default = true

[[marketplaces]]
country = "us"
partner_tag = "hosttest-20"
"""


def products_toml() -> str:
    entries = []
    for asin, title in HOSTILE_TITLES.items():
        country = "us" if asin == "B0HOST0003" else "de"
        escaped = title.replace("\\", "\\\\").replace('"', '\\"')
        entries.append(
            f'[[products]]\nasin = "{asin}"\ncountry = "{country}"\ntitle = "{escaped}"\n'
            'price = "19.90"\navailability = "IN_STOCK"\n'
        )
    return "\n".join(entries)


# Through `render`: a block box between two lines of text, an inline box in a paragraph, a box whose
# store comes from the front matter, a text link in a list item. 4 elements, 3 boxes.
RENDER_BODY = """\
Intro paragraph.
[asa2 asin="B0HOST0001" country="de"]
Text right after the box.

A list: [asa2 asin="B0HOST0002" country="de"] inline.

[asa2]B0HOST0003[/asa2]

- item [asa2_textlink asin="B0HOST0001" country="de"]the link text[/asa2_textlink]
"""


def write_setup(root: Path) -> Path:
    """``asa2render.toml`` and ``products.toml`` in ``root``; returns the configuration's path."""
    (root / "products.toml").write_text(products_toml(), encoding="utf-8")
    config = root / "asa2render.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return config


def asa2render(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would; fails the test with its stderr on a non-zero exit."""
    command = [sys.executable, "-m", "asa2render", *map(str, args)]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result


def render_for_host(
    host: str, source: str | Path, output: Path, config: Path, cwd: Path
) -> subprocess.CompletedProcess[str]:
    """``asa2render render SOURCE -o OUTPUT --host HOST --offline``, as the README tells each generator's users."""
    return asa2render(
        "render", source, "-o", output, "--host", host, "--offline", "--config", config, cwd=cwd
    )


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@dataclass
class Built:
    """The product elements of one built page."""

    roots: list[dict[str, str]] = field(default_factory=list)  # attributes of each data-asa2-asin root
    titles: list[str] = field(default_factory=list)  # text of every .asa2-title
    scripts: int = 0
    block_in_paragraph: bool = False


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.built = Built()
        self._title: list[str] | None = None
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "script":
            self.built.scripts += 1
        if tag in {"div", "ul", "figure"} and "p" in self._open:
            self.built.block_in_paragraph = True
        if "data-asa2-asin" in values:
            self.built.roots.append(values)
        if "asa2-title" in values.get("class", "").split():
            self._title = []
        if tag not in {"img", "br", "meta", "link", "input", "hr"}:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass
        if tag == "a" and self._title is not None:
            self.built.titles.append("".join(self._title))
            self._title = None

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)


def boxes_in(html: str) -> Built:
    reader = _Reader()
    reader.feed(html)
    return reader.built


def assert_hostile_titles_are_text(built: Built, expected_boxes: int) -> None:
    """Every box is there, each hostile title reads exactly as the product's title, nothing ran."""
    boxes = [r for r in built.roots if "asa2-textlink" not in r.get("class", "")]
    assert len(boxes) == expected_boxes, built.roots
    assert sorted(built.titles) == sorted(
        HOSTILE_TITLES[r["data-asa2-asin"]] for r in boxes if r["data-asa2-state"] != "fallback"
    )
    assert built.scripts == 0 and not built.block_in_paragraph
