"""``serve_web``: binds BRIEFBOT_WEB_BIND, serves in the caller's loop, stops on the event."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
import pytest

from bot.errors import ConfigError
from bot.store.store import Store
from bot.web.server import bind_socket, parse_bind, serve_web
from tests.web.conftest import make_config


def test_parse_bind() -> None:
    assert parse_bind("127.0.0.1:8080") == ("127.0.0.1", 8080)
    assert parse_bind("[::1]:9000") == ("::1", 9000)
    assert parse_bind(":8080") == ("0.0.0.0", 8080)
    for bad in ("localhost", "127.0.0.1:http", "1.2.3.4:70000", ""):
        with pytest.raises(ConfigError, match="HOST:PORT"):
            parse_bind(bad)


def test_a_busy_port_is_a_config_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match="cannot listen there"):
            bind_socket(f"127.0.0.1:{port}")


async def test_serves_until_stopped(tmp_path: Path, sqlite_store: Store) -> None:
    probe = bind_socket("127.0.0.1:0")
    port = probe.getsockname()[1]
    probe.close()
    config = make_config(tmp_path / "site", BRIEFBOT_WEB_BIND=f"127.0.0.1:{port}")
    stop = asyncio.Event()
    task = asyncio.create_task(serve_web(config, sqlite_store, stop))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as c:
        for _ in range(100):
            try:
                r = await c.get("/healthz")
                break
            except httpx.TransportError:
                await asyncio.sleep(0.05)
        assert r.status_code == 200 and r.json()["status"] == "ok"
        assert "server" not in r.headers
    stop.set()
    await asyncio.wait_for(task, 10)
    with socket.socket() as again:  # the port is free again
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))


async def test_disabled_web_returns_at_once(tmp_path: Path, sqlite_store: Store) -> None:
    config = make_config(tmp_path / "site")
    config = config.model_copy(
        update={
            "file": config.file.model_copy(
                update={"web": config.file.web.model_copy(update={"enabled": False})}
            )
        }
    )
    await asyncio.wait_for(serve_web(config, sqlite_store, asyncio.Event()), 2)


async def test_no_secret_key_beyond_loopback(tmp_path: Path, sqlite_store: Store) -> None:
    config = make_config(tmp_path / "site", BRIEFBOT_WEB_BIND="0.0.0.0:0")
    config = config.model_copy(
        update={"env": config.env.model_copy(update={"secret_key": "dev-insecure-secret"})}
    )
    with pytest.raises(ConfigError, match="BRIEFBOT_SECRET_KEY"):
        await serve_web(config, sqlite_store, asyncio.Event())
