"""/stats, /feeds, /broadcast (confirmation step, through the outbox); refused for non-admins."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.outbox import decode_message
from bot.store.outbox import OutboxRepo
from tests.telegram.conftest import ADMIN, Chat, ingest_seed


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only here: the core flows (start, figures, alerts, email) run on both backends."""
    return f"sqlite:///{tmp_path / 'briefbot.db'}"


async def test_non_admins_are_refused_and_logged(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "briefbot.telegram")
    for text in ("/stats", "/feeds", "/feeds add https://x.example/feed", "/broadcast hi all"):
        assert (await chat.send(42, text)) == ["Not allowed."]
    assert (await chat.send(43, "/stats", lang="zh")) == ["无权限。"]
    calls = await chat.press(42, "b:send:abc")
    assert calls[0].params["text"] == "Not allowed."
    refused = [r for r in caplog.records if "admin command refused" in r.getMessage()]
    assert len(refused) == 6 and "chat=42" in refused[0].getMessage()
    assert await OutboxRepo(chat.store.engine).entries() == []


async def test_stats_and_feeds(chat: Chat) -> None:
    await ingest_seed(chat.store, chat.config)
    await chat.send(42, "/start")
    await chat.send(42, "/alert add capex > 100B USD")
    [stats] = await chat.send(ADMIN, "/stats")
    assert "Subscribers: 1 active, 0 stopped, 0 blocked (1 in all)" in stats
    assert "Rules: 1 (0 paused)" in stats and "Outbox: 0 pending" in stats
    assert "Items: 2, figures: 22" in stats
    assert "No feeds" in (await chat.send(ADMIN, "/feeds"))[0]
    assert (
        "Feed #1 added: https://news.example/feed.xml"
        in (await chat.send(ADMIN, "/feeds add https://news.example/feed.xml Example News"))[0]
    )
    assert (
        "already there (#1)"
        in (await chat.send(ADMIN, "/feeds add https://news.example/feed.xml"))[0]
    )
    assert "is not an http(s) URL" in (await chat.send(ADMIN, "/feeds add file:///etc/passwd"))[0]
    [listing] = await chat.send(ADMIN, "/feeds")
    assert "#1 ✅ https://news.example/feed.xml — Example News" in listing
    assert "Feed #1 removed" in (await chat.send(ADMIN, "/feeds rm 1"))[0]
    assert "No feed #1" in (await chat.send(ADMIN, "/feeds rm 1"))[0]
    assert "Usage: /feeds" in (await chat.send(ADMIN, "/feeds frob"))[0]
    [zh] = await chat.send(ADMIN, "/stats", lang="zh")
    assert zh.startswith("统计")


async def test_broadcast_asks_then_queues_through_the_outbox(chat: Chat) -> None:
    for cid in (42, 43, 44):
        await chat.send(cid, "/start")
    await chat.send(44, "/stop")
    mark = len(chat.api.requests)
    await chat.send(ADMIN, "/broadcast Maintenance <tonight> & more")
    [preview] = [r for r in chat.api.requests[mark:] if r.method == "sendMessage"]
    assert "Send this to 2 subscriber(s)?" in preview.params["text"]
    assert "&lt;tonight&gt; &amp; more" in preview.params["text"]
    [(_, send), (_, cancel)] = chat.buttons(preview)
    outbox = OutboxRepo(chat.store.engine)
    assert await outbox.entries() == []
    calls = await chat.press(ADMIN, cancel)
    assert "Broadcast cancelled" in calls[-1].params["text"]
    assert (
        (await chat.press(ADMIN, send))[0].params["text"].startswith("This button is out of date")
    )
    mark = len(chat.api.requests)
    await chat.send(ADMIN, "/broadcast Maintenance <tonight>")
    [preview] = [r for r in chat.api.requests[mark:] if r.method == "sendMessage"]
    send = chat.buttons(preview)[0][1]
    calls = await chat.press(ADMIN, send)
    assert "Broadcast queued for 2 subscriber(s)" in calls[-1].params["text"]
    rows = await outbox.entries()
    assert sorted(r.recipient for r in rows) == ["42", "43"]
    assert all(r.channel == "telegram" and r.status == "pending" for r in rows)
    assert decode_message(rows[0].payload).telegram_html == ("Maintenance &lt;tonight&gt;",)
    # nothing was sent to the subscribers directly
    assert {r.chat_id for r in chat.sent()} - {42, 43, 44} == {ADMIN}
    assert "Usage: /broadcast" in (await chat.send(ADMIN, "/broadcast"))[0]
