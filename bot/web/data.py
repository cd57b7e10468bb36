"""What the web pages read and write, on top of the store's repositories.

``WebData(store)`` uses ``SubscriberRepo``/``OutboxRepo`` for subscribers and mail, and keeps the
web's own small state in the subscriber row's ``extra`` JSON under ``"web"``::

    {"confirm_nonce": "…", "pending": {"lang": …, "digest_weekday": …, …, "rules": [...]}}

The nonce is that of the one confirmation link currently valid; confirming consumes it in the
same transaction that activates the subscriber (``SELECT … FOR UPDATE`` on PostgreSQL, SQLite
has a single writer), so a link works once even when opened twice at the same moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from bot.models import OutboxEntry, Subscriber
from bot.store import schema as t
from bot.store.conn import Guard, aware
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from bot.store.subscribers import DuplicateSubscriber, SubscriberRepo

s = t.subscribers
OUTBOX_STATES = ("pending", "sending", "sent", "dead")


@dataclass(frozen=True)
class RecentAlert:
    fired_at: datetime
    rule_text: str
    figure: dict[str, Any] | None


@dataclass(frozen=True)
class Stats:
    counts: dict[str, int]
    outbox: dict[str, int]
    subscribers: dict[str, int]
    feeds_failing: int
    feed_failures: int


def email_active(sub: Subscriber) -> bool:
    """Whether this subscriber currently gets Briefbot email."""
    return sub.status == "active" and sub.email_confirmed and "email" in sub.channels


class WebData:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.subscribers = SubscriberRepo(store.engine)
        self.outbox = OutboxRepo(store.engine)

    # ---- subscribe and confirm -----------------------------------------------------------

    async def request_confirmation(
        self, email: str, pending: dict[str, Any], nonce: str, now: datetime
    ) -> Subscriber:
        """Record a pending confirmation for ``email`` (creating a pending subscriber if new).

        An existing subscriber's settings are not touched until the link is opened: the
        preferences wait in ``extra`` so nobody can change someone else's by typing their address.
        """
        sub = await self.subscribers.by_email(email)
        if sub is None:
            fields = {k: v for k, v in pending.items() if k != "rules"}
            try:
                sub = await self.subscribers.create(
                    now, email=email, status="pending", channels=["email"], **fields
                )
            except DuplicateSubscriber:  # created concurrently
                sub = await self.subscribers.by_email(email)
                if sub is None:
                    raise
        await self._set_web(sub.id, {"confirm_nonce": nonce, "pending": pending})
        return sub

    async def confirm(self, subscriber_id: int, nonce: str, now: datetime) -> Subscriber | None:
        """Consume the confirmation ``nonce``: activate email and apply the waiting settings.

        None when the nonce is not the current one (used already, or superseded by a newer link).
        """
        async with Guard(self.store.engine, begin=True) as conn:
            q = select(s.c.extra, s.c.channels).where(s.c.id == subscriber_id).with_for_update()
            row = (await conn.execute(q)).first()
            if row is None:
                return None
            extra = dict(row.extra or {})
            web = dict(extra.get("web") or {})
            if not nonce or web.get("confirm_nonce") != nonce:
                return None
            pending = dict(web.get("pending") or {})
            rules = [str(r) for r in pending.pop("rules", [])]
            web.pop("confirm_nonce", None)
            web.pop("pending", None)
            extra["web"] = web
            channels = list(row.channels or [])
            if "email" not in channels:
                channels.append("email")
            allowed = {"lang", "digest_weekday", "digest_time", "timezone"}
            values = {k: v for k, v in pending.items() if k in allowed}
            await conn.execute(
                update(s)
                .where(s.c.id == subscriber_id)
                .values(
                    extra=extra,
                    email_confirmed=True,
                    status="active",
                    channels=channels,
                    email_bounces=0,
                    updated_at=now,
                    **values,
                )
            )
        for text in rules:
            await self.store.ensure_rule(text, subscriber_id)
        return await self.subscribers.get(subscriber_id)

    async def _set_web(self, subscriber_id: int, web: dict[str, Any]) -> None:
        async with Guard(self.store.engine, begin=True) as conn:
            q = select(s.c.extra).where(s.c.id == subscriber_id).with_for_update()
            extra = dict((await conn.execute(q)).scalar() or {})
            extra["web"] = {**dict(extra.get("web") or {}), **web}
            await conn.execute(update(s).where(s.c.id == subscriber_id).values(extra=extra))

    # ---- manage --------------------------------------------------------------------------

    async def get(self, subscriber_id: int) -> Subscriber | None:
        return await self.subscribers.get(subscriber_id)

    async def save_prefs(self, subscriber_id: int, prefs: dict[str, Any], now: datetime) -> None:
        await self.subscribers.update(subscriber_id, now, **prefs)

    async def unsubscribe(self, subscriber_id: int, now: datetime) -> Subscriber | None:
        """Stop email (and the subscriber, when email was their only channel). Idempotent."""
        sub = await self.subscribers.get(subscriber_id)
        if sub is None:
            return None
        channels = [c for c in sub.channels if c != "email"]
        status = sub.status if channels and sub.status != "pending" else "stopped"
        if list(sub.channels) != channels or sub.status != status:
            sub = await self.subscribers.update(
                subscriber_id, now, channels=channels, status=status, revoke_links=True
            )
            await self.outbox.drop_pending_for_subscriber(
                subscriber_id, "unsubscribed", now, channel="email"
            )
        await self._set_web(subscriber_id, {"confirm_nonce": None, "pending": None})
        return sub

    async def recent_alerts(self, subscriber_id: int, limit: int = 10) -> list[RecentAlert]:
        a, r, f = t.alerts, t.rules, t.figures
        q = (
            select(a.c.fired_at, r.c.text, f.c.data)
            .join(r, r.c.id == a.c.rule_id)
            .outerjoin(f, f.c.id == a.c.figure_id)
            .where(r.c.subscriber_id == subscriber_id)
            .order_by(a.c.fired_at.desc(), a.c.id.desc())
            .limit(limit)
        )
        async with Guard(self.store.engine, begin=False) as conn:
            rows = (await conn.execute(q)).all()
        return [RecentAlert(aware(x.fired_at), x.text, x.data) for x in rows]  # type: ignore[arg-type]

    # ---- mail ----------------------------------------------------------------------------

    async def enqueue(self, entry: OutboxEntry, now: datetime) -> int:
        return await self.outbox.enqueue([entry], now)

    # ---- operators -----------------------------------------------------------------------

    async def stats(self) -> Stats:
        counts = await self.store.counts()
        async with Guard(self.store.engine, begin=False) as conn:
            o = t.outbox
            outbox = {st: 0 for st in OUTBOX_STATES}
            for state, n in (
                await conn.execute(select(o.c.status, func.count()).group_by(o.c.status))
            ).tuples():
                outbox[str(state)] = int(n)
            subs: dict[str, int] = {}
            for state, n in (
                await conn.execute(select(s.c.status, func.count()).group_by(s.c.status))
            ).tuples():
                subs[str(state)] = int(n)
            fd = t.feeds
            failing, failures = (
                await conn.execute(
                    select(
                        func.count().filter(fd.c.failures > 0),
                        func.coalesce(func.sum(fd.c.failures), 0),
                    )
                )
            ).one()
        return Stats(counts, outbox, subs, int(failing or 0), int(failures or 0))

    async def ping(self) -> None:
        async with Guard(self.store.engine, begin=False) as conn:
            await conn.execute(select(1))
