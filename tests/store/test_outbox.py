"""The outbox repository on SQLite and PostgreSQL: idempotent enqueue, claims and leases,
outcomes, status and admin commands."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.models import Message, OutboxEntry, Subscriber
from bot.outbox import RetryPolicy, decode_message, format_status, plan
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from bot.store.subscribers import SubscriberRepo

T0 = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)


def alert(n: int) -> Message:
    return Message(kind="alert", key=f"alert:rule-{n}:fig", subject=f"A{n}", text=f"alert {n}")


def entries(n: int, channel: str = "telegram") -> list[OutboxEntry]:
    sub = Subscriber(id=1, telegram_chat_id=42, email="a@example.com", email_confirmed=True,
                     channels=("telegram", "email"))  # fmt: skip
    out = plan([alert(i) for i in range(n)], [sub], channels=(channel,))
    return [e.model_copy(update={"subscriber_id": None}) for e in out]  # no such row here


async def test_enqueue_is_idempotent_and_payload_round_trips(store: Store) -> None:
    repo = OutboxRepo(store.engine)
    es = entries(3)
    assert es[0].key == "alert:rule-0:fig:sub-1:telegram"
    assert await repo.enqueue(es, T0) == 3
    assert await repo.enqueue(es, T0) == 0
    assert await repo.enqueue(entries(4), T0) == 1
    got = await repo.get(es[0].key)
    assert got is not None and got.status == "pending" and got.next_attempt == T0
    assert decode_message(got.payload) == alert(0)


async def test_claim_leases_rows_once_and_expired_leases_come_back(store: Store) -> None:
    repo = OutboxRepo(store.engine)
    await repo.enqueue(entries(5), T0)
    a = await repo.claim("w1", 3, 60, T0)
    b = await repo.claim("w2", 10, 60, T0)
    assert len(a.entries) == 3 and len(b.entries) == 2
    assert not {e.id for e in a.entries} & {e.id for e in b.entries}
    assert (await repo.claim("w3", 10, 60, T0 + timedelta(seconds=30))).entries == []
    # w1 died: after its lease the rows are due again, with the attempt counted
    c = await repo.claim("w3", 10, 60, T0 + timedelta(seconds=61))
    assert sorted(e.id for e in c.entries) == sorted(e.id for e in a.entries + b.entries)
    assert all(e.attempts == 2 for e in c.entries)
    # a mark with the old token is ignored; the new holder's mark counts
    await repo.mark_dead(a.entries[0], a.token, "late", T0)
    assert (await repo.get(a.entries[0].key)).status == "sending"  # type: ignore[union-attr]
    assert await repo.mark_sent([e.id for e in c.entries if e.id], T0) == 5  # type: ignore[misc]
    assert (await repo.status(T0)).total("sent") == 5


async def test_concurrent_claims_never_overlap(store: Store) -> None:
    repo = OutboxRepo(store.engine)
    await repo.enqueue(entries(200), T0)
    claims = await asyncio.gather(*(repo.claim(f"w{i}", 15, 60, T0) for i in range(8)))
    ids = [e.id for c in claims for e in c.entries]
    assert len(ids) == len(set(ids)) == 120


async def test_retry_backoff_honours_retry_after_and_gives_up(store: Store) -> None:
    repo = OutboxRepo(store.engine, RetryPolicy(base=10, cap=40, jitter=0.5, max_attempts=3))
    await repo.enqueue(entries(1), T0)
    now = T0
    waits = []
    for _ in range(2):
        c = await repo.claim("w", 1, 60, now)
        nxt = await repo.mark_retry(c.entries[0], c.token, "SMTP 451", now, rand=lambda: 1.0)
        assert nxt is not None
        waits.append((nxt - now).total_seconds())
        assert (await repo.claim("w", 1, 60, nxt - timedelta(seconds=1))).entries == []
        now = nxt
    assert waits == [5.0, 10.0]  # base * 2**(n-1), times (1 - jitter)
    c = await repo.claim("w", 1, 60, now)
    nxt = await repo.mark_retry(c.entries[0], c.token, "429", now, retry_after=7)
    assert nxt == now + timedelta(seconds=7)  # retry_after exactly, even past max_attempts
    c = await repo.claim("w", 1, 60, nxt)
    assert c.entries[0].attempts == 4
    assert await repo.mark_retry(c.entries[0], c.token, "SMTP 451", nxt) is None
    dead = await repo.get(c.entries[0].key)
    assert (
        dead is not None
        and dead.status == "dead"
        and "gave up after 4 attempts" in (dead.error or "")
    )


async def test_deferred_does_not_count_an_attempt(store: Store) -> None:
    repo = OutboxRepo(store.engine)
    await repo.enqueue(entries(1), T0)
    c = await repo.claim("w", 1, 60, T0)
    await repo.mark_deferred(c.entries[0], c.token, T0 + timedelta(seconds=2), T0)
    again = await repo.claim("w", 1, 60, T0 + timedelta(seconds=2))
    assert again.entries[0].attempts == 1


async def test_drop_pending_for_subscriber_and_retry_dead(store: Store) -> None:
    subs = SubscriberRepo(store.engine)
    sub = await subs.create(T0, telegram_chat_id=42)
    repo = OutboxRepo(store.engine)
    es = [e.model_copy(update={"subscriber_id": sub.id}) for e in entries(3)]
    await repo.enqueue(es, T0)
    assert await repo.drop_pending_for_subscriber(sub.id, "blocked the bot", T0) == 3
    st = await repo.status(T0)
    assert st.total("dead") == 3 and st.total("pending") == 0
    assert st.recent_errors[0].error == "blocked the bot"
    assert await repo.retry_dead(T0, channel="email") == 0
    assert await repo.retry_dead(T0) == 3
    c = await repo.claim("w", 10, 60, T0)
    assert len(c.entries) == 3 and all(e.attempts == 1 for e in c.entries)


async def test_status_and_prune(store: Store) -> None:
    repo = OutboxRepo(store.engine)
    await repo.enqueue(entries(3) + entries(2, "email"), T0)
    c = await repo.claim("w", 2, 60, T0, channels=["telegram"])
    assert {e.channel for e in c.entries} == {"telegram"}
    await repo.mark_sent([c.entries[0].id], T0)  # type: ignore[list-item]
    await repo.mark_dead(c.entries[1], c.token, "Forbidden: bot was blocked", T0)
    st = await repo.status(T0 + timedelta(minutes=5))
    assert st.counts == {("sent", "telegram"): 1, ("dead", "telegram"): 1,
                         ("pending", "telegram"): 1, ("pending", "email"): 2}  # fmt: skip
    assert st.due_now == 3 and st.oldest_due == T0
    text = format_status(st, T0 + timedelta(minutes=5))
    assert "telegram" in text and "5m ago" in text and "bot was blocked" in text
    assert st.to_json()["due_now"] == 3
    assert await repo.prune_sent(T0) == 0
    assert await repo.prune_sent(T0 + timedelta(seconds=1)) == 1
    assert (await repo.status(T0)).total() == 4


async def test_claim_excludes_rows_in_flight_and_extend_lease_keeps_them(store: Store) -> None:
    repo = OutboxRepo(store.engine)
    await repo.enqueue(entries(4), T0)
    a = await repo.claim("w1", 4, 60, T0)
    ids = [e.id for e in a.entries if e.id is not None]
    later = T0 + timedelta(seconds=61)  # every lease has run out
    # the holder never claims its own rows in flight again, whatever their lease says
    mine = await repo.claim("w1", 10, 60, later, exclude=ids[:3])
    assert [e.id for e in mine.entries] == ids[3:]
    # renewing: only the rows still held under the token, up to the new time
    assert await repo.extend_lease(a.token, ids, later + timedelta(seconds=60)) == set(ids[:3])
    assert (await repo.claim("w2", 10, 60, later)).entries == []
    assert (await repo.status(later)).expired_leases == 0
    assert await repo.extend_lease(a.token, [], later) == set()
    assert await repo.extend_lease("someone-else", ids, later + timedelta(hours=1)) == set()
    st = await repo.status(later + timedelta(seconds=61))
    assert st.expired_leases == 4  # a stranger's renewal moved nothing


async def test_late_outcomes_of_a_lost_lease(store: Store) -> None:
    """Worker 1 stalled past its lease and worker 2 took the rows over: worker 1's late retry,
    deferral or death is ignored; its late "sent" is recorded (the message did go out), and
    worker 2 then finds the row no longer held."""
    repo = OutboxRepo(store.engine)
    await repo.enqueue(entries(4), T0)
    old = await repo.claim("w1", 4, 60, T0)
    later = T0 + timedelta(seconds=61)
    new = await repo.claim("w2", 4, 60, later)
    assert {e.id for e in new.entries} == {e.id for e in old.entries}
    e0, e1, e2, e3 = old.entries
    await repo.mark_retry(e0, old.token, "late", later)
    await repo.mark_deferred(e1, old.token, later + timedelta(hours=1), later)
    await repo.mark_dead(e2, old.token, "late", later)
    for e in (e0, e1, e2):
        row = await repo.get(e.key)
        assert row is not None and row.status == "sending" and row.attempts == 2
        assert row.error is None
    ids = {e.id for e in new.entries if e.id is not None}
    assert await repo.extend_lease(new.token, ids, later + timedelta(seconds=60)) == ids
    assert await repo.mark_sent([e3.id], later) == 1  # type: ignore[list-item]
    assert await repo.extend_lease(new.token, ids, later) == ids - {e3.id}
    # the new holder's own outcomes count
    n0, n1, n2, _ = new.entries
    await repo.mark_dead(n0, new.token, "for real", later)
    await repo.mark_deferred(n1, new.token, later + timedelta(hours=1), later)
    assert await repo.mark_retry(n2, new.token, "429", later, retry_after=5) is not None
    st = await repo.status(later)
    assert st.total("dead") == 1 and st.total("pending") == 2 and st.total("sent") == 1


async def test_existing_keys(store: Store) -> None:
    now = datetime(2026, 2, 9, tzinfo=UTC)
    e = OutboxEntry(
        key="digest:2026-W06:sub-1:telegram", channel="telegram", recipient="1", payload={}
    )
    await store.outbox.enqueue([e], now)
    keys = [e.key, "digest:2026-W06:sub-2:telegram"]
    assert await store.outbox.existing(keys) == {e.key}
    assert await store.outbox.existing([]) == set()


async def test_release_token_puts_back_a_claim_whose_answer_was_lost(store: Store) -> None:
    """A claim that committed while its connection dropped: the worker knows the token it
    chose, and puts those rows back (due now, the attempt not counted) once the store is back."""
    outbox = OutboxRepo(store.engine)
    await outbox.enqueue(entries(3), T0)
    got = await outbox.claim("w1", 2, 300, T0, token="w1:lost")
    assert len(got.entries) == 2 and got.token == "w1:lost"
    assert await outbox.release_token("w1:lost", T0 + timedelta(seconds=5)) == 2
    rows = await outbox.entries()
    assert [r.status for r in rows] == ["pending"] * 3
    assert [r.attempts for r in rows] == [0, 0, 0]
    assert await outbox.release_token("w1:lost", T0) == 0


async def test_a_claim_takes_expired_leases_and_pending_rows_together_oldest_due_first(
    store: Store,
) -> None:
    """The claim reads the two kinds of due row (pending; sending with a lapsed lease) one
    after the other and keeps the ``limit`` due earliest, by (next_attempt, id), as one query
    over both did."""
    repo = OutboxRepo(store.engine)
    await repo.enqueue(entries(3), T0)  # due at T0, claimed below and then abandoned
    dead_worker = await repo.claim("w1", 3, 60, T0)
    await repo.enqueue(entries(6)[3:], T0 + timedelta(seconds=30))  # due later, pending
    later = T0 + timedelta(seconds=120)  # w1's lease ran out at T0 + 60
    got = await repo.claim("w2", 4, 60, later)
    ids = [e.id for e in dead_worker.entries]
    assert [e.id for e in got.entries][:3] == ids  # the expired ones: due first
    assert len(got.entries) == 4 and got.entries[3].key == entries(6)[3].key
    assert {e.status for e in got.entries} == {"sending"}
    rest = await repo.claim("w3", 10, 60, later)
    assert [e.key for e in rest.entries] == [e.key for e in entries(6)[4:]]
