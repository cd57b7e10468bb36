"""Subscribers: who gets what, where. Returns ``bot.models.Subscriber``, never rows.

``token_version`` goes up by one when a subscriber stops or changes address: manage and
unsubscribe links carry it, so every link sent before stops working.

Email addresses are validated and normalized (email-validator, no DNS lookups) before they are
stored; lookups and the duplicate check ignore case (the stored spelling is kept for sending). Delivery feeds back here: a Telegram 403
marks the subscriber ``blocked``; each SMTP hard bounce counts, and at ``max_bounces`` email is
dropped from the subscriber's channels (a successful send resets the count).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.addresses import InvalidEmail, normalize_email
from bot.errors import StoreError
from bot.models import Subscriber
from bot.store import schema as t
from bot.store.conn import Guard, aware

s = t.subscribers
MAX_BOUNCES = 3
_FIELDS = {
    "telegram_chat_id",
    "email",
    "email_confirmed",
    "lang",
    "timezone",
    "digest_weekday",
    "digest_time",
    "channels",
    "status",
    "follow_entities",
    "follow_metrics",
    "muted_until",
}


class DuplicateSubscriber(StoreError):
    """Another subscriber already has this Telegram chat or email address."""


class SubscriberRepo:
    def __init__(self, engine: AsyncEngine, max_bounces: int = MAX_BOUNCES) -> None:
        self.engine = engine
        self.max_bounces = max_bounces

    async def create(self, now: datetime, **fields: Any) -> Subscriber:
        """A new subscriber; fields as on ``Subscriber`` (``email`` is validated first)."""
        values = _values(fields)
        if values.get("email") and await self.by_email(values["email"]) is not None:
            raise DuplicateSubscriber(f"{values['email']} is already subscribed")
        values.setdefault("channels", ["telegram"] if values.get("telegram_chat_id") else ["email"])
        row = {
            "email_confirmed": False,
            "lang": "en",
            "timezone": "UTC",
            "digest_weekday": 0,
            "digest_time": "08:00",
            "status": "active",
            "follow_entities": [],
            "follow_metrics": [],
            "extra": {},
            "email_bounces": 0,
            **values,
            "created_at": now,
            "updated_at": now,
        }
        try:
            async with Guard(self.engine, begin=True) as conn:
                res = await conn.execute(s.insert().values(**row))
                new_id = int(res.inserted_primary_key[0])  # type: ignore[index]
        except StoreError as e:
            if not _duplicate(e):
                raise
            raise DuplicateSubscriber(
                "a subscriber with this Telegram chat or email already exists"
            ) from e
        got = await self.get(new_id)
        assert got is not None
        return got

    async def ensure_telegram(
        self, chat_id: int, now: datetime, **fields: Any
    ) -> tuple[Subscriber, bool]:
        """The subscriber for this chat, created if new: ``(subscriber, created)``."""
        found = await self.by_chat_id(chat_id)
        if found is not None:
            return found, False
        try:
            return await self.create(now, telegram_chat_id=chat_id, **fields), True
        except DuplicateSubscriber:  # created concurrently
            again = await self.by_chat_id(chat_id)
            if again is None:
                raise
            return again, False

    async def get(self, subscriber_id: int) -> Subscriber | None:
        return await self._one(s.c.id == subscriber_id)

    async def by_chat_id(self, chat_id: int) -> Subscriber | None:
        return await self._one(s.c.telegram_chat_id == chat_id)

    async def by_email(self, address: str) -> Subscriber | None:
        try:
            norm = normalize_email(address)
        except InvalidEmail:
            return None
        return await self._one(func.lower(s.c.email) == norm.lower())

    async def update(
        self, subscriber_id: int, now: datetime, *, revoke_links: bool = False, **fields: Any
    ) -> Subscriber | None:
        """Change fields (as on ``Subscriber``); returns the new value, None if not found.

        Stopping, a new address, or ``revoke_links`` bump ``token_version`` (old links die)."""
        values = _values(fields)
        try:
            async with Guard(self.engine, begin=True) as conn:
                q = update(s).where(s.c.id == subscriber_id)
                if revoke_links or _revokes(values):
                    old = (
                        await conn.execute(select(s.c.email).where(s.c.id == subscriber_id))
                    ).scalar()
                    if (
                        revoke_links
                        or values.get("status") == "stopped"
                        or values.get("email", old) != old
                    ):
                        q = q.values(token_version=s.c.token_version + 1)
                res = await conn.execute(q.values(**values, updated_at=now))
        except StoreError as e:
            if not _duplicate(e):
                raise
            raise DuplicateSubscriber(
                "a subscriber with this Telegram chat or email already exists"
            ) from e
        return await self.get(subscriber_id) if res.rowcount else None

    async def set_status(self, subscriber_id: int, status: str, now: datetime) -> bool:
        return await self.update(subscriber_id, now, status=status) is not None

    async def mark_blocked(self, subscriber_id: int, now: datetime) -> bool:
        """The user blocked the bot (Telegram 403): no more messages until they /start again."""
        return await self.set_status(subscriber_id, "blocked", now)

    async def record_bounce(self, subscriber_id: int, now: datetime) -> bool:
        """Count a hard bounce; True when this one disabled email (``email`` left channels)."""
        async with Guard(self.engine, begin=True) as conn:
            row = (
                await conn.execute(
                    select(s.c.email_bounces, s.c.channels).where(s.c.id == subscriber_id)
                )
            ).first()
            if row is None:
                return False
            bounces = int(row.email_bounces or 0) + 1
            channels = list(row.channels or [])
            disable = bounces >= self.max_bounces and "email" in channels
            if disable:
                channels = [c for c in channels if c != "email"]
            await conn.execute(
                update(s)
                .where(s.c.id == subscriber_id)
                .values(email_bounces=bounces, channels=channels, updated_at=now)
            )
        return disable

    async def reset_bounces(self, subscriber_ids: Sequence[int]) -> None:
        """An email reached them: hard bounces count again from zero."""
        if not subscriber_ids:
            return
        async with Guard(self.engine, begin=True) as conn:
            await conn.execute(
                update(s)
                .where(s.c.id.in_(list(subscriber_ids)), s.c.email_bounces != 0)
                .values(email_bounces=0)
            )

    async def bounces(self, subscriber_id: int) -> int:
        async with Guard(self.engine, begin=False) as conn:
            q = select(s.c.email_bounces).where(s.c.id == subscriber_id)
            return int((await conn.execute(q)).scalar() or 0)

    async def list_active(self, channel: str | None = None) -> list[Subscriber]:
        """Active subscribers (optionally only those who chose ``channel``), by id."""
        async with Guard(self.engine, begin=False) as conn:
            rows = (
                await conn.execute(select(s).where(s.c.status == "active").order_by(s.c.id))
            ).mappings()
            subs = [_subscriber(r) for r in rows]
        return [x for x in subs if channel is None or channel in x.channels]

    async def active_by_channel(self) -> tuple[int, dict[str, int]]:
        """How many subscribers are active, and how many chose each channel (read a page of
        channel lists at a time: the startup summary at 100,000 loaded every subscriber)."""
        total, out = 0, dict[str, int]()
        q = select(s.c.channels).where(s.c.status == "active").execution_options(yield_per=5000)
        async with Guard(self.engine, begin=False) as conn:
            async for chans in await conn.stream_scalars(q):
                total += 1
                for c in chans or ():
                    out[c] = out.get(c, 0) + 1
        return total, out

    async def slot_groups(self) -> list[tuple[str, int, str]]:
        """The distinct (timezone, weekday, time) of active subscribers: what digest slots
        exist (a handful, however many subscribers)."""
        q = (
            select(s.c.timezone, s.c.digest_weekday, s.c.digest_time)
            .where(s.c.status == "active")
            .distinct()
        )
        async with Guard(self.engine, begin=False) as conn:
            return [(tz, int(wd), hm) for tz, wd, hm in (await conn.execute(q)).tuples()]

    async def in_slot_groups(self, groups: Sequence[tuple[str, int, str]]) -> list[Subscriber]:
        """Active subscribers of these slot groups (the ones whose digest is due), by id."""
        out: list[Subscriber] = []
        async with Guard(self.engine, begin=False) as conn:
            for tz, wd, hm in groups:
                q = (
                    select(s)
                    .where(
                        s.c.status == "active",
                        s.c.timezone == tz,
                        s.c.digest_weekday == wd,
                        s.c.digest_time == hm,
                    )
                    .order_by(s.c.id)
                )
                out += [_subscriber(r) for r in (await conn.execute(q)).mappings()]
        return out

    async def pages_in_slot_groups(
        self, groups: Sequence[tuple[str, int, str]], page: int = 1000
    ) -> AsyncIterator[list[Subscriber]]:
        """``in_slot_groups`` in pages of up to ``page`` subscribers (by id, each page its own
        query after the last id of the one before): memory stays flat however many are due."""
        for tz, wd, hm in groups:
            after = 0
            while True:
                q = (
                    select(s)
                    .where(
                        s.c.status == "active",
                        s.c.timezone == tz,
                        s.c.digest_weekday == wd,
                        s.c.digest_time == hm,
                        s.c.id > after,
                    )
                    .order_by(s.c.id)
                    .limit(page)
                )
                async with Guard(self.engine, begin=False) as conn:
                    rows = [_subscriber(r) for r in (await conn.execute(q)).mappings()]
                if rows:
                    yield rows
                if len(rows) < page:
                    break
                after = rows[-1].id or 0

    async def statuses(self, subscriber_ids: Iterable[int]) -> dict[int, str]:
        """Status of each of these subscribers that exists (for skipping stopped ones' rules)."""
        ids = list(set(subscriber_ids))
        out: dict[int, str] = {}
        async with Guard(self.engine, begin=False) as conn:
            for i in range(0, len(ids), 500):
                q = select(s.c.id, s.c.status).where(s.c.id.in_(ids[i : i + 500]))
                out.update({int(k): str(v) for k, v in (await conn.execute(q)).tuples().all()})
        return out

    async def all(self) -> list[Subscriber]:
        async with Guard(self.engine, begin=False) as conn:
            rows = (await conn.execute(select(s).order_by(s.c.id))).mappings()
            return [_subscriber(r) for r in rows]

    async def delete(self, subscriber_id: int) -> bool:
        """Forget a subscriber (their rules go with them; outbox rows keep a NULL subscriber)."""
        async with Guard(self.engine, begin=True) as conn:
            res = await conn.execute(delete(s).where(s.c.id == subscriber_id))
            return bool(res.rowcount)

    async def _one(self, cond: Any) -> Subscriber | None:
        async with Guard(self.engine, begin=False) as conn:
            r = (await conn.execute(select(s).where(cond))).mappings().first()
        return None if r is None else _subscriber(r)


def _values(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - _FIELDS
    if unknown:
        raise TypeError(f"unknown subscriber field(s): {', '.join(sorted(unknown))}")
    out = dict(fields)
    if out.get("email") is not None:
        out["email"] = normalize_email(out["email"])
    for name in ("channels", "follow_entities", "follow_metrics"):
        if name in out:
            out[name] = list(out[name])
    # validate the values through the model (status/channel literals, lang, ...)
    Subscriber.model_validate({"id": 0, **out})
    return out


def _subscriber(r: Any) -> Subscriber:
    return Subscriber(
        id=r["id"],
        telegram_chat_id=r["telegram_chat_id"],
        email=r["email"],
        email_confirmed=bool(r["email_confirmed"]),
        lang=r["lang"],
        timezone=r["timezone"],
        digest_weekday=r["digest_weekday"],
        digest_time=r["digest_time"],
        channels=tuple(r["channels"] or ()),
        status=r["status"],
        follow_entities=tuple(r["follow_entities"] or ()),
        follow_metrics=tuple(r["follow_metrics"] or ()),
        muted_until=aware(r["muted_until"]),
        token_version=int(r.get("token_version") or 0),
    )


def _revokes(values: dict[str, Any]) -> bool:
    """Unsubscribing and changing the address revoke the links sent before (token_version)."""
    return values.get("status") == "stopped" or "email" in values


def _duplicate(e: StoreError) -> bool:
    return isinstance(e.__cause__, IntegrityError)
