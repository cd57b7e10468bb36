"""The orchestrator on a real store (SQLite and PostgreSQL): subscribers' alerts and digests go
through the outbox once, in the subscriber's language; a new feed's backlog does not alert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import pipeline
from bot.config import Config, load_config
from bot.models import Period
from bot.outbox import decode_message
from bot.store.store import Store
from tests.conftest import ROOT

NOW = datetime(2026, 2, 9, 9, 0, tzinfo=UTC)  # Monday after the seed's week, 10:00 Berlin


@pytest.fixture
def config(tmp_path: Path, db_url: str) -> Config:
    base = load_config({"BRIEFBOT_DATABASE_URL": db_url}, ROOT / "config" / "briefbot.toml")
    file = base.file.model_copy(
        update={"digests": base.file.digests.model_copy(update={"path": tmp_path / "digests"})}
    )
    return base.model_copy(update={"file": file})


async def test_subscriber_alerts_and_digests_are_queued_once(store: Store, config: Config) -> None:
    en = await store.subscribers.create(
        NOW, telegram_chat_id=111, lang="en", timezone="Europe/Berlin"
    )
    zh = await store.subscribers.create(
        NOW, telegram_chat_id=222, lang="zh", timezone="Asia/Shanghai"
    )
    await store.ensure_rule("capex > 100B USD", en.id)
    await store.ensure_rule("any > 400B CNY", zh.id)

    ingest = await pipeline.ingest_archive(store, config)
    assert ingest.new_items == 2 and ingest.figures >= 20
    rep = await pipeline.evaluate_alerts(store, config, now=NOW)
    tg = await store.outbox.entries(channel="telegram")
    by_chat = {e.recipient: decode_message(e.payload) for e in tg}
    assert set(by_chat) == {"111", "222"}
    assert "Meta" in by_chat["111"].text and "$135B" in by_chat["111"].text
    assert "阿里巴巴" in by_chat["222"].text or "Alibaba" in by_chat["222"].text
    files = await store.outbox.entries(channel="file")
    assert {decode_message(e.payload).kind for e in files} == {"alert"}
    assert rep.queued == len(tg) + len(files)

    again = await pipeline.evaluate_alerts(store, config, now=NOW)
    assert again.fired == 0 and again.queued == 0

    queued = await pipeline.enqueue_due_digests(store, config, now=NOW)
    assert queued == 2
    digests = [
        e for e in await store.outbox.entries(channel="telegram") if e.key.startswith("digest:")
    ]
    assert {e.key for e in digests} == {
        f"digest:2026-W06:sub-{en.id}:telegram",
        f"digest:2026-W06:sub-{zh.id}:telegram",
    }
    zh_msg = decode_message(next(e for e in digests if e.recipient == "222").payload)
    assert "亿" in zh_msg.telegram_html[0]
    assert await pipeline.enqueue_due_digests(store, config, now=NOW) == 0


async def test_digest_not_due_before_local_time(store: Store, config: Config) -> None:
    await store.subscribers.create(NOW, telegram_chat_id=333, timezone="America/New_York")
    await pipeline.ingest_archive(store, config)
    early = datetime(2026, 2, 9, 12, 59, tzinfo=UTC)  # 07:59 in New York
    assert await pipeline.enqueue_due_digests(store, config, now=early) == 0
    assert (
        await pipeline.enqueue_due_digests(store, config, now=early.replace(hour=13, minute=0)) == 1
    )


async def test_file_channel_delivers_with_no_credentials(store: Store, config: Config) -> None:
    await pipeline.ingest_archive(store, config)
    await pipeline.evaluate_alerts(store, config, now=NOW)
    sent = await pipeline.drain_outbox(store, config, now=NOW)
    assert sent.sent >= 2 and sent.dead == 0
    log = (config.digests_path / "alerts.log").read_text(encoding="utf-8")
    assert "Meta" in log and "Oracle" in log


async def test_build_digests_once_per_period(store: Store, config: Config) -> None:
    await pipeline.ingest_archive(store, config)
    first = await pipeline.build_digests(store, config)
    assert first.periods == ["2026-W06"]
    md = (config.digests_path / "2026-W06.md").read_text(encoding="utf-8")
    assert "$135B" in md and "$37.5B" in md
    second = await pipeline.build_digests(store, config)
    assert second.periods == [] and second.skipped == ["2026-W06"]
    forced = await pipeline.build_digests(
        store, config, periods=[Period.parse("2026-W06")], force=True
    )
    assert forced.periods == ["2026-W06"]


async def test_email_digest_has_manage_and_unsubscribe_links(store: Store, config: Config) -> None:
    sub = await store.subscribers.create(
        NOW, email="ann@example.com", email_confirmed=True, channels=("email",), timezone="UTC"
    )
    await pipeline.ingest_archive(store, config)
    assert await pipeline.enqueue_due_digests(store, config, now=NOW) == 1
    [row] = await store.outbox.entries(channel="email")
    assert row.key == f"digest:2026-W06:sub-{sub.id}:email" and row.recipient == "ann@example.com"
    msg = decode_message(row.payload)
    assert msg.html and "/manage/" in msg.html and "/unsubscribe/" in msg.html
    assert "$135B" in msg.text and msg.chart_png and msg.chart_png.startswith(b"\x89PNG")


def _rss(entries: list[tuple[str, str, str]]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><guid>{guid}</guid><link>https://news.example.com/{guid}</link>"
        f"<pubDate>{date}</pubDate><description>{title}</description></item>"
        for guid, title, date in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Capex wire</title>'
        f"<link>https://news.example.com/</link><description>d</description>{items}</channel></rss>"
    ).encode()


async def test_feed_backlog_is_quiet_and_new_entries_alert(store: Store, config: Config) -> None:
    from bot.config import FeedConfig
    from tests.fakes.feed_server import FeedServer, Route

    old = (
        "old-1",
        "Meta will spend up to $200 billion on capex in 2026.",
        "Mon, 02 Feb 2026 08:00:00 GMT",
    )
    with FeedServer() as srv:
        srv.route("/wire.xml", Route(body=_rss([old])))
        cfg = config.model_copy(
            update={
                "file": config.file.model_copy(
                    update={"feeds": (FeedConfig(url=srv.url("/wire.xml"), lang="en"),)}
                ),
                "env": config.env.model_copy(update={"allow_private_feeds": True}),
            }
        )
        added = datetime.now(UTC)
        first = await pipeline.ingest_feeds(store, cfg, now=added)
        assert first.new_items == 1 and first.figures >= 1 and first.quiet_item_ids
        quiet = await pipeline.evaluate_alerts(
            store, cfg, now=added, quiet_item_ids=first.quiet_item_ids
        )
        assert quiet.fired == 1 and quiet.queued == 0  # recorded, not sent: the backlog

        again = await pipeline.ingest_feeds(store, cfg, now=added)
        assert again.new_items == 0 and again.figures == 0  # 304 or same content: nothing new

        fresh = (
            "new-1",
            "Amazon plans capex of $150 billion this year.",
            "Wed, 30 Dec 2099 08:00:00 GMT",
        )
        srv.route("/wire.xml", Route(body=_rss([fresh, old])))
        later = await pipeline.ingest_feeds(store, cfg, now=added)
        assert later.new_items == 1 and not later.quiet_item_ids
        loud = await pipeline.evaluate_alerts(
            store, cfg, now=added, quiet_item_ids=later.quiet_item_ids
        )
        assert loud.fired == 1 and loud.queued == 1
        [row] = await store.outbox.entries(channel="file")
        assert "Amazon" in decode_message(row.payload).text


async def test_a_new_rule_alerts_on_what_comes_after_it(store: Store, config: Config) -> None:
    sub = await store.subscribers.create(NOW, telegram_chat_id=555)
    await pipeline.ingest_archive(store, config)
    await store.ensure_rule("capex > 100B USD", sub.id)  # added after the seed was stored
    history = await pipeline.evaluate_alerts(store, config, now=NOW)
    assert history.fired >= 1
    assert await store.outbox.entries(channel="telegram") == []
    from bot.sources.archive import load_folder

    (config.digests_path.parent / "extra").mkdir(exist_ok=True)
    extra = config.digests_path.parent / "extra" / "2026-02-05-wire.md"
    extra.write_text("Amazon plans capex of $150 billion this year.", encoding="utf-8")
    await pipeline.store_items(store, config, load_folder(extra).items)
    fresh = await pipeline.evaluate_alerts(store, config, now=NOW)
    [row] = await store.outbox.entries(channel="telegram")
    assert fresh.queued >= 1 and row.recipient == "555"
    assert "Amazon" in decode_message(row.payload).text


async def test_alerts_read_only_the_lookback_window(store: Store, config: Config) -> None:
    """Figures stored before ``[alerts] lookback_days`` are not read again; newer ones alert."""
    from datetime import timedelta

    from sqlalchemy import update

    from bot.store import schema as t
    from bot.store.conn import now_utc

    await pipeline.ingest_archive(store, config)
    async with store.engine.begin() as conn:  # the seed was stored 31 days ago
        await conn.execute(update(t.items).values(updated_at=now_utc() - timedelta(days=31)))
    old = await pipeline.evaluate_alerts(store, config, now=NOW)
    assert old.rules == 2 and old.fired == 0

    wide = config.file.model_copy(
        update={"alerts": config.file.alerts.model_copy(update={"lookback_days": 40})}
    )
    rep = await pipeline.evaluate_alerts(store, config.model_copy(update={"file": wide}), now=NOW)
    assert rep.fired >= 2  # Meta's capex and Oracle's share fall, from both halves


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_feeds_parse_in_worker_processes_when_configured(
    store: Store, config: Config
) -> None:
    """``[polling] parse_workers`` > 0 parses in a pool of processes: the same items as a thread."""
    from bot.config import FeedConfig, PollingConfig
    from bot.sources.poll import ParsePool
    from tests.fakes.feed_server import FeedServer, Route

    entries = [
        (
            f"w-{k}",
            f"{('Meta', 'Amazon', 'Google', 'Microsoft', 'Oracle')[k]} lifts capex to "
            f"${10 + k} billion in 2026.",
            "Mon, 02 Feb 2026 08:00:00 GMT",
        )
        for k in range(5)
    ]
    with FeedServer() as srv:
        for name in ("a", "b"):
            srv.route(
                f"/{name}.xml", Route(body=_rss([(f"{name}{g}", t, d) for g, t, d in entries]))
            )
        feeds = tuple(FeedConfig(url=srv.url(f"/{n}.xml"), lang="en") for n in ("a", "b"))
        file = config.file.model_copy(
            update={"feeds": feeds, "polling": PollingConfig(parse_workers=2)}
        )
        cfg = config.model_copy(
            update={
                "file": file,
                "env": config.env.model_copy(update={"allow_private_feeds": True}),
            }
        )
        rep = await pipeline.ingest_feeds(store, cfg, now=datetime.now(UTC))
        assert rep.new_items == 10 and rep.figures == 10 and not rep.warnings
        with ParsePool(1) as pool:  # the service's own long-lived pool is used as given
            srv.route(
                "/a.xml",
                Route(
                    body=_rss(
                        [
                            (
                                "a-new",
                                "Amazon plans capex of $150 billion.",
                                "Tue, 03 Feb 2026 08:00:00 GMT",
                            )
                        ]
                    )
                ),
            )
            again = await pipeline.ingest_feeds(
                store, cfg, now=datetime.now(UTC) + timedelta(hours=2), parse_pool=pool
            )
        assert again.new_items == 1 and again.figures == 1
    values = sorted(f.figure.value / 1e9 for f in await store.figures())
    assert values == [10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 150]


async def test_items_are_read_with_their_title(store: Store, config: Config) -> None:
    """The title's company is the subject of "the company" in the body (issue 13)."""
    from bot.models import Item

    item = Item(
        id="wire-1",
        source="wire",
        title="Microsoft posts record capex",
        published=datetime(2026, 1, 29, 12, 0, tzinfo=UTC),
        lang="en",
        text="Microsoft posts record capex\n\nThe company said capital expenditures were "
        "$37.5 billion, versus the $34.9 billion consensus.",
    )
    await pipeline.store_items(store, config, [item])
    figs = sorted((sf.figure for sf in await store.figures()), key=lambda f: f.value)
    assert [(f.entity, f.value, f.kind) for f in figs] == [
        ("Microsoft", 34.9e9, "estimate"),
        ("Microsoft", 37.5e9, "actual"),
    ]


async def test_two_feeds_reporting_one_fact_in_one_pass_file_it_once(
    store: Store, config: Config
) -> None:
    """Feeds are polled side by side; their items are stored one feed at a time, so the same
    fact reported by two feeds in one pass is one fact (not two filed at the same moment)."""
    from bot.config import FeedConfig
    from tests.fakes.feed_server import FeedServer, Route

    day = "Mon, 02 Feb 2026 08:00:00 GMT"
    with FeedServer() as srv:
        feeds = []
        for n in range(3):
            path = f"/wire-{n}.xml"
            text = f"Outlet {n}: Meta will spend up to $135 billion on capex in 2026."
            srv.route(path, Route(body=_rss([(f"meta-{n}", text, day)])))
            feeds.append(FeedConfig(url=srv.url(path), lang="en"))
        cfg = config.model_copy(
            update={
                "file": config.file.model_copy(update={"feeds": tuple(feeds)}),
                "env": config.env.model_copy(update={"allow_private_feeds": True}),
            }
        )
        rep = await pipeline.ingest_feeds(store, cfg, now=datetime.now(UTC))
    assert rep.new_items == 3
    figs = [sf for sf in await store.figures() if sf.figure.value == 135e9]
    assert len(figs) == 3 and len({sf.fact_id for sf in figs}) == 1
