"""A real redis-server on a free loopback port (the fixtures in conftest.py start and stop it)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """One redis-server process (no persistence) and its URL.

    With ``tls`` it listens only on a TLS port (``rediss://``) with a certificate for 127.0.0.1 issued
    by a throwaway CA (trustme); :attr:`ca_file` is that CA, which a client must be given to trust it.
    """

    def __init__(self, workdir: Path, password: str | None = None, *, tls: bool = False) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is missing: scripts/test-tools/redis.sh installs it"
        self.port = free_port()
        self.password = password
        self.ca_file: Path | None = None
        args = [binary, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)]
        if tls:
            args += ["--port", "0", "--tls-port", str(self.port), *self._certificates(workdir)]
        else:
            args += ["--port", str(self.port)]
        if password:
            args += ["--requirepass", password]
        self._process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait()

    def _certificates(self, workdir: Path) -> list[str]:
        import trustme

        ca = trustme.CA()
        issued = ca.issue_cert("127.0.0.1", "localhost")
        self.ca_file = workdir / "ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_file))
        cert, key = workdir / "server.pem", workdir / "server.key"
        issued.cert_chain_pems[0].write_to_path(str(cert))
        issued.private_key_pem.write_to_path(str(key))
        # Clients are not asked for a certificate of their own: the URL's CA and password suffice.
        files = [
            "--tls-cert-file",
            str(cert),
            "--tls-key-file",
            str(key),
            "--tls-ca-cert-file",
            str(self.ca_file),
        ]
        return [*files, "--tls-auth-clients", "no"]

    @property
    def url(self) -> str:
        """The URL a builder is given; over TLS it names the CA (redis-py's ``ssl_ca_certs`` parameter)."""
        auth = f":{self.password}@" if self.password else ""
        if self.ca_file is not None:
            return f"rediss://{auth}127.0.0.1:{self.port}/0?ssl_ca_certs={self.ca_file}"
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        tls: dict[str, Any] = {"ssl": True, "ssl_ca_certs": str(self.ca_file)} if self.ca_file else {}
        return redis.Redis(host="127.0.0.1", port=self.port, password=self.password, **tls)

    def _wait(self) -> None:
        deadline = time.monotonic() + 20
        while True:
            try:
                self.client().ping()
                return
            except redis.ConnectionError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)
