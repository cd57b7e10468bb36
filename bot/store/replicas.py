"""What the replicas of one database share: heartbeats, the database clock, update ids seen.

Every ``briefbot run`` writes a heartbeat row (``beat``) stamped with the database's clock, so
replicas on machines whose clocks disagree still agree on who is alive: a replica is live while
its heartbeat is younger than one lease (``live``). ``briefbot status`` lists them. Telegram
update ids are recorded once (``first_sight``): a webhook retry delivered to another replica, or
the updates a new leader fetches again after a failover, are handled once. In webhook mode a
replica that does not lead puts the updates it receives in the inbox (``inbox_put``); the
leader's bot takes them out (``inbox_take``) and handles them: one bot sends replies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store import schema as t
from bot.store.conn import Guard, aware, insert_ignore, now_utc

r = t.replicas


@dataclass(frozen=True)
class Replica:
    id: str
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    leader: bool
    info: Mapping[str, Any]
    age: float
    """Seconds since its last heartbeat, by the database clock."""


async def db_now(conn: AsyncConnection) -> datetime:
    """The database's clock (PostgreSQL ``now()``); SQLite has one machine, so ours."""
    if conn.dialect.name == "postgresql":
        got = (await conn.execute(select(func.now()))).scalar()
        assert isinstance(got, datetime)
        return got
    return now_utc()


class ReplicaRepo:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def now(self) -> datetime:
        async with Guard(self.engine, begin=False) as conn:
            return await db_now(conn)

    async def beat(
        self,
        replica_id: str,
        *,
        host: str,
        pid: int,
        started_at: datetime,
        leader: bool,
        info: Mapping[str, Any],
    ) -> None:
        """Insert or refresh this replica's heartbeat row (database clock)."""
        data = json.loads(json.dumps(dict(info), default=str))
        async with Guard(self.engine, begin=True) as conn:
            at = await db_now(conn)
            res = await conn.execute(
                update(r)
                .where(r.c.id == replica_id)
                .values(heartbeat_at=at, leader=leader, info=data)
            )
            if not res.rowcount:
                row = {
                    "id": replica_id,
                    "host": host[:200],
                    "pid": pid,
                    "started_at": started_at,
                    "heartbeat_at": at,
                    "leader": leader,
                    "info": data,
                }
                await conn.execute(insert_ignore(conn, r, [row], "id"))

    async def gone(self, replica_id: str) -> None:
        """A replica stopping cleanly removes its row."""
        async with Guard(self.engine, begin=True) as conn:
            await conn.execute(delete(r).where(r.c.id == replica_id))

    async def live(self, lease_seconds: float) -> list[Replica]:
        """Replicas whose heartbeat is younger than ``lease_seconds`` (database clock), leader
        first; rows older than a day are deleted on the way (replicas killed long ago)."""
        async with Guard(self.engine, begin=True) as conn:
            now = await db_now(conn)
            await conn.execute(delete(r).where(r.c.heartbeat_at < now - timedelta(days=1)))
            rows = (
                await conn.execute(
                    select(r)
                    .where(r.c.heartbeat_at >= now - timedelta(seconds=lease_seconds))
                    .order_by(r.c.leader.desc(), r.c.started_at)
                )
            ).mappings()
            out = []
            for x in rows:
                beat = aware(x["heartbeat_at"])
                assert beat is not None
                out.append(
                    Replica(
                        id=x["id"],
                        host=x["host"],
                        pid=x["pid"],
                        started_at=aware(x["started_at"]) or beat,
                        heartbeat_at=beat,
                        leader=bool(x["leader"]),
                        info=x["info"] or {},
                        age=max((now - beat).total_seconds(), 0.0),
                    )
                )
            return out

    # ---- Telegram updates ----------------------------------------------------------------

    async def first_sight(self, update_id: int) -> bool:
        """Record ``update_id``; True only for the first replica (or call) that sees it."""
        async with Guard(self.engine, begin=True) as conn:
            res = await conn.execute(
                insert_ignore(
                    conn,
                    t.telegram_updates,
                    [{"update_id": update_id, "received_at": now_utc()}],
                    "update_id",
                )
            )
            return bool(res.rowcount)

    async def inbox_put(self, update_id: int, data: Mapping[str, Any]) -> None:
        """Keep a webhook update for the leader's bot (a second copy is ignored)."""
        row = {"update_id": update_id, "data": dict(data), "received_at": now_utc()}
        async with Guard(self.engine, begin=True) as conn:
            await conn.execute(insert_ignore(conn, t.telegram_inbox, [row], "update_id"))

    async def inbox_take(self, limit: int = 100) -> list[dict[str, Any]]:
        """Up to ``limit`` queued updates, oldest first, removed from the inbox."""
        i = t.telegram_inbox
        async with Guard(self.engine, begin=True) as conn:
            pick = select(i.c.update_id).order_by(i.c.update_id).limit(limit)
            if conn.dialect.name == "postgresql":
                pick = pick.with_for_update(skip_locked=True)
            rows = (
                await conn.execute(
                    delete(i)
                    .where(i.c.update_id.in_(pick.scalar_subquery()))
                    .returning(i.c.update_id, i.c.data)
                )
            ).all()
        return [dict(data) for _, data in sorted(rows, key=lambda r: r[0])]

    async def prune_updates(self, older_than: datetime) -> int:
        async with Guard(self.engine, begin=True) as conn:
            res = await conn.execute(
                delete(t.telegram_updates).where(t.telegram_updates.c.received_at < older_than)
            )
            # and updates no leader took (webhook mode switched off meanwhile)
            i = t.telegram_inbox
            await conn.execute(delete(i).where(i.c.received_at < older_than))
            return res.rowcount or 0
