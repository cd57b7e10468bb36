"""/broadcast in webhook mode behind a load balancer: the preview is shown by one replica, the
Send button's press may reach another. The pending broadcast lives in the database, so it works
on any replica, exactly once."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from bot.telegram.app import build_application
from bot.telegram.ratelimit import ChatLimiter
from tests.telegram.conftest import ADMIN, Chat, GroupFakeBotAPI, make_config


@pytest.fixture
async def replicas(
    db_url: str, api: GroupFakeBotAPI, tmp_path: Path
) -> AsyncIterator[tuple[Chat, Chat]]:
    """Two bots (two stores, two applications) on one database, like two replicas."""
    out: list[Chat] = []
    stores = [Store.open(db_url), Store.open(db_url)]
    await stores[0].upgrade()
    try:
        for n, store in enumerate(stores):
            config = make_config(tmp_path)
            limiter = ChatLimiter(burst=1000, per_seconds=0.001, clock=lambda: 0.0)
            app = build_application(config, store, base_url=api.base_url, limiter=limiter,
                                    clock=lambda: out[0].now)  # fmt: skip
            # distinct update ids: the replicas share the update_id dedup table
            out.append(Chat(app=app, api=api, store=store, config=config,
                            _ids=itertools.count(1000 + 100_000 * n)))  # fmt: skip
            await app.initialize()
        yield out[0], out[1]
    finally:
        for c in out:
            await c.app.shutdown()
        for s in stores:
            await s.close()


async def test_a_broadcast_previewed_on_one_replica_is_sent_from_another(
    replicas: tuple[Chat, Chat],
) -> None:
    one, two = replicas
    for cid in (42, 43):
        await one.send(cid, "/start")
    mark = len(one.api.requests)
    await one.send(ADMIN, "/broadcast Maintenance tonight")
    [preview] = [r for r in one.api.requests[mark:] if r.method == "sendMessage"]
    [(_, send), _] = one.buttons(preview)
    outbox = OutboxRepo(one.store.engine)
    calls = await two.press(ADMIN, send)  # the load balancer picked the other replica
    assert "Broadcast queued for 2 subscriber(s)" in calls[-1].params["text"]
    assert sorted(r.recipient for r in await outbox.entries()) == ["42", "43"]
    # the press again (Telegram's retry, a double click), on either replica: once only
    for c in (one, two):
        stale = await c.press(ADMIN, send)
        assert stale[0].params["text"].startswith("This button is out of date")
    assert len(await outbox.entries()) == 2
    assert not one.errors and not two.errors


async def test_a_pending_broadcast_is_only_its_admins_and_a_cancel_is_shared(
    replicas: tuple[Chat, Chat],
) -> None:
    one, two = replicas
    await one.send(42, "/start")
    mark = len(one.api.requests)
    await one.send(ADMIN, "/broadcast Hello")
    [preview] = [r for r in one.api.requests[mark:] if r.method == "sendMessage"]
    [(_, send), (_, cancel)] = one.buttons(preview)
    assert "Broadcast cancelled" in (await two.press(ADMIN, cancel))[-1].params["text"]
    assert (await one.press(ADMIN, send))[0].params["text"].startswith("This button is out of")
    assert await OutboxRepo(one.store.engine).entries() == []
