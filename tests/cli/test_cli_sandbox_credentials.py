"""``asa2render sandbox`` takes credentials from a file or the environment, keeping them out of ``ps``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from asa2render.cli.app import cli

EXECUTABLE = Path(sys.executable).parent / "asa2render"
LWA_FORM = {"grant_type": "client_credentials", "scope": "creatorsapi::default"}
COGNITO_FORM = {"grant_type": "client_credentials", "scope": "creatorsapi/default"}


@contextmanager
def running_sandbox(arguments: list[str], env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    with subprocess.Popen(
        [str(EXECUTABLE), "sandbox", "--port", "0", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **(env or {})},
    ) as process:
        try:
            assert process.stdout is not None
            yield process.stdout.readline().strip(), process.pid
        finally:
            process.terminate()
            process.wait(timeout=10)


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def lwa_token(url: str, client_id: str, secret: str) -> int:
    body = {**LWA_FORM, "client_id": client_id, "client_secret": secret}
    return httpx.post(f"{url}/auth/o2/token", json=body).status_code


def test_credentials_from_a_file(tmp_path: Path) -> None:
    secrets_file = tmp_path / "credentials"
    secrets_file.write_text(
        "# sandbox credentials\nfile-lwa:s3cret:with:colons:3.2\n\nfile-cog:other-secret:2.2\n"
    )
    with running_sandbox(["--credential-file", str(secrets_file)]) as (url, pid):
        assert "s3cret" not in command_line(pid)
        assert lwa_token(url, "file-lwa", "s3cret:with:colons") == 200
        cognito = {**COGNITO_FORM, "client_id": "file-cog", "client_secret": "other-secret"}
        assert httpx.post(f"{url}/oauth2/token", data=cognito).status_code == 200
        assert (
            lwa_token(url, "demo-lwa-eu", "demo-secret") == 401
        )  # configured credentials replace the demo set


def test_credentials_from_the_environment() -> None:
    env = {"ASA2RENDER_SANDBOX_CREDENTIALS": "env-a:env-secret-a:3.1 env-b:env-secret-b:3.3"}
    with running_sandbox([], env) as (url, pid):
        assert "env-secret" not in command_line(pid)
        assert lwa_token(url, "env-a", "env-secret-a") == 200
        assert lwa_token(url, "env-b", "env-secret-b") == 200
        assert lwa_token(url, "env-a", "wrong") == 401


def test_paapi_keys_from_a_file(tmp_path: Path) -> None:
    keys = tmp_path / "paapi"
    keys.write_text("AKIDFILE:file-paapi-secret\n")
    result = CliRunner().invoke(cli, ["sandbox", "--paapi-key-file", str(keys), "--port", "-1"])
    assert "file-paapi-secret" not in result.output  # parsed fine; the bad port is the only complaint
    assert "--port" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("good:secret:3.2\nnot-a-credential\n", ":2: expected ID:SECRET:VERSION"),
        ("id:hidden-secret:9.9\n", ":1: unknown Creators API version"),
    ],
)
def test_a_bad_line_names_the_file_and_line_not_the_secret(
    tmp_path: Path, content: str, message: str
) -> None:
    secrets_file = tmp_path / "credentials"
    secrets_file.write_text(content)
    result = CliRunner().invoke(cli, ["sandbox", "--credential-file", str(secrets_file)])
    assert result.exit_code == 2
    assert f"{secrets_file}{message}" in result.output
    assert "hidden-secret" not in result.output
    assert "Traceback" not in result.output


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sandbox", "--credential-file", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "cannot read" in result.output
