"""Leader election on PostgreSQL (issue 17): one replica runs the singleton jobs; when it stops
another takes over within one lease; every replica sends email; ``status`` lists them all."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.service.app import App
from bot.service.clock import ManualClock
from bot.service.jobs import SINGLETON_JOBS
from bot.service.leader import Leader
from bot.service.status import format_status, gather_status
from tests.service.conftest import FAST, load, project, until

pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg_url(tmp_path: Path) -> object:
    from tests.conftest import create_pg_database, drop_pg_database

    url = await create_pg_database()
    try:
        yield url
    finally:
        await drop_pg_database(url)


def _app(root: Path, url: str, name: str, clock: ManualClock) -> App:
    config = load(root, BRIEFBOT_DATABASE_URL=url)
    return App(config, clock=clock, intervals=FAST, telegram=False, web=False,
               state_file=root / f"{name}.json")  # fmt: skip


async def test_one_leader_runs_the_singleton_jobs_and_a_standby_takes_over(
    tmp_path: Path, pg_url: str
) -> None:
    root = project(tmp_path, archive=True, lease_seconds=2)
    clock = ManualClock(datetime.now(UTC))
    a, b = _app(root, pg_url, "a", clock), _app(root, pg_url, "b", clock)
    async with a, b:  # both started together on an empty database: both migrate fine
        await until(lambda: a.leader.is_leader or b.leader.is_leader, 10, "a leader")
        await asyncio.sleep(0.5)
        assert [a.leader.is_leader, b.leader.is_leader].count(True) == 1
        lead, standby = (a, b) if a.leader.is_leader else (b, a)
        await until(lambda: lead._jobs["archive"].runs >= 1, 10, "the leader's archive scan")
        await until(lambda: standby._jobs["state"].runs >= 1, 10, "the standby's heartbeat")
        assert all(standby._jobs[j].runs == 0 for j in SINGLETON_JOBS)

        async with lead.store.engine.connect():  # status from any process: both replicas live
            st = await gather_status(lead.config, lead.store, now=clock.now())
        assert len(st.replicas) == 2 and st.replicas[0].leader
        assert "replicas: 2 live" in format_status(st)

        t0 = time.monotonic()
        await lead.stop()  # the leader goes away: the standby leads within one lease
        await until(lambda: standby.leader.is_leader, 5, "the standby to lead")
        assert time.monotonic() - t0 < 2 + 1
        runs = standby._jobs["archive"].runs
        await until(lambda: standby._jobs["archive"].runs > runs, 10, "the new leader's jobs")


async def test_a_leader_whose_connection_dies_steps_down(pg_url: str) -> None:
    import asyncpg

    from tests.conftest import PG_ADMIN_DSN

    one = Leader(pg_url, 1.0)
    two = Leader(pg_url, 1.0)
    await one.start()
    await two.start()
    try:
        assert one.is_leader and not two.is_leader
        admin = await asyncpg.connect(PG_ADMIN_DSN)
        try:  # the server ends the leader's session (a network cut, a DBA, a failover)
            pid = one._conn.get_server_pid()
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        await until(lambda: one.changes >= 2, 5, "the old leader to step down")
        await until(lambda: one.is_leader or two.is_leader, 1.0, "a leader within one lease")
        await asyncio.sleep(1.0)
        assert [one.is_leader, two.is_leader].count(True) == 1  # never two
    finally:
        await one.stop()
        await two.stop()
