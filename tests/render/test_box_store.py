"""Boxes kept between builds: a later renderer reuses markup only when nothing that decides it changed.

Each test "poisons" the kept markup after a first build: a later build that reads the store returns the
poison, one that renders anew returns real markup. Every dimension of the key is changed once.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from asa2_fakes import make_product as make_old_product

from asa2render.config.model import Config, config_from_dict
from asa2render.products.models import Product, ProductKey, Resolved
from asa2render.products.resolve import TAGS, ProductRequest, resolve
from asa2render.render import box_store, private
from asa2render.render.renderer import Renderer
from asa2render.shortcodes import parse

KEY = ProductKey("de", "B0TEST0001")
NOW = datetime.now(UTC).replace(second=0, microsecond=0)


def make_product(**changes: Any) -> Product:
    """A product fetched this minute (boxes of products fetched over 24 h ago are not kept)."""
    return make_old_product(**{"fetched_at": NOW, **changes})


POISON = '<div data-asa2-asin="B0TEST0001" data-asa2-state="fresh">kept</div>'


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The store on, in a folder of this test (instead of Jinja's per-user one), no store in memory."""
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv(box_store.ENVIRONMENT, "on")
    monkeypatch.setattr(box_store, "private_folder", lambda: str(folder))
    box_store._STORES.clear()
    yield folder
    box_store._STORES.clear()


def _config(path: Path | None = None, **site: Any) -> Config:
    return config_from_dict(
        {"site": site, "marketplaces": [{"country": "de", "default": True, "partner_tag": "mytag-21"}]},
        path=path,
        environ={},
    )


def _request(config: Config, text: str = '[asa2 asin="B0TEST0001"]') -> ProductRequest:
    return resolve(parse(text, TAGS)[0], config)[0]


def _item(product: object = None, state: str = "fresh", **changes: object) -> Resolved:
    values = {"key_country": "de", "key_asin": "B0TEST0001", "product": product, "state": state, **changes}
    return Resolved.model_validate(values)


def _build(config: Config, text: str, item: Resolved, **kwargs: Any) -> str:
    """One build in a new process: a fresh renderer, no store in memory, closed (saved) at the end."""
    box_store._STORES.clear()
    box = Renderer(config, **kwargs)
    try:
        return box.render(_request(config, text), {KEY: item})
    finally:
        box.close()


def _poison(folder: Path) -> None:
    """Replace every kept box with POISON."""
    for path in folder.glob("__asa2render-boxes-*.json"):
        boxes = json.loads(path.read_text(encoding="utf-8"))
        poisoned = {key: [POISON, fetched] for key, (_, fetched) in boxes.items()}
        path.write_text(json.dumps(poisoned), encoding="utf-8")


TEXT = '[asa2 asin="B0TEST0001"]'
BuildArgs = tuple[Config, str, Resolved]


def test_a_later_build_reuses_the_kept_box_byte_for_byte(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config()
    first = _build(config, TEXT, _item(make_product()))
    assert _build(config, TEXT, _item(make_product())) == first
    monkeypatch.setenv(box_store.ENVIRONMENT, "off")
    assert _build(config, TEXT, _item(make_product())) == first  # what rendering gives
    monkeypatch.setenv(box_store.ENVIRONMENT, "on")
    _poison(folder)
    assert _build(config, TEXT, _item(make_product())) == POISON  # it was read from the store
    [kept] = folder.glob("__asa2render-boxes-*.json")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def _changed(name: str, tmp_path: Path) -> tuple[BuildArgs, BuildArgs]:
    """A build, and the same build with one thing that decides the box changed."""
    config = _config()
    product = make_product()
    base: BuildArgs = (config, TEXT, _item(product))
    later = product.fetched_at + timedelta(minutes=1)
    changes: dict[str, Callable[[], BuildArgs]] = {
        "product data": lambda: (config, TEXT, _item(make_product(title="Another title"))),
        "state stale": lambda: (config, TEXT, _item(product, "stale")),
        "state fallback": lambda: (config, TEXT, _item(None, "fallback")),
        "unavailable action": lambda: (config, TEXT, _item(product, action="hide", unavailable="gone")),
        "as-of minute": lambda: (config, TEXT, _item(make_product(fetched_at=later))),
        "template": lambda: (config, '[asa2 asin="B0TEST0001" tpl="compact"]', _item(product)),
        "options": lambda: (config, '[asa2 asin="B0TEST0001" title="Mine"]', _item(product)),
        "link text": lambda: (config, "[asa2_textlink asin=B0TEST0001]a[/asa2_textlink]", _item(product)),
        "site options": lambda: (_config(paid_label="Werbung"), TEXT, _item(product)),
        "language": lambda: (_config(language="en"), TEXT, _item(product)),
        "time zone": lambda: (_config(timezone="Europe/Berlin"), TEXT, _item(product)),
    }
    return base, changes[name]()


@pytest.mark.parametrize(
    "name",
    [
        "product data",
        "state stale",
        "state fallback",
        "unavailable action",
        "as-of minute",
        "template",
        "options",
        "link text",
        "site options",
        "language",
        "time zone",
    ],
)
def test_changing_one_thing_renders_anew(
    name: str, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, changed = _changed(name, tmp_path)
    _build(*base)
    if changed[1] != TEXT:  # a different shortcode: keep its own box first, so only the poison answers
        _build(changed[0], TEXT, changed[2])
    _poison(folder)
    assert _build(*base) == POISON
    monkeypatch.setenv(box_store.ENVIRONMENT, "off")
    expected = _build(*changed)
    monkeypatch.setenv(box_store.ENVIRONMENT, "on")
    assert expected != POISON
    assert _build(*changed) == expected


def test_associate_set_decides_the_box(folder: Path) -> None:
    config = config_from_dict(
        {
            "marketplaces": [{"country": "de", "default": True}],
            "associate_id_sets": {"default": {"de": "main-21"}, "promo": {"de": "promo-21"}},
        },
        environ={},
    )
    _build(config, TEXT, _item(make_product()))
    _poison(folder)
    html = _build(config, '[asa2 asin="B0TEST0001" set="promo"]', _item(make_product()))
    assert html != POISON and "tag=promo-21" in html


def test_user_templates_decide_the_box(folder: Path, tmp_path: Path) -> None:
    templates = tmp_path / "site" / "templates"
    templates.mkdir(parents=True)
    (templates / "box.html").write_text('<div data-asa2-asin="{{ ASIN }}">{{ Title }}</div>')
    config = _config(tmp_path / "site" / "asa2render.toml", templates="templates")
    assert _build(config, TEXT, _item(make_product())).endswith(">Product B0TEST0001</div>")
    _poison(folder)
    assert _build(config, TEXT, _item(make_product())) == POISON
    (templates / "_helper.html").write_text("{# a new include changes the folder #}")
    assert _build(config, TEXT, _item(make_product())) != POISON
    _poison(folder)
    (templates / "box.html").write_text('<div data-asa2-asin="{{ ASIN }}">[{{ Title }}]</div>')
    assert "[Product B0TEST0001]" in _build(config, TEXT, _item(make_product()))


def test_trusted_links_and_the_code_decide_the_box(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _config()
    _build(config, TEXT, _item(make_product()))
    _poison(folder)
    assert _build(config, TEXT, _item(make_product()), trusted_links=["https://shop.example/x"]) != POISON
    _poison(folder)
    monkeypatch.setattr(box_store, "_code_identity", lambda: "an edited checkout")
    assert _build(config, TEXT, _item(make_product())) != POISON


def test_nothing_is_kept_when_off_or_with_an_image_source(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config()
    _build(config, TEXT, _item(make_product()), image_source=lambda product, size: None)
    assert not list(folder.glob("__asa2render-boxes-*"))
    monkeypatch.setenv(box_store.ENVIRONMENT, "off")
    _build(config, TEXT, _item(make_product()))
    assert not list(folder.glob("__asa2render-boxes-*"))


def test_a_box_with_a_problem_is_not_kept(folder: Path, tmp_path: Path) -> None:
    templates = tmp_path / "site" / "templates"
    templates.mkdir(parents=True)
    (templates / "box.html").write_text("{{ wp.get_option('x') }}")  # a WordPress bridge: a problem
    config = _config(tmp_path / "site" / "asa2render.toml", templates="templates")
    box_store._STORES.clear()
    box = Renderer(config)
    box.render(_request(config), {KEY: _item(make_product())})
    box.close()
    assert box.take_problems()
    assert not list(folder.glob("__asa2render-boxes-*"))


def test_an_unreadable_store_costs_nothing_but_time(folder: Path) -> None:
    config = _config()
    expected = _build(config, TEXT, _item(make_product()))
    for path in folder.glob("__asa2render-boxes-*.json"):
        path.write_text("{not json", encoding="utf-8")
    assert _build(config, TEXT, _item(make_product())) == expected


def test_boxes_of_products_fetched_over_24_hours_ago_are_dropped(folder: Path) -> None:
    config = _config()
    old = make_product(fetched_at=NOW - timedelta(hours=25))
    _build(config, TEXT, _item(old))
    _build(config, TEXT, _item(make_product()))
    [kept] = folder.glob("__asa2render-boxes-*.json")
    assert len(json.loads(kept.read_text(encoding="utf-8"))) == 1  # only the fresh product's box
    _poison(folder)
    assert _build(config, TEXT, _item(old)) != POISON


def test_keys_are_hashlibs_blake2() -> None:
    """The digest is imported without hashlib (which loads OpenSSL): the same function, the same keys."""
    assert box_store.blake2b is hashlib.blake2b
    settings, items = ("box", {"asin": "B0STARTUP1"}), b'[{"asin":"B0STARTUP1"}]'
    expected = hashlib.blake2b(repr(settings).encode() + b"\0" + items, digest_size=20).hexdigest()
    assert box_store.box_key(settings, items) == expected


def _old_file_lines(package: Path) -> list[str]:
    """How ``_code_identity`` listed the package's files before it sliced paths (the reference)."""
    files = []
    for root, folders, names in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(names):
            info = os.stat(os.path.join(root, name))
            files.append(
                f"{os.path.relpath(os.path.join(root, name), package)}:{info.st_size}:{info.st_mtime_ns}"
            )
    return files


def test_the_code_identity_lists_the_package_as_before() -> None:
    private.forget_code_identity()
    lines = box_store._code_identity().split("\n")
    package = Path(box_store.__file__).resolve().parent.parent
    assert lines[4:] == _old_file_lines(package)
    assert any(line.startswith("render/box_store.py:") for line in lines)


def test_kept_boxes_read_ahead_are_the_boxes_a_render_uses(folder: Path) -> None:
    config = _config()
    first = _build(config, TEXT, _item(make_product()))
    _poison(folder)
    box_store._STORES.clear()
    box = Renderer(config)
    box.read_kept_boxes()  # a --jobs worker does this while its parent fetches
    for path in folder.glob("__asa2render-boxes-*.json"):
        path.unlink()  # read already: the render needs the file no more
    assert box.render(_request(config, TEXT), {KEY: _item(make_product())}) == POISON
    assert first != POISON


def test_reading_kept_boxes_ahead_is_harmless_when_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(box_store.ENVIRONMENT, "off")
    box = Renderer(_config())
    box.read_kept_boxes()
    box.close()
    assert not list(folder.glob("__asa2render-boxes-*.json"))


def test_the_box_key_hashes_settings_and_items_apart() -> None:
    items = Resolved.json_bytes([_item(make_product())])
    key = box_store.box_key(("box", ()), items)
    assert key == box_store.box_key(("box", ()), items)
    assert len(key) == 40
    assert key != box_store.box_key(("compact", ()), items)
    assert key != box_store.box_key(("box", ()), Resolved.json_bytes([_item(make_product(title="Other"))]))
    # The settings' repr never holds a NUL byte, so moving bytes across the separator changes the key.
    assert box_store.box_key("ab", b"c") != box_store.box_key("a", b"bc")


def test_write_atomically_replaces_the_file_privately_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "boxes.json"
    target.write_text("old", encoding="utf-8")
    box_store.write_atomically(target, "new ✓")
    box_store.write_atomically(tmp_path / "bytes.bin", b"\x00\x01")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert (tmp_path / "bytes.bin").read_bytes() == b"\x00\x01"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # as tempfile.mkstemp made it
    assert sorted(path.name for path in tmp_path.iterdir()) == ["boxes.json", "bytes.bin"]


def test_write_atomically_removes_its_temporary_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "folder"
    target.mkdir()
    (target / "inside").write_text("", encoding="utf-8")
    with pytest.raises(IsADirectoryError):
        box_store.write_atomically(target, "cannot replace a folder")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["folder"]
