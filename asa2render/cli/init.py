"""``asa2render init hugo|eleventy|jekyll [DIR]``: a generator's native ``asa2`` shortcode.

See :mod:`asa2render.scaffold` for what is written; this command prints each file and the next steps
(the ``export-data`` line for that generator, and the settings it needs).
"""

from __future__ import annotations

from pathlib import Path

import click

from ..scaffold import DATA_FILES, GENERATORS, Generator, scaffold

NEXT_STEPS: dict[Generator, str] = {
    "hugo": """\
Next:
  asa2render export-data content -o data/asa2.json     # again whenever products or pages change
  {{{{< asa2 asin="B0DEMO0001" >}}}} in a page; {{{{ partial "asa2-disclosure.html" . }}}} in your footer;
  link /asa2render.css from your head template.
  Only if you also pipe pages through `asa2render render`: set
  [markup.goldmark.renderer] unsafe = true in hugo.toml (shortcode output needs nothing).""",
    "eleventy": """\
Next:
  asa2render export-data . -o _data/asa2.json          # again whenever products or pages change
  {eleventy_config}
  {{% asa2 "B0DEMO0001" %}} in a page; {{% asa2Disclosure %}} in your layout;
  link /asa2render.css from your layout (the plugin copies it).""",
    "jekyll": """\
Next:
  asa2render export-data . -o _data/asa2.json          # again whenever products or pages change
  {{% include asa2.html asin="B0DEMO0001" %}} in a page (or {{% asa2 "B0DEMO0001" %}} with _plugins/asa2.rb);
  {{% include asa2-disclosure.html %}} in your footer; link /assets/asa2render.css from your head.""",
}


@click.command("init")
@click.argument("generator", type=click.Choice(GENERATORS))
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace files that already exist.")
def init(generator: Generator, directory: Path, force: bool) -> None:
    """Write GENERATOR's asa2 shortcode, disclosure, stylesheet and a starter asa2render.toml into DIR."""
    written = scaffold(generator, directory, force=force)
    for item in written:
        note = " (exists; --force replaces it)" if item.status == "kept" else ""
        click.echo(f"{item.status:8} {item.path}{note}")
    eleventy_config = (
        "eleventy.config.cjs loads the plugin."
        if any(w.path.name == "eleventy.config.cjs" and w.status != "kept" for w in written)
        else 'add eleventyConfig.addPlugin(require("./asa2render.eleventy.cjs")) to your Eleventy config.'
    )
    click.echo(NEXT_STEPS[generator].format(eleventy_config=eleventy_config))
    click.echo(f"The shortcodes read {DATA_FILES[generator]} (relative to the site's source folder).")


__all__ = ["init"]
