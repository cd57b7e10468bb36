"""Connection plumbing shared by the store's repositories (no business logic here)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.errors import StoreError, StoreUnavailable
from bot.store import db


def now_utc() -> datetime:
    return datetime.now(UTC)


def aware(dt: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything in Briefbot is UTC-aware."""
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def insert_ignore(conn: AsyncConnection, table: Any, rows: list[dict[str, Any]], key: str) -> Any:
    """INSERT ... ON CONFLICT (key) DO NOTHING for either dialect."""
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    return dialect.insert(table).values(rows).on_conflict_do_nothing(index_elements=[key])


def insert_many_ignore(conn: AsyncConnection, table: Any, key: str, returning: Any) -> Any:
    """INSERT ... ON CONFLICT (key) DO NOTHING RETURNING ``returning``, to execute with a list
    of rows: compiled once (cached), sent in multi-row batches ("insertmanyvalues"); the result
    has a row for each row inserted."""
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    return dialect.insert(table).on_conflict_do_nothing(index_elements=[key]).returning(returning)


class Guard:
    """A connection context that turns driver errors into one-line StoreErrors."""

    def __init__(self, engine: AsyncEngine, begin: bool) -> None:
        self.engine, self.begin = engine, begin
        self.cm: Any = None

    async def __aenter__(self) -> AsyncConnection:
        self.cm = self.engine.begin() if self.begin else self.engine.connect()
        try:
            conn: AsyncConnection = await self.cm.__aenter__()
        except db.DRIVER_ERRORS as e:
            raise self._error(e, "database unavailable") from e
        return conn

    async def __aexit__(self, et: Any, ev: Any, tb: Any) -> None:
        try:
            await self.cm.__aexit__(et, ev, tb)
        except db.DRIVER_ERRORS as e:
            if isinstance(e, StoreError):
                raise
            raise self._error(e, "database error") from e
        if isinstance(ev, OperationalError | DBAPIError) or (
            isinstance(ev, db.CONNECTION_ERRORS) and not isinstance(ev, StoreError)
        ):
            raise self._error(ev, "database error") from ev

    def _error(self, e: BaseException, what: str) -> StoreError:
        """StoreUnavailable when the server is away (wait and retry), else a StoreError."""
        if db.unreachable(e):
            return StoreUnavailable(db.unreachable_message(self.engine, e))
        return StoreError(f"{what}: {db.describe(e)}")
