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
