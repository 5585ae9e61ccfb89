"""The bundled example site (`make demo`) builds against the sandbox and shows every list kind."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from asa2render.cli.app import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "site"


def test_example_site_builds_with_a_smart_collection_and_a_search_list(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns(".asa2render-cache", "output"))
    result = CliRunner().invoke(cli, ["build", str(site), "-o", str(tmp_path / "out"), "--sandbox", "auto"])
    assert result.exit_code == 0, result.output
    assert "1 search(es)" in result.stderr
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    lists = re.findall(
        r'<div class="asa2-list[^"]*" data-asa2-asin="([\w,-]+)" data-asa2-state="(\w+)"', page
    )
    assert ("B0LOCAL001,B0DEMO0003,B0DEMO0001", "fresh") in lists  # kitchen, < 100 €, by price
    assert ("B0DEMO0001", "fresh") in lists  # the search list (us store)
    assert "Burr Coffee Grinder" in page
