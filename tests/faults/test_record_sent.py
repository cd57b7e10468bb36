"""A message that went out is never sent again, even when its "sent" cannot be recorded.

PostgreSQL sits behind a ``FaultProxy``; the Bot API fake receives the messages. The database
goes away in the middle of a drain: the rows in hand still go out, their "sent" waits in the
journal, and the next drain (a restart: a new journal that finds the old file) records them
before it claims anything.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.deliver.journal import SentJournal
from bot.deliver.telegram import TelegramChannel
from bot.deliver.worker import drain
from bot.models import Message, OutboxEntry
from bot.outbox import encode_message
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from tests.fakes.telegram_api import FakeBotAPI
from tests.faults.proxy import FaultProxy, pg_url_via

N = 40


def rows(n: int) -> list[OutboxEntry]:
    return [
        OutboxEntry(
            key=f"alert:{i}",
            channel="telegram",
            recipient=str(1000 + i),
            payload=encode_message(
                Message(kind="alert", key=f"alert:{i}", subject=f"s{i}", text=f"alert {i}")
            ),
        )
        for i in range(n)
    ]


async def cut_after(api: FakeBotAPI, proxy: FaultProxy, n: int) -> None:
    while len(api.delivered()) < n:
        await asyncio.sleep(0.005)
    proxy.refuse()


async def test_sent_rows_are_kept_until_the_store_has_them(
    pg_url: str, pg_proxy: FaultProxy, telegram_api: FakeBotAPI, tmp_path: Path
) -> None:
    async with Store.open(pg_url) as direct:
        await direct.outbox.enqueue(rows(N), datetime.now(UTC))
    store = Store.open(pg_url_via(pg_url, pg_proxy))
    channel = TelegramChannel.create(
        telegram_api.token, telegram_api.base_url, global_rate=2000, chat_rate=100
    )
    telegram_api.latency = 0.01
    outbox = OutboxRepo(store.engine)
    first = SentJournal.open(tmp_path / "state", pg_url, name="first.journal")
    cutter = asyncio.create_task(cut_after(telegram_api, pg_proxy, 10))
    try:
        rep1 = await drain(
            outbox,
            {"telegram": channel},
            now=lambda: datetime.now(UTC),
            lease_seconds=2,
            concurrency=8,
            flush_every=0.01,
            journal=first,
        )
        await cutter
        assert rep1.store_error is not None  # the database did go away mid-drain
        assert rep1.unrecorded > 0
        first.close()
        assert (tmp_path / "state" / "first.journal").exists()

        await pg_proxy.restore()
        await asyncio.sleep(2.5)  # every lease of the first drain has run out
        second = SentJournal.open(tmp_path / "state", pg_url, name="second.journal")
        assert len(second.pending) == rep1.unrecorded
        rep2 = await drain(
            outbox,
            {"telegram": channel},
            now=lambda: datetime.now(UTC),
            lease_seconds=2,
            journal=second,
        )
        second.close()
    finally:
        cutter.cancel()
        await channel.aclose()
        await store.close()

    got = Counter(r.chat_id for r in telegram_api.delivered())
    assert got == Counter({1000 + i: 1 for i in range(N)})  # each once, none missing
    assert rep1.sent + rep2.sent == N  # the true count
    async with Store.open(pg_url) as direct:
        entries = await direct.outbox.entries()
    assert [e.status for e in entries] == ["sent"] * N
    assert not (tmp_path / "state" / "first.journal").exists()  # replayed, then removed


async def test_a_journal_of_another_database_is_not_replayed(tmp_path: Path) -> None:
    j = SentJournal.open(tmp_path, "sqlite:///a.db", name="a.journal")
    j.sent(7)
    j.progress(8, 1)
    j.close()
    other = SentJournal.open(tmp_path, "sqlite:///b.db", name="b.journal")
    assert not other.pending and not other.pending_progress
    other.close()
    same = SentJournal.open(tmp_path, "sqlite:///a.db", name="c.journal")
    assert list(same.pending) == [7] and same.pending_progress == {8: 1}
    same.recorded([7])
    same.progress_recorded({8: 1})
    same.close()
    assert not (tmp_path / "a.journal").exists() and not (tmp_path / "c.journal").exists()
    assert (tmp_path / "b.journal").exists() is False  # empty journals are removed at close


async def test_rows_whose_outcome_could_not_be_recorded_come_back_without_the_lease(
    pg_url: str, pg_proxy: FaultProxy, telegram_api: FakeBotAPI
) -> None:
    """The Bot API answers 502 while the database is away: the rows' retry cannot be recorded
    (they stay 'sending' under a 300 s lease). The worker puts them back at its next run once
    the database answers, so they go out then, not after the lease."""
    from bot.service.clock import SystemClock
    from bot.service.worker import OutboxWorker

    async with Store.open(pg_url) as direct:
        await direct.outbox.enqueue(rows(10), datetime.now(UTC))
    store = Store.open(pg_url_via(pg_url, pg_proxy))
    channel = TelegramChannel.create(
        telegram_api.token, telegram_api.base_url, global_rate=2000, chat_rate=100
    )
    worker = OutboxWorker(store, {"telegram": channel}, SystemClock(), 0.05)
    telegram_api.fail(None, "502", times=None)
    telegram_api.hold_sends.set()  # sends wait unanswered until the database is away
    before = telegram_api.sends_arrived
    try:
        first = asyncio.create_task(worker.drain_once())
        deadline = time.monotonic() + 30
        while telegram_api.sends_arrived == before and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert telegram_api.sends_arrived > before  # a send is in flight
        pg_proxy.refuse()
        telegram_api.hold_sends.clear()
        await first
        assert worker.repo.held  # their outcome is not in the store
        await pg_proxy.restore()
        with telegram_api._lock:
            telegram_api._failures.clear()
        deadline = time.monotonic() + 10  # the channel is probed again within 2 s
        while len(telegram_api.delivered()) < 10 and time.monotonic() < deadline:
            await worker.drain_once()
            await asyncio.sleep(0.05)
    finally:
        await channel.aclose()
        await store.close()
    got = Counter(r.chat_id for r in telegram_api.delivered())
    assert got == Counter({1000 + i: 1 for i in range(10)})


def test_claims_left_at_a_stop_are_kept_until_released(tmp_path: Path) -> None:
    j = SentJournal.open(tmp_path, "sqlite:///a.db", name="a.journal")
    j.sent(5)
    j.claim_left("w:tok")
    j.close()
    k = SentJournal.open(tmp_path, "sqlite:///a.db", name="b.journal")
    assert k.tokens == {"w:tok"} and list(k.pending) == [5]
    k.recorded([5])
    assert (tmp_path / "b.journal").read_text().count("T w:tok") == 1  # still owed
    k.claims_released(["w:tok"])
    k.close()
    assert not list(tmp_path.glob("*.journal"))
