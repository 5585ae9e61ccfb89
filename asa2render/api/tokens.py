"""Creators API access tokens: the OAuth2 client-credentials flow as an ``httpx.Auth``, and their cache.

Cognito credentials (2.x) ask for a token with a form body and scope ``creatorsapi/default`` and send
``Bearer <token>, Version 2.x``; LWA credentials (3.x) use a JSON body, scope ``creatorsapi::default``
and a plain ``Bearer <token>`` (protocol.md §2). A token is reused until ``expires_in`` minus
``[api] token_margin`` seconds, across runs too: :class:`TokenStore` keeps it in a private JSON file
(mode 0600) under a hash of (token endpoint, credential id). Only the token, its expiry and its version
are stored — never the credential secret.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import filelock
import httpx
import platformdirs

from ..errors import ApiError, AuthError
from ..files import PRIVATE_FILE_MODE, atomic_write
from ..records import SecretStr
from .ratelimit import Clock
from .responses import Context, decode_json, error_from_response

TOKEN_FILENAME = "creators-tokens.json"
DEFAULT_EXPIRES_IN = 3600  # protocol.md §2.4: used when the token response omits expires_in
_SCOPES = {"2": "creatorsapi/default", "3": "creatorsapi::default"}
logger = logging.getLogger("asa2render.api")


@dataclass(frozen=True, slots=True)
class Credential:
    """One Creators API credential: its id, secret and the API version it was issued for."""

    credential_id: str
    secret: SecretStr
    version: str

    @property
    def family(self) -> str:
        """``"2"`` (Cognito) or ``"3"`` (LWA): the major version decides the token flow."""
        return self.version.split(".")[0]


@dataclass(frozen=True, slots=True)
class StoredToken:
    """An access token and when it expires (epoch seconds)."""

    access_token: str = field(repr=False)
    expires_at: float
    version: str

    def usable(self, now: float, margin: float) -> bool:
        return now < self.expires_at - margin


class TokenStore:
    """Tokens kept between runs in a private JSON file; ``path=None`` keeps them in memory only."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._memory: dict[str, dict[str, Any]] = {}

    @classmethod
    def default(cls) -> TokenStore:
        """The per-user store in ``platformdirs.user_state_dir("asa2render")``."""
        return cls(Path(platformdirs.user_state_dir("asa2render")) / TOKEN_FILENAME)

    def __repr__(self) -> str:
        return f"TokenStore(path={str(self.path)!r})"

    @staticmethod
    def key(token_url: str, credential_id: str) -> str:
        """The entry name: a hash, so the file does not even list which credentials exist."""
        return hashlib.sha256(f"{token_url}\0{credential_id}".encode()).hexdigest()

    def get(self, token_url: str, credential_id: str) -> StoredToken | None:
        with self._lock:
            entry = self._load().get(self.key(token_url, credential_id))
        return _parse_entry(entry)

    def put(self, token_url: str, credential_id: str, token: StoredToken, now: float) -> None:
        entry = {"access_token": token.access_token, "expires_at": token.expires_at, "version": token.version}
        with self._lock:
            entries = {k: v for k, v in self._load().items() if _still_valid(v, now)}
            entries[self.key(token_url, credential_id)] = entry
            self._save(entries)

    @contextmanager
    def lock(self, token_url: str, credential_id: str) -> Iterator[None]:
        """Held while a token is fetched, so processes sharing the store fetch one token, not one each.

        The file store uses a lock file beside the token file (``filelock``: OS locks, released when a
        process dies); a lock that cannot be had within a minute is given up rather than waited for.
        """
        if self.path is None:
            yield
            return
        lock = filelock.FileLock(str(self.path) + ".lock", timeout=60)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            lock.acquire()
        except (OSError, filelock.Timeout) as exc:
            logger.warning("cannot lock the Creators API token file (%s); fetching a token anyway", exc)
            yield
            return
        try:
            yield
        finally:
            lock.release()

    def discard(self, token_url: str, credential_id: str) -> None:
        with self._lock:
            entries = self._load()
            if entries.pop(self.key(token_url, credential_id), None) is not None:
                self._save(entries)

    def _load(self) -> dict[str, dict[str, Any]]:
        if self.path is None:
            return dict(self._memory)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # a missing or damaged cache only costs one token request
        return {k: v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}

    def _save(self, entries: dict[str, dict[str, Any]]) -> None:
        if self.path is None:
            self._memory = entries
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            atomic_write(self.path, json.dumps(entries), mode=PRIVATE_FILE_MODE)
        except OSError as exc:
            logger.warning("cannot save Creators API tokens to %s: %s", self.path, exc.strerror)


def _parse_entry(entry: Any) -> StoredToken | None:
    if not isinstance(entry, dict):
        return None
    token, expires, version = entry.get("access_token"), entry.get("expires_at"), entry.get("version")
    if isinstance(token, str) and isinstance(expires, int | float) and isinstance(version, str):
        return StoredToken(token, float(expires), version)
    return None


def _still_valid(entry: Any, now: float) -> bool:
    parsed = _parse_entry(entry)
    return parsed is not None and parsed.expires_at > now


class CreatorsAuth(httpx.Auth):
    """OAuth2 client credentials for the Creators API, with caching, early refresh and one 401 retry."""

    def __init__(
        self, credential: Credential, token_url: str, store: TokenStore, clock: Clock, margin: float
    ) -> None:
        self._credential = credential
        self._token_url = token_url
        self._store = store
        self._clock = clock
        self._margin = margin
        self._token: StoredToken | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"CreatorsAuth(version={self._credential.version!r}, token_url={self._token_url!r})"

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        with self._lock:
            token = self._usable_token()
            if token is None:
                with self._store.lock(self._token_url, self._credential.credential_id):
                    # Another process may have fetched one while this one waited for the lock.
                    token = self._usable_token()
                    if token is None:
                        token = yield from self._fetch_token(request)
        self._authorize(request, token)
        response = yield request
        if response.status_code == 401:
            response.read()  # overriding sync_auth_flow means reading bodies ourselves
            # Revoked or expired early: one fresh token, one more try (protocol.md §2.4).
            with self._lock:
                if self._token is token:
                    self._forget()
                    token = yield from self._fetch_token(request)
                else:
                    token = self._token or (yield from self._fetch_token(request))
            self._authorize(request, token)
            yield request

    def _usable_token(self) -> StoredToken | None:
        now = self._clock.time()
        if self._token is None or not self._token.usable(now, self._margin):
            stored = self._store.get(self._token_url, self._credential.credential_id)
            fits = stored is not None and stored.version == self._credential.version
            self._token = stored if fits and stored is not None and stored.usable(now, self._margin) else None
        return self._token

    def _forget(self) -> None:
        self._token = None
        self._store.discard(self._token_url, self._credential.credential_id)

    def _fetch_token(
        self, api_request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, StoredToken]:
        response = yield self._token_request(api_request.extensions.get("timeout"))
        response.read()
        context = Context(api=f"Creators API {self._credential.version} token", marketplace="")
        if response.status_code != 200:
            raise self._token_error(response, context)
        data = decode_json(response, context)
        access_token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(access_token, str) or not access_token:
            raise AuthError("token response has no access_token", api=context.api, status=200)
        expires_in = data.get("expires_in", DEFAULT_EXPIRES_IN)
        lifetime = float(expires_in) if isinstance(expires_in, int | float) else DEFAULT_EXPIRES_IN
        now = self._clock.time()
        token = StoredToken(access_token, now + lifetime, self._credential.version)
        self._token = token
        self._store.put(self._token_url, self._credential.credential_id, token, now)
        return token

    def _token_error(self, response: httpx.Response, context: Context) -> ApiError:
        error = error_from_response(response, context, self._clock.time())
        if 400 <= response.status_code < 500 and response.status_code != 429:
            return AuthError(
                f"the token endpoint refused the credential: {error.bare_message}",
                api=context.api,
                reason=error.reason,
                status=error.status,
            )
        return error

    def _token_request(self, timeout: Any) -> httpx.Request:
        credential = self._credential
        fields = {
            "grant_type": "client_credentials",
            "client_id": credential.credential_id,
            "client_secret": credential.secret.get_secret_value(),
            "scope": _SCOPES.get(credential.family, _SCOPES["3"]),
        }
        extensions = {"timeout": timeout} if timeout else {}  # the token request gets the API timeout too
        if credential.family == "2":
            return httpx.Request("POST", self._token_url, data=fields, extensions=extensions)
        return httpx.Request("POST", self._token_url, json=fields, extensions=extensions)

    def _authorize(self, request: httpx.Request, token: StoredToken) -> None:
        value = f"Bearer {token.access_token}"
        if self._credential.family == "2":
            value += f", Version {self._credential.version}"
        request.headers["Authorization"] = value


__all__ = ["TOKEN_FILENAME", "CreatorsAuth", "Credential", "StoredToken", "TokenStore"]
