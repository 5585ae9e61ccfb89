"""Twig's own integration fixtures (twigphp/Twig ``tests/Fixtures``) run against asa2render's Twig engine.

Each ``.test`` file in ``fixtures/`` is a copy of an upstream fixture within the scope of issue 10; the ones
left out are listed with their reason in ``fixtures/EXCLUDED.md``. As upstream's ``IntegrationTestCase``
does, templates are rendered with ``strict_variables`` on unless ``--CONFIG--`` says otherwise, with a
``global`` variable, and output is compared after trimming newlines and spaces.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from php_literals import read_php

from asa2render.twig import Environment, TwigError
from asa2render.twig.errors import TwigLoaderError, TwigSyntaxError

FIXTURES = Path(__file__).parent / "fixtures"
_CASES = sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.test"))
_EXCEPTION = re.compile(
    r"--TEST--\s*(.*?)\s*(?:--DEPRECATION--\s*(.*?))?\s*((?:--TEMPLATE(?:\(.*?\))?--(?:.*?))+)\s*"
    r"(?:--DATA--\s*(.*))?\s*--EXCEPTION--\s*(.*)",
    re.S,
)
_NORMAL = re.compile(
    r"--TEST--\s*(.*?)\s*(?:--DEPRECATION--\s*(.*?))?\s*((?:--TEMPLATE(?:\(.*?\))?--(?:.*?))+)--DATA--.*?--EXPECT--.*",
    re.S,
)
_OUTPUTS = re.compile(r"--DATA--(.*?)(?:--CONFIG--(.*?))?--EXPECT--(.*?)(?=--DATA--|$)", re.S)
_TEMPLATES = re.compile(r"--TEMPLATE(?:\((.*?)\))?--(.*?)(?=--TEMPLATE|$)", re.S)
_CLASSES = {TwigSyntaxError: "Twig\\Error\\SyntaxError", TwigLoaderError: "Twig\\Error\\LoaderError"}


def _templates(section: str) -> dict[str, str]:
    return {m.group(1) or "index.twig": m.group(2) for m in _TEMPLATES.finditer(section)}


def _render(templates: dict[str, str], data_code: str, config_code: str | None) -> str:
    data, zone = read_php(data_code)
    config: dict[str, Any] = {"strict_variables": True}
    if config_code and config_code.strip():
        config.update(read_php(config_code)[0] or {})
    autoescape = config.get("autoescape", "html")
    env = Environment(
        templates,
        autoescape=autoescape is not False,
        strict_variables=bool(config["strict_variables"]),
        timezone=zone or "UTC",
        globals={"global": "global"},
    )
    return env.render("index.twig", data or {})


def _as_twig_message(exc: TwigError) -> str:
    name = next(
        (label for cls, label in _CLASSES.items() if isinstance(exc, cls)), "Twig\\Error\\RuntimeError"
    )
    message = exc.bare_message
    if exc.template is not None:  # Twig's Error::updateRepr
        ending = message[-1:] if message[-1:] in (".", "?") else ""
        message = message[: len(message) - len(ending)]
        message += f' in "{exc.template}"' + (f" at line {exc.line}" if exc.line else "") + ending
    return f"{name}: {message}"


def _matches_format(expected: str, actual: str) -> bool:
    """PHPUnit's ``assertStringMatchesFormat`` for the placeholders fixtures use."""
    pattern = re.escape(expected).replace("%s", ".+").replace("%d", r"\d+").replace("%%", "%")
    return re.fullmatch(pattern, actual, re.S) is not None


@pytest.mark.parametrize("case", _CASES)
def test_fixture(case: str) -> None:
    text = (FIXTURES / case).read_text(encoding="utf-8")
    if match := _EXCEPTION.match(text):
        templates = _templates(match.group(3))
        expected = match.group(5).strip()
        with pytest.raises(TwigError) as info:
            _render(templates, match.group(4) or "return []", None)
        actual = _as_twig_message(info.value)
        assert actual == expected or _matches_format(expected, actual)
        return
    match = _NORMAL.match(text)
    assert match, f"{case} is not a valid fixture"
    base = _templates(match.group(3))
    for index, output in enumerate(_OUTPUTS.finditer(text)):
        templates = {name: source + " " * index for name, source in base.items()}
        rendered = _render(templates, output.group(1), output.group(2)).strip("\n ")
        assert rendered == output.group(3).strip("\n "), f"{case} case {index + 1}"
