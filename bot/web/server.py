"""``serve_web(config, store, stop)``: uvicorn in the caller's event loop until ``stop`` is set.

The socket is bound here first, so "address in use" is a ``ConfigError`` naming
BRIEFBOT_WEB_BIND instead of uvicorn's ``sys.exit``. Signals stay with the caller (``briefbot
run`` owns SIGINT/SIGTERM and sets ``stop``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator

import uvicorn

from bot.config import Config
from bot.errors import ConfigError
from bot.secret_key import with_secret_key
from bot.store.store import Store
from bot.web.app import WebhookSink, create_app

log = logging.getLogger("briefbot.web")


def parse_bind(bind: str) -> tuple[str, int]:
    """``127.0.0.1:8080`` / ``[::1]:8080`` / ``:8080`` (all interfaces) -> (host, port)."""
    host, sep, port = bind.strip().rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigError(f"BRIEFBOT_WEB_BIND = {bind!r}: expected HOST:PORT, e.g. 127.0.0.1:8080")
    host = host.strip("[]") or "0.0.0.0"
    return host, int(port)


def bind_socket(bind: str) -> socket.socket:
    host, port = parse_bind(bind)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise ConfigError(
            f"BRIEFBOT_WEB_BIND = {bind!r}: cannot listen there ({e.strerror})"
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


KNOWN_KEYS = ("dev-insecure-secret", "changeme", "secret")


def check_secret(config: Config) -> None:
    """A published key makes every link forgeable: refused beyond loopback. (An unset key is
    generated and stored before this runs: ``bot.secret_key``.)"""
    if not config.env.secret_key:
        raise ConfigError("BRIEFBOT_SECRET_KEY: no signing key (bot.secret_key not applied)")
    if config.env.secret_key not in KNOWN_KEYS:
        return
    host, _ = parse_bind(config.env.web_bind)
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise ConfigError(
            "BRIEFBOT_SECRET_KEY is not set: the web page signs links with it; set a long random "
            f"value before serving on {config.env.web_bind}"
        )
    log.warning("web: BRIEFBOT_SECRET_KEY is not set; links are signed with a development key")


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # the caller owns signals
        yield


async def serve_web(
    config: Config,
    store: Store,
    stop: asyncio.Event,
    *,
    sock: socket.socket | None = None,
    telegram_webhook: WebhookSink | None = None,
) -> None:
    """Serve the web app until ``stop`` is set (returns at once when ``[web] enabled = false``)."""
    if not config.file.web.enabled:
        return
    config = await with_secret_key(config, store)
    check_secret(config)
    sock = sock or bind_socket(config.env.web_bind)
    app = create_app(config, store, telegram_webhook=telegram_webhook)
    server = _Server(
        uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            proxy_headers=False,
            server_header=False,
        )
    )
    host, port = sock.getsockname()[:2]
    log.warning("web: listening on http://%s:%s", host, port)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        server.should_exit = True
        stopper.cancel()
        await task
        sock.close()
