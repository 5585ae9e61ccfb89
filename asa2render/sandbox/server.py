"""The sandbox's HTTP(S) server: stdlib ``ThreadingHTTPServer`` in a background thread.

Routes: ``POST /oauth2/token`` (Cognito), ``POST /auth/o2/token`` (LWA), ``POST /catalog/v1/<op>``
(Creators), ``POST /paapi5/<op>`` (PA-API 5.0), ``GET /_sandbox/stats``, ``POST /_sandbox/reset``,
``GET /_sandbox/images/<ASIN>.svg`` (placeholder product pictures).
"""

from __future__ import annotations

import logging
import shutil
import socket
import ssl
import tempfile
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from ..errors import ConfigError
from . import creators, paapi
from .catalog import Catalog
from .edge import EdgeError, edge_reply, read_body
from .images import IMAGE_PREFIX, image_reply
from .options import SandboxOptions, active_credentials, active_paapi_keys, ineligible_countries
from .state import FaultInjector, Services, Stats, Throttle, TokenStore
from .tokens import issue_token
from .wire import Incoming, JsonObject, Reply, json_reply

logger = logging.getLogger("asa2render.sandbox")
_LINGER_SECONDS = 2.0
_LINGER_READ_TIMEOUT = 0.5


def build_services(options: SandboxOptions) -> Services:
    """The shared state of one sandbox, built from its options (ValueError/ConfigError when invalid)."""
    if not 0.0 <= options.fault_rate <= 1.0:
        raise ValueError("--fault-rate must be between 0 and 1")
    if options.read_timeout <= 0 or options.max_body_bytes <= 0:
        raise ValueError("--read-timeout and --max-body-bytes must be positive")
    return Services(
        credentials=active_credentials(options),
        paapi_keys=active_paapi_keys(options),
        catalog=Catalog.load(options.catalog).with_missing(options.missing),
        tokens=TokenStore(options.token_ttl),
        stats=Stats(),
        throttle=Throttle(options.throttle_tps),
        faults=FaultInjector(options.fault_rate, options.seed, options.stall_seconds),
        ineligible=ineligible_countries(options),
        paapi_deprecated=options.paapi_deprecated,
    )


def route(request: Incoming, services: Services) -> Reply:
    """Dispatch one request to the handler of its path."""
    path, method = request.path, request.method
    if path == "/_sandbox/stats" and method == "GET":
        return json_reply(200, services.stats.snapshot())
    if path.startswith(IMAGE_PREFIX) and method == "GET":
        return image_reply(request)
    if path == "/_sandbox/reset" and method == "POST":
        services.stats.reset()
        return json_reply(200, {"reset": True})
    if method != "POST":
        return edge_reply(path, 405, f"{method} is not supported here; use POST.")
    if path == "/oauth2/token":
        return issue_token(request, "cognito", services.credentials, services.tokens, services.stats)
    if path == "/auth/o2/token":
        return issue_token(request, "lwa", services.credentials, services.tokens, services.stats)
    if path in creators.OPERATION_PATHS:
        return creators.handle(request, creators.OPERATION_PATHS[path], services)
    if path in paapi.OPERATION_PATHS:
        return paapi.handle(request, paapi.OPERATION_PATHS[path], services)
    if path.startswith("/paapi5/"):
        return paapi.error(404, "UnknownOperationException", "UnknownOperation", f"Unknown operation {path}.")
    message = f"No operation at {path}."
    return json_reply(404, {"type": "ValidationException", "reason": "UnknownOperation", "message": message})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients' connection pools expect
    disable_nagle_algorithm = True  # headers and body go out in separate writes; avoid delayed-ACK stalls
    server_version = "asa2render-sandbox"
    server: _Server

    def setup(self) -> None:
        # A read timeout on every socket read: a client that stops sending (a short body, a slow
        # handshake, an idle keep-alive connection) costs one thread for at most this long.
        super().setup()
        self.connection.settimeout(self.server.read_timeout)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    # Other methods get the API's 405 in its error shape, not http.server's HTML 501 page.
    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def parse_request(self) -> bool:
        try:
            parsed = super().parse_request()
        except TimeoutError:
            self.send_error(408, "The request headers were not received in time.")
            return False
        if parsed and self.request_version == "HTTP/0.9":
            self.send_error(400, "HTTP/0.9 requests are not supported.")
            return False
        return parsed

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a request http.server cannot parse in the API's JSON error shape, then close."""
        path = (getattr(self, "path", None) or "").partition("?")[0]
        if getattr(self, "request_version", "") == "HTTP/0.9":
            # http.server's default before it has read a version: it would send a bare body.
            self.request_version = "HTTP/1.0"
        status = code if 400 <= code < 500 else 400
        self._send(edge_reply(path, status, message or "The request could not be parsed."), close=True)
        self._linger()

    def _serve(self) -> None:
        path, _, query = self.path.partition("?")
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            body = read_body(headers, self.rfile, self.server.max_body_bytes)
        except EdgeError as error:
            self._send(edge_reply(path, error.status, error.message), close=True)
            self._linger()
            return
        scheme = "https" if isinstance(self.connection, ssl.SSLSocket) else "http"
        request = Incoming(self.command, path, query, headers, body, scheme)
        try:
            reply = route(request, self.server.services)
        except Exception:
            logger.exception("sandbox handler failed for %s %s", self.command, path)
            reply = edge_reply(path, 500, "Sandbox error.")
        if reply.stall_seconds:
            time.sleep(reply.stall_seconds)
        self._send(reply)

    def _send(self, reply: Reply, close: bool = False) -> None:
        if close:
            # The rest of the stream cannot be trusted to start a new request: answer, then hang up.
            self.close_connection = True
            reply.headers["Connection"] = "close"
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True  # the client gave up (e.g. timed out on a stalled reply)

    def _linger(self) -> None:
        """Drop what the client is still sending for a moment before the connection closes.

        Closing a socket with unread data makes the kernel reset the connection, and a reset can
        discard the error reply before the client reads it (a client still uploading a body larger
        than the limit would see "connection reset" instead of 413). So, like a web server's
        lingering close: stop writing, then read and discard until the client stops, for at most
        ``_LINGER_SECONDS``; memory stays constant whatever the client sends.
        """
        try:
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(_LINGER_READ_TIMEOUT)
            deadline = time.monotonic() + _LINGER_SECONDS
            while time.monotonic() < deadline and self.connection.recv(65536):
                pass
        except OSError:
            pass  # the client is gone or went quiet: nothing left to protect

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    services: Services
    read_timeout: float
    max_body_bytes: int

    def handle_error(self, request: Any, client_address: Any) -> None:
        # TLS handshakes refused by a client and dropped connections are normal here; keep stderr clean.
        logger.debug("connection from %s failed", client_address, exc_info=True)


class _Server6(_Server):
    address_family = socket.AF_INET6


class Sandbox:
    """A running emulator of the Creators API and PA-API 5.0; use as a context manager or start/stop."""

    def __init__(self, options: SandboxOptions | None = None) -> None:
        self.options = options or SandboxOptions()
        self.ca_cert_path: Path | None = None
        self._services = build_services(self.options)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._cert_dir: Path | None = None

    def __repr__(self) -> str:
        state = self.url if self._server else "stopped"
        return f"Sandbox({state})"

    def start(self) -> Sandbox:
        """Bind and serve in a daemon thread; returns self."""
        if self._server is not None:
            return self
        tls = self._tls_context() if self.options.tls else None  # before binding: it may fail
        server_class = _Server6 if ":" in self.options.host else _Server
        server = server_class((self.options.host, self.options.port), _Handler)
        server.services = self._services
        server.read_timeout = self.options.read_timeout
        server.max_body_bytes = self.options.max_body_bytes
        if tls is not None:
            server.socket = tls.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="asa2render-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and remove the generated certificate files."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._cert_dir is not None:
            shutil.rmtree(self._cert_dir, ignore_errors=True)
            self._cert_dir = None
            self.ca_cert_path = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL clients use for every path (token, Creators and PA-API)."""
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        port = self._server.server_address[1]
        host = f"[{self.options.host}]" if ":" in self.options.host else self.options.host
        return f"{'https' if self.options.tls else 'http'}://{host}:{port}"

    def stats(self) -> JsonObject:
        """The same document as ``GET /_sandbox/stats``."""
        return self._services.stats.snapshot()

    def reset_stats(self) -> None:
        """Forget every logged token and request (``POST /_sandbox/reset``)."""
        self._services.stats.reset()

    def _tls_context(self) -> ssl.SSLContext:
        try:
            import trustme  # an optional extra: only TLS sandboxes need it
        except ImportError:
            raise ConfigError("--tls needs trustme installed: pip install 'asa2render[tls]'") from None

        ca = trustme.CA(organization_name="asa2render sandbox")
        names = ["127.0.0.1", "localhost", "::1"]
        if self.options.host not in names:
            names.append(self.options.host)
        cert = ca.issue_cert(*names)
        self._cert_dir = Path(tempfile.mkdtemp(prefix="asa2render-sandbox-"))
        self.ca_cert_path = self._cert_dir / "sandbox-ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_cert_path))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        return context


# The port an in-process sandbox tries first (then any free one). Product data cached from a sandbox
# holds its image URLs, so a stable port keeps the demo's pictures loading across runs and commands.
PREFERRED_PORT = 47919


def start_local_sandbox(options: SandboxOptions | None = None) -> Sandbox:
    """Start a sandbox on :data:`PREFERRED_PORT` when it is free, else on any free port."""
    options = options or SandboxOptions()
    if options.port == 0:
        try:
            return Sandbox(replace(options, port=PREFERRED_PORT)).start()
        except OSError:
            pass  # taken (another preview or test run): any port will do
    return Sandbox(options).start()


__all__ = ["PREFERRED_PORT", "Sandbox", "build_services", "route", "start_local_sandbox"]
