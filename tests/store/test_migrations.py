"""Migrations and ``schema.py`` agree: after ``upgrade`` Alembic finds nothing to change."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from bot.store.schema import metadata
from bot.store.store import Store


def _diff(conn: Connection) -> list[Any]:
    return compare_metadata(MigrationContext.configure(conn), metadata)


async def test_migrated_database_matches_schema(store: Store) -> None:
    async with store.engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    assert diff == [], f"schema.py and the migrations differ; add a migration: {diff}"


async def test_processes_migrating_an_empty_database_at_once_all_succeed(db_url: str) -> None:
    """Replicas started together on an empty database race the migration; on PostgreSQL an
    advisory lock makes one migrate while the others wait (before it, all but one failed)."""
    import asyncio

    from bot.store import db

    stores = [Store.open(db_url) for _ in range(4)]
    try:
        if not db_url.startswith("postgresql"):
            stores = stores[:1]  # SQLite: one service process per database (bot.store.single)
        await asyncio.gather(*(s.upgrade() for s in stores))
        revs = {await db.current_revision(s.engine) for s in stores}
        assert len(revs) == 1 and None not in revs
    finally:
        for s in stores:
            await s.close()
