"""The shared Chromium driver: window size, language, time zone, injected scripts, screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from chromium import BrowserError, run_page

pytestmark = pytest.mark.browser


def test_run_page_passes_size_language_and_zone_through(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><title>t</title><p>hello</p>", encoding="utf-8")
    helper = tmp_path / "helper.js"
    helper.write_text("window.answer = 42;", encoding="utf-8")
    shot = tmp_path / "shot.png"
    result = run_page(
        page.as_uri(),
        # a promise is awaited before its value comes back
        "new Promise(done => setTimeout(() => done({width: innerWidth, lang: navigator.language,"
        " zone: Intl.DateTimeFormat().resolvedOptions().timeZone, answer: window.answer}), 10))",
        width=414,
        height=600,
        accept_lang="de-DE",
        timezone="Asia/Tokyo",
        inject=[helper],
        screenshot=shot,
    )
    assert result == {"width": 414, "lang": "de-DE", "zone": "Asia/Tokyo", "answer": 42}
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_script_errors_are_reported(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><title>t</title>", encoding="utf-8")
    with pytest.raises(BrowserError, match="nope"):
        run_page(page.as_uri(), "(() => { throw new Error('nope') })()")
