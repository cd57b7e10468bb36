"""Sliding-window rate limits kept in the database, shared by every replica (PostgreSQL).

``SharedWindow(engine, name, limit, window_s, clock)`` is a ``bot.web.ratelimit.Limiter``
(``await take(key)``: 0 when the hit counted, else the seconds to wait; ``await wait(key)``:
the seconds to wait, counting nothing) that counts hits in the ``rate_hits`` table, so N
replicas behind a load balancer enforce one limit, not N. Each ``take`` runs in one transaction
under an advisory lock on (name, key), so concurrent hits on two replicas cannot both slip under
the limit. The web page uses it on PostgreSQL (``bot.web.app.create_app``); ``prune`` (the
service's prune job) deletes hits older than every window.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import schema as t
from bot.store.conn import Guard, aware

h = t.rate_hits


class SharedWindow:
    """At most ``limit`` hits per key within any ``window_s`` seconds, across replicas."""

    def __init__(
        self,
        engine: AsyncEngine,
        name: str,
        limit: int,
        window_s: float,
        clock: Callable[[], datetime],
    ) -> None:
        self.engine, self.name, self.limit, self.window_s = engine, name, limit, window_s
        self.clock = clock

    async def take(self, key: str) -> int:
        """Count one hit for ``key``: 0 if it counted, else whole seconds until it may."""
        now = self.clock()
        start = now - timedelta(seconds=self.window_s)
        mine = (h.c.name == self.name) & (h.c.key == key[:400])
        async with Guard(self.engine, begin=True) as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 17))"),
                    {"k": f"{self.name}|{key}"},
                )
            await conn.execute(delete(h).where(mine, h.c.at <= start))
            n, oldest = (
                await conn.execute(select(func.count(), func.min(h.c.at)).where(mine))
            ).one()
            if n >= self.limit:
                first = aware(oldest) or now
                wait = (first + timedelta(seconds=self.window_s) - now).total_seconds()
                return max(1, int(wait + 0.999))
            await conn.execute(insert(h).values(name=self.name, key=key[:400], at=now))
            return 0

    async def wait(self, key: str) -> int:
        """Whole seconds until ``key`` may hit again (0 when it may now); counts nothing."""
        now = self.clock()
        start = now - timedelta(seconds=self.window_s)
        mine = (h.c.name == self.name) & (h.c.key == key[:400]) & (h.c.at > start)
        async with Guard(self.engine, begin=False) as conn:
            n, oldest = (
                await conn.execute(select(func.count(), func.min(h.c.at)).where(mine))
            ).one()
        if n < self.limit:
            return 0
        first = aware(oldest) or now
        wait = (first + timedelta(seconds=self.window_s) - now).total_seconds()
        return max(1, int(wait + 0.999))


async def prune(engine: AsyncEngine, older_than: datetime) -> int:
    """Delete hits older than ``older_than`` (keys that never came back)."""
    async with Guard(engine, begin=True) as conn:
        res = await conn.execute(delete(h).where(h.c.at < older_than))
        return res.rowcount or 0
