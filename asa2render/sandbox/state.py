"""The sandbox's shared, lock-protected state: issued tokens, the request log, throttling and faults."""

from __future__ import annotations

import base64
import collections
import json
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from .catalog import Catalog
from .options import Credential
from .wire import Incoming, JsonObject, Rejected, Reply, json_reply

FaultKind = Literal["throttle", "internal", "unavailable", "stall", "malformed"]
FAULT_KINDS: tuple[FaultKind, ...] = ("throttle", "internal", "unavailable", "stall", "malformed")


@dataclass(frozen=True, slots=True)
class IssuedToken:
    credential: Credential
    expires_at: float  # time.monotonic()


class TokenStore:
    """Tokens issued to credentials; expired tokens are kept so they can be told from unknown ones."""

    def __init__(self, ttl_seconds: float) -> None:
        self.ttl_seconds = ttl_seconds
        self._tokens: dict[str, IssuedToken] = {}
        self._lock = threading.Lock()

    def issue(self, credential: Credential) -> str:
        token = _cognito_token() if credential.family == "cognito" else "Atc|" + secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[token] = IssuedToken(credential, time.monotonic() + self.ttl_seconds)
        return token

    def lookup(self, token: str) -> IssuedToken | None:
        with self._lock:
            return self._tokens.get(token)


def _cognito_token() -> str:
    """An opaque token shaped like Cognito's JWTs (``eyJ…``); nothing verifies its contents."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    header = part({"kid": secrets.token_hex(8), "alg": "RS256"})
    payload = part({"token_use": "access", "scope": "creatorsapi/default", "jti": secrets.token_hex(8)})
    return f"{header}.{payload}.{secrets.token_urlsafe(32)}"


class Stats:
    """The ordered log of issued tokens and API requests served by ``GET /_sandbox/stats``."""

    def __init__(self) -> None:
        self._tokens: list[JsonObject] = []
        self._requests: list[JsonObject] = []
        self._lock = threading.Lock()

    def token_issued(self, credential: Credential) -> None:
        with self._lock:
            self._tokens.append({"credential_id": credential.credential_id, "version": credential.version})

    def request_served(
        self,
        api: str,
        operation: str,
        marketplace: str | None,
        version: str | None,
        asins: list[str],
        status: int,
    ) -> None:
        entry = {
            "api": api,
            "operation": operation,
            "marketplace": marketplace,
            "version": version,
            "asins": asins,
            "status": status,
        }
        with self._lock:
            self._requests.append(entry)

    def snapshot(self) -> JsonObject:
        with self._lock:
            return {"tokens": list(self._tokens), "requests": list(self._requests)}

    def reset(self) -> None:
        with self._lock:
            self._tokens.clear()
            self._requests.clear()


class Throttle:
    """At most ``tps`` accepted requests per key in any sliding one-second window."""

    def __init__(self, tps: float | None) -> None:
        self._tps = tps
        self._seen: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        if self._tps is None:
            return True
        now = time.monotonic()
        with self._lock:
            window = self._seen[key]
            while window and now - window[0] >= 1.0:
                window.popleft()
            if len(window) >= self._tps:
                return False
            window.append(now)
            return True


class FaultInjector:
    """Draws, per API request and in arrival order, whether (and which) fault replaces the answer.

    The same seed gives the same sequence of faults for the same sequence of requests.
    """

    def __init__(self, rate: float, seed: int, stall_seconds: float) -> None:
        self._rate = rate
        self._random = random.Random(seed)
        self._stall_seconds = stall_seconds
        self._lock = threading.Lock()

    def draw(self) -> FaultKind | None:
        if self._rate <= 0:
            return None
        with self._lock:
            hit = self._random.random() < self._rate
            kind = self._random.choice(FAULT_KINDS)
        return kind if hit else None

    def apply(self, kind: FaultKind, reply: Reply, error_body: Callable[[int], JsonObject]) -> Reply:
        """The faulty version of ``reply``; ``error_body(status)`` is the API's own 429/5xx body."""
        if kind == "stall":
            reply.stall_seconds = self._stall_seconds
            return reply
        if kind == "malformed":
            return Reply(200, reply.body[: max(1, len(reply.body) // 2)], dict(reply.headers))
        status = {"throttle": 429, "internal": 500, "unavailable": 503}[kind]
        headers = {"Retry-After": "1"} if status == 429 else {}
        return json_reply(status, error_body(status), headers)


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a request handler needs, built once per sandbox from its options."""

    credentials: dict[str, Credential]
    paapi_keys: dict[str, str]
    catalog: Catalog
    tokens: TokenStore
    stats: Stats
    throttle: Throttle
    faults: FaultInjector
    ineligible: frozenset[str]
    paapi_deprecated: bool


@dataclass
class CallLog:
    """What the request log records of one API call; the handler fills it in as it learns more."""

    operation: str
    marketplace: str | None = None
    version: str | None = None
    asins: list[str] = field(default_factory=list)


def serve_call(
    api: str,
    request: Incoming,
    log: CallLog,
    services: Services,
    answer: Callable[[Incoming, Services, CallLog], Reply],
    fault_body: Callable[[int], JsonObject],
) -> Reply:
    """Answer one API call, maybe replace the answer with an injected fault, and log it.

    Args:
        api: ``"creators"`` or ``"paapi"``, as the request log names it.
        request: the call as received.
        log: the log entry, with whatever is known before ``answer`` runs.
        services: the sandbox's shared state.
        answer: the API's handler; it may raise :class:`Rejected` to answer at once.
        fault_body: the API's own body for an injected 429/5xx.
    """
    try:
        reply = answer(request, services, log)
    except Rejected as rejected:
        reply = rejected.reply
    fault = services.faults.draw()
    if fault is not None:
        reply = services.faults.apply(fault, reply, fault_body)
    services.stats.request_served(api, log.operation, log.marketplace, log.version, log.asins, reply.status)
    return reply


__all__ = [
    "FAULT_KINDS",
    "CallLog",
    "FaultInjector",
    "FaultKind",
    "IssuedToken",
    "Services",
    "Stats",
    "Throttle",
    "TokenStore",
    "serve_call",
]
