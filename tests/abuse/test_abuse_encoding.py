"""Issue 18 item 4: text that is not UTF-8 — BOMs are honoured, bad bytes cost one file with a message."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from abuse_helpers import run

PAGE = "# {name}\r\n\r\n[asa2]B0LOCAL001[/asa2]\r\n"
ENCODINGS = {
    "utf-8-sig": b"",
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}


def _pages(site: Path) -> None:
    content = site / "content"
    (content / "good.md").write_text("# good\n\n[asa2]B0LOCAL001[/asa2]\n", encoding="utf-8")
    (content / "latin1.md").write_bytes("# Café\n\n[asa2]B0LOCAL001[/asa2]\n".encode("latin-1"))
    (content / "broken16.md").write_bytes(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8")


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_pages_with_a_byte_order_mark_are_decoded(site: Path, encoding: str) -> None:
    (site / "content" / "page.md").write_bytes(ENCODINGS[encoding] + PAGE.format(name="Ü").encode(encoding))
    outcome = run("render", "content", "-o", "out", "--offline")
    assert outcome.code == 0, outcome.stderr
    text = (site / "out" / "page.md").read_bytes().decode("utf-8")
    assert text.startswith('# Ü\r\n\r\n<div class="asa2-box asa2-fresh')  # BOM dropped, CRLF kept
    assert "Local grinder" in text


def test_undecodable_pages_are_skipped_with_a_message_and_the_others_render(site: Path) -> None:
    _pages(site)
    outcome = run("render", "content", "-o", "out", "--offline")
    assert outcome.code == 0, outcome.stderr
    assert "content/latin1.md: not valid UTF-8 at byte 5" in outcome.stderr.splitlines()
    assert "content/broken16.md: not valid UTF-16 at byte 6" in outcome.stderr.splitlines()
    assert sorted(p.name for p in (site / "out").iterdir()) == ["good.md"]
    assert "Local grinder" in (site / "out" / "good.md").read_text(encoding="utf-8")
    assert (site / "content" / "latin1.md").read_bytes().startswith(b"# Caf\xe9")  # source untouched


def test_undecodable_pages_fail_strict_runs_check_and_strict_builds(site: Path) -> None:
    _pages(site)
    strict = run("render", "content", "-o", "out", "--offline", "--strict")
    assert strict.code == 1 and "content/latin1.md: not valid UTF-8 at byte 5" in strict.stderr
    assert (site / "out" / "good.md").is_file()
    check = run("check", "content", "--offline")
    assert (
        check.code == 1 and "content/latin1.md: [] - - none error: not valid UTF-8 at byte 5" in check.stdout
    )
    build = run("build", "content", "-o", "site", "--offline")
    assert build.code == 0 and "content/latin1.md: not valid UTF-8 at byte 5" in build.stderr
    assert (site / "site" / "good.html").is_file() and not (site / "site" / "latin1.html").exists()
    strict_build = run("build", "content", "-o", "site2", "--offline", "--strict")
    assert strict_build.code == 1 and not (site / "site2" / "good.html").exists()


def test_a_single_undecodable_page_and_stdin(site: Path) -> None:
    _pages(site)
    single = run("render", "content/latin1.md", "--offline")
    assert (single.code, single.stdout) == (0, "")
    assert "content/latin1.md: not valid UTF-8 at byte 5" in single.stderr
    assert run("render", "content/latin1.md", "--offline", "--strict").code == 1
    piped = run("render", "-", "--offline", input=b"ok \xff")
    assert piped.code == 0 and "<stdin>: not valid UTF-8 at byte 3" in piped.stderr
    assert run("render", "-", "--offline", "--strict", input=b"ok \xff").code == 1
    exported = run("export-data", "content", "--offline")
    assert exported.code == 0 and "content/latin1.md: not valid UTF-8 at byte 5" in exported.stderr


@pytest.mark.parametrize("name", ["asa2render.toml", "products.toml"])
def test_undecodable_configuration_is_a_configuration_error(site: Path, name: str) -> None:
    text = (site / name).read_bytes()
    (site / name).write_bytes(text + b"\n# caf\xe9\n")
    (site / "content" / "page.md").write_text("[asa2]B0LOCAL001[/asa2]\n", encoding="utf-8")
    for args in (["render", "content/page.md", "--offline"], ["check", "content"], ["cache", "stats"]):
        outcome = run(*args)
        if name == "products.toml" and args[0] == "cache":
            continue  # the cache command never reads product data
        assert outcome.code == 2, (args, outcome.stderr)
        assert outcome.stderr.startswith("asa2render: error: ")
        assert f"{name}: not valid UTF-8 at byte {len(text) + 6}" in outcome.stderr


@pytest.mark.parametrize("name", ["asa2render.toml", "products.toml"])
def test_configuration_in_utf16_is_read(site: Path, name: str) -> None:
    text = (site / name).read_text(encoding="utf-8")
    (site / name).write_bytes(text.encode("utf-16"))  # with a BOM, as Windows editors save it
    (site / "content" / "page.md").write_text("[asa2]B0LOCAL001[/asa2]\n", encoding="utf-8")
    outcome = run("render", "content/page.md", "--offline")
    assert outcome.code == 0, outcome.stderr
    assert "Local grinder" in outcome.stdout
