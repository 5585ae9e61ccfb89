"""Several builders sharing one Amazon budget: the setup the shared-builder test and benchmark both run.

``tests/shared/test_shared_builders.py`` asserts on it (a few products, exact request counts) and
``benchmarks/sharing.py`` times it (hundreds of products); both write one configuration (one Cognito
credential serving the stores de and fr), one folder of pages per builder, start every builder at once
as a real ``python -m asa2render render`` process, and use a real ``redis-server`` on a free loopback
port (:class:`RedisServer`, also over TLS).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import redis

BUILDERS = 4
CONFIG = """
[site]
cache_dir = "{cache_dir}"
{cache_url}
[[marketplaces]]
country = "de"
credential_type = "cognito"
credential_id = "demo-cognito-eu"
credential_secret = "demo-secret"
partner_tag = "{tag}de-21"
default = true

[[marketplaces]]
country = "fr"
credential_type = "cognito"
credential_id = "demo-cognito-eu"
credential_secret = "demo-secret"
partner_tag = "{tag}fr-21"

[api]
requests_per_second = {rate}
timeout = {timeout}
"""

PageSets = Sequence[Mapping[str, Sequence[str]]]  # per builder: the ASINs it needs, per store


def write_builders(
    root: Path,
    sets: PageSets,
    *,
    rate: float,
    timeout: float,
    tag: str,
    cache_url: str | None = None,
    per_page: int | None = None,
) -> list[Path]:
    """``root/asa2render.toml`` (cache folder ``root/shared-cache``) and one folder of pages per builder.

    A page holds ``per_page`` boxes of one store (``de-0000.md``, ``de-0005.md``, …), or all of the
    store's boxes when None (``de.md``).
    """
    setting = f"cache_url = {json.dumps(cache_url)}\n" if cache_url else ""
    config = CONFIG.format(
        cache_dir=(root / "shared-cache").as_posix(), cache_url=setting, tag=tag, rate=rate, timeout=timeout
    )
    (root / "asa2render.toml").write_text(config, encoding="utf-8")
    folders = []
    for number, wanted in enumerate(sets):
        folder = root / f"pages{number}"
        folder.mkdir(parents=True)
        for country, asins in wanted.items():
            size = per_page or max(1, len(asins))
            for start in range(0, len(asins), size):
                body = "\n\n".join(
                    f'[asa2 asin="{a}" country="{country}"]' for a in asins[start : start + size]
                )
                name = f"{country}-{start:04}.md" if per_page else f"{country}.md"
                (folder / name).write_text(f"# {country}\n\n{body}\n", encoding="utf-8")
        folders.append(folder)
    return folders


def builder_env(state: Path, **extra: str) -> dict[str, str]:
    """This environment without ``ASA2RENDER_*``, one token folder for every builder (as on one machine)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASA2RENDER_")}
    env["XDG_STATE_HOME"] = str(state)
    env.update(extra)
    return env


def run_builders(
    root: Path, folders: list[Path], sandbox: str, env: dict[str, str], timeout: float = 900
) -> tuple[float, list[str]]:
    """Start every builder at once; seconds until the last one exits, and each one's stderr.

    Raises:
        RuntimeError: a builder failed (its exit code and the end of its stderr).
    """
    started = time.perf_counter()
    command = [sys.executable, "-m", "asa2render", "render"]
    options = ["--config", str(root / "asa2render.toml"), "--sandbox", sandbox]
    processes = [
        subprocess.Popen(
            [*command, str(folder), "-o", str(root / f"out{n}"), *options],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, folder in enumerate(folders)
    ]
    errors = []
    for process in processes:
        _, err = process.communicate(timeout=timeout)
        if process.returncode != 0:
            raise RuntimeError(f"a builder failed ({process.returncode}): {err[-400:]}")
        errors.append(err)
    return time.perf_counter() - started, errors


def minimum_requests(sets: PageSets) -> int:
    """Σ ceil(unique products per store / 10): GetItems requests when each product is fetched once."""
    unique: dict[str, set[str]] = {}
    for wanted in sets:
        for country, asins in wanted.items():
            unique.setdefault(country, set()).update(asins)
    return sum(math.ceil(len(asins) / 10) for asins in unique.values())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """One redis-server process (no persistence) on a free loopback port, and its URL.

    With ``tls`` it listens only on a TLS port (``rediss://``) with a certificate for 127.0.0.1 issued
    by a throwaway CA (trustme); :attr:`ca_file` is that CA, which a client must be given to trust it.
    """

    def __init__(self, workdir: Path, password: str | None = None, *, tls: bool = False) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is missing: scripts/test-tools/redis.sh installs it")
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
        files = [
            "--tls-cert-file",
            str(cert),
            "--tls-key-file",
            str(key),
            "--tls-ca-cert-file",
            str(self.ca_file),
        ]
        # Clients are not asked for a certificate of their own: the URL's CA and password suffice.
        return [*files, "--tls-auth-clients", "no"]

    @property
    def url(self) -> str:
        """The URL a builder is given; over TLS it names the CA (redis-py's ``ssl_ca_certs`` parameter)."""
        auth = f":{self.password}@" if self.password else ""
        if self.ca_file is not None:
            return f"rediss://{auth}127.0.0.1:{self.port}/0?ssl_ca_certs={self.ca_file}"
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        import redis

        tls: dict[str, Any] = {"ssl": True, "ssl_ca_certs": str(self.ca_file)} if self.ca_file else {}
        return redis.Redis(host="127.0.0.1", port=self.port, password=self.password, **tls)

    def _wait(self) -> None:
        import redis

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


__all__ = [
    "BUILDERS",
    "PageSets",
    "RedisServer",
    "builder_env",
    "free_port",
    "minimum_requests",
    "run_builders",
    "write_builders",
]
