"""Figure family 7: a Twig product box against the same box written in Jinja.

Both templates are the gallery's classic box (``examples/twig/templates/classic.twig`` and the two
templates it extends and imports), the Jinja side translated construct for construct (``extends``,
``import`` + macros, filters, ``for``/``if``). Each side is compiled once (as the renderer does for a
site build) and then renders the same placeholder context ``boxes`` times per timed pass, in many short
interleaved rounds (the best pass of each side is kept); the figure is Twig's time over Jinja's, target ≤ 1.5.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from asa2render.twig import Environment

from .measure import Figure, Timing, ratio_figure, time_runs

TWIG_DIR = Path(__file__).parents[1] / "examples" / "twig" / "templates"

JINJA_TEMPLATES = {
    "asa2_base.html": """\
<div class="asa2-box asa2-classic{{ ' asa2-stale' if state == 'stale' }}">
  {%- block image -%}
    {%- if LargeImageUrl -%}
      <a class="asa2-image" href="{{ DetailPageURL }}" rel="{{ link_rel }}"
         {%- if link_target %} target="{{ link_target }}"{% endif %}>
        <img src="{{ LargeImageUrl }}" alt="{{ Title }}" loading="lazy">
      </a>
    {%- endif -%}
  {%- endblock %}
  <div class="asa2-body">
    {%- block body %}{% endblock -%}
  </div>
  {%- block footer %}
    <p class="asa2-disclaimer">
      {{- as_of_label|capitalize }} {{ FetchedAt.strftime('%Y-%m-%d %H:%M %Z') }}. {{ disclaimer -}}
    </p>
  {%- endblock %}
</div>
""",
    "asa2_macros.html": """\
{% macro stars(rating, reviews) %}
  {%- if rating -%}
    <span class="asa2-rating" title="{{ '%.1f'|format(rating)|replace('.', ',') }} / 5">
      {%- for i in range(1, 6) %}{{ '★' if i <= rating|round else '☆' }}{% endfor -%}
    </span>
    {%- if reviews %} ({{ '{:,}'.format(reviews)|replace(',', '.') }}){% endif %}
  {%- endif -%}
{% endmacro %}

{% macro price(current, list, saved, percentage) %}
  {%- if current -%}
    <span class="asa2-price">{{ current }}</span>
    {%- if list and list != current %} <del class="asa2-list-price">{{ list }}</del>{% endif %}
    {%- if percentage %} <span class="asa2-savings">−{{ percentage }} %</span>{% endif %}
  {%- else -%}
    <span class="asa2-price asa2-price-missing">{{ map_label|default('See price on Amazon') }}</span>
  {%- endif -%}
{% endmacro %}
""",
    "classic.html": """\
{% extends "asa2_base.html" %}
{% import "asa2_macros.html" as ui %}

{% block body %}
  <h3 class="asa2-title"><a href="{{ DetailPageURL }}" rel="{{ link_rel }}">{{ Title|striptags|trim }}</a></h3>
  {%- if Brand %}<p class="asa2-brand">{{ Brand|upper }}</p>{% endif %}
  {%- if FeaturesHTML %}{{ FeaturesHTML }}{% endif %}
  <p class="asa2-meta">{{ ui.stars(CustomerReviewsAverageRating, CustomerReviewsTotalReviews) }}</p>
  <p class="asa2-offer">
    {{- ui.price(OffersAutoPriceFormattedPrice, ListPriceFormattedPrice, AmountSavedFormattedPrice, PercentageSaved) -}}
    {%- if not IsAvailable %} <span class="asa2-unavailable">{{ unavailable_label }}</span>{% endif -%}
  </p>
  <a class="asa2-button" href="{{ DetailPageURL }}" rel="{{ link_rel }}">{{ options.button|default(button_label) }}</a>
{% endblock %}
""",
}


def box_context() -> dict[str, Any]:
    """The placeholders of one typical product (what the renderer passes to a user template)."""
    features = ["40 grind settings", "Stainless conical burrs", "Quiet 150 W motor", "250 g hopper"]
    return {
        "state": "fresh",
        "options": {},
        "ASIN": "B0DEMO0001",
        "Title": "Moltano conical burr coffee grinder, 40 settings, stainless steel",
        "DetailPageURL": "https://www.amazon.de/dp/B0DEMO0001?tag=bench-21",
        "Brand": "Moltano",
        "LargeImageUrl": "https://m.media-amazon.com/images/I/71kQ3vR8mPL._SL500_.jpg",
        "OffersAutoPriceFormattedPrice": "84,99 €",
        "ListPriceFormattedPrice": "109,99 €",
        "AmountSavedFormattedPrice": "25,00 €",
        "PercentageSaved": 23,
        "IsAvailable": True,
        "FeaturesHTML": Markup("<ul>{}</ul>").format(
            Markup("").join(Markup("<li>{}</li>").format(f) for f in features)
        ),
        "CustomerReviewsAverageRating": 4.6,
        "CustomerReviewsTotalReviews": 3812,
        "FetchedAt": datetime(2026, 11, 27, 12, 0, tzinfo=UTC),
        "as_of_label": "as of",
        "disclaimer": "Price and availability are accurate as of the date/time indicated and are subject to change.",
        "button_label": "View on Amazon",
        "unavailable_label": "Product unavailable",
        "link_rel": "sponsored nofollow noopener",
        "link_target": "_blank",
    }


def renderers() -> tuple[Callable[[dict[str, Any]], str], Callable[[dict[str, Any]], str]]:
    """(twig, jinja) render functions, each with its templates compiled once."""
    sources = {path.name: path.read_text(encoding="utf-8") for path in TWIG_DIR.glob("*.twig")}
    twig_env = Environment(sources, autoescape=True, timezone="UTC")
    jinja_env = jinja2.Environment(loader=jinja2.DictLoader(JINJA_TEMPLATES), autoescape=True)
    jinja_template = jinja_env.get_template("classic.html")
    return (lambda ctx: twig_env.render("classic.twig", ctx)), jinja_template.render


def twig_vs_jinja(boxes: int, repeat: int, log: Callable[[str], None] = print) -> list[Figure]:
    """``twig_render_vs_jinja``: Twig box render time over the same box in Jinja."""
    twig, jinja = renderers()
    context = box_context()
    twig(context), jinja(context)  # compile both before timing
    # Interleaved rounds: a noisy neighbour slows both sides alike instead of only one of them.
    twig_runs: list[float] = []
    jinja_runs: list[float] = []
    for _ in range(repeat):
        twig_runs += time_runs(lambda: [twig(context) for _ in range(boxes)], repeat=1, warmup=0).runs
        jinja_runs += time_runs(lambda: [jinja(context) for _ in range(boxes)], repeat=1, warmup=0).runs
    twig_time, jinja_time = Timing(tuple(twig_runs)), Timing(tuple(jinja_runs))
    per_box_twig = twig_time.best / boxes * 1e6
    per_box_jinja = jinja_time.best / boxes * 1e6
    log(f"  twig {per_box_twig:.1f} µs/box, jinja {per_box_jinja:.1f} µs/box")
    return [
        ratio_figure(
            "twig_render_vs_jinja",
            twig_time.best,
            jinja_time.best,
            unit="s",
            target="<= 1.5",
            goal="max",
            limit=1.5,
            detail=(
                f"classic box (extends + import + macros) x{boxes}, best of {repeat} interleaved rounds: "
                f"Twig {per_box_twig:.1f} µs vs Jinja {per_box_jinja:.1f} µs per box"
            ),
        )
    ]
