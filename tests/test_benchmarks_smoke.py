"""Smoke tests for the benchmark suite: the generator and every figure function work at tiny sizes.

No timing is asserted here (timing belongs to ``make bench``); only that each figure is produced,
named as ``results.json`` promises, and that the inputs are what the figures claim they are.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from asa2render.config.model import load_config
from asa2render.engine import Engine
from asa2render.products.cache import ProductCache
from asa2render.products.models import ProductKey
from asa2render.products.resolve import TAGS
from asa2render.shortcodes import scan
from benchmarks import fetching, hosts, rendering, run, scale, scanner, sites, startup, twig
from benchmarks.measure import Figure, ratio_figure, time_runs

TINY = scanner.ScannerSizes(20_000, 20, 10_000, 30_000, repeat=1, peer_repeat=1)


def names(figures: list[Figure]) -> set[str]:
    return {figure.name for figure in figures}


def test_documents_are_seeded_and_hold_exactly_the_requested_boxes() -> None:
    first = sites.markdown_document(30_000, 25, seed=3)
    assert first == sites.markdown_document(30_000, 25, seed=3)
    assert first != sites.markdown_document(30_000, 25, seed=4)
    assert 30_000 <= len(first) < 32_000
    # The code blocks document a shortcode; markdown mode must skip it and find the 25 boxes only.
    assert "```markdown\nWrite [asa2" in first
    assert len(scan(first, TAGS, mode="markdown").shortcodes) == 25


@pytest.mark.parametrize("syntax", sites.SYNTAXES)
def test_every_syntax_expresses_the_same_document(syntax: sites.Syntax) -> None:
    text = sites.markdown_document(20_000, 10, syntax=syntax)
    plain = sites.markdown_document(20_000, 10)
    assert text.count("\n") == plain.count("\n")
    assert text.count(sites.shortcode("X", "de", syntax).split("X")[0]) >= 10


def test_adversarial_documents() -> None:
    unclosed = sites.unclosed_openers_document(5_000)
    assert all(line.startswith("[asa2 ") and "]" not in line for line in unclosed.splitlines())
    stray = sites.stray_closer_document(5_000, 5)
    assert stray.endswith("[/asa2]\n") and stray.count("[/asa2]") == 1


def test_asins_are_valid_distinct_and_prefix_stable() -> None:
    asins = sites.make_asins(200)
    assert len(set(asins)) == 200
    assert all(len(a) == 10 and a.startswith("B0") and a.isalnum() and a.isupper() for a in asins)
    assert sites.make_asins(50) == asins[:50]


def test_site_pages_ask_for_exactly_the_site_keys() -> None:
    spec = sites.SiteSpec(pages=7, per_page=5, unique_asins=12, page_bytes=1500)
    with Engine(load_config(None), offline=True, cache=_memory_cache()) as engine:
        found = {key for _, text in sites.site_pages(spec) for key in engine.prepare(text).keys}
    assert found == {ProductKey(country, asin) for country, asin in sites.site_keys(spec)}
    assert len(found) == 12


def test_written_config_loads(tmp_path: Path) -> None:
    path = sites.write_config(tmp_path, credentials={"de": ("cognito", "bench-de")}, requests_per_second=7)
    config = load_config(path)
    assert [m.country for m in config.marketplaces] == ["de", "us", "jp"]
    assert config.default_country == "de"
    assert config.api.requests_per_second == 7
    assert config.marketplace("de").uses_creators and not config.marketplace("us").uses_creators  # type: ignore[union-attr]


def test_wordpress_port_follows_the_documented_grammar() -> None:
    attributes = scanner.wordpress_parse_attributes('ASIN="B01" country=\'de\' tpl=box "pos" bare')
    assert attributes == {"asin": "B01", "country": "de", "tpl": "box", 0: "pos", 1: "bare"}
    seen: list[tuple[str, str | None]] = []

    def handler(attrs: dict[str | int, str], content: str | None, tag: str) -> str:
        seen.append((str(attrs.get("asin")), content))
        return "<box>"

    text = '[asa2 asin="A" /] [[asa2 asin="E" /]] [asa2 asin="B"]inner[/asa2] [asa2-x]'
    assert scanner.wordpress_do_shortcode(text, TAGS, handler) == '<box> [asa2 asin="E" /] <box> [asa2-x]'
    assert seen == [("A", None), ("B", "inner")]
    # WordPress's documented caveat: an opener without "/]" encloses up to the next [/asa2].
    seen.clear()
    assert (
        scanner.wordpress_do_shortcode('[asa2 asin="A"] x [asa2 asin="B"]in[/asa2]', TAGS, handler) == "<box>"
    )
    assert seen == [("A", ' x [asa2 asin="B"]in')]


def test_every_contender_handles_every_box() -> None:
    for contender in scanner.CONTENDERS:
        text = sites.markdown_document(20_000, 20, syntax=contender.syntax)  # type: ignore[arg-type]
        found = contender.run(text)
        if contender.name.startswith(("WordPress", "floor")):
            assert found >= 20  # neither skips the examples inside code blocks
        else:
            assert found == 20, contender.name


def test_scanner_figures_at_tiny_sizes() -> None:
    figures, timings = scanner.throughput(TINY, log=lambda _: None)
    figures += scanner.linearity(TINY, log=lambda _: None)
    assert {"scanner_speedup_vs_best_peer", "scanner_linearity"} <= names(figures)
    assert set(timings) == {contender.name for contender in scanner.CONTENDERS}
    assert all(figure.value is not None and figure.value > 0 for figure in figures)


def test_cold_fetch_and_warm_rebuild_against_the_sandbox() -> None:
    figures = fetching.cold_fetch(25, 1, log=lambda _: None, compare_paapi=False)
    by_name = {figure.name: figure for figure in figures}
    assert by_name["cold_fetch_requests_vs_minimum"].baseline == 3  # 9, 8, 8 ASINs → 1 request each
    assert by_name["cold_fetch_tokens_per_credential_max"].value == 1
    assert by_name["cold_fetch_vs_floor"].value is not None
    assert by_name["cold_fetch_speedup_vs_python_amazon_paapi"].value is None  # not requested
    rebuild = fetching.warm_rebuild(2, log=lambda _: None)
    assert names(rebuild) == {"warm_rebuild_requests"}
    assert rebuild[0].baseline and rebuild[0].baseline > 0  # the first build did fetch


def test_missing_paapi_venv_is_reported_not_installed_in_quick_runs(tmp_path: Path) -> None:
    python, reason = fetching.ensure_paapi_venv(lambda _: None, install=False, venv=tmp_path / "absent")
    assert python is None and "make bench" in reason
    assert not (tmp_path / "absent").exists()


def test_minimum_requests_counts_batches_of_ten_per_store() -> None:
    keys = [ProductKey("de", f"B0{i:08d}") for i in range(21)] + [ProductKey("us", "B000000001")]
    assert fetching.minimum_requests(keys) == (4, 3)


def test_render_scale_and_startup_figures_at_tiny_sizes() -> None:
    quiet = lambda _: None  # noqa: E731
    render = rendering.warm_render_overhead(3, 1, log=quiet)
    assert names(render) == {"warm_render_overhead"}
    big = scale.scale(2, 4, log=quiet, huge_pages=6)
    assert names(big) == {"peak_rss_mb_20k_pages", "per_page_time_20k_vs_2k", "peak_rss_mb_100k_pages"}
    # At these sizes the per-page CPU time is within noise (it may even come out negative); memory is not.
    by_name = {figure.name: figure for figure in big}
    assert by_name["per_page_time_20k_vs_2k"].value is not None
    assert by_name["peak_rss_mb_20k_pages"].value and by_name["peak_rss_mb_100k_pages"].value
    started = startup.startup(1, log=quiet)
    assert {
        "startup_version_vs_python",
        "startup_render_one_vs_python",
        "startup_render_edited_vs_python",
        "startup_eager_imports",
    } <= names(started)
    render_one = next(figure for figure in started if figure.name == "startup_render_one_vs_python")
    assert render_one.limit == 8 and render_one.extra["cpu_ratios"]


@pytest.mark.hosts
def test_host_build_figures_build_real_sites_with_every_box() -> None:
    figures = hosts.mkdocs_build_overhead(3, 1, log=lambda _: None)
    figures += hosts.pelican_build_overhead(3, 1, log=lambda _: None)
    assert names(figures) == {"mkdocs_build_overhead", "pelican_build_overhead"}
    for figure in figures:
        assert figure.value is not None and figure.value > 0 and figure.limit == 1.15
        assert len(figure.extra["round_ratios"]) == 1
    assert {"mkdocs", "pelican"} <= set(run.FAMILIES)


def test_twig_figure_compares_the_same_box() -> None:
    twig_render, jinja_render = twig.renderers()
    context = twig.box_context()

    def squeeze(html: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()

    assert squeeze(twig_render(context)) == squeeze(jinja_render(context))
    assert "MOLTANO" in twig_render(context) and "★★★★★" in twig_render(context)
    figures = twig.twig_vs_jinja(3, 1, log=lambda _: None)
    assert names(figures) == {"twig_render_vs_jinja"} and figures[0].value is not None


def test_figure_json_and_table(tmp_path: Path) -> None:
    figure = ratio_figure("x_vs_y", 2.0, 4.0, unit="s", target="<= 1.2", goal="max", limit=1.2)
    assert figure.value == 0.5 and figure.met is True
    data = figure.as_json()
    assert {"name", "value", "unit", "baseline", "ratio"} <= set(data)
    assert json.loads(json.dumps(data))["met"] is True
    assert "x_vs_y" in run.table([figure])
    assert len(time_runs(lambda: None, repeat=2, warmup=0).runs) == 2


def test_runner_writes_results(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    assert run.main(["--quick", "--only", "startup", "--output", str(output)]) == 0
    figures = json.loads(output.read_text())
    assert "startup_eager_imports" in {figure["name"] for figure in figures}
    assert json.loads((tmp_path / "results-meta.json").read_text())["mode"] == "quick"


def _memory_cache() -> ProductCache:
    return ProductCache.in_memory()


def test_shared_builder_page_sets_overlap_and_cover_each_store() -> None:
    from benchmarks import sharing

    sets = sharing.page_sets(100)
    assert len(sets) == sharing.BUILDERS
    assert sharing.minimum_requests(sets) == 10 + 5  # 100 de + 50 fr products, ten per request
    assert set(sets[0]["de"]) & set(sets[1]["de"])  # neighbours share products


def test_parallel_build_figure_at_a_tiny_size() -> None:
    from benchmarks import sharing

    (figure,) = sharing.parallel_build(4, 1, log=lambda _: None)
    assert figure.name == "parallel_build_speedup_2_jobs"
    assert figure.value is not None and figure.value > 0
    assert figure.extra["identical_output"] is True
    # the value is the median of the rounds' ratios, every round counted
    assert figure.extra["rounds"] == len(figure.extra["rounds_jobs1_s"]) == 1
    assert len(figure.extra["rounds_jobs1_others_cpu_s"]) == 1


def test_machine_seconds_count_up_on_linux() -> None:
    from benchmarks import sharing

    busy, stolen = sharing._machine_seconds()
    if sys.platform == "linux":
        sum(range(2_000_000))  # some CPU between the two readings
        later_busy, later_stolen = sharing._machine_seconds()
        assert later_busy >= busy > 0 and later_stolen >= stolen >= 0


def test_geo_family_counts_one_batch_per_store_per_ten_products() -> None:
    from benchmarks import geo

    figures = {figure.name: figure for figure in geo.geo_lookup(12, log=lambda line: None)}
    assert set(figures) == {"geo_lookup_requests_vs_minimum", "geo_rebuild_requests", "geo_script_gzip_bytes"}
    assert figures["geo_lookup_requests_vs_minimum"].baseline == 8  # 4 other stores × ceil(12 / 10)
    assert figures["geo_lookup_requests_vs_minimum"].met
    assert figures["geo_rebuild_requests"].value == 0
    assert "geo" in run.FAMILIES
