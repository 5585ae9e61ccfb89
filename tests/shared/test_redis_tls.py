"""``rediss://``: the shared backend over TLS, with a CA named in the URL, and what a certificate problem looks like."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from redis_server import RedisServer

from asa2render.cli.app import cli

CONFIG = """
[site]
cache_dir = "cache"
cache_url = {url}

[[marketplaces]]
country = "de"
partner_tag = "mytag-21"
default = true
"""


def _site(tmp_path: Path, url: str) -> Path:
    config = tmp_path / "asa2render.toml"
    config.write_text(CONFIG.format(url=json.dumps(url)), encoding="utf-8")
    (tmp_path / "page.md").write_text('[asa2 asin="B0REDIS001"]\n', encoding="utf-8")
    return config


def test_a_tls_server_with_its_ca_in_the_url_holds_the_cache(
    tmp_path: Path, redis_tls_server: RedisServer, redis_tls_url: str
) -> None:
    config = _site(tmp_path, redis_tls_url)
    result = CliRunner().invoke(cli, ["cache", "stats", "--config", str(config)])
    assert result.exit_code == 0, result.output
    # the URL's query (the CA's file) is not part of how the location is shown
    assert f"cache: rediss://127.0.0.1:{redis_tls_server.port}/0\n" in result.output


def test_an_untrusted_certificate_is_one_clear_line_and_exit_2(
    tmp_path: Path, redis_tls_server: RedisServer
) -> None:
    port = redis_tls_server.port
    config = _site(tmp_path, f"rediss://:hunter2@127.0.0.1:{port}/0")  # no ssl_ca_certs: the system's CAs
    for args in (["render", str(tmp_path / "page.md")], ["cache", "stats"]):
        result = CliRunner().invoke(cli, [*args, "--config", str(config)])
        assert result.exit_code == 2, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(
            f"asa2render: error: cannot reach rediss://127.0.0.1:{port}/0: the server's TLS certificate is not "
            "trusted (self-signed certificate in certificate chain); if a private CA issued it, name its file"
        )
        assert "ssl_ca_certs=" in lines[0]
        assert "hunter2" not in result.output and "Traceback" not in result.output


def test_another_ca_is_refused_as_well(tmp_path: Path, redis_tls_server: RedisServer) -> None:
    import trustme

    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    config = _site(tmp_path, f"rediss://127.0.0.1:{redis_tls_server.port}/0?ssl_ca_certs={other}")
    result = CliRunner().invoke(cli, ["cache", "stats", "--config", str(config)])
    assert result.exit_code == 2, result.output
    assert "TLS certificate is not trusted" in result.stderr and "Traceback" not in result.output


def test_plain_redis_to_a_tls_port_and_a_missing_ca_file_say_what_is_wrong(
    tmp_path: Path, redis_tls_server: RedisServer
) -> None:
    port = redis_tls_server.port
    for url, reason in (
        (f"redis://127.0.0.1:{port}/0", "use rediss://"),
        (f"rediss://127.0.0.1:{port}/0?ssl_ca_certs={tmp_path / 'missing.pem'}", "does not exist"),
    ):
        config = _site(tmp_path, url)
        result = CliRunner().invoke(cli, ["cache", "stats", "--config", str(config)])
        assert result.exit_code == 2, result.output
        assert reason in result.stderr and "Traceback" not in result.output, result.stderr
