"""Errors of the Twig front end, located at ``template:line``.

Both derive from :class:`asa2render.errors.TemplateError`, so callers that handle template failures
handle Twig failures too::

    TemplateError
    └── TwigError               a Twig template failed (has ``template`` and ``line``)
        ├── TwigSyntaxError     the template cannot be loaded: bad syntax or an unsupported Twig feature
        └── TwigRuntimeError    rendering failed: undefined variable in strict mode, bad filter argument …
            └── TwigLoaderError a template named by include/extends/import does not exist
"""

from __future__ import annotations

from asa2render.errors import TemplateError


class TwigError(TemplateError):
    """A Twig template failed to load or render."""

    def __init__(self, message: str, template: str | None = None, line: int | None = None) -> None:
        self.bare_message = message
        self.template = template
        self.line = line
        super().__init__(self._describe())

    def _describe(self) -> str:
        if self.template is None:
            return self.bare_message
        where = f"{self.template}:{self.line}" if self.line else self.template
        return f"{where}: {self.bare_message}"

    def locate(self, template: str, line: int | None) -> TwigError:
        """Fill in the location when the raiser did not know it; returns ``self``."""
        if self.template is None:
            self.template = template
            self.line = line if self.line is None else self.line
            self.args = (self._describe(),)
        return self


class TwigSyntaxError(TwigError):
    """The template cannot be loaded: invalid syntax or a Twig feature asa2render does not support."""


class TwigRuntimeError(TwigError):
    """Rendering a loaded template failed."""


def php_error(message: str) -> TwigRuntimeError:
    """A PHP error inside a Twig call, worded as Twig reports it."""
    return TwigRuntimeError(f'An exception has been thrown during the rendering of a template ("{message}").')


class TwigLoaderError(TwigRuntimeError):
    """A template named by ``include``, ``extends`` or ``import`` does not exist."""
