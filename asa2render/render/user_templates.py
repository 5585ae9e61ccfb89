"""User templates in ``[site] templates``: Twig ones (``<name>.twig`` / ``<name>.html.twig``), the
WordPress-bridge check, and the ``data-asa2-*`` attributes added to whatever a user template renders.

Built-in templates and ``<name>.html`` user templates stay Jinja (the renderer's own environment);
this module only decides which kind a name is and renders the Twig ones through :mod:`asa2render.twig`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import TemplateError

if TYPE_CHECKING:  # the Twig front end is imported only for a templates folder (start-up cost)
    import jinja2  # annotations only: a one-file render whose box is kept never imports Jinja

    from ..twig import Environment as TwigEnvironment

Kind = Literal["twig", "jinja", "builtin"]
TWIG_SUFFIXES = (".html.twig", ".twig")
_WP_HINT = (
    "ASA2's WordPress bridge does not exist outside WordPress; use the product placeholders "
    "({{ Title }}, {{ DetailPageURL }}, {{ OffersAutoPriceFormattedPrice }} …) or values passed in the "
    "shortcode's own attributes ({{ options.<name> }}) instead"
)


class WordPressBridgeError(TemplateError):
    """A user template calls ``wp.…`` (ASA2's WordPress bridge), which cannot exist here."""

    def __init__(self, template: str, line: int, call: str) -> None:
        self.template = template
        self.line = line
        super().__init__(f"{template}:{line}: '{call}' is not available: {_WP_HINT}")


class _DirectorySources(Mapping[str, str]):
    """Template sources of one directory, read on first use (Twig's loader over the directory)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._read: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        if name not in self._read:
            path = (self.directory / name).resolve()
            if self.directory.resolve() not in path.parents or not path.is_file():
                raise KeyError(name)
            self._read[name] = path.read_text(encoding="utf-8")
        return self._read[name]

    def __contains__(self, name: object) -> bool:
        try:
            self[str(name)]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return (p.relative_to(self.directory).as_posix() for p in self.directory.rglob("*") if p.is_file())

    def __len__(self) -> int:
        return sum(1 for _ in self)


class UserTemplates:
    """Which templates the user supplies, and rendering of the Twig ones."""

    def __init__(
        self, directory: Path | None, timezone: str, jinja_env: Callable[[], jinja2.Environment]
    ) -> None:
        """``jinja_env`` returns the renderer's default environment, built on first use."""
        self.directory = directory if directory is not None and directory.is_dir() else None
        self._jinja_env = jinja_env
        self._kinds: dict[str, tuple[Kind, str]] = {}
        self._checked: set[str] = set()
        self.twig: TwigEnvironment | None = None
        if self.directory is not None:
            from ..twig import Environment

            self.twig = Environment(_DirectorySources(self.directory), autoescape=True, timezone=timezone)

    def twig_names(self) -> set[str]:
        """The names of the Twig templates at the top of the directory (``box`` for ``box.html.twig``)."""
        if self.directory is None:
            return set()
        names = set()
        for path in self.directory.iterdir():
            for suffix in TWIG_SUFFIXES:
                if path.name.endswith(suffix) and path.is_file():
                    names.add(path.name.removesuffix(suffix))
                    break
        return names

    def kind(self, name: str) -> tuple[Kind, str]:
        """The kind of template ``name`` and its file name (``box.twig``, ``box.html`` …)."""
        found = self._kinds.get(name)
        if found is None:
            found = self._kinds[name] = self._find(name)
        return found

    def _find(self, name: str) -> tuple[Kind, str]:
        if self.directory is not None:
            for suffix in TWIG_SUFFIXES:
                if (self.directory / f"{name}{suffix}").is_file():
                    return "twig", f"{name}{suffix}"
            if (self.directory / f"{name}.html").is_file():
                return "jinja", f"{name}.html"
        return "builtin", f"{name}.html"

    def check(self, kind: Kind, filename: str) -> None:
        """Reject a user template that calls ``wp.…`` (once per template and process)."""
        if kind == "builtin" or filename in self._checked or self.directory is None:
            return
        source = (self.directory / filename).read_text(encoding="utf-8")
        found = (
            _twig_wp_call(source, filename) if kind == "twig" else _jinja_wp_call(self._jinja_env(), source)
        )
        if found is not None:
            raise WordPressBridgeError(filename, *found)
        self._checked.add(filename)

    def render_twig(self, filename: str, context: Mapping[str, Any]) -> str:
        """Render the Twig template ``filename`` with ``context``."""
        assert self.twig is not None
        return self.twig.render(filename, context)


def _twig_wp_call(source: str, filename: str) -> tuple[int, str] | None:
    from ..twig.lexer import NAME, PUNCT, tokenize

    tokens = tokenize(source, filename)
    for token, dot, attr in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if token.kind == NAME and token.value == "wp" and dot.kind == PUNCT and dot.value == ".":
            return token.line, f"wp.{attr.value}"
    return None


def _jinja_wp_call(env: jinja2.Environment, source: str) -> tuple[int, str] | None:
    tokens = list(env.lex(source))
    for (line, kind, value), (_, _, dot), (_, _, attr) in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if kind == "name" and value == "wp" and dot == ".":
            return line, f"wp.{attr}"
    return None


__all__ = ["TWIG_SUFFIXES", "UserTemplates", "WordPressBridgeError"]
