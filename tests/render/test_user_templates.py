"""User templates: Twig files used like Jinja ones, the wp.* rule, root attributes on pasted templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from asa2_fakes import make_product

from asa2render.config.model import Config, config_from_dict
from asa2render.products.models import ProductKey, Resolved
from asa2render.products.resolve import TAGS, resolve
from asa2render.render.renderer import Renderer
from asa2render.render.root_attributes import add_root_attributes
from asa2render.shortcodes import parse

KEY = ProductKey("de", "B0TEST0001")


def _site(tmp_path: Path, files: dict[str, str]) -> Config:
    (tmp_path / "templates").mkdir(exist_ok=True)
    for name, text in files.items():
        (tmp_path / "templates" / name).write_text(text, encoding="utf-8")
    return config_from_dict({"marketplaces": [{"country": "de", "default": True}]}, path=tmp_path / "x.toml")


def _render(renderer: Renderer, config: Config, text: str) -> str:
    request = resolve(parse(text, TAGS)[0], config)[0]
    item = Resolved.model_validate(
        {"key_country": "de", "key_asin": "B0TEST0001", "product": make_product(), "state": "fresh"}
    )
    return renderer.render(request, {KEY: item})


def test_twig_template_is_used_by_name(tmp_path: Path) -> None:
    config = _site(
        tmp_path, {"card.twig": "<p>{{ Title|upper }} – {{ OffersAutoPriceFormattedPrice }}</p>\n"}
    )
    html = _render(Renderer(config), config, '[asa2 asin="B0TEST0001" tpl="card"]')
    assert html == '<p data-asa2-asin="B0TEST0001" data-asa2-state="fresh">PRODUCT B0TEST0001 – 19,99 €</p>'


def test_html_twig_suffix_and_twig_semantics(tmp_path: Path) -> None:
    config = _site(
        tmp_path,
        {
            "row.html.twig": "{% import 'macros.twig' as m %}<tr><td>{{ m.stars(4) }}</td>"
            "<td>{{ Features is empty ? 'none' : Features|length }}</td><td>{{ 7 / 2 }}</td></tr>",
            "macros.twig": "{% macro stars(n) %}{% for i in 1..n %}★{% endfor %}{% endmacro %}",
        },
    )
    html = _render(Renderer(config), config, '[asa2 asin="B0TEST0001" tpl="row"]')
    assert html.startswith('<tr data-asa2-asin="B0TEST0001" data-asa2-state="fresh"><td>★★★★</td>')
    assert html.endswith("<td>3.5</td></tr>")


def test_attributes_already_present_are_kept(tmp_path: Path) -> None:
    config = _site(
        tmp_path, {"box.twig": '<div data-asa2-asin="{{ ASIN }}" data-asa2-state="{{ state }}">x</div>'}
    )
    html = _render(Renderer(config), config, '[asa2 asin="B0TEST0001"]')
    assert html == '<div data-asa2-asin="B0TEST0001" data-asa2-state="fresh">x</div>'


def test_jinja_user_template_also_gets_root_attributes(tmp_path: Path) -> None:
    config = _site(tmp_path, {"link.html": '<a href="{{ DetailPageURL }}">{{ Title }}</a> and text'})
    html = _render(Renderer(config), config, '[asa2 asin="B0TEST0001" tpl="link"]')
    assert html.startswith('<span data-asa2-asin="B0TEST0001" data-asa2-state="fresh"><a href=')


def test_wordpress_bridge_renders_the_fallback_and_records_a_problem(tmp_path: Path) -> None:
    config = _site(tmp_path, {"box.twig": "<div>\n{{ wp.get_post(8).post_title }}</div>"})
    renderer = Renderer(config)
    html = _render(renderer, config, '[asa2 asin="B0TEST0001"]')
    assert 'data-asa2-state="fallback"' in html
    [problem] = renderer.take_problems()
    assert problem.code == "template-wordpress"
    assert "box.twig:2: 'wp.get_post' is not available" in problem.message
    assert "{{ Title }}" in problem.message
    _render(renderer, config, '[asa2 asin="B0TEST0001"]')
    assert len(renderer.take_problems()) == 1  # reported again, not hidden by the memo


def _cli_site(root: Path, box: str) -> None:
    (root / "asa2render.toml").write_text(
        '[site]\nproducts = "products.toml"\ncache_dir = "cache"\ntemplates = "templates"\n\n'
        '[[marketplaces]]\ncountry = "de"\npartner_tag = "mytag-21"\ndefault = true\n',
        encoding="utf-8",
    )
    (root / "products.toml").write_text(
        '[[products]]\nasin = "B0LOCAL001"\ntitle = "Local grinder"\nprice = "10.00"\n', encoding="utf-8"
    )
    (root / "templates").mkdir()
    (root / "templates" / "box.twig").write_text(box, encoding="utf-8")
    (root / "a.md").write_text("# A\n\n[asa2]B0LOCAL001[/asa2]\n", encoding="utf-8")


def test_wordpress_bridge_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from asa2render.cli.app import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASA2RENDER_SANDBOX", raising=False)
    _cli_site(tmp_path, "<div>\n  {{ wp.get_option('blogname') }}\n</div>\n")
    lenient = CliRunner().invoke(cli, ["render", "a.md", "--offline"])
    assert lenient.exit_code == 0
    assert 'data-asa2-state="fallback"' in lenient.stdout
    assert "box.twig:2: 'wp.get_option' is not available" in lenient.stderr
    strict = CliRunner().invoke(cli, ["render", "a.md", "--offline", "--strict"])
    assert strict.exit_code == 1
    assert "wp.get_option" in strict.stderr


def test_twig_box_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from asa2render.cli.app import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASA2RENDER_SANDBOX", raising=False)
    _cli_site(tmp_path, "<div class=\"mine\">{{ Title ~ ' for ' ~ OffersAutoPriceFormattedPrice }}</div>")
    result = CliRunner().invoke(cli, ["render", "a.md", "--offline"])
    assert result.exit_code == 0, result.stderr
    box = '<div data-asa2-asin="B0LOCAL001" data-asa2-state="fresh" class="mine">Local grinder for 10,00\xa0€</div>'
    assert box in result.stdout


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% embed 'x' %}{% endembed %}", "box.twig:1: unsupported Twig feature 'embed'"),
        (
            "ok\n{{ 1 / zero }}",
            'box.twig:2: An exception has been thrown during the rendering of a template ("Division by zero").',
        ),
        ("{% include 'nope.twig' %}", 'box.twig:1: Template "nope.twig" is not defined.'),
    ],
)
def test_twig_errors_render_the_fallback_with_a_located_problem(
    tmp_path: Path, source: str, message: str
) -> None:
    config = _site(tmp_path, {"box.twig": source})
    renderer = Renderer(config)
    html = _render(renderer, config, '[asa2 asin="B0TEST0001"]')
    assert 'data-asa2-state="fallback"' in html
    [problem] = renderer.take_problems()
    assert problem.code == "template-twig"
    assert problem.message == f"template 'box': {message}"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<div>x</div>", '<div data-asa2-asin="A" data-asa2-state="fresh">x</div>'),
        ('<DIV class="a">x</DIV>', '<DIV data-asa2-asin="A" data-asa2-state="fresh" class="a">x</DIV>'),
        ("<img src=x>", '<img data-asa2-asin="A" data-asa2-state="fresh" src=x>'),
        ("<b>x</b><i>y</i>", '<span data-asa2-asin="A" data-asa2-state="fresh"><b>x</b><i>y</i></span>'),
        ("plain text", '<span data-asa2-asin="A" data-asa2-state="fresh">plain text</span>'),
        ("<p>a</p><p>b</p>", '<div data-asa2-asin="A" data-asa2-state="fresh"><p>a</p><p>b</p></div>'),
        ('<div title="a>b">x</div>', '<div data-asa2-asin="A" data-asa2-state="fresh" title="a>b">x</div>'),
    ],
)
def test_add_root_attributes(html: str, expected: str) -> None:
    assert add_root_attributes(html, "A", "fresh") == expected


def test_twig_box_carries_the_associate_set_for_geo_targeting(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "card.twig").write_text('<p><a href="{{ DetailPageURL }}">{{ Title }}</a></p>')
    config = config_from_dict(
        {
            "site": {"templates": "templates"},
            "marketplaces": [{"country": "de", "default": True}],
            "associate_id_sets": {"default": {"de": "main-21"}, "promo": {"de": "promo-21"}},
        },
        path=tmp_path / "x.toml",
        environ={},
    )
    html = _render(Renderer(config), config, '[asa2 asin="B0TEST0001" tpl="card" set="promo"]')
    assert html.startswith('<p data-asa2-asin="B0TEST0001" data-asa2-set="promo" data-asa2-state="fresh">')
    assert "tag=promo-21" in html
