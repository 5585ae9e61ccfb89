"""The sandbox's settings and the demo credentials it accepts when none are given.

Demo credentials (accepted only when no ``--credential`` is given; demo PA-API keys only when no
``--paapi-key`` is given — each kind independently):

========================  ==============  =========  =========================
credential id             secret          version    token endpoint
========================  ==============  =========  =========================
``demo-cognito-na``       ``demo-secret`` 2.1        ``POST /oauth2/token``
``demo-cognito-eu``       ``demo-secret`` 2.2        ``POST /oauth2/token``
``demo-cognito-fe``       ``demo-secret`` 2.3        ``POST /oauth2/token``
``demo-lwa-na``           ``demo-secret`` 3.1        ``POST /auth/o2/token``
``demo-lwa-eu``           ``demo-secret`` 3.2        ``POST /auth/o2/token``
``demo-lwa-fe``           ``demo-secret`` 3.3        ``POST /auth/o2/token``
========================  ==============  =========  =========================

PA-API 5.0: access key ``DEMOACCESSKEY``, secret key ``demo-paapi-secret``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from ..marketplaces import RegionGroup, normalize_country

Family = Literal["cognito", "lwa"]
_T = TypeVar("_T")

DEMO_CREDENTIALS: tuple[tuple[str, str, str], ...] = (
    ("demo-cognito-na", "demo-secret", "2.1"),
    ("demo-cognito-eu", "demo-secret", "2.2"),
    ("demo-cognito-fe", "demo-secret", "2.3"),
    ("demo-lwa-na", "demo-secret", "3.1"),
    ("demo-lwa-eu", "demo-secret", "3.2"),
    ("demo-lwa-fe", "demo-secret", "3.3"),
)
DEMO_PAAPI_KEYS: tuple[tuple[str, str], ...] = (("DEMOACCESSKEY", "demo-paapi-secret"),)

_FAMILY_BY_MAJOR: dict[str, Family] = {"2": "cognito", "3": "lwa"}
_GROUP_BY_MINOR: dict[str, RegionGroup] = {"1": "NA", "2": "EU", "3": "FE"}


@dataclass(frozen=True, slots=True)
class SandboxOptions:
    """Everything ``asa2render sandbox`` can be told; see the command's help for each option.

    ``credentials`` holds ``(id, secret, version)`` triples and ``paapi_keys`` ``(access, secret)`` pairs;
    both are left out of the repr. ``catalog`` None means the bundled demo catalog.
    """

    host: str = "127.0.0.1"
    port: int = 0
    tls: bool = False
    catalog: Path | None = None
    credentials: tuple[tuple[str, str, str], ...] = field(default=(), repr=False)
    paapi_keys: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    fault_rate: float = 0.0
    seed: int = 0
    throttle_tps: float | None = None
    token_ttl: int = 3600
    ineligible: tuple[str, ...] = ()
    paapi_deprecated: bool = False
    missing: tuple[tuple[str, str], ...] = ()  # (ASIN, store) pairs that do not exist in that store
    # How long an injected "stalled response" fault sleeps before answering; clients time out first.
    stall_seconds: float = 3.0
    # Seconds a socket read may wait (slow or stalled clients get 408 and are disconnected).
    read_timeout: float = 5.0
    # Largest request body accepted (413 above it); Amazon's request bodies are a few kilobytes.
    max_body_bytes: int = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Credential:
    """A Creators API credential bound to one version (and so to one token family and region group)."""

    credential_id: str
    secret: str = field(repr=False)
    version: str

    @property
    def family(self) -> Family:
        return _FAMILY_BY_MAJOR[self.version[0]]

    @property
    def group(self) -> RegionGroup:
        return _GROUP_BY_MINOR[self.version[2]]


def check_version(version: str) -> str:
    """Return ``version`` when it is one of 2.1–2.3 or 3.1–3.3; raise ValueError otherwise."""
    major, dot, minor = version.partition(".")
    if not dot or major not in _FAMILY_BY_MAJOR or minor not in _GROUP_BY_MINOR:
        raise ValueError(f"unknown Creators API version {version!r}; use 2.1-2.3 (Cognito) or 3.1-3.3 (LWA)")
    return version


def parse_credential(text: str) -> tuple[str, str, str]:
    """Split ``ID:SECRET:VERSION`` (the secret may itself contain colons)."""
    credential_id, _, rest = text.partition(":")
    secret, _, version = rest.rpartition(":")
    if not credential_id or not secret or not version:
        raise ValueError("expected ID:SECRET:VERSION, e.g. my-id:my-secret:2.2")
    return credential_id, secret, check_version(version)


def parse_paapi_key(text: str) -> tuple[str, str]:
    """Split ``ACCESS:SECRET``."""
    access, _, secret = text.partition(":")
    if not access or not secret:
        raise ValueError("expected ACCESS:SECRET, e.g. AKIAEXAMPLE:my-secret-key")
    return access, secret


def read_secret_file(path: Path, parse: Callable[[str], _T]) -> tuple[_T, ...]:
    """Parse one entry per line of ``path`` with ``parse``; blank lines and ``#`` comments are skipped.

    Secrets kept in a file (or the environment) stay out of the process list, where a command-line
    argument would show them to every user of the machine.

    Raises:
        ValueError: the file cannot be read or a line is malformed (``path:line: …``; the line itself
            is never quoted, because it holds a secret).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}") from None
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            entries.append(parse(line))
        except ValueError as error:
            raise ValueError(f"{path}:{number}: {error}") from None
    return tuple(entries)


def active_credentials(options: SandboxOptions) -> dict[str, Credential]:
    """The accepted Creators credentials by id: the configured ones, else the demo set."""
    triples = options.credentials or DEMO_CREDENTIALS
    return {cid: Credential(cid, secret, check_version(version)) for cid, secret, version in triples}


def active_paapi_keys(options: SandboxOptions) -> dict[str, str]:
    """The accepted PA-API secret keys by access key: the configured ones, else the demo pair."""
    return dict(options.paapi_keys or DEMO_PAAPI_KEYS)


def ineligible_countries(options: SandboxOptions) -> frozenset[str]:
    """The canonical codes of the stores whose associate is not eligible; ValueError on unknown codes."""
    codes = set()
    for raw in options.ineligible:
        code = normalize_country(raw)
        if code is None:
            raise ValueError(f"unknown country {raw!r} for --ineligible")
        codes.add(code)
    return frozenset(codes)


__all__ = [
    "DEMO_CREDENTIALS",
    "DEMO_PAAPI_KEYS",
    "Credential",
    "Family",
    "SandboxOptions",
    "active_credentials",
    "active_paapi_keys",
    "check_version",
    "ineligible_countries",
    "parse_credential",
    "parse_paapi_key",
    "read_secret_file",
]
