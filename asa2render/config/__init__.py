"""Configuration: the typed model and its loader (``model``), comment-preserving edits (``edit``), and the
seed's routing rule that turns a configuration into one API per marketplace (``routing``)."""

from __future__ import annotations

from .model import Config, load_config

__all__ = ["Config", "load_config"]
