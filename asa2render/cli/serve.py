"""Local previews: ``asa2render serve`` (a site with live reload) and ``asa2render gallery``.

``serve`` builds a site folder like ``build``, serves the result on loopback and rebuilds whenever a
page, the configuration, the products file or a template changes (watchfiles); open pages reload
themselves. With ``--sandbox auto`` one sandbox runs for the whole session, so the placeholder
pictures it serves keep loading between rebuilds.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import click

from ..engine import Engine
from ..errors import Asa2Error, StrictModeError
from .content import config_option, load, print_problems, print_summary
from .errors import EXIT_USAGE, CliError

RELOAD_PATH = "/__asa2render/version"
# Polls the build version once a second and reloads the page when it changed (no websocket needed).
RELOAD_SCRIPT = (
    "<script>(()=>{let seen=null;const poll=async()=>{try{const r=await fetch('" + RELOAD_PATH + "',"
    "{cache:'no-store'});const v=await r.text();if(seen!==null&&v!==seen){location.reload();return}"
    "seen=v}catch(e){}setTimeout(poll,1000)};poll()})();</script>"
)


class Builds:
    """The preview's state: where pages are written, and a version that grows with every rebuild."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.version = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.version += 1


class _PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the built pages, adding the reload script to HTML, and the version endpoint."""

    builds: Builds

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == RELOAD_PATH:
            self._reply(str(self.builds.version).encode(), "text/plain")
            return
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            html = target.read_text(encoding="utf-8")
            at = html.rfind("</body>")
            html = html[:at] + RELOAD_SCRIPT + html[at:] if at >= 0 else html + RELOAD_SCRIPT
            self._reply(html.encode(), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _reply(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows builds, not every request."""


@contextmanager
def preview_server(builds: Builds, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``builds.output`` in a background thread; yields the base URL."""
    handler = type("PreviewHandler", (_PreviewHandler,), {"builds": builds})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(builds.output)))
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        bound_port = server.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        yield f"http://{shown}:{bound_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def build_once(
    source: Path,
    builds: Builds,
    config_path: Path | None,
    engine_factory: Callable[[Any], Engine],
) -> bool:
    """Build the site into ``builds.output``; on any problem print it and keep the last good pages."""
    from ..config.model import load_config
    from ..render.site import build_site

    try:
        config = load_config(config_path or _site_config(source))
        with engine_factory(config) as engine:
            pages, count = build_site(engine, source, builds.output)
            print_problems(engine.problems)
            print_summary(engine, count)
    except StrictModeError as exc:
        click.echo(f"asa2render: strict mode: the build failed: {exc}", err=True)
        return False
    except Asa2Error as exc:
        click.echo(f"asa2render: error: {exc}", err=True)
        return False
    builds.bump()
    click.echo(f"asa2render: built {pages} page(s)", err=True)
    return True


def watch_and_rebuild(
    source: Path,
    builds: Builds,
    rebuild: Callable[[], bool],
    stop: threading.Event,
    extra: tuple[Path, ...] = (),
) -> None:
    """Rebuild after every batch of changes under ``source`` (and ``extra`` paths) until ``stop``."""
    from watchfiles import DefaultFilter, watch

    output = builds.output.resolve()

    def relevant(change: Any, path: str) -> bool:
        resolved = Path(path).resolve()
        if resolved.is_relative_to(output) or ".asa2render-cache" in resolved.parts:
            return False
        return bool(DefaultFilter()(change, path))

    paths = [source, *(p for p in extra if p.exists())]
    for changes in watch(*paths, watch_filter=relevant, stop_event=stop, debounce=300, rust_timeout=500):
        names = sorted({Path(path).name for _, path in changes})
        click.echo(f"asa2render: changed: {', '.join(names[:5])}", err=True)
        rebuild()


def _site_config(source: Path) -> Path | None:
    candidate = source / "asa2render.toml"
    return candidate if candidate.is_file() else None


@click.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on (0 = any free port).")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the pages (default: a temporary folder removed on exit).",
)
@click.option(
    "--sandbox",
    metavar="URL",
    envvar="ASA2RENDER_SANDBOX",
    help="Send API traffic to this sandbox; 'auto' runs one for the whole session.",
)
@click.option("--offline", is_flag=True, help="Use local products and the cache only.")
@click.option("--strict/--lenient", default=None, help="Fail a build on any problem.")
@config_option
def serve(
    source: Path,
    host: str,
    port: int,
    output: Path | None,
    sandbox: str | None,
    offline: bool,
    strict: bool | None,
    config_path: Path | None,
) -> None:
    """Preview a site folder at http://127.0.0.1:8000/ and rebuild it when a file changes."""
    load(config_path or _site_config(source))  # a broken configuration is a usage error at start
    with _sandbox_session(sandbox) as sandbox_url, _output_folder(output) as folder:
        builds = Builds(folder)

        def factory(config: Any) -> Engine:
            return Engine(config, strict=strict, sandbox=sandbox_url, offline=offline)

        def rebuild() -> bool:
            return build_once(source, builds, config_path, factory)

        rebuild()
        with ExitStack() as stack:
            try:
                url = stack.enter_context(preview_server(builds, host, port))
            except OSError as exc:
                raise CliError(f"cannot listen on {host}:{port}: {exc.strerror}", EXIT_USAGE) from None
            click.echo(f"Serving {source} at {url} (Ctrl+C to stop); pages reload when files change.")
            stop = threading.Event()
            extra = tuple(p for p in (config_path,) if p is not None)
            try:
                watch_and_rebuild(source, builds, rebuild, stop, extra)
            except KeyboardInterrupt:
                stop.set()


@contextmanager
def _sandbox_session(sandbox: str | None) -> Iterator[str | None]:
    """'auto' → one sandbox for the whole session (its pictures must outlive each build)."""
    if sandbox != "auto":
        yield sandbox
        return
    from ..sandbox import start_local_sandbox

    running = start_local_sandbox()
    try:
        yield running.url
    finally:
        running.stop()


@contextmanager
def _output_folder(output: Path | None) -> Iterator[Path]:
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        yield output
        return
    with tempfile.TemporaryDirectory(prefix="asa2render-serve-") as folder:
        yield Path(folder)


@click.command()
@click.option(
    "-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write."
)
@config_option
def gallery(output: Path, config_path: Path | None) -> None:
    """Write a page showing every built-in template in every state (fresh, stale, fallback, …)."""
    from ..render.gallery import build_gallery

    config = load(config_path) if config_path else None
    try:
        page = build_gallery(output, config)
    except Asa2Error as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    click.echo(f"Gallery written. Open {page.resolve()}")


__all__ = ["RELOAD_PATH", "Builds", "build_once", "gallery", "preview_server", "serve", "watch_and_rebuild"]
