"""One message catalogue: every store's language, every label translated, `[site] language` wins."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.resources import files
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from asa2_fakes import make_product
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from asa2render.config.model import config_from_dict
from asa2render.marketplaces import STORES
from asa2render.money import babel_locale
from asa2render.products.models import Availability, ProductKey, Resolved
from asa2render.products.resolve import TAGS, resolve
from asa2render.render.i18n import AVAILABILITY_MESSAGES, LABEL_MESSAGES, Labels, box_locale, translations
from asa2render.render.renderer import Renderer
from asa2render.shortcodes import parse

LOCALE_DIR = Path(str(files("asa2render.render").joinpath("locale")))
TEMPLATES = Path(str(files("asa2render.render").joinpath("templates")))
MOMENT = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _catalogue_ids() -> set[str]:
    with (LOCALE_DIR / "asa2render.pot").open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_every_message_in_code_and_templates_is_in_the_catalogue() -> None:
    known = _catalogue_ids()
    used = set(LABEL_MESSAGES.values()) | set(AVAILABILITY_MESSAGES.values())
    used |= {"as of %(time)s", "%(rating)s out of 5 stars", "%(num)s rating"}
    for template in TEMPLATES.glob("*.html"):
        with template.open("rb") as handle:
            for _, _, message, _ in babel_extract(handle, ("_", "gettext", "ngettext"), [], {}):
                used.add(message if isinstance(message, str) else message[0])
    assert used <= known


def test_every_store_language_has_a_complete_translation() -> None:
    known = _catalogue_ids()
    languages = {babel_locale(store.language).language for store in STORES} - {"en"}
    assert languages == {p.name for p in LOCALE_DIR.iterdir() if p.is_dir()}
    for language in languages:
        with (LOCALE_DIR / language / "LC_MESSAGES" / "asa2render.po").open("rb") as handle:
            catalog = read_po(handle, locale=language)
        translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}
        complete = all(m.string if isinstance(m.string, str) else all(m.string) for m in catalog if m.id)
        assert translated == known and complete, language
        assert not any(m.fuzzy for m in catalog if m.id), language


@pytest.mark.parametrize(
    "po", sorted(LOCALE_DIR.glob("*/LC_MESSAGES/asa2render.po")), ids=lambda p: p.parts[-3]
)
def test_the_compiled_catalogue_is_its_po_compiled_afresh(po: Path) -> None:
    """A run reads the ``.mo``; after editing a ``.po``, ``make messages`` compiles it again."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parts[-3], domain="asa2render")
    fresh = BytesIO()
    write_mo(fresh, catalog)
    assert po.with_suffix(".mo").read_bytes() == fresh.getvalue(), "run `make messages`"


@pytest.mark.parametrize(
    ("locale", "button", "stamp", "stars"),
    [
        (
            "en_US",
            "View on Amazon",
            "as of Nov 27, 2026, 12:00\u202fPM UTC",
            "4.5 out of 5 stars, 1,234 ratings",
        ),
        (
            "de_DE",
            "Bei Amazon ansehen",
            "Stand: 27.11.2026, 12:00 UTC",
            "4,5 von 5 Sternen, 1.234 Bewertungen",
        ),
        ("ja_JP", "Amazonで見る", "2026/11/27 12:00 UTC時点", "5つ星のうち4.5, 1,234件の評価"),
        ("pl_PL", "Zobacz w Amazon", "stan na 27 lis 2026, 12:00 UTC", "4,5 na 5 gwiazdek, 1\u00a0234 oceny"),
    ],
)
def test_labels_dates_and_ratings_per_locale(locale: str, button: str, stamp: str, stars: str) -> None:
    labels = Labels(locale, ZoneInfo("UTC"))
    assert labels.globals()["button_label"] == button
    assert labels.as_of(MOMENT) == stamp
    assert labels.rating(4.5, 1234) == stars


def test_plural_and_availability_defaults() -> None:
    german = Labels("de_DE", ZoneInfo("UTC"))
    assert german.rating(4.0, 1) == "4,0 von 5 Sternen, 1 Bewertung"
    assert german.rating(3.5, None) == "3,5 von 5 Sternen"
    assert german.availability("IN_STOCK") == "Auf Lager"
    assert german.availability("OUT_OF_STOCK") == "Derzeit nicht verfügbar"
    assert german.availability("IN_STOCK", "Nur noch 2 auf Lager") == "Nur noch 2 auf Lager"
    assert german.availability("UNKNOWN") == ""


def test_locale_follows_the_store_unless_the_site_says_otherwise() -> None:
    assert box_locale("de") == "de_DE" and box_locale("jp") == "ja_JP" and box_locale("be") == "fr_BE"
    assert box_locale("de", "en_GB") == "en_GB" and box_locale("us", "de") == "de"
    assert box_locale(None) == "en_US"
    assert translations("en_US").gettext("View on Amazon") == "View on Amazon"


def _box(settings: dict[str, object], country: str = "de", **product: object) -> str:
    config = config_from_dict(
        {"site": settings, "marketplaces": [{"country": country, "default": True, "partner_tag": "t-21"}]},
        environ={},
    )
    item = Resolved(
        key_country=country,
        key_asin="B0TEST0001",
        product=make_product(country=country, fetched_at=MOMENT, **product),
        state="fresh",
    )
    request = resolve(parse('[asa2 asin="B0TEST0001"]', TAGS)[0], config)[0]
    return Renderer(config).render(request, {ProductKey(country, "B0TEST0001"): item})


def test_a_german_box_speaks_german_throughout() -> None:
    html = _box({}, availability=Availability(type="IN_STOCK"), rating=4.5, review_count=1234)
    assert 'lang="de"' in html and "Bei Amazon ansehen" in html and "Auf Lager" in html
    assert "View on Amazon" not in html and "In stock" not in html
    assert "4,5 von 5 Sternen, 1.234 Bewertungen" in html and 'style="--asa2-stars:90.0%"' in html
    assert "(Stand: 27.11.2026, 12:00 UTC)" in html and '<span class="asa2-paid">Anzeige</span>' in html


def test_site_language_and_paid_label_override() -> None:
    html = _box({"language": "en_GB", "paid_label": "#ad"})
    assert 'lang="en"' in html and "View on Amazon" in html and "as of 27 Nov 2026, 12:00 UTC" in html
    assert '<span class="asa2-paid">#ad</span>' in html
    assert "asa2-paid" not in _box({"paid_label": ""})


def test_no_rating_no_stars() -> None:
    assert "asa2-rating" not in _box({})


def test_unknown_site_language_is_a_configuration_error() -> None:
    from asa2render.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown language"):
        config_from_dict({"site": {"language": "xx_YY_ZZ"}}, environ={})


def test_the_catalogue_template_is_up_to_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``make messages`` would add nothing: the .pot holds exactly the ids the code and templates use."""
    from babel.messages.frontend import CommandLineInterface

    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # babel.cfg's patterns are relative
    pot = tmp_path / "fresh.pot"
    keywords = ["-k", "N_", "-k", "gettext", "-k", "ngettext:1,2"]
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", "babel.cfg", *keywords, "-o", str(pot), "."]
    )
    with pot.open("rb") as handle:
        fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert fresh == _catalogue_ids()
