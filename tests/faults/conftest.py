"""Fault tests: real PostgreSQL, SMTP (aiosmtpd) and the Bot API fake behind a ``FaultProxy``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import create_pg_database, drop_pg_database
from tests.fakes.fixtures import smtp_server, telegram_api
from tests.faults.proxy import FaultProxy

__all__ = ["smtp_server", "telegram_api"]


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A private, empty PostgreSQL database (direct URL, not through a proxy)."""
    url = await create_pg_database()
    try:
        yield url
    finally:
        await drop_pg_database(url)


@pytest.fixture
async def pg_proxy(pg_url: str) -> AsyncIterator[FaultProxy]:
    from sqlalchemy.engine import make_url

    u = make_url(pg_url)
    async with FaultProxy(u.host or "127.0.0.1", u.port or 5432) as proxy:
        yield proxy
