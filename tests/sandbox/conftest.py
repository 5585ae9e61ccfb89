"""Client fixtures shared by the sandbox tests; each test module defines its own ``sandbox`` fixture."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from asa2render.sandbox import Sandbox


@pytest.fixture(scope="module")
def shared_client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """One connection pool per module's sandbox."""
    with httpx.Client(base_url=sandbox.url) as client:
        yield client


@pytest.fixture
def http(sandbox: Sandbox, shared_client: httpx.Client) -> httpx.Client:
    """The module's client, with the sandbox's stats cleared for this test."""
    sandbox.reset_stats()
    return shared_client


@pytest.fixture
def client(http: httpx.Client) -> httpx.Client:
    return http
