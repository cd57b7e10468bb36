"""Feeds in the running service: each polled at its own interval (the clock moved minute by
minute), missed polls coalesced into one, and a new item's alert sent right after its poll."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from bot.service.clock import ManualClock
from tests.fakes.feed_server import FeedServer, Route
from tests.service.conftest import FAST, load, project, rss, running, runs_of, until, utc

OLD = ("old-1", "Old news", "Nothing to see.", utc(2026, 2, 6, 9, 0))


async def test_each_feed_is_polled_at_its_own_interval(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    a = feed_server.route("/a.xml", Route(body=rss([OLD])))
    b = feed_server.route("/b.xml", Route(body=rss([OLD])))
    c = feed_server.route("/c.xml", Route(body=rss([OLD])))
    # a every minute, b every 3 minutes, c the default (feed_poll_minutes = 5)
    root = project(tmp_path, archive=False, feeds=[(a, 1), (b, 3), (c, None)],
                   feed_poll_minutes=5)  # fmt: skip
    config = load(root, BRIEFBOT_ALLOW_PRIVATE_FEEDS="1")
    clock = ManualClock(utc(2026, 2, 9, 9, 0))

    def polls() -> tuple[int, int, int]:
        return tuple(len(feed_server.hits(p)) for p in ("/a.xml", "/b.xml", "/c.xml"))  # type: ignore[return-value]

    async with running(config, clock) as app:
        await until(lambda: polls() == (1, 1, 1), what="the first polls")
        for minute in range(1, 7):
            clock.advance(minutes=1)
            want = (1 + minute, 1 + minute // 3, 1 + minute // 5)
            await until(lambda w=want: polls() == w, what=f"polls {want} at minute {minute}")  # type: ignore[misc]
            await runs_of(app, "feeds")
            assert polls() == want
        # the service was busy / the machine asleep for 10 minutes: one poll each, not ten
        clock.advance(minutes=10)
        await until(lambda: polls() == (8, 4, 3), what="one catch-up poll each")
        await runs_of(app, "feeds", 5)
        assert polls() == (8, 4, 3)
        rows = {f.url: f for f in await app.store.feeds.list()}
        assert rows[a].next_poll == utc(2026, 2, 9, 9, 17)
        assert rows[b].next_poll == utc(2026, 2, 9, 9, 19)


async def test_a_new_item_alerts_right_after_the_poll_that_finds_it(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    url = feed_server.route("/news.xml", Route(body=rss([OLD])))
    root = project(tmp_path, archive=False, feeds=[(url, 1)])
    config = load(root, BRIEFBOT_ALLOW_PRIVATE_FEEDS="1")
    clock = ManualClock(utc(2026, 2, 9, 9, 0))
    alerts = config.digests_path / "alerts.log"
    # the outbox's own interval is 30 s here: only the wake-up after the alert can be this quick
    async with running(config, clock, intervals=replace(FAST, outbox=30.0)) as app:
        await until(lambda: feed_server.hits("/news.xml"), what="the first poll")
        await runs_of(app, "feeds")
        new = ("big-1", "Alphabet lifts spending",
               "Alphabet plans capex of $150 billion in 2026, up from $91 billion.",
               utc(2026, 2, 9, 9, 0, 30))  # fmt: skip
        feed_server.route("/news.xml", Route(body=rss([new, OLD])))
        await runs_of(app, "feeds")
        assert not alerts.exists()  # not polled yet: the minute has not passed
        t0 = time.monotonic()
        clock.advance(minutes=1)
        await until(lambda: alerts.exists() and "150" in alerts.read_text(), what="the alert")
        assert time.monotonic() - t0 < 3.0


async def test_a_file_dropped_into_the_archive_is_loaded_and_alerted(tmp_path: Path) -> None:
    root = project(tmp_path, archive=False)
    config = load(root)
    clock = ManualClock(utc(2026, 2, 9, 9, 0))
    alerts = config.digests_path / "alerts.log"
    async with running(config, clock) as app:
        await runs_of(app, "archive", 2)
        assert not alerts.exists()
        (root / "archive" / "2026-02-09-notes.md").write_text(
            "Amazon expects capex of about $200 billion in 2026, the most of any company.\n",
            encoding="utf-8",
        )
        await until(lambda: alerts.exists() and "200" in alerts.read_text(), what="the alert")
        # The alert is sent by the outbox worker while the same pass goes on to the digest.
        await until((config.digests_path / "2026-W07.md").exists, what="the week's digest")


async def test_the_service_parses_feeds_in_its_own_worker_pool(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    """``[polling] parse_workers = 1``: one long-lived pool for every poll, closed at stop."""
    item = ("p-1", "Alphabet lifts spending", "Alphabet plans capex of $150 billion in 2026.",
            utc(2026, 2, 9, 8, 0))  # fmt: skip
    url = feed_server.route("/news.xml", Route(body=rss([item])))
    root = project(tmp_path, archive=False, feeds=[(url, 1)], parse_workers=1)
    config = load(root, BRIEFBOT_ALLOW_PRIVATE_FEEDS="1")
    clock = ManualClock(utc(2026, 2, 9, 9, 0))
    async with running(config, clock) as app:
        assert app.work is not None
        pool = app.work._parse_pool
        assert pool is not None and len(pool.pids) == 1
        await until(app.store.figures, what="the feed's figures")
        [fig] = await app.store.figures()
        assert fig.figure.entity == "Google" and fig.figure.value == 150e9  # Alphabet, canonical
        clock.advance(minutes=1)
        await runs_of(app, "feeds")
        assert app.work._parse_pool is pool  # the same pool, not one per poll
    assert pool._closed
