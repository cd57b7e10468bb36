"""/start, /stop, /resume and blocking, in English and Chinese, on SQLite and PostgreSQL."""

from __future__ import annotations

from bot.models import OutboxEntry
from bot.store.outbox import OutboxRepo
from bot.store.subscribers import SubscriberRepo
from tests.telegram.conftest import Chat, ingest_seed


async def test_start_subscribes_and_shows_top_figures(chat: Chat) -> None:
    await ingest_seed(chat.store, chat.config)
    [reply] = await chat.send(42, "/start ref_xyz")
    assert "Welcome to Briefbot" in reply
    assert "Top figures of the latest briefing" in reply and "2026-02-04" in reply
    assert "Meta" in reply  # $135B is among the three largest
    assert reply.count("•") == 3
    sub = await SubscriberRepo(chat.store.engine).by_chat_id(42)
    assert sub is not None and sub.status == "active" and sub.lang == "en"
    assert sub.channels == ("telegram",)
    assert sub.timezone == chat.config.file.schedule.timezone
    from bot.telegram.repo import BotRepo

    assert (await BotRepo(chat.store.engine).extra(sub.id))["ref"] == "ref_xyz"
    # a second /start keeps the subscription and the first referral
    [again] = await chat.send(42, "/start other_ref")
    assert "Welcome back" in again
    extra = await BotRepo(chat.store.engine).extra(sub.id)
    assert extra["ref"] == "ref_xyz" and extra["last_ref"] == "other_ref"
    assert (await chat.store.counts())["subscribers"] == 1


async def test_start_in_chinese_without_figures(chat: Chat) -> None:
    [reply] = await chat.send(43, "/start", lang="zh-hans")
    assert "欢迎使用 Briefbot" in reply and "暂时还没有数字" in reply
    sub = await SubscriberRepo(chat.store.engine).by_chat_id(43)
    assert sub is not None and sub.lang == "zh"


async def test_stop_keeps_rules_drops_backlog_and_resume(chat: Chat) -> None:
    await chat.send(42, "/start")
    await chat.send(42, "/alert add capex > 100B USD")
    subs, outbox = SubscriberRepo(chat.store.engine), OutboxRepo(chat.store.engine)
    sub = await subs.by_chat_id(42)
    assert sub is not None
    pending = OutboxEntry(
        key="alert:x:sub-1:telegram", channel="telegram", recipient="42",
        subscriber_id=sub.id, payload={"kind": "alert"},
    )  # fmt: skip
    await outbox.enqueue([pending], chat.now)
    [reply] = await chat.send(42, "/stop")
    assert "unsubscribed from everything" in reply and "1 alert rule" in reply
    sub = await subs.by_chat_id(42)
    assert sub is not None and sub.status == "stopped"
    assert len(await chat.store.rules(sub.id)) == 1
    row = await outbox.get("alert:x:sub-1:telegram")
    assert row is not None and row.status == "dead"  # /resume will not dump it
    assert "already unsubscribed" in (await chat.send(42, "/stop"))[0]
    [back] = await chat.send(42, "/resume")
    assert "Welcome back" in back and "not re-sent" in back
    sub = await subs.by_chat_id(42)
    assert sub is not None and sub.status == "active"
    assert "subscribed already" in (await chat.send(42, "/resume"))[0]


async def test_stop_and_resume_need_a_subscription(chat: Chat) -> None:
    assert "Send /start first" in (await chat.send(44, "/stop"))[0]
    assert "请先发送 /start" in (await chat.send(44, "/resume", lang="zh"))[0]


async def test_blocking_the_bot_marks_the_subscriber_blocked(chat: Chat) -> None:
    await chat.send(42, "/start")
    member = {"id": 123456, "is_bot": True, "first_name": "Briefbot Test"}
    await chat.process(
        {
            "my_chat_member": {
                "chat": {"id": 42, "type": "private", "first_name": "U"},
                "from": {"id": 42, "is_bot": False, "first_name": "U"},
                "date": 1770000000,
                "old_chat_member": {"status": "member", "user": member},
                "new_chat_member": {"status": "kicked", "user": member, "until_date": 0},
            }
        }
    )
    sub = await SubscriberRepo(chat.store.engine).by_chat_id(42)
    assert sub is not None and sub.status == "blocked"
    # coming back with /start re-activates
    assert "Welcome to Briefbot" in (await chat.send(42, "/start"))[0]
    sub = await SubscriberRepo(chat.store.engine).by_chat_id(42)
    assert sub is not None and sub.status == "active"


async def test_a_403_on_reply_marks_blocked_without_error_reply(chat: Chat) -> None:
    await chat.send(42, "/start")
    chat.api.blocked_chats.add(42)
    mark = len(chat.api.requests)
    await chat.send(42, "/help")
    sub = await SubscriberRepo(chat.store.engine).by_chat_id(42)
    assert sub is not None and sub.status == "blocked"
    assert [r.status for r in chat.api.requests[mark:] if r.method == "sendMessage"] == [403]
    chat.errors.clear()  # the Forbidden itself reached the error handlers, as it should
