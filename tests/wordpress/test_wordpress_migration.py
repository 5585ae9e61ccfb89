"""One post body at a time: shielding from the converter, captions, block comments, problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from markdownify import markdownify

from asa2render.cli.app import cli
from asa2render.wordpress import convert_body
from asa2render.wordpress.blocks import captions_to_figures, strip_block_comments
from asa2render.wordpress.shield import Shield

TEXTLINK = '[asa2_textlink asin="B0DEMO0003"]the_best *grinder*[/asa2_textlink]'


def test_an_unshielded_converter_escapes_shortcodes() -> None:
    # What issue 17 found with every migration route: the converter escapes shortcode syntax.
    assert "asa2\\_textlink" in markdownify(f"<p>{TEXTLINK}</p>")


def test_shielded_shortcodes_come_back_byte_for_byte() -> None:
    body = convert_body(f'Text with {TEXTLINK} inside.\n\n[asa2 tpl="compact"]B0DEMO0002[/asa2]', "markdown")
    assert body.text == f'Text with {TEXTLINK} inside.\n\n[asa2 tpl="compact"]B0DEMO0002[/asa2]\n'
    assert (body.found, body.kept, body.problems) == (2, 2, ())


def test_attribute_shortcodes_are_escaped_in_markdown_and_verbatim_in_html() -> None:
    content = '<img src="x.jpg" alt="[asa2 asin=\'B0DEMO0001\']" />'
    markdown = convert_body(content, "markdown")
    assert markdown.text == "![[[asa2 asin='B0DEMO0001']]](x.jpg)\n"
    assert markdown.in_attributes == 1
    html = convert_body(content, "html")
    assert "alt=\"[asa2 asin='B0DEMO0001']\"" in html.text


def test_comments_survive_markdown() -> None:
    body = convert_body("Intro\n\n<!--more-->\n\nRest with [asa2]B0DEMO0001[/asa2]", "markdown")
    assert "<!--more-->" in body.text
    assert "[asa2]B0DEMO0001[/asa2]" in body.text


def test_block_comments_removed_html_blocks_kept_raw() -> None:
    content = (
        '<!-- wp:spacer {"height":"20px"} /-->\n<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->\n'
        '<!-- wp:html -->\n<div class="x_y">\n\n<b>raw</b> [asa2]B0DEMO0001[/asa2]</div>\n<!-- /wp:html -->'
    )
    assert strip_block_comments(content).startswith("<p>Hi</p>\n")
    body = convert_body(content, "markdown")
    assert body.text == 'Hi\n\n<div class="x_y">\n<b>raw</b> [asa2]B0DEMO0001[/asa2]</div>\n'


@pytest.mark.parametrize(
    ("shortcode", "figure"),
    [
        (
            '[caption id="attachment_1" align="aligncenter" width="300"]<img src="a.jpg" /> A caption[/caption]',
            '<figure id="attachment_1" class="wp-caption aligncenter" style="width: 300px"><img src="a.jpg" />'
            '<figcaption class="wp-caption-text">A caption</figcaption></figure>',
        ),
        (
            '[caption caption="From the attribute"]<a href="b.jpg"><img src="a.jpg"></a>[/caption]',
            '<figure class="wp-caption alignnone"><a href="b.jpg"><img src="a.jpg"></a>'
            '<figcaption class="wp-caption-text">From the attribute</figcaption></figure>',
        ),
        ('[caption width="abc" align="x\\" onload=y"]no image here[/caption]', "no image here"),
    ],
)
def test_captions_become_figures(shortcode: str, figure: str) -> None:
    assert captions_to_figures(shortcode) == figure


def test_a_lost_token_is_reported() -> None:
    shield = Shield.for_text("")
    token = shield.token("[asa2]B0DEMO0001[/asa2]", "text")
    text, lost = shield.restore("the converter dropped it", markdown=True)
    assert token not in text and [item.original for item in lost] == ["[asa2]B0DEMO0001[/asa2]"]


def test_problems_are_reported_per_post_and_strict_fails(tmp_path: Path) -> None:
    export = tmp_path / "export.xml"
    export.write_text(
        """<?xml version="1.0"?><rss xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>S</title><item><title>Broken</title>
<content:encoded><![CDATA[Fine.

[asa2 asin="B0DEMO0001]]]></content:encoded><wp:post_id>9</wp:post_id><wp:post_name>broken</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item></channel></rss>""",
        encoding="utf-8",
    )
    lenient = CliRunner().invoke(cli, ["import-wordpress", str(export), "-o", str(tmp_path / "a")])
    assert lenient.exit_code == 0
    assert "posts/broken.md: 1 shortcodes found, 1 kept, 1 problems" in lenient.stdout
    assert f'{export}: post 9 "Broken": content 3:12: unbalanced quote' in lenient.stderr
    assert '[asa2 asin="B0DEMO0001]' in (tmp_path / "a" / "posts" / "broken.md").read_text(encoding="utf-8")
    strict = CliRunner().invoke(cli, ["import-wordpress", str(export), "-o", str(tmp_path / "b"), "--strict"])
    assert strict.exit_code == 1


def test_liquid_syntax_in_posts_is_kept_as_text_for_jekyll(tmp_path: Path) -> None:
    export = tmp_path / "export.xml"
    export.write_text(
        """<?xml version="1.0"?><rss xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>S</title><item><title>T</title>
<content:encoded><![CDATA[Use {{ site.title }} in Liquid.]]></content:encoded><wp:post_id>3</wp:post_id>
<wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt><wp:post_name>t</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item></channel></rss>""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["import-wordpress", str(export), "-o", str(tmp_path), "--host", "jekyll"]
    )
    assert result.exit_code == 0
    post = (tmp_path / "_posts" / "2020-01-01-t.md").read_text(encoding="utf-8")
    assert post.endswith("---\n\n{% raw %}\nUse {{ site.title }} in Liquid.\n{% endraw %}\n")
