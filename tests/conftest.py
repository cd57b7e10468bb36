"""Shared fixtures: real stores on a SQLite file and on the PostgreSQL server.

The ``store`` fixture runs each test on both backends. PostgreSQL tests create and drop a database
of their own; where no server is reachable they skip with the reason, unless
``BRIEFBOT_TEST_REQUIRE_PG=1`` (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "archive" / "000_53212d8dde729521.txt"
PG_ADMIN_DSN = os.environ.get("BRIEFBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
_pg_ok: bool | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to test compiled extractor modules that are older than their sources (setup.py)."""
    from bot.native import stale_modules

    stale = stale_modules()
    if stale:
        raise pytest.UsageError(
            f"bot/extract: {', '.join(stale)} changed after the compiled modules were built; "
            "rebuild them with `.venv/bin/pip install -e .` (or delete bot/extract/*.so)"
        )


async def _pg_reachable() -> bool:
    global _pg_ok
    if _pg_ok is None:
        import asyncpg

        try:
            conn = await asyncpg.connect(PG_ADMIN_DSN, timeout=3)
            await conn.close()
            _pg_ok = True
        except (TimeoutError, OSError, asyncpg.PostgresError):
            _pg_ok = False
    return _pg_ok


async def create_pg_database() -> str:
    """A fresh, empty database on the server; returns its URL."""
    import asyncpg

    if not await _pg_reachable():
        if os.environ.get("BRIEFBOT_TEST_REQUIRE_PG") == "1":
            pytest.fail(f"PostgreSQL not reachable at {PG_ADMIN_DSN} (required in CI)")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_DSN}")
    name = f"briefbot_t_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return PG_ADMIN_DSN.rsplit("/", 1)[0] + "/" + name


async def drop_pg_database(url: str) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A URL of an empty database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'briefbot.db'}"
        return
    url = await create_pg_database()
    try:
        yield url
    finally:
        await drop_pg_database(url)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    """A migrated, empty store on each backend."""
    async with Store.open(db_url) as s:
        yield s


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
