"""The host rules: inline boxes, blank lines around block boxes, template syntax as text."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from asa2_fakes import FakeFetcher, make_product

from asa2render.config.model import Config
from asa2render.engine import Engine
from asa2render.products.cache import ProductCache
from asa2render.products.models import ProductKey
from asa2render.render.hosts import (
    adapt,
    escape_markdown_text,
    hugo_unsafe_warning,
    inline_markup,
    is_block_markup,
    placement,
)

BOX = '<div class="asa2-box" data-asa2-asin="B0X"><ul class="f"><li>a</li></ul><a href="#">T</a></div>'
HOSTILE = "{{ 7 | times: 6 }} {% tag {# c #} *em* _u_ <script>alert(1)</script>"


def test_placement() -> None:
    text = "Intro\n[asa2]X[/asa2]\nmore\n\n- [asa2]Y[/asa2]\n\nA list: [asa2]Z[/asa2]"
    alone = placement(text, 6, 20)
    assert not alone.inline and not alone.blank_before and not alone.blank_after
    item = text.index("[asa2]Y")
    assert not placement(text, item, item + 14).inline  # a list marker is a container, not text
    inline = text.index("[asa2]Z")
    assert placement(text, inline, inline + 14).inline
    assert placement("<p>x [asa2]Z[/asa2]</p>", 0, 23, markdown=False, unwrapped=True).inline is False


def test_inline_markup_turns_block_elements_into_spans() -> None:
    markup = inline_markup(BOX)
    assert markup.startswith('<span data-asa2-block="div" class="asa2-box"')
    assert '<span data-asa2-block="ul" class="f"><span data-asa2-block="li">a</span></span>' in markup
    assert "<div" not in markup and "</div>" not in markup and '<a href="#">T</a>' in markup
    assert is_block_markup(BOX) and not is_block_markup('<a class="asa2-textlink">x</a>')


def test_markdown_text_is_escaped_but_attributes_are_not() -> None:
    out = escape_markdown_text('<a title="*x*">*a* _b_ [c](d) `e` |</a>')
    assert out == '<a title="*x*">&#42;a&#42; &#95;b&#95; &#91;c&#93;(d) &#96;e&#96; &#124;</a>'


def test_adapt_per_host() -> None:
    alone = placement("p\n[x]\nq", 2, 5)
    inline = placement("a [x] b", 2, 5)
    assert adapt("{{x}}", host="plain", mode="markdown", where=alone) == "{{x}}"
    assert adapt(BOX, host="hugo", mode="markdown", where=alone) == "\n" + BOX + "\n"
    assert adapt(BOX, host="hugo", mode="text", where=inline) == BOX
    assert adapt("<p>{%</p>", host="jekyll", mode="html", where=alone) == "<p>&#123;%</p>"
    assert adapt(BOX, host="plain", mode="html", where=inline).startswith("<span")


@pytest.mark.parametrize("host", ["hugo", "eleventy", "jekyll", "mkdocs", "pelican"])
def test_hostile_titles_never_reach_a_template_engine(config: Config, host: str) -> None:
    fetcher = FakeFetcher({ProductKey("de", "B0TEST0001"): make_product(title=HOSTILE)})
    with Engine(config, host=host, cache=ProductCache.in_memory(), fetcher_factory=lambda: fetcher) as engine:  # type: ignore[arg-type]
        block = engine.process("Intro\n[asa2]B0TEST0001[/asa2]\nNext\n", mode="markdown", path="p.md")
        inline = engine.process("A list: [asa2]B0TEST0001[/asa2] end\n", mode="markdown", path="q.md")
    for out in (block, inline):
        assert "{{" not in out and "{%" not in out and "{#" not in out and "<script" not in out
        assert "&#123;&#123; 7 | times: 6 &#125;&#125;" in out or "&#123;&#123; 7 &#124; times" in out
    assert block.startswith("Intro\n\n<div") and block.endswith("</div>\n\nNext\n")
    assert inline.startswith("A list: <span") and "&#42;em&#42;" in inline


def test_hugo_unsafe_warning(tmp_path: Path) -> None:
    content = tmp_path / "site" / "content"
    content.mkdir(parents=True)
    assert hugo_unsafe_warning(content) is None  # no Hugo site found: nothing to say
    (tmp_path / "site" / "hugo.toml").write_text('title = "x"\n')
    warning = hugo_unsafe_warning(content)
    assert warning and "hugo.toml" in warning and "unsafe = true" in warning
    (tmp_path / "site" / "hugo.toml").write_text("[markup.goldmark.renderer]\nunsafe = true\n")
    assert hugo_unsafe_warning(content) is None
    (tmp_path / "site" / "hugo.toml").unlink()
    (tmp_path / "site" / "hugo.yaml").write_text("markup:\n  goldmark:\n    renderer:\n      unsafe: true\n")
    assert hugo_unsafe_warning(content) is None


# The regex is_block_markup used before it looked the root's name up in a set (kept as the reference).
_OLD_BLOCK_TAG = re.compile(
    r"<(/?)(address|article|aside|blockquote|dd|details|dialog|div|dl|dt|fieldset|figcaption|figure|footer|"
    r"form|h[1-6]|header|hgroup|hr|li|main|nav|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)"
    r"(?=[\s/>])",
    re.IGNORECASE,
)


def _old_is_block_markup(markup: str) -> bool:
    match = re.match(r"\s*<([A-Za-z][A-Za-z0-9]*)", markup)
    return bool(match and _OLD_BLOCK_TAG.match(f"<{match.group(1)} "))


def test_is_block_markup_answers_as_the_old_regex() -> None:
    names = [
        "div",
        "DIV",
        "Ul",
        "p",
        "pre",
        "span",
        "a",
        "h1",
        "H6",
        "h7",
        "h",
        "hr",
        "tbody",
        "td1",
        "dl",
        "d",
    ]
    pieces = [*names, " ", "\n", "<", "/", ">", "x", "1", "-", "é"]
    rng = random.Random(20261202)
    texts = [
        f"{space}<{name}{end}" for name in names for space in ("", " \n") for end in (">", " a", "/>", "")
    ]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(20_000)]
    for text in texts:
        assert is_block_markup(text) is _old_is_block_markup(text), text


def test_inline_markup_keeps_every_block_tag_as_a_span() -> None:
    markup = "<DIV a><H3>t</h3><p>x</P><pre>y</pre><section/></DIV>"
    assert inline_markup(markup) == _OLD_BLOCK_TAG.sub(
        lambda m: "</span" if m.group(1) else f'<span data-asa2-block="{m.group(2).lower()}"', markup
    )
