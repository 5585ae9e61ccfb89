"""A real redis-server on a free loopback port (the fixtures in conftest.py start and stop it).

The class lives with the shared-builder setup the benchmark runs too (benchmarks/builders.py).
"""

from __future__ import annotations

from benchmarks.builders import RedisServer, free_port

__all__ = ["RedisServer", "free_port"]
