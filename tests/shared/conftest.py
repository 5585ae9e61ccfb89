"""A real redis-server on a free loopback port, started for the tests that need one and stopped after."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis_server import RedisServer


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> Iterator[str]:
    """The session's server, emptied before each test."""
    redis_server.client().flushall()
    return redis_server.url


@pytest.fixture(scope="session")
def redis_tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A second server that speaks only TLS (``rediss://``), its certificate from a throwaway CA."""
    server = RedisServer(tmp_path_factory.mktemp("redis-tls"), tls=True)
    yield server
    server.stop()


@pytest.fixture
def redis_tls_url(redis_tls_server: RedisServer) -> str:
    """``rediss://127.0.0.1:PORT/0?ssl_ca_certs=…/ca.pem``, the server emptied before each test."""
    redis_tls_server.client().flushall()
    return redis_tls_server.url
