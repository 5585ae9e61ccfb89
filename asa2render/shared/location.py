"""Where builders share their state: ``[site] cache_url`` or ``$ASA2RENDER_CACHE_URL``, and how it is shown.

A URL may carry a password (``redis://:pw@host:6379/0``) or name environment variables anywhere in
it (``redis://:${REDIS_PASSWORD}@cache.internal:6379/0``). The password never leaves this module:
:meth:`CacheUrl.display` drops the user part, so messages and logs name only scheme, host, port and
database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import msgspec

from ..config.model import Config
from ..errors import ConfigError

CACHE_URL_ENV = "ASA2RENDER_CACHE_URL"
SCHEMES = ("redis", "rediss")
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class CacheUrl(msgspec.Struct, frozen=True):
    """A validated Redis URL; the full text (with any password) is kept out of ``repr``."""

    url: str
    display: str

    def __str__(self) -> str:
        return self.display

    def __repr__(self) -> str:
        return f"CacheUrl(display={self.display!r})"

    def __rich_repr__(self) -> list[tuple[str, Any]]:  # msgspec's would show the URL to rich
        return [("display", self.display)]


def cache_url_setting(config: Config, environ: Mapping[str, str] | None = None) -> CacheUrl | None:
    """The shared backend for a run: ``[site] cache_url`` if set, else ``$ASA2RENDER_CACHE_URL``, else None.

    Raises:
        ConfigError: the URL is not a ``redis://`` or ``rediss://`` URL, or names an unset variable.
    """
    env = os.environ if environ is None else environ
    configured = config.site.cache_url.get_secret_value() if config.site.cache_url else ""
    raw = configured or env.get(CACHE_URL_ENV, "")
    if not raw.strip():
        return None
    where = "[site] cache_url" if configured else CACHE_URL_ENV
    return parse_cache_url(raw.strip(), env, where)


def parse_cache_url(raw: str, environ: Mapping[str, str], where: str = "cache_url") -> CacheUrl:
    """Expand ``${NAME}`` references and check the URL's shape (without connecting)."""
    missing = [name for name in _REFERENCE.findall(raw) if not environ.get(name)]
    if missing:
        raise ConfigError(f"{where}: environment variable {missing[0]} is not set")
    url = _REFERENCE.sub(lambda match: environ[match.group(1)], raw)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ConfigError(f"{where}: not a valid URL") from None
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ConfigError(f"{where}: expected redis://host:port/db or rediss://host:port/db")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    display = f"{parts.scheme}://{host}:{port or 6379}{parts.path or '/0'}"
    return CacheUrl(url, display)


__all__ = ["CACHE_URL_ENV", "SCHEMES", "CacheUrl", "cache_url_setting", "parse_cache_url"]
