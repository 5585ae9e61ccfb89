"""The product cache, negative cache, tokens and commands over a real Redis; Redis down at start and mid-run."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from asa2_fakes import make_product
from click.testing import CliRunner
from redis_server import RedisServer

from asa2render.api.tokens import StoredToken
from asa2render.cli.app import cli
from asa2render.config.model import config_from_dict
from asa2render.engine import Engine
from asa2render.errors import CacheError
from asa2render.products.cache import ProductCache
from asa2render.products.models import Failure, ProductKey, utc_now
from asa2render.shared import open_backing
from asa2render.shared.location import parse_cache_url
from asa2render.shared.redis import PREFIX, RedisBackend, RedisShared, RedisTokenStore


@pytest.fixture
def shared(redis_url: str) -> RedisShared:
    return RedisShared(parse_cache_url(redis_url, {}))


def test_products_are_the_same_json_with_a_ttl_ending_at_the_24_hour_cap(
    shared: RedisShared, redis_server: RedisServer
) -> None:
    cache = ProductCache(RedisBackend(shared))
    now = utc_now()
    product = make_product("B0REDIS001", fetched_at=now - timedelta(hours=23))
    cache.put_product(product, now)
    assert cache.get_products([ProductKey("de", "B0REDIS001")]) == {ProductKey("de", "B0REDIS001"): product}
    client = redis_server.client()
    raw = client.get(f"{PREFIX}p:de:B0REDIS001")
    assert raw is not None and raw.startswith(b'{"v":1,"product":')
    assert 3590_000 < client.pttl(f"{PREFIX}p:de:B0REDIS001") <= 3600_000  # one hour left of 24
    cache.put_product(make_product("B0REDIS002", fetched_at=now - timedelta(hours=25)), now)
    assert client.get(f"{PREFIX}p:de:B0REDIS002") is None  # never stored past the cap


def test_negative_answers_expire_after_their_own_lifetime(
    shared: RedisShared, redis_server: RedisServer
) -> None:
    cache = ProductCache(RedisBackend(shared))
    key = ProductKey("de", "B0REDISNEG")
    cache.put_failure(key, Failure(kind="not_found", message="gone", permanent=True), 600)
    assert cache.get_failures([key])[key].kind == "not_found"
    assert 590_000 < redis_server.client().pttl(f"{PREFIX}n:de:B0REDISNEG") <= 600_000


def test_a_corrupt_value_is_a_miss_and_is_dropped(shared: RedisShared, redis_server: RedisServer) -> None:
    redis_server.client().set(f"{PREFIX}p:de:B0REDISBAD", b"\x80not json")
    cache = ProductCache(RedisBackend(shared))
    assert cache.get_products([ProductKey("de", "B0REDISBAD")]) == {}


def _site(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "asa2render.toml"
    path.write_text(f'[site]\ncache_dir = "cache"\ncache_url = "{url}"\n', encoding="utf-8")
    return path


def test_cache_commands_work_on_redis(tmp_path: Path, redis_url: str, shared: RedisShared) -> None:
    cache = ProductCache(RedisBackend(shared))
    now = utc_now()
    for number in range(3):
        cache.put_product(make_product(f"B0REDISC{number:02}", fetched_at=now), now)
    cache.put_failure(
        ProductKey("de", "B0REDISN01"), Failure(kind="not_found", message="x", permanent=True), 60
    )
    config = _site(tmp_path, redis_url)
    stats = CliRunner().invoke(cli, ["cache", "stats", "--config", str(config)])
    assert stats.exit_code == 0, stats.output
    assert "cache: redis://127.0.0.1:" in stats.stdout
    assert "products: 3" in stats.stdout and "remembered failures: 1" in stats.stdout
    assert "size in Redis" in stats.stdout
    pruned = CliRunner().invoke(cli, ["cache", "prune", "--config", str(config)])
    assert pruned.exit_code == 0 and "removed 0" in pruned.stdout  # Redis expires entries itself
    cleared = CliRunner().invoke(cli, ["cache", "clear", "--config", str(config)])
    assert cleared.exit_code == 0 and "removed 4 entries" in cleared.stdout
    assert not (tmp_path / "cache").exists()  # nothing was written to disk


def test_redis_down_at_start_is_a_clear_error_without_the_password(tmp_path: Path) -> None:
    from redis_server import free_port

    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    config = _site(tmp_path, url)
    (tmp_path / "page.md").write_text('[asa2 asin="B0REDIS001"]\n', encoding="utf-8")
    for args in (["render", str(tmp_path / "page.md")], ["cache", "stats"]):
        result = CliRunner().invoke(cli, [*args, "--config", str(config)])
        assert result.exit_code == 2, result.output
        assert f"cannot reach redis://127.0.0.1:{url.rsplit(':', 1)[1]}: connection refused" in result.stderr
        assert "hunter2" not in result.output and "Traceback" not in result.output
    with pytest.raises(CacheError, match="connection refused"):
        open_backing(config_from_dict({}, environ={}), parse_cache_url(url, {}))


def test_a_wrong_password_is_named_as_such(tmp_path: Path) -> None:
    server = RedisServer(tmp_path, password="right")
    try:
        url = f"redis://:wrong@127.0.0.1:{server.port}/0"
        with pytest.raises(CacheError, match="authentication failed") as caught:
            open_backing(config_from_dict({}, environ={}), parse_cache_url(url, {}))
        assert "wrong" not in str(caught.value)
    finally:
        server.stop()


def test_redis_going_away_mid_run_degrades_and_the_run_finishes(tmp_path: Path) -> None:
    server = RedisServer(tmp_path)
    config = config_from_dict(
        {
            "site": {"cache_dir": str(tmp_path / "cache")},
            "marketplaces": [{"country": "de", "default": True, "partner_tag": "mytag-21"}],
        },
        environ={},
    )
    engine = Engine(config, cache_url=parse_cache_url(server.url, {}))
    server.stop()  # gone after the engine started
    with engine:
        html = engine.process('[asa2 asin="B0REDISGON"]\n')
    assert 'data-asa2-state="fallback"' in html  # no route and no cache: the compliant link
    assert any(
        "shared cache redis://127.0.0.1:" in n and "failed mid-run" in n for n in engine.report.notices
    )


def test_one_token_per_credential_for_every_builder(shared: RedisShared, redis_url: str) -> None:
    stores = [RedisTokenStore(RedisShared(parse_cache_url(redis_url, {}))) for _ in range(4)]
    fetched: list[int] = []

    def builder(store: RedisTokenStore) -> None:
        with store.lock("https://token", "cid"):
            if store.get("https://token", "cid") is None:
                fetched.append(1)  # the one builder that asks the token endpoint
                store.put("https://token", "cid", StoredToken("tok", 10_000_000_000.0, "2.2"), 0.0)

    threads = [threading.Thread(target=builder, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fetched == [1]
    token = stores[0].get("https://token", "cid")
    assert token is not None and token.access_token == "tok"
    assert "tok" not in repr(token)
