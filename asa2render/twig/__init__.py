"""Twig 3 templates for asa2render: ASA2 users' product boxes work as pasted.

The public helper :func:`render_templates` renders a template from a name → source mapping exactly as a Twig
``Environment`` with an ``ArrayLoader`` would.
"""

from __future__ import annotations

from asa2render.twig.environment import Environment, render_templates
from asa2render.twig.errors import TwigError, TwigRuntimeError, TwigSyntaxError

__all__ = ["Environment", "TwigError", "TwigRuntimeError", "TwigSyntaxError", "render_templates"]
