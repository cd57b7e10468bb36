"""Web rate limits shared through the database: two replicas enforce one limit, not two."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.store.ratelimits import SharedWindow
from bot.store.store import Store


async def test_two_replicas_share_one_limit(db_url: str) -> None:
    now = [datetime(2026, 2, 9, tzinfo=UTC)]
    a, b = Store.open(db_url), Store.open(db_url)
    try:
        await a.upgrade()
        wa = SharedWindow(a.engine, "subscribe_address", 3, 3600, lambda: now[0])
        wb = SharedWindow(b.engine, "subscribe_address", 3, 3600, lambda: now[0])
        got = await asyncio.gather(*((wa if i % 2 else wb).take("x@example.com")
                                     for i in range(10)))  # fmt: skip
        assert got.count(0) == 3  # per process this was 3 + 3 (6 mails where 3 are allowed)
        assert all(w == 3600 for w in got if w)
        assert await wb.take("y@example.com") == 0  # another key has its own window
        now[0] += timedelta(seconds=3601)
        assert await wa.take("x@example.com") == 0  # the window slid
    finally:
        await a.close()
        await b.close()
