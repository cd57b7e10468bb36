"""A feed that accepts and never answers sits next to healthy ones: the healthy feeds are polled
on their schedule and their new items stored and alerted at once; the hanging feed costs only
its own timeout. Poll state that cannot be saved does not make a feed fetched on every tick."""

from __future__ import annotations

import time
from pathlib import Path

from bot.service.clock import ManualClock
from tests.fakes.feed_server import FeedServer, Route
from tests.service.conftest import load, project, rss, running, runs_of, until, utc

OLD = ("old-1", "Old news", "Nothing to see.", utc(2026, 2, 6, 9, 0))
NEW = ("big-1", "Alphabet lifts spending",
       "Alphabet plans capex of $150 billion in 2026, up from $91 billion.",
       utc(2026, 2, 9, 9, 0, 30))  # fmt: skip


async def test_a_hanging_feed_delays_no_other_feed(tmp_path: Path, feed_server: FeedServer) -> None:
    hang = feed_server.route("/hang.xml", Route(body=rss([OLD]), delay=600))
    a = feed_server.route("/a.xml", Route(body=rss([OLD])))
    b = feed_server.route("/b.xml", Route(body=rss([OLD])))
    root = project(tmp_path, archive=False, feeds=[(hang, 1), (a, 1), (b, 1)])
    config = load(root, BRIEFBOT_ALLOW_PRIVATE_FEEDS="1")
    clock = ManualClock(utc(2026, 2, 9, 9, 0))
    alerts = config.digests_path / "alerts.log"
    async with running(config, clock, jobs_timeout=1.0) as app:
        await until(
            lambda: all(feed_server.hits(p) for p in ("/a.xml", "/b.xml", "/hang.xml")),
            what="the first polls",
        )
        await runs_of(app, "feeds")
        feed_server.route("/a.xml", Route(body=rss([NEW, OLD])))
        t0 = time.monotonic()
        clock.advance(minutes=1)
        await until(lambda: alerts.exists() and "150" in alerts.read_text(), 5.0, "the alert")
        assert time.monotonic() - t0 < 3.0  # not after the hanging feed's timeout
        await until(lambda: len(feed_server.hits("/b.xml")) == 2, 3.0, "b's second poll")
        assert len(feed_server.hits("/hang.xml")) == 1  # still hanging: not fetched twice
        items = await app.store.items()
        assert "big-1" in " ".join(i.id + i.title for i in items) or any(
            "Alphabet" in i.title for i in items
        )


async def test_poll_state_that_cannot_be_saved_causes_no_refetch_storm(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    import asyncio

    from tests.faults.test_disk import DiskLimit

    a = feed_server.route("/a.xml", Route(body=rss([OLD])))
    root = project(tmp_path, archive=False, feeds=[(a, 1)])
    config = load(root, BRIEFBOT_ALLOW_PRIVATE_FEEDS="1")
    clock = ManualClock(utc(2026, 2, 9, 9, 0))
    async with running(config, clock) as app:
        await until(lambda: feed_server.hits("/a.xml"), what="the first poll")
        await runs_of(app, "feeds")
        limit = DiskLimit(app.store.engine)
        limit.pages = 1  # at the current size: nothing can be written
        await app.store.engine.dispose()
        clock.advance(minutes=1)
        await asyncio.sleep(2.0)  # 40 ticks of the feeds job
        assert len(feed_server.hits("/a.xml")) == 2  # polled once more, not on every tick
        limit.pages = None
        await app.store.engine.dispose()
        clock.advance(minutes=1)
        await until(lambda: len(feed_server.hits("/a.xml")) == 3, what="the next poll")
