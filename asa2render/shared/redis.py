"""Everything builders share, in Redis: product cache, negative cache, tokens, claims and rate limits.

Uses redis-py against any Redis 6+ (standalone or a managed single-endpoint service). Expiry is
Redis's own (``SET … PX``), so nothing older than Amazon's 24 h cap survives; every operation that
must be atomic across builders is one Lua script, never a read-modify-write from Python. Keys live
under ``asa2render:`` so one database can hold other things too.

Redis failing mid-run is not fatal: the operation that failed answers "nothing cached / not
coordinated", one notice is recorded (naming the server without its password), and the run goes on
the way it would on an API failure.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import uuid4

from ..api.tokens import StoredToken, TokenStore
from ..errors import CacheError
from ..products.models import Failure, ProductKey
from .coordination import RESULT_TTL, Status, key_id, parse_id
from .location import CacheUrl

if TYPE_CHECKING:
    import redis as redis_module

PREFIX = "asa2render:"
log = logging.getLogger("asa2render.shared")
_T = TypeVar("_T")
_SCAN_BATCH = 1000

# Result markers are "<settled at, µs>|<failure JSON or empty>".
_OFFER = """
local prefix, since = ARGV[1], tonumber(ARGV[2])
-- one counter for every pool: what was offered first is taken first, offers never interleave
local score = redis.call('INCRBY', prefix .. 'q-seq', #ARGV) - #ARGV
local added = 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local marker = redis.call('GET', prefix .. 'r:' .. id)
  local at = marker and tonumber(string.match(marker, '^(%d+)|'))
  local recent = at and at >= since
  if redis.call('EXISTS', prefix .. 'c:' .. id) == 0 and not recent then
    local country = string.match(id, '^([^:]+):')
    local asin = string.sub(id, #country + 2)
    added = added + redis.call('ZADD', prefix .. 'q:' .. country, 'NX', score + i, asin)
  end
end
return added
"""

_TAKE = """
local prefix, owner, ttl, limit = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local best, size = nil, 0
for i = 5, #ARGV do
  local n = redis.call('ZCARD', prefix .. 'q:' .. ARGV[i])
  if n > size then best, size = ARGV[i], n end
end
if not best then return {} end
local taken = {}
local popped = redis.call('ZPOPMIN', prefix .. 'q:' .. best, limit)
for j = 1, #popped, 2 do
  local id = best .. ':' .. popped[j]
  if redis.call('SET', prefix .. 'c:' .. id, owner, 'NX', 'PX', ttl) then
    table.insert(taken, id)
  end
end
return taken
"""

_SETTLE = """
local prefix, owner, ttl, now = ARGV[1], ARGV[2], ARGV[3], redis.call('TIME')
local stamp = string.format('%.0f', tonumber(now[1]) * 1000000 + tonumber(now[2]))
for i = 4, #ARGV, 2 do
  local id = ARGV[i]
  redis.call('SET', prefix .. 'r:' .. id, stamp .. '|' .. ARGV[i + 1], 'PX', ttl)
  if redis.call('GET', prefix .. 'c:' .. id) == owner then redis.call('DEL', prefix .. 'c:' .. id) end
end
return 1
"""

_RELEASE = """
local prefix, owner = ARGV[1], ARGV[2]
for i = 3, #ARGV do
  local claim = prefix .. 'c:' .. ARGV[i]
  if redis.call('GET', claim) == owner then redis.call('DEL', claim) end
end
return 1
"""

_STATUS = """
local prefix, since, out = ARGV[1], tonumber(ARGV[2]), {}
for i = 3, #ARGV do
  local id = ARGV[i]
  local marker = redis.call('GET', prefix .. 'r:' .. id)
  local at, result = nil, nil
  if marker then at, result = string.match(marker, '^(%d+)|(.*)$') end
  if at and tonumber(at) >= since then
    out[#out + 1] = 'r' .. result
  elseif redis.call('EXISTS', prefix .. 'c:' .. id) == 1 then
    out[#out + 1] = 'c'
  else
    local country = string.match(id, '^([^:]+):')
    if redis.call('ZSCORE', prefix .. 'q:' .. country, string.sub(id, #country + 2)) then
      out[#out + 1] = 'q'
    else
      out[#out + 1] = 'l'
    end
  end
end
return out
"""

# GCRA with a burst of one: the stored value is the theoretical arrival time of the next request
# (microseconds, Redis's own clock so builders on different machines agree). Each call moves it one
# interval on and answers how long the caller must wait for its slot.
_RESERVE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) * 1000000 + tonumber(now[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < t then tat = t end
local keep = math.ceil((tat + interval - t) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', tat + interval), 'PX', keep)
return tat - t
"""


def connect(location: CacheUrl) -> redis_module.Redis:
    """A client for the URL, checked with one PING.

    Raises:
        CacheError: ``cannot reach redis://host:port/db: connection refused`` (no password), or
            redis-py is not installed.
    """
    try:
        import redis
    except ImportError:
        raise CacheError(
            f"{location}: the Redis backend needs redis-py: pip install 'asa2render[redis]'"
        ) from None
    try:
        client = redis.Redis.from_url(
            location.url, socket_connect_timeout=3, socket_timeout=10, health_check_interval=30
        )
        client.ping()
    except (redis.RedisError, ValueError, OSError) as exc:
        raise CacheError(f"cannot reach {location}: {_reason(exc)}") from None
    return client


_UNTRUSTED = re.compile(r"certificate verify failed: ([^(]*)", re.IGNORECASE)


def _reason(exc: BaseException) -> str:
    """A short, password-free reason ("connection refused", "authentication failed", …)."""
    text = str(exc).lower()
    untrusted = _UNTRUSTED.search(str(exc))
    if untrusted:  # the usual TLS problem, a private CA: say how to name it
        return (
            f"the server's TLS certificate is not trusted ({untrusted.group(1).strip().rstrip('.')}); "
            "if a private CA issued it, name its file in the URL: rediss://host:port/0?ssl_ca_certs=/path/ca.pem"
        )
    for needle, reason in (
        ("refused", "connection refused"),
        ("auth", "authentication failed"),
        ("password", "authentication failed"),
        ("timed out", "timed out"),
        ("timeout", "timed out"),
        ("name or service", "unknown host"),
        ("nodename", "unknown host"),
        ("ssl", "TLS handshake failed"),
        ("no such file", "a file the URL names (ssl_ca_certs, ssl_certfile, ssl_keyfile) does not exist"),
        ("reset by peer", "connection reset by the server (does it speak TLS only? then use rediss://)"),
    ):
        if needle in text:
            return reason
    return type(exc).__name__


class _Guard:
    """Turns Redis errors into a logged notice and a default answer (one notice per run)."""

    def __init__(self, location: CacheUrl) -> None:
        self.location = location
        self.notices: list[str] = []
        self.healthy = True
        self._lock = threading.Lock()

    def run(self, operation: Callable[[], _T], default: _T) -> _T:
        import redis

        try:
            return operation()
        except redis.RedisError as exc:
            with self._lock:
                self.healthy = False
                notice = f"shared cache {self.location} failed mid-run ({_reason(exc)}); continued without it"
                if notice not in self.notices:
                    log.warning("%s", notice)
                    self.notices.append(notice)
            return default


class RedisShared:
    """One connection and its error guard, handing out the cache backend, coordinator and token store."""

    def __init__(self, location: CacheUrl, client: redis_module.Redis | None = None) -> None:
        self.location = location
        self.client = client if client is not None else connect(location)
        self.guard = _Guard(location)

    def __repr__(self) -> str:
        return f"RedisShared({self.location.display!r})"

    def close(self) -> None:
        self.client.close()


class RedisBackend:
    """:class:`~asa2render.products.cache.Backend` in Redis: the same JSON values, Redis TTLs."""

    def __init__(self, shared: RedisShared) -> None:
        self._shared = shared
        self._client = shared.client
        self._guard = shared.guard

    def __repr__(self) -> str:
        return f"RedisBackend({self._shared.location.display!r})"

    @property
    def location(self) -> str:
        return self._shared.location.display

    def get_many(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        missing: list[Any] = [None] * len(ids)
        names = [PREFIX + i for i in ids]
        values: list[Any] = self._guard.run(lambda: list(self._client.mget(names)), missing)
        found: dict[str, str] = {}
        for id_, value in zip(ids, values, strict=True):
            if isinstance(value, bytes):
                try:
                    found[id_] = value.decode("utf-8")
                except UnicodeDecodeError:
                    log.warning("cache entry %s is not text; treating it as a miss", id_)
        return found

    def set(self, id_: str, value: str, expire: float) -> None:
        milliseconds = max(int(expire * 1000), 1)
        self._guard.run(lambda: self._client.set(PREFIX + id_, value, px=milliseconds), None)

    def delete(self, id_: str) -> None:
        self._guard.run(lambda: self._client.delete(PREFIX + id_), None)

    def clear(self) -> int:
        def run() -> int:
            removed = 0
            for chunk in _chunks(self._scan_keys(), _SCAN_BATCH):
                removed += int(self._client.unlink(*chunk))
            return removed

        return self._guard.run(run, 0)

    def ids(self) -> Iterator[str]:
        nothing: list[bytes] = []
        names = self._guard.run(lambda: list(self._scan_keys()), nothing)
        return (name.decode()[len(PREFIX) :] for name in names)

    def _scan_keys(self) -> Iterator[bytes]:
        for kind in ("p", "n"):
            yield from self._client.scan_iter(match=f"{PREFIX}{kind}:*", count=_SCAN_BATCH)

    def expire(self) -> int:
        return 0  # Redis drops expired entries itself

    def close(self) -> None:
        """The connection is closed by :class:`RedisShared`."""

    def size(self) -> int:
        """Bytes of the cached values (what Redis reports for each key)."""

        def run() -> int:
            total = 0
            for chunk in _chunks(self._scan_keys(), _SCAN_BATCH):
                pipe = self._client.pipeline(transaction=False)
                for name in chunk:
                    pipe.memory_usage(name)
                total += sum(int(v or 0) for v in pipe.execute())
            return total

        return self._guard.run(run, 0)


class RedisCoordinator:
    """:class:`~asa2render.shared.coordination.Coordinator` in Redis (Lua scripts, TTL'd claims)."""

    def __init__(self, shared: RedisShared) -> None:
        self._shared = shared
        self._client = shared.client
        self._guard = shared.guard
        self._owner = uuid4().hex
        self._offer = self._client.register_script(_OFFER)
        self._take = self._client.register_script(_TAKE)
        self._settle = self._client.register_script(_SETTLE)
        self._status = self._client.register_script(_STATUS)
        self._release = self._client.register_script(_RELEASE)
        self._reserve = self._client.register_script(_RESERVE)

    def __repr__(self) -> str:
        return f"RedisCoordinator({self._shared.location.display!r})"

    @property
    def healthy(self) -> bool:
        return self._guard.healthy

    @property
    def notices(self) -> list[str]:
        return list(self._guard.notices)

    def now(self) -> float:
        def run() -> float:
            seconds, micros = self._client.time()
            return float(seconds) + float(micros) / 1_000_000

        return self._guard.run(run, 0.0)

    def offer(self, keys: Sequence[ProductKey], since: float) -> None:
        if keys:
            args = [PREFIX, _micros(since), *map(key_id, keys)]
            self._guard.run(lambda: self._offer(args=args), None)

    def take(self, countries: Sequence[str], limit: int, claim_ttl: float) -> list[ProductKey]:
        args: list[str | int] = [PREFIX, self._owner, max(int(claim_ttl * 1000), 1), limit, *countries]
        nothing: list[Any] = []
        taken: list[Any] = self._guard.run(lambda: self._take(args=args), nothing)
        return [parse_id(_text(item)) for item in taken]

    def settle(self, outcomes: Mapping[ProductKey, Failure | None]) -> None:
        args: list[Any] = [PREFIX, self._owner, int(RESULT_TTL * 1000)]
        for key, failure in outcomes.items():
            args += [key_id(key), "" if failure is None else failure.model_dump_json()]
        if outcomes:
            self._guard.run(lambda: self._settle(args=args), None)

    def release(self, keys: Sequence[ProductKey]) -> None:
        if keys:
            args = [PREFIX, self._owner, *map(key_id, keys)]
            self._guard.run(lambda: self._release(args=args), None)

    def status(self, keys: Sequence[ProductKey], since: float) -> dict[ProductKey, Status]:
        if not keys:
            return {}
        args = [PREFIX, _micros(since), *map(key_id, keys)]
        answers = self._guard.run(lambda: self._status(args=args), None)
        if answers is None:
            return dict.fromkeys(keys, "lost")
        return {key: _status(_text(answer)) for key, answer in zip(keys, answers, strict=True)}

    def reserve(self, name: str, interval: float) -> float | None:
        waited = self._guard.run(
            lambda: self._reserve(keys=[f"{PREFIX}g:{name}"], args=[int(interval * 1_000_000)]), None
        )
        return None if waited is None else max(int(waited), 0) / 1_000_000

    def close(self) -> None:
        """The connection is closed by :class:`RedisShared`."""


class RedisTokenStore(TokenStore):
    """Creators API tokens in Redis: one token per credential for every builder, refreshed under a lock."""

    LOCK_TIMEOUT = 60.0  # seconds: a builder that dies while fetching a token blocks the others this long

    def __init__(self, shared: RedisShared) -> None:
        super().__init__(None)
        self._shared = shared

    def __repr__(self) -> str:
        return f"RedisTokenStore({self._shared.location.display!r})"

    def _name(self, token_url: str, credential_id: str) -> str:
        return f"{PREFIX}t:{self.key(token_url, credential_id)}"

    def get(self, token_url: str, credential_id: str) -> StoredToken | None:
        name = self._name(token_url, credential_id)
        raw = self._shared.guard.run(lambda: self._shared.client.get(name), None)
        if not isinstance(raw, bytes):
            return None
        try:
            entry = json.loads(raw)
        except ValueError:
            return None
        token, expires, version = entry.get("access_token"), entry.get("expires_at"), entry.get("version")
        if isinstance(token, str) and isinstance(expires, int | float) and isinstance(version, str):
            return StoredToken(token, float(expires), version)
        return None

    def put(self, token_url: str, credential_id: str, token: StoredToken, now: float) -> None:
        lifetime = int((token.expires_at - now) * 1000)
        if lifetime <= 0:
            return
        entry = {"access_token": token.access_token, "expires_at": token.expires_at, "version": token.version}
        name = self._name(token_url, credential_id)
        self._shared.guard.run(lambda: self._shared.client.set(name, json.dumps(entry), px=lifetime), None)

    def discard(self, token_url: str, credential_id: str) -> None:
        name = self._name(token_url, credential_id)
        self._shared.guard.run(lambda: self._shared.client.delete(name), None)

    @contextmanager
    def lock(self, token_url: str, credential_id: str) -> Iterator[None]:
        """redis-py's lock (SET NX PX + a Lua release): N builders starting together fetch one token."""
        lock = self._shared.client.lock(
            f"{PREFIX}l:{self.key(token_url, credential_id)}",
            timeout=self.LOCK_TIMEOUT,
            blocking_timeout=self.LOCK_TIMEOUT,
        )
        acquired = self._shared.guard.run(lock.acquire, False)
        try:
            yield
        finally:
            if acquired:
                self._shared.guard.run(lambda: _release(lock), None)


def _release(lock: Any) -> None:
    from redis.exceptions import LockError

    with suppress(LockError):  # held past its timeout and taken over: nothing left to release
        lock.release()


def _status(answer: str) -> Status:
    if answer.startswith("r"):
        value = answer[1:]
        if not value:
            return "done"
        try:
            return Failure.model_validate(json.loads(value))
        except ValueError:
            return "lost"
    return {"c": "claimed", "q": "pending"}.get(answer, "lost")  # type: ignore[return-value]


def _micros(seconds: float) -> str:
    return f"{seconds * 1_000_000:.0f}"


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _chunks(items: Iterator[bytes], size: int) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


__all__ = ["PREFIX", "RedisBackend", "RedisCoordinator", "RedisShared", "RedisTokenStore", "connect"]
