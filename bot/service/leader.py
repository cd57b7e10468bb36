"""Who leads: one replica runs the singleton jobs and the Telegram long poll.

On PostgreSQL, the leader is the replica holding a session-level advisory lock on a connection
of its own (not the pool's: a pooled connection could be recycled, silently dropping the lock).
The others try to take the lock every ``lease / 4`` seconds. The lock belongs to the database
session, so it goes the moment the leader's connection does: a leader killed with ``kill -9``
is replaced within ``lease / 4``; a leader cut off from the database notices (its check fails
or times out within ``lease / 3``) and steps down, while the server drops the session by TCP
keepalive (set on the connection) well within one lease.

On SQLite there is one service process per database (``bot.store.single``): it always leads.

``Leader`` only answers "am I the leader now?" (``is_leader``) and calls ``on_change`` when
the answer changes; what leading means is the App's business.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import make_url

log = logging.getLogger("briefbot.leader")

LEADER_LOCK = 0x42726966_0002  # pg advisory lock key: "Brif" + 2 (migrations use + 1)


class Leader:
    """Leadership of one replica. ``await start()``; ``is_leader``; ``await stop()``."""

    def __init__(
        self,
        database_url: str,
        lease_seconds: float,
        on_change: Callable[[bool], None] | None = None,
    ) -> None:
        u = make_url(database_url)
        self.postgres = u.get_backend_name() in ("postgresql", "postgres")
        self._dsn = u.set(drivername="postgresql").render_as_string(hide_password=False)
        self.lease = lease_seconds
        self.on_change = on_change
        self.is_leader = not self.postgres
        self.changes = 0
        self._since = time.monotonic() if self.is_leader else 0.0
        self._conn: Any = None  # asyncpg.Connection
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._first = asyncio.Event()

    def leading_for(self) -> float:
        """Seconds this replica has led without a break (0 when it does not lead)."""
        return time.monotonic() - self._since if self.is_leader else 0.0

    async def start(self) -> None:
        """Start the election; returns after the first attempt (leading or not)."""
        if not self.postgres:
            self._first.set()
            return
        self._task = asyncio.create_task(self._run(), name="briefbot-leader")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._first.wait(), self.lease)

    async def stop(self) -> None:
        """Step down (the lock goes with the connection) and stop trying."""
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._close()
        self._set(False if self.postgres else self.is_leader)

    def _set(self, leading: bool) -> None:
        if leading == self.is_leader:
            return
        self.is_leader = leading
        self._since = time.monotonic()
        self.changes += 1
        if leading:
            log.warning("this replica is now the leader (singleton jobs, Telegram polling)")
        elif not self._stop.is_set():
            log.warning("this replica is no longer the leader")
        if self.on_change is not None:
            self.on_change(leading)

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                await self._attempt()
            except asyncio.CancelledError:
                raise
            except Exception as e:  # connection lost, database down, check timed out
                if self.is_leader:
                    log.error("leader: lost the database connection (%s); stepping down", e)
                else:
                    log.debug("leader: election attempt failed: %s", e)
                self._set(False)
                await self._close()
            self._first.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self._interval())

    def _interval(self) -> float:
        return max(min(self.lease / 4, 15.0), 0.2)

    async def _attempt(self) -> None:
        import asyncpg

        timeout = max(self.lease / 3, 0.5)
        if self._conn is None or self._conn.is_closed():
            self._conn = None
            self._set(False)  # a new session holds no lock
            self._conn = await asyncpg.connect(
                self._dsn,
                timeout=timeout,
                server_settings={  # the server drops a vanished leader's session (and lock)
                    "application_name": "briefbot-leader",
                    "tcp_keepalives_idle": str(max(int(self.lease / 4), 1)),
                    "tcp_keepalives_interval": str(max(int(self.lease / 12), 1)),
                    "tcp_keepalives_count": "3",
                },
            )
        if self.is_leader:
            await self._conn.fetchval(
                "SELECT 1", timeout=timeout
            )  # the session, so the lock, lives
            return
        got = await self._conn.fetchval(
            "SELECT pg_try_advisory_lock($1)", LEADER_LOCK, timeout=timeout
        )
        self._set(bool(got))

    async def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), 5)
            if not conn.is_closed():
                conn.terminate()
