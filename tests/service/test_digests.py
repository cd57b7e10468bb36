"""Weekly digests from the running service, with the clock moved: 08:00 local in each
subscriber's timezone, across DST changes, and exactly once after a restart that missed the slot."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot import pipeline
from bot.models import Item, Subscriber
from bot.service.clock import ManualClock
from bot.store.store import Store
from tests.fakes.smtp import FakeSMTP
from tests.service.conftest import load, project, running, runs_of, until, utc


async def subscribe(
    config_url: str, now: datetime, email: str, tz: str, **kw: object
) -> Subscriber:
    async with Store.open(config_url) as store:
        return await store.subscribers.create(
            now, email=email, email_confirmed=True, channels=["email"], timezone=tz, **kw
        )


def digest_key(period: str, sub: Subscriber) -> str:
    return f"digest:{period}:sub-{sub.id}:email"


async def test_digest_at_0800_berlin_and_0800_shanghai(tmp_path: Path, smtp: FakeSMTP) -> None:
    root = project(tmp_path, channels=("file", "email"))
    config = load(root, BRIEFBOT_SMTP_HOST=smtp.host, BRIEFBOT_SMTP_PORT=str(smtp.port))
    url = config.env.database_url
    clock = ManualClock(utc(2026, 2, 8, 23, 59, 0))  # Sunday; the seed briefing is 2026-W06
    berlin = await subscribe(url, clock.now(), "berlin@example.com", "Europe/Berlin")
    shanghai = await subscribe(url, clock.now(), "shanghai@example.com", "Asia/Shanghai")
    async with running(config, clock) as app:
        await until(lambda: app.store.digest_built("2026-W06"), what="the seed ingested")
        await runs_of(app, "digests")
        assert smtp.messages == []
        # Monday 08:00 in Shanghai is 00:00 UTC
        clock.set(utc(2026, 2, 9, 0, 0, 0))
        await until(lambda: smtp.to("shanghai@example.com"), what="Shanghai's digest")
        await runs_of(app, "digests")
        assert smtp.to("berlin@example.com") == []
        clock.set(utc(2026, 2, 9, 6, 59, 59))
        await runs_of(app, "digests")
        await runs_of(app, "outbox")
        assert smtp.to("berlin@example.com") == []
        # Monday 08:00 in Berlin (CET) is 07:00 UTC
        clock.set(utc(2026, 2, 9, 7, 0, 0))
        await until(lambda: smtp.to("berlin@example.com"), what="Berlin's digest")
        await runs_of(app, "digests")
        await runs_of(app, "outbox")
        outbox = app.store.outbox
        for sub in (berlin, shanghai):
            entry = await outbox.get(digest_key("2026-W06", sub))
            assert entry is not None and entry.status == "sent"
    assert [len(smtp.to(a)) for a in ("berlin@example.com", "shanghai@example.com")] == [1, 1]
    subject = smtp.to("berlin@example.com")[0].message["Subject"]
    assert "2026" in subject and ("W06" in subject or "Feb" in subject), subject


def item(day: datetime, n: int) -> Item:
    text = f"Meta said on {day:%B %d} it will spend as much as ${130 + n} billion on capex in 2026."
    return Item(id=f"dst-{n}", source="test", title=f"Meta capex {n}", published=day, lang="en",
                text=text)  # fmt: skip


async def test_digest_follows_local_time_across_dst_changes(tmp_path: Path, smtp: FakeSMTP) -> None:
    """08:00 Berlin is 07:00 UTC in winter and 06:00 UTC in summer: the Mondays around the
    spring (29 March) and autumn (25 October 2026) changes; New York changes on 8 March."""
    root = project(tmp_path, archive=False, channels=("file", "email"))
    config = load(root, BRIEFBOT_SMTP_HOST=smtp.host, BRIEFBOT_SMTP_PORT=str(smtp.port))
    clock = ManualClock(utc(2026, 3, 1, 12, 0))
    berlin = await subscribe(config.env.database_url, clock.now(), "b@example.com", "Europe/Berlin")
    ny = await subscribe(config.env.database_url, clock.now(), "ny@example.com", "America/New_York")
    weeks = [  # (period covered, the digest's UTC instant for Berlin / New York)
        ("2026-W09", utc(2026, 3, 2, 7, 0), utc(2026, 3, 2, 13, 0)),  # both on winter time
        ("2026-W10", utc(2026, 3, 9, 7, 0), utc(2026, 3, 9, 12, 0)),  # New York on EDT
        ("2026-W12", utc(2026, 3, 23, 7, 0), None),  # Berlin still CET
        ("2026-W13", utc(2026, 3, 30, 6, 0), None),  # Berlin on CEST since Sunday
        ("2026-W42", utc(2026, 10, 19, 6, 0), None),  # Berlin still CEST
        ("2026-W43", utc(2026, 10, 26, 7, 0), None),  # Berlin back on CET since Sunday
    ]
    async with Store.open(config.env.database_url) as store:
        items = [item(b - timedelta(days=3), n) for n, (_, b, _) in enumerate(weeks)]
        await pipeline.store_items(store, config, items)
    async with running(config, clock) as app:
        for period, at_berlin, at_ny in weeks:
            for sub, at in ((berlin, at_berlin), (ny, at_ny)):
                if at is None:
                    continue
                key = digest_key(period, sub)
                clock.set(at - timedelta(seconds=1))
                await runs_of(app, "digests")
                assert await app.store.outbox.get(key) is None, f"{key} before {at}"
                clock.set(at)
                await until(lambda k=key: app.store.outbox.get(k), what=key)  # type: ignore[misc]
        await until(lambda: len(smtp.messages) >= 8, what="8 digests mailed")
        await runs_of(app, "outbox")
        sent = await app.store.outbox.entries(status="sent")
        assert len([e for e in sent if e.key.startswith("digest:")]) == 8
        # the figures stored before the start alert too (store-driven alerts), on the file channel
        assert {e.channel for e in sent if e.key.startswith("alert:")} <= {"file"}
    assert len(smtp.to("b@example.com")) == 6 and len(smtp.to("ny@example.com")) == 2


async def test_restart_after_a_missed_monday_sends_that_digest_once(
    tmp_path: Path, db_url: str, smtp: FakeSMTP
) -> None:
    root = project(tmp_path, channels=("file", "email"), missed_digest_grace_hours=24)
    config = load(root, BRIEFBOT_DATABASE_URL=db_url, BRIEFBOT_SMTP_HOST=smtp.host,
                  BRIEFBOT_SMTP_PORT=str(smtp.port))  # fmt: skip
    clock = ManualClock(utc(2026, 2, 8, 12, 0))  # Sunday: up, ingests the week
    sub = await subscribe(db_url, clock.now(), "late@example.com", "Europe/Berlin")
    late = await subscribe(db_url, clock.now(), "later@example.com", "Europe/Berlin")
    async with running(config, clock) as app:
        await until(lambda: app.store.digest_built("2026-W06"), what="the seed ingested")
        await runs_of(app, "digests")
    assert smtp.messages == []
    # down over the Monday 08:00 slot; back at 11:30 (within the 24 h grace)
    clock.set(utc(2026, 2, 9, 10, 30))
    async with running(config, clock) as app:
        await until(lambda: len(smtp.messages) == 2, what="the missed digests")
        await runs_of(app, "digests")
        await runs_of(app, "outbox")
    # another restart the same day: nothing new
    clock.set(utc(2026, 2, 9, 13, 0))
    async with running(config, clock) as app:
        await runs_of(app, "digests", 5)
        await runs_of(app, "outbox", 5)
        digests = [e for e in await app.store.outbox.entries() if e.key.startswith("digest:")]
    assert sorted(e.key for e in digests) == sorted(digest_key("2026-W06", s) for s in (sub, late))
    assert all(e.status == "sent" for e in digests)
    assert [len(smtp.to(a)) for a in ("late@example.com", "later@example.com")] == [1, 1]


async def test_beyond_the_grace_a_missed_digest_is_skipped(tmp_path: Path, smtp: FakeSMTP) -> None:
    root = project(tmp_path, channels=("file", "email"), missed_digest_grace_hours=24)
    config = load(root, BRIEFBOT_SMTP_HOST=smtp.host, BRIEFBOT_SMTP_PORT=str(smtp.port))
    clock = ManualClock(utc(2026, 2, 10, 7, 30))  # Tuesday 08:30 Berlin: 24.5 h after the slot
    await subscribe(config.env.database_url, clock.now(), "x@example.com", "Europe/Berlin")
    async with running(config, clock) as app:
        await until(lambda: app.store.digest_built("2026-W06"), what="the seed ingested")
        await runs_of(app, "digests", 5)
        await runs_of(app, "outbox", 3)
        assert [e for e in await app.store.outbox.entries() if e.key.startswith("digest:")] == []
    assert smtp.messages == []
