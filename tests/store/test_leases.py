"""Replica leases on PostgreSQL (issue 17): compared with the database's clock, not the
replicas' own, and a dead replica's claimed rows are taken over within one lease."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import ReplicasConfig
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from tests.conftest import create_pg_database, drop_pg_database
from tests.store.test_outbox import entries

pytestmark = pytest.mark.postgres
LEASE = 2.0


@pytest.fixture
async def pg() -> AsyncIterator[tuple[Store, Store]]:
    url = await create_pg_database()
    try:
        async with Store.open(url) as a, Store.open(url) as b:
            yield a, b
    finally:
        await drop_pg_database(url)


def test_the_default_lease_is_at_most_a_minute() -> None:
    assert ReplicasConfig().lease_seconds <= 60


async def test_leases_use_the_database_clock_and_expire_within_one_lease(
    pg: tuple[Store, Store],
) -> None:
    a_store, b_store = pg
    now = datetime.now(UTC)
    # replica A's clock is a day behind, replica B's a day ahead: by their own clocks A's lease
    # would have run out long ago for B (and never would for A)
    a = OutboxRepo(a_store.engine, db_clock=True, lease_seconds=LEASE)
    b = OutboxRepo(b_store.engine, db_clock=True, lease_seconds=LEASE)
    await a.enqueue(entries(4), now - timedelta(days=2))
    held = await a.claim("replica-a", 10, LEASE, now - timedelta(days=1))
    assert len(held.entries) == 4
    t0 = time.monotonic()
    assert (await b.claim("replica-b", 10, LEASE, now + timedelta(days=1))).entries == []
    # A dies (no renewal): B takes its rows over once one lease has passed, by the database
    taken: list[int] = []
    while not taken and time.monotonic() - t0 < 10 * LEASE:
        await asyncio.sleep(0.1)
        got = await b.claim("replica-b", 10, LEASE, now + timedelta(days=1))
        taken = [e.id for e in got.entries if e.id is not None]
    waited = time.monotonic() - t0
    assert sorted(taken) == sorted(e.id for e in held.entries if e.id is not None)
    # one lease (plus the polling and a loaded machine's slack), not the clocks' day
    assert LEASE - 0.5 <= waited <= LEASE + 3.0, waited
