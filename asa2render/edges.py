"""What the edges share when they start work: the CLI's commands and every host integration.

An edge has its configuration as an object, a path or nothing (search from the working directory),
and a sandbox setting from its own options; the ``ASA2RENDER_SANDBOX`` environment variable is read
here for the integrations (the CLI's click options read it for the commands), and nowhere below: the
engine and the API layer are handed a URL, or a launcher that starts the in-process sandbox for
``auto`` (:mod:`asa2render.sandbox.launch`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .config.model import Config, Host, load_config

if TYPE_CHECKING:  # the engine (templates, HTTP, cache) is imported when an engine is opened
    from .engine import Engine, SandboxEndpoint

SANDBOX_ENV = "ASA2RENDER_SANDBOX"

ConfigSource = Config | str | Path | None


def load(config: ConfigSource, *, base: Path | None = None) -> Config:
    """A configuration from an object, a path (relative to ``base``) or None (searched).

    Raises:
        ConfigError: the file is missing, unreadable or invalid.
    """
    if isinstance(config, Config):
        return config
    if config is None:
        return load_config(None)
    path = Path(config).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return load_config(path)


def sandbox_setting(explicit: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The edge's own setting when it has one, else ``$ASA2RENDER_SANDBOX``; empty means none."""
    if explicit:
        return explicit
    return (os.environ if environ is None else environ).get(SANDBOX_ENV) or None


def sandbox_endpoint(setting: str | None) -> str | SandboxEndpoint | None:
    """What the engine is handed: None, a URL, or for ``auto`` a launcher started on first fetch."""
    if setting != "auto":
        return setting or None
    from .sandbox.launch import SandboxLauncher  # only "auto" pays for the emulator

    return SandboxLauncher()


def open_engine(
    config: ConfigSource,
    *,
    strict: bool | None = None,
    sandbox: str | None = None,
    offline: bool = False,
    base: Path | None = None,
    host: Host | None = None,
) -> Engine:
    """An engine on the configuration, talking to the sandbox the setting names (if any).

    Args:
        config: a configuration, a path to ``asa2render.toml`` (relative to ``base``), or None.
        strict: override ``[site] strict``.
        sandbox: a URL, ``"auto"``, or None (no sandbox). Edges resolve the environment first with
            :func:`sandbox_setting`.
        offline: local products and the cache only.
        base: the folder a relative ``config`` path is resolved against.
        host: override ``[site] host`` (the generator that reads the output).

    Raises:
        ConfigError: the configuration or the cache URL is invalid.
        CacheError: the cache folder cannot be used, or Redis cannot be reached.
    """
    from .engine import Engine
    from .shared import cache_url_setting

    loaded = load(config, base=base)
    return Engine(
        loaded,
        strict=strict,
        sandbox=sandbox_endpoint(sandbox),
        offline=offline,
        host=host,
        cache_url=cache_url_setting(loaded),
    )


__all__ = ["SANDBOX_ENV", "ConfigSource", "load", "open_engine", "sandbox_endpoint", "sandbox_setting"]
