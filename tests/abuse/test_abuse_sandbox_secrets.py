"""Issue 18 item 9 (second half): the sandbox's credential secrets never appear in the process list.

The attack: ``ps`` on a shared CI machine. Credentials given by file or environment must work and
must not be on the command line (``/proc/PID/cmdline`` is what ``ps`` shows).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

FORM = {"grant_type": "client_credentials", "scope": "creatorsapi::default"}


@pytest.mark.parametrize("source", ["file", "environment"])
def test_sandbox_secrets_stay_out_of_the_process_list(tmp_path: Path, source: str) -> None:
    secret = "abuse-Secret-7f3a"
    arguments, env = [], {**os.environ}
    if source == "file":
        (tmp_path / "credentials").write_text(f"abuse-id:{secret}:3.2\n", encoding="utf-8")
        arguments = ["--credential-file", str(tmp_path / "credentials")]
    else:
        env["ASA2RENDER_SANDBOX_CREDENTIALS"] = f"abuse-id:{secret}:3.2"
    command = [sys.executable, "-m", "asa2render", "sandbox", "--port", "0", *arguments]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    ) as sandbox:
        try:
            assert sandbox.stdout is not None
            url = sandbox.stdout.readline().strip()
            shown = Path(f"/proc/{sandbox.pid}/cmdline").read_bytes().decode(errors="replace")
            assert secret not in shown
            token = httpx.post(
                f"{url}/auth/o2/token", json={**FORM, "client_id": "abuse-id", "client_secret": secret}
            )
            assert token.status_code == 200
            wrong = httpx.post(
                f"{url}/auth/o2/token", json={**FORM, "client_id": "abuse-id", "client_secret": "x"}
            )
            assert wrong.status_code == 401 and secret not in wrong.text
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=10)
