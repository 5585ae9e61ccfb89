"""One error path for every command: ``asa2render: error: …`` on stderr, exit 0 / 1 / 2, no traceback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from asa2render.cli import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, CliError
from asa2render.cli.app import cli
from asa2render.errors import Asa2Error, CacheError

CONFIG = """
[site]
cache_dir = "cache"

[[marketplaces]]
country = "de"
partner_tag = "mytag-21"
default = true
"""
BROKEN_CONFIG = '[[marketplaces]]\ncountry = "xx"\n'


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "asa2render.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "page.md").write_text('# Page\n\n[asa2 asin="nope"]\n', encoding="utf-8")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "index.md").write_text('[asa2 asin="nope"]\n', encoding="utf-8")
    return tmp_path


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _assert_error(result: Result, code: int, text: str) -> None:
    assert result.exit_code == code, result.output
    assert f"asa2render: error: {text}" in result.stderr
    assert "Traceback" not in result.output


CONTENT_COMMANDS = [
    ("render", "page.md", "--offline"),
    ("build", "pages", "-o", "public", "--offline"),
    ("check", "page.md", "--offline"),
    ("cache", "stats"),
    ("refresh", "page.md"),
    ("export-data", "page.md", "--offline"),
    ("marketplaces", "list"),
    ("marketplaces", "route", "de"),
]


@pytest.mark.parametrize("args", CONTENT_COMMANDS, ids=lambda args: " ".join(args[:2]))
def test_an_invalid_configuration_exits_2(site: Path, args: tuple[str, ...]) -> None:
    (site / "asa2render.toml").write_text(BROKEN_CONFIG, encoding="utf-8")
    _assert_error(_run(*args), EXIT_USAGE, "")
    assert "unknown country 'xx'" in _run(*args).stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("render", "page.md", "--offline"), EXIT_OK),
        (("render", "page.md", "--offline", "--strict"), EXIT_FAILURES),
        (("build", "pages", "-o", "public", "--offline"), EXIT_OK),
        (("build", "pages", "-o", "public", "--offline", "--strict"), EXIT_FAILURES),
        (("check", "page.md", "--offline"), EXIT_FAILURES),
        (("export-data", "page.md", "--offline"), EXIT_OK),
        (("cache", "stats"), EXIT_OK),
    ],
)
def test_lenient_runs_exit_0_and_strict_or_check_failures_exit_1(
    site: Path, args: tuple[str, ...], code: int
) -> None:
    result = _run(*args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


def test_strict_render_of_stdin_names_the_problem(site: Path) -> None:
    result = CliRunner().invoke(cli, ["render", "-", "--offline", "--strict"], input='[asa2 asin="nope"]')
    _assert_error(result, EXIT_FAILURES, "1 problem(s) in strict mode")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("render", "missing.md", "--offline"), "missing.md: no such file or directory"),
        (("render", "pages", "--offline"), "several inputs or a directory need -o DIR"),
        (("marketplaces", "add", "xx", "--partner-tag", "mytag-21"), 'unknown country "xx"'),
        (("marketplaces", "edit", "fr", "--enable"), "fr (France) is not configured"),
        (("marketplaces", "--config", "absent.toml", "list"), "absent.toml: no such file"),
        (("sandbox", "--ineligible", "xx"), "unknown country 'xx' for --ineligible"),
    ],
)
def test_usage_errors_exit_2_with_one_format(site: Path, args: tuple[str, ...], message: str) -> None:
    _assert_error(_run(*args), EXIT_USAGE, message)


def test_an_unusable_cache_folder_is_a_configuration_error(site: Path) -> None:
    (site / "cache").write_text("not a folder", encoding="utf-8")
    _assert_error(_run("cache", "stats"), EXIT_USAGE, "")
    _assert_error(_run("render", "page.md", "--offline"), EXIT_USAGE, "")


def test_debug_output_shows_the_library_error_itself(site: Path) -> None:
    (site / "cache").write_text("not a folder", encoding="utf-8")
    result = _run("-vv", "cache", "stats")
    assert isinstance(result.exception, CacheError)


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_a_sandbox_that_cannot_listen_exits_1(taken_port: int) -> None:
    _assert_error(_run("sandbox", "--port", str(taken_port)), EXIT_FAILURES, "cannot serve on 127.0.0.1:")


def test_cli_error_is_part_of_the_one_error_tree() -> None:
    error = CliError("boom", EXIT_FAILURES)
    assert isinstance(error, Asa2Error)
    assert (error.exit_code, error.format_message()) == (EXIT_FAILURES, "boom")
