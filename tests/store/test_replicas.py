"""Heartbeat rows and update ids shared by replicas (both backends)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.store.store import Store

T0 = datetime(2026, 2, 9, tzinfo=UTC)


async def test_heartbeats_list_live_replicas_leader_first(store: Store) -> None:
    r = store.replicas
    await r.beat("a", host="h1", pid=1, started_at=T0, leader=False, info={"web": "x"})
    await r.beat("b", host="h2", pid=2, started_at=T0, leader=True, info={"sent": 3})
    await r.beat("a", host="h1", pid=1, started_at=T0, leader=False, info={"web": "y"})
    live = await r.live(60)
    assert [x.id for x in live] == ["b", "a"]
    assert live[1].info == {"web": "y"} and all(0 <= x.age < 30 for x in live)
    await asyncio.sleep(1.1)
    assert await r.live(1) == []  # older than one lease (the database's clock): not live
    await r.gone("b")
    assert [x.id for x in await r.live(60)] == ["a"]


async def test_an_update_id_is_handled_once(store: Store) -> None:
    r = store.replicas
    results = await asyncio.gather(*(r.first_sight(77) for _ in range(10)))
    assert sum(results) == 1
    assert await r.first_sight(78)
    assert await r.prune_updates(datetime(2100, 1, 1, tzinfo=UTC)) == 2
    assert await r.first_sight(77)  # forgotten after the prune


async def test_the_webhook_inbox_hands_each_update_to_one_taker_in_order(store: Store) -> None:
    r = store.replicas
    for uid in (12, 10, 11, 10):  # a second copy of 10 (a retry reaching another replica)
        await r.inbox_put(uid, {"update_id": uid, "message": {"text": f"/help {uid}"}})
    takes = await asyncio.gather(r.inbox_take(), r.inbox_take())
    got = [u["update_id"] for batch in takes for u in batch]
    assert sorted(got) == [10, 11, 12]  # each once, whoever took it
    assert all(b == sorted(b, key=lambda u: u["update_id"]) for b in takes)  # oldest first
    assert await r.inbox_take() == []
    await r.inbox_put(13, {"update_id": 13})
    await r.prune_updates(datetime(2100, 1, 1, tzinfo=UTC))
    assert await r.inbox_take() == []  # never taken, pruned with the old update ids
