"""Geo-targeting in a real browser: a site built against the sandbox, loaded by headless Chromium.

The visitor is emulated the way a browser reports it: ``--accept-lang`` sets ``navigator.languages``
and ``TZ`` the time zone (the shared driver, ``tests/browser/chromium.py``). Pages are served over
loopback HTTP (the script loads the table beside it); ``?nojs`` serves a page whose scripts the browser
refuses (``Content-Security-Policy: script-src 'none'``), as with JavaScript switched off.
B0DEMO0003 is missing from the UK store (``--missing``), so UK visitors get a search link.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from chromium import Chromium
from click.testing import CliRunner

from asa2render.cli.app import cli
from asa2render.geo.assets import script_source
from asa2render.sandbox import Sandbox, SandboxOptions

pytestmark = pytest.mark.browser

CONFIG = """\
[site]
cache_dir = "cache"

[api]
requests_per_second = 50

[[marketplaces]]
country = "de"
credential_type = "cognito"
credential_id = "demo-cognito-eu"
credential_secret = "demo-secret"
partner_tag = "detag-21"
default = true

[[marketplaces]]
country = "fr"
credential_type = "cognito"
credential_id = "demo-cognito-eu"
credential_secret = "demo-secret"
partner_tag = "frtag-21"

[[marketplaces]]
country = "uk"
credential_type = "lwa"
credential_id = "demo-lwa-eu"
credential_secret = "demo-secret"
partner_tag = "uktag-21"

[[marketplaces]]
country = "us"
credential_type = "lwa"
credential_id = "demo-lwa-na"
credential_secret = "demo-secret"
partner_tag = "ustag-20"

[geo]
enabled = true
stores = ["de", "fr", "uk", "us"]
"""
DE_PAGE = """\
---
title: Kaffee
---
# Kaffee

[asa2]B0DEMO0001[/asa2]

[asa2]B0DEMO0003[/asa2]

Mehr: [asa2_textlink asin="B0DEMO0002"]Kopfhörer[/asa2_textlink].

<div class="store-choice" data-asa2-geo-switcher></div>
"""
UK_PAGE = """\
---
title: Coffee
asa2_country: uk
---
# Coffee

[asa2]B0DEMO0001[/asa2]
"""
LINKS = """
window.asa2Geo.ready.then(() => [...document.querySelectorAll('a[href*="amazon."]')].map(a => ({
  href: a.getAttribute("href"), rel: a.getAttribute("rel")})))
"""
PRICES = """
window.asa2Geo.ready.then(() => ({
  shown: [...document.querySelectorAll(".asa2-price")].filter(e => e.offsetParent).map(e => e.textContent),
  notes: [...document.querySelectorAll(".asa2-geo-price")].map(e => e.textContent),
  disclosure: document.querySelector(".asa2-disclosure").textContent,
  cookies: document.cookie,
}))
"""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "a" and "amazon." in href:
            self.hrefs.append(href)


def amazon_hrefs(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Silence the access log."""

    def end_headers(self) -> None:
        # "?nojs": the browser refuses every script of the page, as with JavaScript switched off.
        if self.path.endswith("?nojs"):
            self.send_header("Content-Security-Policy", "script-src 'none'")
        super().end_headers()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    output = build(tmp_path_factory.mktemp("geo-site"), CONFIG, {"index.md": DE_PAGE, "uk.md": UK_PAGE})
    assert (output / "asa2render-geo.json").is_file()
    with serving(output) as base:
        yield base, output


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over loopback HTTP (the script fetches its table; file:// cannot)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def build(root: Path, config: str, pages: dict[str, str], *args: str) -> Path:
    """``asa2render build`` (or ``render`` with ``args``) of ``pages`` against a sandbox; returns the output."""
    source = root / "src"
    source.mkdir(parents=True)
    (source / "asa2render.toml").write_text(config, encoding="utf-8")
    for name, text in pages.items():
        (source / name).write_text(text, encoding="utf-8")
    output = root / "out"
    command = list(args) or ["build", str(source), "-o", str(output)]
    with Sandbox(SandboxOptions(missing=(("B0DEMO0003", "uk"),))) as sandbox:
        runner = CliRunner(env={"XDG_STATE_HOME": str(root / "state")})
        result = runner.invoke(
            cli, [*command, "--sandbox", sandbox.url, "--config", str(source / "asa2render.toml")]
        )
    assert result.exit_code == 0, result.output
    return output


def visit(base: str, page: str, accept_lang: str, timezone: str, script: str = LINKS) -> Any:
    with Chromium(accept_lang=accept_lang, timezone=timezone) as browser:
        return browser.run(f"{base}/{page}", script)


def test_german_visitor_on_a_german_page_keeps_every_link(site: tuple[str, Path]) -> None:
    base, output = site
    links = visit(base, "index.html", "de-DE", "Europe/Berlin")
    original = amazon_hrefs((output / "index.html").read_text(encoding="utf-8"))
    assert [link["href"] for link in links] == original
    assert all(href.startswith("https://www.amazon.de/dp/") and "tag=detag-21" in href for href in original)
    with Chromium(accept_lang="de-DE", timezone="Europe/Berlin") as browser:
        page = browser.run(f"{base}/index.html", PRICES)
    assert len(page["shown"]) == 2 and page["notes"] == []  # the page's own prices stay


def test_french_visitor_gets_amazon_fr_with_the_french_tag(site: tuple[str, Path]) -> None:
    base, _ = site
    links = visit(base, "index.html", "fr-FR", "Europe/Paris")
    hrefs = [link["href"] for link in links]
    assert hrefs  # the box links, the title link, the button, the text link
    assert all(href.startswith("https://www.amazon.fr/dp/B0DEMO000") for href in hrefs)
    assert all(href.endswith("?tag=frtag-21") for href in hrefs)
    assert {href.split("/dp/")[1][:10] for href in hrefs} == {"B0DEMO0001", "B0DEMO0002", "B0DEMO0003"}
    assert all(link["rel"] == "sponsored nofollow noopener" for link in links)

    page = visit(base, "index.html", "fr-FR", "Europe/Paris", PRICES)
    assert page["shown"] == []  # German prices are hidden on French links, never changed
    # "See price on Amazon" in the site's language (German: the default store is de), naming the store
    assert page["notes"] == ["Preis bei Amazon.fr ansehen", "Preis bei Amazon.fr ansehen"]
    assert "Amazon" in page["disclosure"]  # the associate disclosure stays
    assert page["cookies"] == ""


def test_austrian_visitor_goes_to_amazon_de_through_the_fallback_map(site: tuple[str, Path]) -> None:
    base, _ = site
    links = visit(base, "uk.html", "de-AT", "Europe/Vienna")
    assert [link["href"] for link in links] == ["https://www.amazon.de/dp/B0DEMO0001?tag=detag-21"] * len(
        links
    )
    assert len(links) == 3


def test_time_zone_breaks_the_tie_of_a_bare_language(site: tuple[str, Path]) -> None:
    base, _ = site
    irish = visit(base, "index.html", "en", "Europe/Dublin")  # "en" could be anywhere; Dublin → ie → uk
    american = visit(base, "index.html", "en", "America/New_York")
    assert irish[0]["href"] == "https://www.amazon.co.uk/dp/B0DEMO0001?tag=uktag-21"
    assert american[0]["href"] == "https://www.amazon.com/dp/B0DEMO0001?tag=ustag-20"


def test_product_missing_in_the_uk_becomes_a_uk_search_link(site: tuple[str, Path]) -> None:
    base, _ = site
    hrefs = [link["href"] for link in visit(base, "index.html", "en-GB", "Europe/London")]
    pan = [href for href in hrefs if "/dp/B0DEMO0003" not in href and "/s?k=" in href]
    assert pan, hrefs
    assert all(href.startswith("https://www.amazon.co.uk/s?k=") for href in pan)
    assert all(href.endswith("&tag=uktag-21") for href in pan)
    assert "https://www.amazon.co.uk/dp/B0DEMO0001?tag=uktag-21" in hrefs


def test_the_visitors_own_choice_overrides_detection(site: tuple[str, Path]) -> None:
    base, _ = site
    choose = """
    window.asa2Geo.ready.then(() => {
      const select = document.querySelector("[data-asa2-geo-switcher] select");
      const options = [...select.options].map(o => o.value);
      select.value = "fr";
      select.dispatchEvent(new Event("change"));
      return options;
    })
    """
    with Chromium(accept_lang="de-DE", timezone="Europe/Berlin") as browser:
        options = browser.run(f"{base}/index.html", choose)
        # A later visit (a new tab, same browser profile) remembers the choice in localStorage.
        links = browser.run(f"{base}/index.html", LINKS)
        remembered = browser.run(f"{base}/index.html", "localStorage.getItem('asa2render-geo-store')")
    assert options == ["", "de", "fr", "uk", "us"]
    assert remembered == "fr"
    assert all(link["href"].startswith("https://www.amazon.fr/") for link in links)
    assert all("tag=frtag-21" in link["href"] for link in links)


def test_without_javascript_links_keep_the_pages_store(site: tuple[str, Path]) -> None:
    base, output = site
    read = """({hrefs: [...document.querySelectorAll('a[href*="amazon."]')].map(a => a.getAttribute("href")),
               ran: typeof window.asa2Geo !== "undefined"})"""
    page = visit(base, "index.html?nojs", "fr-FR", "Europe/Paris", read)
    assert page["ran"] is False  # the page's scripts did not run
    assert page["hrefs"] == amazon_hrefs((output / "index.html").read_text(encoding="utf-8"))


def test_geo_ip_endpoint_comes_before_the_browser_languages(tmp_path: Path) -> None:
    config = CONFIG + 'geoip_url = "/country.txt"\n'
    output = build(tmp_path, config, {"index.md": DE_PAGE})
    (output / "country.txt").write_text("fl=1\nloc=FR\ntls=TLSv1.3\n", encoding="utf-8")  # /cdn-cgi/trace
    with serving(output) as base, Chromium(accept_lang="de-DE", timezone="Europe/Berlin") as browser:
        told = browser.run(f"{base}/index.html", LINKS)
        (output / "country.txt").unlink()  # the endpoint fails: the languages decide again
        failed = browser.run(f"{base}/index.html", LINKS)
    assert all(link["href"].startswith("https://www.amazon.fr/") for link in told)
    assert [link["href"] for link in failed] == amazon_hrefs(
        (output / "index.html").read_text(encoding="utf-8")
    )


def test_single_page_with_an_inline_table_and_one_script_tag(tmp_path: Path) -> None:
    page = (
        "<!doctype html><html><head><title>Pan</title></head><body>\n"
        '<p>[asa2 country="uk"]B0DEMO0001[/asa2]</p>\n'
        '<script src="asa2render-geo.js" defer></script>\n</body></html>\n'
    )
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "page.html").write_text(page, encoding="utf-8")
    output = tmp_path / "site" / "out.html"
    build(tmp_path, CONFIG, {}, "render", str(tmp_path / "site" / "page.html"), "-o", str(output))
    html = output.read_text(encoding="utf-8")
    assert '<script type="application/json" id="asa2render-geo">' in html
    (tmp_path / "site" / "asa2render-geo.js").write_text(script_source(), encoding="utf-8")
    with serving(tmp_path / "site") as base:
        links = visit(base, "out.html", "fr-FR", "Europe/Paris")
    assert [link["href"] for link in links] == ["https://www.amazon.fr/dp/B0DEMO0001?tag=frtag-21"] * len(
        links
    )
    assert links
