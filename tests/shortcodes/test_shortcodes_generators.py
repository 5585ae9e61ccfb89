"""Hugo, Eleventy and Jekyll shortcode syntax as ``export-data`` reads it."""

from __future__ import annotations

from asa2render.shortcodes.generators import find_generator_shortcodes

PAGE = """\
{{< asa2 asin="B0DEMO0001" country="de" >}}
{{% asa2 "B0DEMO0002" "us" %}} {{</* asa2 asin="B0ESCAPED1" */>}}
{%- asa2 "B0DEMO0003", "de", "compact" -%}
{% asa2 page.asin %}
{% include asa2.html asin="B0DEMO0004" tpl="compact" %}
{{< asa2 collection="summer" >}} {% asa2Collection "winter" %}
{{< asa2 >}}
"""


def test_every_form_with_its_location() -> None:
    found, skipped = find_generator_shortcodes(PAGE, "p.md")
    assert [(s.tag, s.attrs, s.content, s.line) for s in found] == [
        ("asa2", {"asin": "B0DEMO0001", "country": "de"}, None, 1),
        ("asa2", {"asin": "B0DEMO0002", "country": "us"}, None, 2),
        ("asa2", {"asin": "B0DEMO0003", "country": "de", "tpl": "compact"}, None, 3),
        ("asa2", {"asin": "B0DEMO0004", "tpl": "compact"}, None, 5),
        ("asa2_collection", {}, "summer", 6),
        ("asa2_collection", {}, "winter", 6),
    ]
    assert [str(s) for s in skipped] == [
        "p.md:4:1: skipped '{% asa2 page.asin %}': 'page.asin' is not a literal value (a variable cannot be exported)",
        "p.md:7:1: skipped '{{< asa2 >}}': no ASIN or collection",
    ]


def test_start_skips_front_matter() -> None:
    text = '+++\ntitle = "{{< asa2 asin=\\"B0FRONT001\\" >}}"\n+++\n{{< asa2 "B0BODY0001" >}}\n'
    found, _ = find_generator_shortcodes(text, start=text.index("+++\n{{") + 4)
    assert [s.attrs["asin"] for s in found] == ["B0BODY0001"]
