"""``asa2render sandbox`` as a process: the URL on the first line, clean exit on SIGTERM/SIGINT."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from asa2render.cli.app import cli

EXECUTABLE = Path(sys.executable).parent / "asa2render"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_prints_url_first_and_exits_cleanly(signum: signal.Signals) -> None:
    process = subprocess.Popen(
        [str(EXECUTABLE), "sandbox", "--port", "0", "--credential", "cli-id:cli-secret:3.2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        form = {"grant_type": "client_credentials", "scope": "creatorsapi::default"}
        token = httpx.post(
            f"{url}/auth/o2/token", json={**form, "client_id": "cli-id", "client_secret": "cli-secret"}
        )
        stats = httpx.get(f"{url}/_sandbox/stats").json()
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert token.status_code == 200
    assert stats == {"tokens": [{"credential_id": "cli-id", "version": "3.2"}], "requests": []}
    assert process.returncode == 0
    assert "cli-secret" not in stderr


@pytest.mark.parametrize(
    "arguments",
    [
        ["--credential", "no-version"],
        ["--credential", "id:secret:4.1"],
        ["--paapi-key", "only-access"],
        ["--ineligible", "xx"],
        ["--fault-rate", "2"],
    ],
)
def test_bad_options_are_usage_errors(arguments: list[str]) -> None:
    result = CliRunner().invoke(cli, ["sandbox", *arguments])

    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_help_documents_the_demo_credentials() -> None:
    result = CliRunner().invoke(cli, ["sandbox", "--help"])

    assert result.exit_code == 0
    assert "demo-cognito-eu" in result.output
    assert "DEMOACCESSKEY" in result.output
