"""Reading WXR files: posts and pages only, and hostile XML refused (no XXE, no entity bombs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from asa2render.cli.app import cli
from asa2render.errors import WordPressExportError
from asa2render.wordpress import read_export

EXPORT = Path(__file__).parent / "fixtures" / "asa2-theme-unit-test.xml"
MINIMAL = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/{version}/">
<channel><title>Site</title>
<item><title>{title}</title><link>https://example.org/p/</link>
<content:encoded><![CDATA[{content}]]></content:encoded>
<wp:post_id>7</wp:post_id><wp:post_date>2020-02-03 04:05:06</wp:post_date>
<wp:post_date_gmt>2020-02-03 03:05:06</wp:post_date_gmt><wp:post_name>%c3%bcber-uns</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
"""


def test_reads_posts_and_pages_and_skips_the_rest() -> None:
    export = read_export(EXPORT)
    assert export.site_title == "Theme Unit Test & ASA2"
    assert [(e.post_type, e.post_id) for e in export.entries] == [
        ("post", "1001"),
        ("post", "1002"),
        ("post", "1003"),
        ("post", "1004"),
        ("post", "1005"),
        ("page", "2"),
    ]
    assert export.skipped == 2  # the attachment and the menu item
    classic = export.entries[0]
    assert (classic.slug, classic.status, classic.date, classic.date_is_utc) == (
        "classic-boxes",
        "publish",
        "2023-01-09 10:00:00",
        True,
    )
    assert classic.categories == ("Classic",) and classic.tags == ("Amazon", "Kaffee")
    draft = export.entries[4]
    assert (draft.slug, draft.status, draft.date, draft.date_is_utc) == (
        "",
        "draft",
        "2023-01-13 11:00:00",
        False,
    )
    assert draft.title == "“Smart” quotes, primes & non-breaking spaces"


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version(tmp_path: Path, version: str) -> None:
    path = tmp_path / "export.xml"
    path.write_text(
        MINIMAL.format(version=version, title="T", content="[asa2]B0DEMO0001[/asa2]"), encoding="utf-8"
    )
    (entry,) = read_export(path).entries
    assert entry.content == "[asa2]B0DEMO0001[/asa2]"
    assert entry.slug == "%c3%bcber-uns"


def test_percent_encoded_slugs_become_file_names(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(MINIMAL.format(version="1.2", title="Über uns", content="x"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import-wordpress", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "posts" / "über-uns.md").exists()


HOSTILE = {
    "external entity (XXE)": """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&xxe;</title>
<wp:post_type>post</wp:post_type></item></channel></rss>""",
    "entity expansion (billion laughs)": """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&c;</title>
<wp:post_type>post</wp:post_type></item></channel></rss>""",
    "external DTD": """<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel></channel></rss>""",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_xml_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "export.xml"
    path.write_text(HOSTILE[name], encoding="utf-8")
    with pytest.raises(WordPressExportError, match="refused unsafe XML"):
        read_export(path)
    result = CliRunner().invoke(cli, ["import-wordpress", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "root:" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<rss><channel><item>", ":1:21: not well-formed XML"),
        ("<html><body>not an export</body></html>", "not a WordPress export (WXR)"),
        ('<rss version="2.0"><channel><title>A feed</title></channel></rss>', "not a WordPress export (WXR)"),
    ],
)
def test_not_an_export_is_a_usage_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "export.xml"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import-wordpress", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_hostile_dates_and_slugs_stay_inside_the_output(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    text = MINIMAL.format(version="1.2", title="../../escape", content="[asa2]B0DEMO0001[/asa2]")
    text = text.replace("2020-02-03 03:05:06", "../../../../tmp/x").replace("%c3%bcber-uns", "../../etc")
    path.write_text(text, encoding="utf-8")
    (entry,) = read_export(path).entries
    assert entry.date == "2020-02-03 04:05:06" and not entry.date_is_utc  # the bad GMT date is ignored
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["import-wordpress", str(path), "-o", str(out), "--host", "jekyll"])
    assert result.exit_code == 0, result.output
    (written,) = list(tmp_path.rglob("*.md"))
    assert written == out / "_posts" / "2020-02-03-etc.md"
