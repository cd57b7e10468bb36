"""Replay: three weeks of news, in date order, through the real pipeline (issue 15).

Two feeds served over real HTTP on 127.0.0.1 grow week by week; each week the store is opened
afresh on the same SQLite file (a restart), the feeds are polled, alerts evaluated and the week's
digest written. Checked: one line per fact with every source, old facts are not new, a changed
figure is an update with its previous value, and no alert repeats across weeks or labels.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from bot import pipeline
from bot.config import Config, FeedConfig, RuleConfig, load_config
from bot.models import Period
from bot.outbox import decode_message
from bot.store.store import Store
from tests.conftest import ROOT
from tests.fakes.feed_server import FeedServer, Route

# (week, feed, guid, day of February 2026, text)
NEWS = [
    (5, "wire", "w0", 2, "Capex wire launches its AI infrastructure coverage."),
    (5, "chips", "c0", 2, "Chip daily launches its data-centre coverage."),
    (6, "wire", "w1", 3, "Amazon plans capex of $200 billion in 2026."),
    (6, "chips", "c1", 4, "Amazon will invest $200 billion in 2026 in data centres."),
    (6, "chips", "c2", 5, "Alphabet will spend $85 billion on capex in 2025."),
    (7, "wire", "w2", 10, "Amazon's $200 billion capex plan for 2026 worries investors."),
    (7, "chips", "c3", 11, "Alphabet raised its 2025 capex guidance to $93 billion."),
    (7, "wire", "w3", 12, "Meta will spend up to $135 billion on capex in 2026."),
    (8, "chips", "c4", 17, "Meta's capex of up to $135 billion in 2026 lifts chip stocks."),
    (8, "wire", "w4", 18, "Oracle shares fell 12% on Tuesday."),
    # issue 15 on real news: one deal filed under either company, a later report's quarter
    # label on a year's plan, an analysts' estimate of the company's own number
    (7, "wire", "w5", 12, "Nvidia will invest $100 billion in OpenAI."),
    (8, "chips", "c5", 17, "OpenAI gets $100 billion from Nvidia for its data centres."),
    (8, "wire", "w6", 19, "In its fourth-quarter report Amazon kept its $200 billion capex plan."),
    (8, "chips", "c6", 19, "Analysts expect Meta capex of $135 billion in 2026."),
]
FEEDS = {"wire": "Capex wire", "chips": "Chip daily"}


def rss(feed: str, upto_week: int) -> bytes:
    items = "".join(
        f"<item><title>{text}</title><guid>{guid}</guid>"
        f"<link>https://{feed}.example.com/{guid}</link>"
        f"<pubDate>{['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][datetime(2026, 2, day).weekday()]}, "
        f"{day:02d} Feb 2026 08:00:00 GMT</pubDate><description>{text}</description></item>"
        for week, f, guid, day, text in NEWS
        if f == feed and week <= upto_week
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{FEEDS[feed]}</title><link>https://{feed}.example.com/</link>"
        f"<description>d</description>{items}</channel></rss>"
    ).encode()


def replay_config(tmp_path: Path, srv: FeedServer) -> Config:
    base = load_config(
        {"BRIEFBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'replay.db'}"},
        ROOT / "config" / "briefbot.toml",
    )
    file = base.file.model_copy(
        update={
            "digests": base.file.digests.model_copy(update={"path": tmp_path / "digests"}),
            "archive": base.file.archive.model_copy(update={"path": tmp_path / "no-archive"}),
            "feeds": tuple(
                FeedConfig(url=srv.url(f"/{f}.xml"), name=name, lang="en")
                for f, name in FEEDS.items()
            ),
            "rules": (RuleConfig(text="capex > 50B USD"), RuleConfig(text="any > 50B USD")),
        }
    )
    env = base.env.model_copy(update={"allow_private_feeds": True})
    return base.model_copy(update={"file": file, "env": env})


def fact_lines(md: str) -> list[str]:
    """The digest's figure lines: Top entries ("1. **X** — …") and group entries ("- **X** — …")."""
    return [ln for ln in md.splitlines() if re.match(r"^(\d+\.|-) \*\*.+?\*\* — ", ln)]


async def test_three_weeks_replayed_in_date_order(tmp_path: Path) -> None:
    digests: dict[int, str] = {}
    alerts: dict[int, list[str]] = {}
    with FeedServer() as srv:
        cfg = replay_config(tmp_path, srv)
        for week in (5, 6, 7, 8):
            for f in FEEDS:
                srv.route(f"/{f}.xml", Route(body=rss(f, week)))
            async with Store.open(cfg.env.database_url) as store:  # a restart every week
                now = datetime.now(UTC)
                ingest = await pipeline.ingest_feeds(store, cfg, now=now)
                before = {e.id for e in await store.outbox.entries(channel="file")}
                await pipeline.evaluate_alerts(
                    store, cfg, now=now, quiet_item_ids=ingest.quiet_item_ids
                )
                alerts[week] = [
                    decode_message(e.payload).text
                    for e in await store.outbox.entries(channel="file")
                    if e.id not in before
                ]
                period = Period(year=2026, week=week)
                await pipeline.build_digests(store, cfg, periods=[period], force=True)
                digests[week] = (cfg.digests_path / f"{period.key}.md").read_text()

    # week 6: Amazon's $200B under two labels from two outlets is one line listing both
    w6 = fact_lines(digests[6])
    amazon = [ln for ln in w6 if "**Amazon**" in ln]
    assert len(amazon) == 1 and "$200B" in amazon[0]
    assert "wire.example.com/w1" in amazon[0] and "chips.example.com/c1" in amazon[0]
    assert any("**Google**" in ln and "$85B" in ln for ln in w6)
    assert len(w6) == len({ln.split(" — ")[0].split("**")[1] for ln in w6})  # one line each

    # week 7: Amazon is not new; Alphabet's raise is an update from $85B; Meta is new
    w7 = fact_lines(digests[7])
    assert not [ln for ln in w7 if "**Amazon**" in ln]
    assert (
        "Still in the news" in digests[7] and "Amazon" in digests[7].split("Still in the news")[1]
    )
    google = [ln for ln in w7 if "**Google**" in ln]
    assert len(google) == 1 and "$93B" in google[0] and "raised from $85B" in google[0]
    assert any("**Meta**" in ln and "$135B" in ln for ln in w7)

    # week 8: Meta's $135B again (another outlet, another wording, an analysts' "expect") is
    # old, and so are the $100B deal filed under the other company and Amazon's plan under a
    # quarter label; Oracle's fall is new
    w8 = fact_lines(digests[8])
    assert not [ln for ln in w8 if "**Meta**" in ln]
    assert not [ln for ln in w8 if "$100B" in ln or "$200B" in ln], w8
    assert any("**Oracle**" in ln and "-12%" in ln for ln in w8)
    deal = [ln for ln in fact_lines(digests[7]) if "$100B" in ln]
    assert len(deal) == 1 and "wire.example.com/w5" in deal[0]

    # alerts: the first week's feeds were a backlog (quiet); afterwards each fact alerts once
    # per rule, whatever its label or week, and the update says so
    assert alerts[5] == []
    fired = [text for week in (6, 7, 8) for text in alerts[week]]
    amazon_alerts = [t for t in fired if t.startswith("Amazon")]
    assert len(amazon_alerts) == 2  # capex > 50B and any > 50B, once each, all in week 6
    assert all(t.startswith(("Amazon", "Google")) for t in alerts[6])
    assert not [t for t in alerts[7] + alerts[8] if t.startswith("Amazon")]
    deal_alerts = [t for t in fired if "$100B" in t]
    assert len(deal_alerts) == 1 and not [t for t in alerts[8] if "$100B" in t]  # any > 50B
    meta_alerts = [t for t in fired if t.startswith("Meta")]
    assert len(meta_alerts) == 2 and not [t for t in alerts[8] if t.startswith("Meta")]
    raised = [t for t in alerts[7] if t.startswith("Google")]
    assert raised and all("an update: was $85B" in t for t in raised)
    assert all("“" in t and "https://" in t for t in fired)  # each quotes its sentence and link
