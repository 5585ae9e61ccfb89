"""Render a Jinja template with asa2render: `python examples/jinja/render.py` (writes output/index.html)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from asa2render.integrations.jinja import configure, prefetch, render
from asa2render.render.renderer import stylesheet

HERE = Path(__file__).parent


def main() -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
    # sandbox="auto": the in-process demo API; leave it out for real credentials.
    engine = configure(env, HERE / "asa2render.toml", sandbox="auto")
    try:
        prefetch(env, ["page.html"])  # literal uses: one batch
        html = render(  # dynamic uses (the loop, asa2_expand): one more batch at the end
            env.get_template("page.html"),
            title="Coffee gear",
            picks=["B0DEMO0003", "B0DEMO0102"],
            body='<p>[asa2 asin="B0LOCAL001"]</p>',
        )
    finally:
        engine.close()
    output = HERE / "output"
    output.mkdir(exist_ok=True)
    (output / "index.html").write_text(html, encoding="utf-8")
    (output / "asa2render.css").write_text(stylesheet(), encoding="utf-8")
    report = engine.report
    print(f"wrote {output / 'index.html'}: {report.fresh} fresh, {report.api_requests} API request(s)")


if __name__ == "__main__":
    main()
