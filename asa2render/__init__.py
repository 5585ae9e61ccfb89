"""asa2render: Amazon product boxes from ASA2-style shortcodes in any Markdown or HTML pipeline.

The public API, importable from here::

    from asa2render import Engine, load_config

    with Engine(load_config("asa2render.toml"), offline=True) as engine:
        html = engine.process("[asa2]B0LOCAL001[/asa2]", mode="markdown")

Importing this package is cheap: each name below is imported from its module on first use (PEP 562),
so ``asa2render --version`` loads neither msgspec, Jinja nor httpx, and host packages (mkdocs,
pelican, markdown), rich and the sandbox are imported only by the modules that use them.
"""

__version__ = "0.1.0"

# public name → the module that defines it
_EXPORTS: dict[str, str] = {
    "ApiError": "asa2render.errors",
    "Asa2Error": "asa2render.errors",
    "CacheError": "asa2render.errors",
    "Config": "asa2render.config.model",
    "ConfigError": "asa2render.errors",
    "Diagnostic": "asa2render.shortcodes",
    "Document": "asa2render.engine",
    "Engine": "asa2render.engine",
    "IntegrationMissingError": "asa2render.errors",
    "ScanResult": "asa2render.shortcodes",
    "Shortcode": "asa2render.shortcodes",
    "ShortcodeError": "asa2render.errors",
    "StrictModeError": "asa2render.errors",
    "TemplateError": "asa2render.errors",
    "expand": "asa2render.shortcodes",
    "load_config": "asa2render.config.model",
    "parse": "asa2render.shortcodes",
    "scan": "asa2render.shortcodes",
}

# Static type checkers see the real imports; at run time they happen on first use. The flag is local
# (not typing's) so that importing the package does not import typing.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .config.model import Config, load_config
    from .engine import Document, Engine
    from .errors import (
        ApiError,
        Asa2Error,
        CacheError,
        ConfigError,
        IntegrationMissingError,
        ShortcodeError,
        StrictModeError,
        TemplateError,
    )
    from .shortcodes import Diagnostic, ScanResult, Shortcode, expand, parse, scan


del TYPE_CHECKING


def __getattr__(name: str) -> object:
    import importlib

    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'asa2render' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


__all__ = [
    "ApiError",
    "Asa2Error",
    "CacheError",
    "Config",
    "ConfigError",
    "Diagnostic",
    "Document",
    "Engine",
    "IntegrationMissingError",
    "ScanResult",
    "Shortcode",
    "ShortcodeError",
    "StrictModeError",
    "TemplateError",
    "__version__",
    "expand",
    "load_config",
    "parse",
    "scan",
]
