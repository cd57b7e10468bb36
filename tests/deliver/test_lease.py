"""Leases while sending: a worker never claims again a row it is still sending (a send slower
than the lease, a clock jump), keeps its leases alive while the rows are in flight, and a row
another worker took over is left to that worker. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.deliver.worker import drain
from bot.errors import RetryLater
from bot.models import Message, OutboxEntry
from bot.outbox import encode_message
from bot.store.outbox import OutboxRepo
from bot.store.store import Store

T0 = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)


class SlowChannel:
    """Records every send; each takes ``seconds`` (and may move a fake clock)."""

    name = "telegram"

    def __init__(
        self, seconds: float, on_send: Callable[[], None] | None = None, fail: bool = False
    ) -> None:
        self.seconds, self.on_send, self.fail = seconds, on_send, fail
        self.sent: Counter[str] = Counter()

    async def send(self, entry: OutboxEntry, message: Message) -> None:
        self.sent[entry.key] += 1
        if self.on_send is not None:
            self.on_send()
        await asyncio.sleep(self.seconds)
        if self.fail:
            raise RetryLater("try again later", retry_after=3600)

    async def aclose(self) -> None:
        pass


def rows(n: int) -> list[OutboxEntry]:
    return [
        OutboxEntry(key=f"alert:{i}", channel="telegram", recipient=str(100 + i),
                    payload=encode_message(Message(kind="alert", key=f"alert:{i}",
                                                   subject="s", text=f"m{i}")))
        for i in range(n)
    ]  # fmt: skip


async def test_a_send_slower_than_the_lease_is_not_claimed_again(store: Store) -> None:
    outbox = OutboxRepo(store.engine)
    await outbox.enqueue(rows(8), T0)
    ch = SlowChannel(0.3)
    # one consumer, small batches: the producer claims while earlier rows are still in flight,
    # long after their 0.1 s lease ran out
    report = await drain(
        outbox, {"telegram": ch}, None, now=T0, batch=2, concurrency=1, lease_seconds=0.1
    )
    assert ch.sent == {f"alert:{i}": 1 for i in range(8)}
    assert report.claimed == report.sent == 8
    rows_now = await outbox.entries()
    assert [r.status for r in rows_now] == ["sent"] * 8
    assert all(r.attempts == 1 for r in rows_now)


async def test_a_clock_jump_does_not_send_twice(store: Store) -> None:
    outbox = OutboxRepo(store.engine)
    await outbox.enqueue(rows(8), T0)
    t = [T0]

    def jump() -> None:  # every send moves the clock an hour: every lease looks expired
        t[0] += timedelta(hours=1)

    ch = SlowChannel(0.02, on_send=jump)
    report = await drain(outbox, {"telegram": ch}, None, now=lambda: t[0], batch=3, concurrency=2)
    assert ch.sent == {f"alert:{i}": 1 for i in range(8)}
    assert report.sent == 8
    assert all(r.status == "sent" and r.attempts == 1 for r in await outbox.entries())


async def test_a_retry_is_settled_by_its_own_claim(store: Store) -> None:
    """The row a slow send failed on goes back to pending with its backoff: no later claim of
    the same worker took it over (which would have made the settle a no-op)."""
    outbox = OutboxRepo(store.engine)
    await outbox.enqueue(rows(4), T0)
    ch = SlowChannel(0.2, fail=True)
    report = await drain(
        outbox, {"telegram": ch}, None, now=T0, batch=1, concurrency=1, lease_seconds=0.05
    )
    assert ch.sent == {f"alert:{i}": 1 for i in range(4)}
    assert report.retried == 4
    for r in await outbox.entries():
        assert r.status == "pending" and r.attempts == 1
        assert r.next_attempt is not None and r.next_attempt >= T0 + timedelta(seconds=3600)


async def test_leases_are_renewed_while_rows_are_in_flight(store: Store) -> None:
    """Another worker does not take over rows a live worker is still sending or holding."""
    outbox = OutboxRepo(store.engine)
    start = datetime.now(UTC)
    await outbox.enqueue(rows(6), start)
    slow, other = SlowChannel(0.4), SlowChannel(0.0)

    def clock() -> datetime:
        return datetime.now(UTC)

    async def second_worker() -> int:
        await asyncio.sleep(0.1)  # the first has claimed everything by now
        got = 0
        for _ in range(10):  # keeps trying well past the first worker's 0.3 s leases
            got += (await drain(outbox, {"telegram": other}, None, now=clock,
                                worker_id="b", lease_seconds=0.3)).claimed  # fmt: skip
            await asyncio.sleep(0.15)
        return got

    ra, b_claimed = await asyncio.gather(
        drain(outbox, {"telegram": slow}, None, now=clock, worker_id="a", batch=6,
              concurrency=1, lease_seconds=0.3),
        second_worker(),
    )  # fmt: skip
    assert b_claimed == 0 and not other.sent
    assert slow.sent == {f"alert:{i}": 1 for i in range(6)}
    assert ra.sent == 6


async def test_a_row_taken_over_is_left_to_its_new_holder(store: Store) -> None:
    """A worker that lost a lease (stalled past it) does not send the row it no longer holds."""
    outbox = OutboxRepo(store.engine)
    await outbox.enqueue(rows(3), T0)
    t = [T0]
    ch = SlowChannel(0.0)
    stolen: list[str] = []

    async def stall_then_steal(entry: OutboxEntry, message: Message) -> None:
        if not stolen:  # first send: the clock jumps past every lease and another worker
            t[0] += timedelta(hours=1)  # claims the rows this one has not sent yet
            got = await outbox.claim("b", 10, 60, t[0])
            stolen.extend(e.key for e in got.entries)
        await SlowChannel.send(ch, entry, message)

    ch.send = stall_then_steal  # type: ignore[method-assign]
    report = await drain(outbox, {"telegram": ch}, None, now=lambda: t[0], batch=3, concurrency=1)
    assert sorted(stolen) == ["alert:0", "alert:1", "alert:2"]
    assert ch.sent == {"alert:0": 1}  # the one already going out; not the two it lost
    assert report.sent == 1
    first = await outbox.get("alert:0")
    assert first is not None and first.status == "sent"  # it did go out: recorded
    for key in ("alert:1", "alert:2"):
        row = await outbox.get(key)
        assert row is not None and row.status == "sending"  # still the other worker's
