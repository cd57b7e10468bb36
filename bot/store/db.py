"""Engines and migrations: the one place that knows about database URLs and drivers.

``sqlite:///briefbot.db`` runs on aiosqlite with WAL and foreign keys on; ``postgresql://...``
runs on asyncpg. ``upgrade(engine)`` applies Alembic migrations to head and is idempotent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.errors import StoreError, StoreUnavailable

MIGRATIONS = Path(__file__).parent / "migrations"


def async_url(url: str) -> str:
    """Map the user's URL to the async driver (``sqlite`` -> aiosqlite, ``postgresql`` -> asyncpg)."""
    u = make_url(url)
    backend = u.get_backend_name()
    if backend == "sqlite":
        return str(u.set(drivername="sqlite+aiosqlite"))
    if backend in ("postgresql", "postgres"):
        return u.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise StoreError(
        f"unsupported database URL {u.render_as_string()!r} (use sqlite:/// or postgresql://)"
    )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def create_engine(url: str) -> AsyncEngine:
    aurl = async_url(url)
    if aurl.startswith("sqlite"):
        path = make_url(aurl).database
        if path and path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(
                    f"database folder {parent} does not exist (create it or fix BRIEFBOT_DATABASE_URL)"
                )
        engine = create_async_engine(aurl, connect_args={"timeout": 5})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(aurl, pool_size=10, max_overflow=10, pool_pre_ping=True)


def _alembic_config(conn: Connection) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def _upgrade(conn: Connection) -> None:
    command.upgrade(_alembic_config(conn), "head")


def _current(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


MIGRATION_LOCK = 0x42726966_0001  # pg advisory lock key: "Brif" + 1


async def upgrade(engine: AsyncEngine) -> None:
    """Apply migrations to head; safe to call on every start, and from several processes at
    once on PostgreSQL: the migration runs under a transaction-scoped advisory lock, so one
    process migrates while the others wait and then find the database at head.
    ``StoreUnavailable`` when the server cannot be reached (wait and retry), ``StoreError``
    for anything else."""
    try:
        async with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            await conn.run_sync(_upgrade)
    except DRIVER_ERRORS as e:
        if unreachable(e):
            raise StoreUnavailable(unreachable_message(engine, e)) from e
        raise StoreError(f"database migration failed: {describe(e)}") from e


def _asyncpg_errors() -> tuple[type[BaseException], ...]:
    try:
        import asyncpg
    except ImportError:  # SQLite only
        return ()
    x = asyncpg.exceptions
    return (
        x.PostgresConnectionError,  # 08xxx: refused, closed, does not exist
        x.OperatorInterventionError,  # 57xxx: shutting down, starting up (CannotConnectNow)
        x.InterfaceError,  # "connection is closed"
        x.TooManyConnectionsError,
    )


CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, unreachable host (ConnectionRefusedError ...)
    TimeoutError,
    *_asyncpg_errors(),
)
DRIVER_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, *CONNECTION_ERRORS)


def unreachable(e: BaseException) -> bool:
    """Whether ``e`` (or what it wraps) says the server cannot be reached or dropped the
    connection: a reason to wait and retry, not a bug or a bad query."""
    seen: set[int] = set()
    cur: BaseException | None = e
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, DBAPIError) and cur.connection_invalidated:
            return True
        if isinstance(cur, CONNECTION_ERRORS):
            return True
        msg = str(cur).lower()
        if "connection was closed" in msg or "connection is closed" in msg:
            return True
        orig = getattr(cur, "orig", None)
        cur = orig if isinstance(orig, BaseException) else (cur.__cause__ or cur.__context__)
    return False


def where(engine: AsyncEngine) -> str:
    """``host:port`` of a server database, the file of a SQLite one (for messages)."""
    u = engine.url
    if u.get_backend_name() == "sqlite":
        return str(u.database)
    return f"{u.host or 'localhost'}:{u.port or 5432}"


def unreachable_message(engine: AsyncEngine, e: BaseException) -> str:
    return (
        f"database unreachable at {where(engine)}: {first_line(e)} "
        "(is the database server running? check BRIEFBOT_DATABASE_URL)"
    )


def first_line(e: BaseException) -> str:
    """The innermost useful one-line text of a driver error."""
    inner: BaseException = e
    for _ in range(5):
        nxt = getattr(inner, "orig", None) or inner.__cause__
        if not isinstance(nxt, BaseException):
            break
        inner = nxt
    text = str(inner).strip() or type(inner).__name__
    return text.splitlines()[0][:300]


async def current_revision(engine: AsyncEngine) -> str | None:
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_current)
    except DRIVER_ERRORS as e:
        if unreachable(e):
            raise StoreUnavailable(unreachable_message(engine, e)) from e
        raise StoreError(f"database error: {describe(e)}") from e


def describe(e: BaseException) -> str:
    """One line for a database error, with a hint for the common ones."""
    msg = str(getattr(e, "orig", None) or e).splitlines()[0]
    if "locked" in msg:
        return f"{msg} (another process holds the database; stop it or retry)"
    if "Connect call failed" in msg or "connection refused" in msg.lower():
        return f"{msg} (is the database server running? check BRIEFBOT_DATABASE_URL)"
    return msg
