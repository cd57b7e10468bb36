"""What the chat bot needs from the store beyond ``SubscriberRepo``/``OutboxRepo``/``Store``.

- a subscriber's ``extra`` JSON (deep-link ``ref``, pending email confirmation, quiet hours);
- the ``feeds`` table for the admin's /feeds;
- counts for the admin's /stats;
- the admin's /broadcasts waiting for their Send/Cancel button (in the database, so the press
  may reach any replica).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import schema as t
from bot.store.conn import Guard, insert_ignore


@dataclass(frozen=True)
class FeedRow:
    id: int
    url: str
    name: str | None
    enabled: bool
    last_status: int | None
    failures: int
    last_error: str | None


class BotRepo:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    # ---- subscriber extras ---------------------------------------------------------------

    async def extra(self, subscriber_id: int) -> dict[str, Any]:
        async with Guard(self.engine, begin=False) as conn:
            q = select(t.subscribers.c.extra).where(t.subscribers.c.id == subscriber_id)
            value = (await conn.execute(q)).scalar()
        return dict(value or {})

    async def merge_extra(self, subscriber_id: int, **values: Any) -> dict[str, Any]:
        """Set keys of ``extra`` (a value of None removes the key); returns the new extra."""
        async with Guard(self.engine, begin=True) as conn:
            q = select(t.subscribers.c.extra).where(t.subscribers.c.id == subscriber_id)
            extra = dict((await conn.execute(q)).scalar() or {})
            for k, v in values.items():
                if v is None:
                    extra.pop(k, None)
                else:
                    extra[k] = v
            await conn.execute(
                update(t.subscribers).where(t.subscribers.c.id == subscriber_id).values(extra=extra)
            )
        return extra

    # ---- pending broadcasts --------------------------------------------------------------

    async def hold_broadcast(
        self, token: str, chat_id: int, text: str, now: datetime, *, keep: int, ttl: timedelta
    ) -> None:
        """Keep ``text`` until ``chat_id`` presses Send or Cancel; at most ``keep`` per chat (the
        oldest go) and none older than ``ttl``."""
        b = t.pending_broadcasts
        async with Guard(self.engine, begin=True) as conn:
            await conn.execute(delete(b).where(b.c.created_at < now - ttl))
            old = (
                (
                    await conn.execute(
                        select(b.c.token)
                        .where(b.c.chat_id == chat_id)
                        .order_by(b.c.created_at.desc(), b.c.token)
                        .offset(max(keep - 1, 0))
                    )
                )
                .scalars()
                .all()
            )
            if old:
                await conn.execute(delete(b).where(b.c.token.in_(old)))
            await conn.execute(
                insert(b).values(token=token, chat_id=chat_id, text=text, created_at=now)
            )

    async def take_broadcast(self, token: str, chat_id: int) -> str | None:
        """The text held under ``token`` for ``chat_id``, removed; None when it is gone (already
        pressed, on this replica or another, cancelled, expired) or not this chat's."""
        b = t.pending_broadcasts
        async with Guard(self.engine, begin=True) as conn:
            res = await conn.execute(
                delete(b).where(b.c.token == token[:32], b.c.chat_id == chat_id).returning(b.c.text)
            )
            return res.scalar()

    # ---- feeds ---------------------------------------------------------------------------

    async def feeds(self) -> list[FeedRow]:
        f = t.feeds
        async with Guard(self.engine, begin=False) as conn:
            rows = (await conn.execute(select(f).order_by(f.c.id))).mappings().all()
        return [
            FeedRow(
                id=r["id"],
                url=r["url"],
                name=r["name"],
                enabled=bool(r["enabled"]),
                last_status=r["last_status"],
                failures=int(r["failures"] or 0),
                last_error=r["last_error"],
            )
            for r in rows
        ]

    async def add_feed(self, url: str, name: str | None, now: datetime) -> tuple[int, bool]:
        """(feed id, created?) — an existing URL is not added twice."""
        f = t.feeds
        row = {
            "url": url,
            "name": name,
            "enabled": True,
            "failures": 0,
            "entries": 0,
            "added_at": now,
        }
        async with Guard(self.engine, begin=True) as conn:
            res = await conn.execute(insert_ignore(conn, f, [row], "url"))
            created = bool(res.rowcount and res.rowcount > 0)
            fid = (await conn.execute(select(f.c.id).where(f.c.url == url))).scalar()
        return int(fid or 0), created

    async def remove_feed(self, feed_id: int) -> bool:
        async with Guard(self.engine, begin=True) as conn:
            res = await conn.execute(t.feeds.delete().where(t.feeds.c.id == feed_id))
            return bool(res.rowcount)

    # ---- stats ---------------------------------------------------------------------------

    async def stats(self) -> dict[str, int]:
        s, r, o, f = t.subscribers, t.rules, t.outbox, t.feeds
        out: dict[str, int] = {}
        async with Guard(self.engine, begin=False) as conn:

            async def count(table: Any, *where: Any) -> int:
                q = select(func.count()).select_from(table)
                if where:
                    q = q.where(*where)
                return int((await conn.execute(q)).scalar() or 0)

            out["total"] = await count(s)
            for status in ("active", "stopped", "blocked"):
                out[status] = await count(s, s.c.status == status)
            out["emails"] = await count(s, s.c.email_confirmed.is_(True))
            out["rules"] = await count(r)
            out["paused"] = await count(r, r.c.paused.is_(True))
            for status in ("pending", "sending", "sent", "dead"):
                out[status] = await count(o, o.c.status == status)
            out["feeds"] = await count(f)
            out["failing"] = await count(f, or_(f.c.failures > 0, f.c.last_error.is_not(None)))
            out["items"] = await count(t.items)
            out["figures"] = await count(t.figures)
        return out
