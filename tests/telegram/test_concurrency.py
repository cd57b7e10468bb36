"""Issue 18 low 8: updates of different chats are handled concurrently, one chat's in order.

Against the local Bot API fake with 100 ms per API call (so one update's handling costs about
that much), over long polling: two chats bursting ``/digest`` do not hold up a third chat's
``/help`` beyond a few updates' worth, and one chat's commands are applied in the order sent.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.store.store import Store
from bot.telegram import run_bot
from tests.telegram.conftest import GroupFakeBotAPI, ingest_seed, make_config, visible
from tests.telegram.test_run import _until

LATENCY = 0.1


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'briefbot.db'}"


async def test_bursts_do_not_delay_other_chats_and_order_is_kept(
    store: Store, api: GroupFakeBotAPI, tmp_path: Path
) -> None:
    config = make_config(tmp_path)
    await ingest_seed(store, config)
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(config, store, stop, base_url=api.base_url, poll_timeout=1))
    try:
        for chat in (101, 102, 103):
            api.push_text(chat, "/start")
        await _until(lambda: all(api.delivered(c) for c in (101, 102, 103)), 30)
        api.latency = LATENCY
        # one update's handling, alone
        t0 = time.monotonic()
        api.push_text(103, "/help")
        await _until(lambda: len(api.delivered(103)) >= 2, 30)
        one = time.monotonic() - t0
        # two chats burst 12 /digest each, then a third asks for /help
        for _ in range(12):
            api.push_text(101, "/digest")
            api.push_text(102, "/digest")
        t0 = time.monotonic()
        api.push_text(103, "/help")
        await _until(lambda: len(api.delivered(103)) >= 3, 60)
        waited = time.monotonic() - t0
        # handled one at a time it would wait for 24 digests (~24 x one); concurrently, for
        # about its own handling plus the updates already on the wire
        print(f"/help alone {one:.3f} s, behind two bursts {waited:.3f} s")
        assert waited < 6 * one, (waited, one)
        # one chat's commands are applied in order
        api.push_text(104, "/start")
        for hhmm in ("06:00", "07:15", "08:30", "21:45"):
            api.push_text(104, f"/time {hhmm}")
        await _until(lambda: len(api.delivered(104)) >= 5, 60)
        replies = [visible(r) for r in api.delivered(104)][1:]
        order = [next(h for h in ("06:00", "07:15", "08:30", "21:45") if h in r) for r in replies]
        assert order == ["06:00", "07:15", "08:30", "21:45"]
        sub = await store.subscribers.by_chat_id(104)
        assert sub is not None and sub.digest_time == "21:45"
        # (the per-chat flood limit answers the tail of each burst with one "slow down")
        assert all(len(api.delivered(c)) >= 5 for c in (101, 102))
    finally:
        api.latency = 0
        stop.set()
        await asyncio.wait_for(task, 30)
