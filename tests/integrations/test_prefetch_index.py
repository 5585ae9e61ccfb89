"""Kept prefetch keys (asa2render/integrations/prefetch_index.py), and the Pelican prefetch that uses them."""

from __future__ import annotations

import marshal
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest

from asa2render.engine import Engine
from asa2render.integrations import prefetch_index
from asa2render.integrations.hosts import open_engine
from asa2render.integrations.prefetch_index import PrefetchIndex
from asa2render.products.models import ProductKey
from asa2render.sandbox import Sandbox

DE1, DE2 = ProductKey("de", "B0DEMO0001"), ProductKey("de", "B0DEMO0005")


@pytest.fixture
def keeping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keeping between builds on, with a private folder of this test's own."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # what gettempdir() answers from now on
    monkeypatch.delenv("ASA2RENDER_BOX_CACHE", raising=False)
    return temporary


def _source(folder: Path, name: str, text: str) -> tuple[str, os.stat_result]:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return name, path.stat()


def test_kept_keys_come_back_for_an_unchanged_source_only(tmp_path: Path, keeping: Path) -> None:
    name, info = _source(tmp_path, "a.md", "[asa2]B0DEMO0001[/asa2]")
    index = PrefetchIndex.open(str(tmp_path), "settings")
    assert index.keys(name, info) is None
    index.keep(name, info, [DE1, DE2])
    index.save()

    again = PrefetchIndex.open(str(tmp_path), "settings")
    assert again.keys(name, info) == [DE1, DE2]
    _, edited = _source(tmp_path, "a.md", "[asa2]B0DEMO0001[/asa2] and more")
    assert again.keys(name, edited) is None
    assert PrefetchIndex.open(str(tmp_path), "other settings").keys(name, info) is None


def test_the_index_is_a_private_file_in_the_private_folder(tmp_path: Path, keeping: Path) -> None:
    name, info = _source(tmp_path, "a.md", "x")
    index = PrefetchIndex.open(str(tmp_path), "settings")
    index.keep(name, info, [DE1])
    index.save()
    assert index.path is not None
    assert Path(index.path).parent == keeping / f"_jinja2-cache-{os.getuid()}"
    assert stat.S_IMODE(os.stat(index.path).st_mode) == 0o600
    assert "settings" not in Path(index.path).read_bytes().decode("latin-1")  # only its digest names the file


def test_sources_not_seen_in_a_build_are_dropped(tmp_path: Path, keeping: Path) -> None:
    first, first_info = _source(tmp_path, "a.md", "a")
    second, second_info = _source(tmp_path, "b.md", "b")
    index = PrefetchIndex.open(str(tmp_path), "s")
    index.keep(first, first_info, [DE1])
    index.keep(second, second_info, [DE2])
    index.save()

    rebuilt = PrefetchIndex.open(str(tmp_path), "s")
    assert rebuilt.keys(first, first_info) == [DE1]  # b.md was deleted: never asked for
    rebuilt.save()
    assert PrefetchIndex.open(str(tmp_path), "s").keys(second, second_info) is None


@pytest.mark.parametrize(
    "content",
    [
        b"not marshal",
        marshal.dumps((prefetch_index.FORMAT + 1, {})),
        marshal.dumps((prefetch_index.FORMAT, {"a.md": ((1, 2, 3), ())})),
        marshal.dumps((prefetch_index.FORMAT, {"a.md": ((1, 2, 3, 4), (("de",),))})),
        marshal.dumps((prefetch_index.FORMAT, {"a.md": ((1, 2, 3, "4"), ())})),
        marshal.dumps([prefetch_index.FORMAT, {}]),
    ],
)
def test_a_file_this_code_did_not_write_reads_as_empty(tmp_path: Path, keeping: Path, content: bytes) -> None:
    name, info = _source(tmp_path, "a.md", "a")
    index = PrefetchIndex.open(str(tmp_path), "s")
    assert index.path is not None
    Path(index.path).write_bytes(content)
    assert PrefetchIndex.open(str(tmp_path), "s").keys(name, info) is None


def test_nothing_is_kept_with_the_box_cache_off(
    tmp_path: Path, keeping: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASA2RENDER_BOX_CACHE", "off")
    name, info = _source(tmp_path, "a.md", "a")
    index = PrefetchIndex.open(str(tmp_path), "s")
    index.keep(name, info, [DE1])
    index.save()
    assert index.path is None
    assert not list(keeping.rglob("prefetch-*"))


# -- the Pelican prefetch --------------------------------------------------------------------

PAGES = {
    "one.md": "Title: One\n\n[asa2]B0DEMO0001[/asa2]\n",
    "two.md": 'Title: Two\nasa2_country: us\n\n[asa2 asin="B0DEMO0102"]\n\n[asa2]B0DEMO0005[/asa2]\n',
    "three.md": "Title: Three\n\nNo boxes.\n",
}


@pytest.fixture
def pelican_site(tmp_path: Path, site_config: Path) -> dict[str, Any]:
    content = tmp_path / "content"
    content.mkdir()
    for name, text in PAGES.items():
        (content / name).write_text(text, encoding="utf-8")
    return {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "out"), "IGNORE_FILES": []}


class _Counted:
    """An engine whose ``prepare`` calls are listed (by path) and whose fetched keys are recorded."""

    def __init__(self, engine: Engine) -> None:
        self.prepared: list[str] = []
        self.fetched: list[ProductKey] = []
        prepare, fetch = engine.prepare, engine.fetch

        def counted_prepare(text: str, **options: Any) -> Any:
            self.prepared.append(options["path"])
            return prepare(text, **options)

        def recorded_fetch(keys: Any) -> None:
            keys = list(keys)
            self.fetched += keys
            fetch(keys)

        engine.prepare = counted_prepare  # type: ignore[method-assign]
        engine.fetch = recorded_fetch  # type: ignore[method-assign]


def _run(
    site_config: Path,
    sandbox: Sandbox,
    settings: dict[str, Any],
    *,
    strict: bool | None = None,
    country: str | None = None,
) -> _Counted:
    """One prefetch of the site by a new engine (a new build)."""
    from asa2render.integrations.pelican import prefetch_site

    with open_engine(site_config, sandbox=sandbox.url, strict=strict) as engine:
        counted = _Counted(engine)
        prefetch_site(engine, settings, country)
    return counted


def test_an_unchanged_source_is_not_prepared_again_and_gives_the_same_keys(
    pelican_site: dict[str, Any], site_config: Path, sandbox: Sandbox, keeping: Path
) -> None:
    first = _run(site_config, sandbox, pelican_site)
    assert sorted(first.prepared) == ["one.md", "three.md", "two.md"]
    second = _run(site_config, sandbox, pelican_site)
    assert second.prepared == []
    assert second.fetched == first.fetched
    assert set(first.fetched) == {
        DE1,
        ProductKey("us", "B0DEMO0102"),
        ProductKey("us", "B0DEMO0005"),
    }  # two.md: us


def test_an_edited_or_added_source_is_prepared_again(
    pelican_site: dict[str, Any], site_config: Path, sandbox: Sandbox, keeping: Path
) -> None:
    _run(site_config, sandbox, pelican_site)
    content = Path(pelican_site["PATH"])
    (content / "one.md").write_text("Title: One\n\n[asa2]B0DEMO0006[/asa2]\n", encoding="utf-8")
    (content / "four.md").write_text("Title: Four\n\n[asa2]B0DEMO0001[/asa2]\n", encoding="utf-8")
    again = _run(site_config, sandbox, pelican_site)
    assert sorted(again.prepared) == ["four.md", "one.md"]
    assert ProductKey("de", "B0DEMO0006") in again.fetched
    assert ProductKey("de", "B0DEMO0001") in again.fetched


def test_a_source_with_a_problem_is_always_prepared(
    pelican_site: dict[str, Any], site_config: Path, sandbox: Sandbox, keeping: Path
) -> None:
    content = Path(pelican_site["PATH"])
    (content / "bad.md").write_text('Title: Bad\n\n[asa2 asin="B0DEMO0001" country="zz"]\n', encoding="utf-8")
    _run(site_config, sandbox, pelican_site)
    again = _run(site_config, sandbox, pelican_site)
    assert again.prepared == ["bad.md"]


def test_strict_mode_prepares_every_source(
    pelican_site: dict[str, Any], site_config: Path, sandbox: Sandbox, keeping: Path
) -> None:
    _run(site_config, sandbox, pelican_site)
    strict = _run(site_config, sandbox, pelican_site, strict=True)
    assert sorted(strict.prepared) == ["one.md", "three.md", "two.md"]


def test_a_different_page_country_default_is_another_index(
    pelican_site: dict[str, Any], site_config: Path, sandbox: Sandbox, keeping: Path
) -> None:
    _run(site_config, sandbox, pelican_site)
    counted = _run(site_config, sandbox, pelican_site, country="us")
    assert sorted(counted.prepared) == ["one.md", "three.md", "two.md"]
    assert ProductKey("us", "B0DEMO0001") in counted.fetched
