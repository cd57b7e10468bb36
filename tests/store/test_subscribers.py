"""Subscribers on SQLite and PostgreSQL: validation, lookups, status and bounces."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.store.store import Store
from bot.store.subscribers import (
    DuplicateSubscriber,
    InvalidEmail,
    SubscriberRepo,
    normalize_email,
)

T0 = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)


def test_normalize_email() -> None:
    assert normalize_email(" Ann@Example.COM ") == "Ann@example.com"
    with pytest.raises(InvalidEmail, match="not a valid email"):
        normalize_email("ann@")
    with pytest.raises(InvalidEmail):
        normalize_email("no-at-sign")


async def test_create_and_find(store: Store) -> None:
    repo = SubscriberRepo(store.engine)
    a = await repo.create(T0, telegram_chat_id=42, lang="zh")
    assert a.channels == ("telegram",) and a.status == "active" and a.lang == "zh"
    b = await repo.create(T0, email="Bob@Example.com", channels=("email",))
    assert b.email == "Bob@example.com"
    assert await repo.by_chat_id(42) == a
    assert await repo.by_email("bob@EXAMPLE.com") == b
    assert await repo.by_email("not an address") is None
    with pytest.raises(DuplicateSubscriber):
        await repo.create(T0, email="bob@example.com")
    with pytest.raises(InvalidEmail):
        await repo.create(T0, email="bob@@example.com")
    same, created = await repo.ensure_telegram(42, T0)
    assert same == a and not created
    new, created = await repo.ensure_telegram(43, T0)
    assert created and new.telegram_chat_id == 43


async def test_update_status_and_list(store: Store) -> None:
    repo = SubscriberRepo(store.engine)
    a = await repo.create(T0, telegram_chat_id=1)
    b = await repo.create(
        T0, telegram_chat_id=2, email="b@example.com", channels=("telegram", "email")
    )
    got = await repo.update(a.id, T0, follow_entities=("Meta",), digest_weekday=4, muted_until=T0)
    assert got is not None and got.follow_entities == ("Meta",) and got.muted_until == T0
    assert await repo.update(999, T0, lang="en") is None
    with pytest.raises(TypeError):
        await repo.update(a.id, T0, nonsense=1)
    assert await repo.mark_blocked(a.id, T0)
    assert [s.id for s in await repo.list_active()] == [b.id]
    assert [s.id for s in await repo.list_active("email")] == [b.id]
    assert await repo.set_status(a.id, "active", T0)
    assert len(await repo.list_active("telegram")) == 2
    assert await repo.delete(b.id) and await repo.get(b.id) is None


async def test_hard_bounces_disable_email(store: Store) -> None:
    repo = SubscriberRepo(store.engine, max_bounces=3)
    s = await repo.create(
        T0, telegram_chat_id=5, email="c@example.com", channels=("telegram", "email")
    )
    assert not await repo.record_bounce(s.id, T0)
    await repo.reset_bounces([s.id])
    assert await repo.bounces(s.id) == 0
    assert not await repo.record_bounce(s.id, T0)
    assert not await repo.record_bounce(s.id, T0)
    assert await repo.record_bounce(s.id, T0)  # the third in a row disables email
    got = await repo.get(s.id)
    assert got is not None and got.channels == ("telegram",) and got.email == "c@example.com"
    assert not await repo.record_bounce(s.id, T0)  # already off


async def test_pages_in_slot_groups_streams_the_due_subscribers(store: Store) -> None:
    """The digests job reads due subscribers a page at a time (flat memory at 100,000): every
    active subscriber of the groups asked for, once, in id order, no page over its size."""
    repo = SubscriberRepo(store.engine)
    made = []
    for n in range(23):
        tz = ("UTC", "Asia/Shanghai", "America/New_York")[n % 3]
        made.append(await repo.create(T0, email=f"p{n}@example.com", timezone=tz))
    await repo.set_status(made[0].id or 0, "stopped", T0)
    groups = [(tz, 0, "08:00") for tz in ("UTC", "Asia/Shanghai")]
    pages = [p async for p in repo.pages_in_slot_groups(groups, page=4)]
    assert all(0 < len(p) <= 4 for p in pages)
    got = [s.id for p in pages for s in p]
    want = [s.id for n, s in enumerate(made) if n % 3 != 2 and n != 0]
    assert sorted(got) == want and len(got) == len(set(got))
    assert got == [s.id for s in await repo.in_slot_groups(groups)]


async def test_active_by_channel_counts_without_loading_subscribers(store: Store) -> None:
    repo = SubscriberRepo(store.engine)
    await repo.create(T0, email="c1@example.com", channels=("email",))
    await repo.create(
        T0, email="c2@example.com", telegram_chat_id=5, channels=("email", "telegram")
    )
    gone = await repo.create(T0, telegram_chat_id=6)
    await repo.set_status(gone.id or 0, "stopped", T0)
    assert await repo.active_by_channel() == (2, {"email": 2, "telegram": 1})
