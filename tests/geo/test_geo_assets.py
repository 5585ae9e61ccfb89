"""What a geo-targeted site ships: the script (small, self-contained), the table file, the tags."""

from __future__ import annotations

import json
import re
from pathlib import Path

from asa2render.geo.assets import (
    INLINE_ID,
    SCRIPT_NAME,
    TABLE_NAME,
    inject,
    inline_table,
    script_gzip_size,
    script_source,
    script_tag,
    write_assets,
)
from asa2render.geo.site import add_script, add_scripts, script_src, with_inline_table
from asa2render.geo.table import GeoTable


def table(title: str = "Pan") -> GeoTable:
    return GeoTable(data={"version": 1, "products": {"B0DEMO0003": {"x": ["de"], "s": ["uk"], "t": title}}})


def test_script_is_at_most_3_kb_gzipped() -> None:
    assert script_gzip_size() <= 3 * 1024


def test_script_sets_no_cookies_and_asks_no_third_party() -> None:
    source = script_source()
    assert "cookie" not in source.lower()
    # The only absolute URLs it builds are Amazon store links; the table and the optional geo-IP
    # endpoint come from the site itself.
    hosts = set(re.findall(r"https?://([^\"'/ ]+)", source))
    assert hosts <= {"www."}, hosts  # "https://www." + the store's domain
    assert "localStorage" in source


def test_write_assets(tmp_path: Path) -> None:
    written = write_assets(tmp_path / "site", table())
    assert [p.name for p in written] == [TABLE_NAME, SCRIPT_NAME]
    assert json.loads(written[0].read_text())["products"]["B0DEMO0003"]["t"] == "Pan"
    assert written[1].read_text() == script_source()


def test_inline_table_cannot_end_its_element_early() -> None:
    snippet = inline_table(table("</script><script>alert(1)</script>"))
    assert snippet.startswith(f'<script type="application/json" id="{INLINE_ID}">')
    assert snippet.count("</script>") == 1
    body = snippet.removeprefix(f'<script type="application/json" id="{INLINE_ID}">').removesuffix(
        "</script>"
    )
    assert json.loads(body)["products"]["B0DEMO0003"]["t"] == "</script><script>alert(1)</script>"


def test_inline_table_in_html_goes_before_body_end_and_after_markdown() -> None:
    page = "<html><body><p>x</p></body></html>"
    assert with_inline_table(page, table()).endswith("</script>\n</body></html>")
    markdown = "# Title\n\n[box]\n"
    assert with_inline_table(markdown, table()).startswith("# Title\n\n[box]\n\n<script")


def test_inject_uses_the_last_body_end() -> None:
    page = "<body><pre>&lt;/body&gt; </BODY ></pre></BODY >"
    assert inject(page, "<x>") == "<body><pre>&lt;/body&gt; </BODY ></pre><x>\n</BODY >"
    assert inject("<p>fragment</p>", "<x>") == "<p>fragment</p><x>\n"


def test_script_tag_only_on_pages_with_boxes_and_only_once(tmp_path: Path) -> None:
    boxed = '<html><body><div data-asa2-asin="B0DEMO0001"></div></body></html>'
    plain = "<html><body><p>no boxes</p></body></html>"
    assert add_script(plain, SCRIPT_NAME) == plain
    tagged = add_script(boxed, "../asa2render-geo.js")
    assert script_tag("../asa2render-geo.js") in tagged
    assert add_script(tagged, "../asa2render-geo.js") == tagged

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.html").write_text(boxed)
    (tmp_path / "plain.html").write_text(plain)
    assert add_scripts(tmp_path) == 1
    assert '<script src="../../asa2render-geo.js" defer>' in (tmp_path / "a" / "b" / "deep.html").read_text()
    assert script_src(tmp_path / "index.html", tmp_path) == SCRIPT_NAME
