"""/settings keyboard (day, time, timezone, language, channels, follows, quiet hours),
/timezone, /follow, /unfollow, /quiet, /mute, /unmute."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.store.subscribers import SubscriberRepo
from bot.telegram.repo import BotRepo
from tests.telegram.conftest import Chat, visible


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only here: the core flows (start, figures, alerts, email) run on both backends."""
    return f"sqlite:///{tmp_path / 'briefbot.db'}"


async def _menu(chat: Chat, chat_id: int, lang: str = "en") -> tuple[str, list[tuple[str, str]]]:
    mark = len(chat.api.requests)
    await chat.send(chat_id, "/settings", lang=lang)
    [rec] = [r for r in chat.api.requests[mark:] if r.method == "sendMessage"]
    return visible(rec), chat.buttons(rec)


async def test_settings_keyboard_changes_every_setting(chat: Chat) -> None:
    await chat.send(42, "/start")
    text, buttons = await _menu(chat, 42)
    assert text.startswith("Settings\nDigest: every Monday at 08:00 (Europe/Berlin)")
    assert [d for _, d in buttons] == [
        "s:day",
        "s:time",
        "s:tz",
        "s:lang",
        "s:ch",
        "s:fol",
        "s:q",
        "s:done",
    ]
    subs = SubscriberRepo(chat.store.engine)

    calls = await chat.press(42, "s:day")
    assert "Pick the digest day" in calls[-1].params["text"]
    assert ("Friday", "s:day:4") in chat.buttons(calls[-1])
    calls = await chat.press(42, "s:day:4")
    assert calls[0].params["text"] == "Saved." and "every Friday" in calls[-1].params["text"]
    await chat.press(42, "s:time:18")
    await chat.press(42, "s:tz:5")  # Asia/Shanghai
    sub = await subs.by_chat_id(42)
    assert sub is not None
    assert (sub.digest_weekday, sub.digest_time, sub.timezone) == (4, "18:00", "Asia/Shanghai")

    calls = await chat.press(42, "s:ch:both")
    assert (
        calls[0].params["show_alert"] in (True, "true")
        and "Link and confirm an email first" in calls[0].params["text"]
    )
    await chat.press(42, "s:fm:capex")
    calls = await chat.press(42, "s:fm:revenue")
    assert ("✓ capex", "s:fm:capex") in chat.buttons(calls[-1])
    await chat.press(42, "s:fm:revenue")  # toggles off
    await chat.press(42, "s:q:23:00-08:00")
    sub = await subs.by_chat_id(42)
    assert sub is not None and sub.follow_metrics == ("capex",)
    assert (await BotRepo(chat.store.engine).extra(sub.id))["quiet"] == "23:00-08:00"

    calls = await chat.press(42, "s:lang:zh")
    assert "设置" in calls[-1].params["text"] and "语言：中文" in calls[-1].params["text"]
    sub = await subs.by_chat_id(42)
    assert sub is not None and sub.lang == "zh"
    text, _ = await _menu(chat, 42)
    assert "摘要：每周五 18:00（Asia/Shanghai）" in text and "免打扰：23:00-08:00" in text
    calls = await chat.press(42, "s:done")
    assert calls[-1].method == "editMessageText" and not calls[-1].params.get("reply_markup")
    # forged or stale data changes nothing
    for data in ("s:day:9", "s:tz:99", "s:lang:fr", "s:ch:pigeon", "s:fm:nothing", "s:q:1-2", "zz"):
        calls = await chat.press(42, data)
        assert calls[0].method == "answerCallbackQuery"
    assert await subs.by_chat_id(42) == sub


async def test_settings_commands(chat: Chat) -> None:
    await chat.send(42, "/start")
    subs = SubscriberRepo(chat.store.engine)
    assert "Timezone set to America/New_York" in (await chat.send(42, "/timezone new york"))[0]
    assert "Timezone set to UTC+8" in (await chat.send(42, "/timezone UTC+8"))[0]
    assert "Timezone set to Asia/Shanghai" in (await chat.send(42, "/timezone 上海"))[0]
    assert (
        "I don't know the timezone Atlantis <x>"
        in (await chat.send(42, "/timezone Atlantis <x>"))[0]
    )
    assert "Now: Asia/Shanghai" in (await chat.send(42, "/timezone"))[0]
    assert "Following Meta" in (await chat.send(42, "/follow meta"))[0]
    assert "Following Microsoft" in (await chat.send(42, "/follow 微软"))[0]
    assert "Following capex" in (await chat.send(42, "/follow 资本支出"))[0]
    sub = await subs.by_chat_id(42)
    assert sub is not None
    assert sub.follow_entities == ("Meta", "Microsoft") and sub.follow_metrics == ("capex",)
    assert "No longer following Microsoft" in (await chat.send(42, "/unfollow Microsoft"))[0]
    assert "You were not following Nokia" in (await chat.send(42, "/unfollow Nokia"))[0]
    assert "Quiet hours 22:00-07:00" in (await chat.send(42, "/quiet 22-7"))[0]
    assert "Usage: /quiet" in (await chat.send(42, "/quiet whenever"))[0]
    assert "Quiet hours off" in (await chat.send(42, "/quiet off"))[0]
    [muted] = await chat.send(42, "/mute 8h")
    assert "Alerts muted until 2026-02-06 01:00 (Asia/Shanghai)" in muted
    sub = await subs.by_chat_id(42)
    assert sub is not None and sub.muted_until == chat.now + timedelta(hours=8)
    assert "Usage: /mute 8h" in (await chat.send(42, "/mute forever"))[0]
    assert "Usage: /mute 8h" in (await chat.send(42, "/mute 90d"))[0]
    assert "Alerts are on again" in (await chat.send(42, "/unmute"))[0]
    assert "were not muted" in (await chat.send(42, "/unmute"))[0]
    sub = await subs.by_chat_id(42)
    assert sub is not None and sub.muted_until is None


async def test_settings_in_chinese_and_for_group_members(chat: Chat) -> None:
    await chat.send(43, "/start", lang="zh")
    text, buttons = await _menu(chat, 43, lang="zh")
    assert text.startswith("设置\n摘要：每周一 08:00") and ("📅 日期", "s:day") in buttons
    assert "提醒已静音至" in (await chat.send(43, "/mute 2d", lang="zh"))[0]
    group = -100600
    chat.api.group_admins[group] = {7}
    await chat.send(group, "/start", user_id=7)
    calls = await chat.press(group, "s:day:2", user_id=8)
    assert calls[-1].params["show_alert"] in (True, "true")
    assert "Only this group's admins" in calls[-1].params["text"]
    calls = await chat.press(group, "s:day:2", user_id=7)
    assert "every Wednesday" in calls[-1].params["text"]
    assert "Only this group's admins" in (await chat.send(group, "/mute 1h", user_id=8))[0]


async def test_digest_time_to_the_minute(chat: Chat) -> None:
    await chat.send(42, "/start")
    subs = SubscriberRepo(chat.store.engine)
    await chat.send(42, "/timezone UTC+5:30")
    assert "comes at 07:30 (Asia/Kolkata)" in (await chat.send(42, "/time 7:30"))[0]
    sub = await subs.by_chat_id(42)
    assert sub is not None and sub.digest_time == "07:30" and sub.timezone == "Asia/Kolkata"
    for bad in ("/time 25:00", "/time 7", "/time <b>"):
        assert "Usage: /time HH:MM" in (await chat.send(42, bad))[0]
    sub = await subs.by_chat_id(42)
    assert sub is not None and sub.digest_time == "07:30"
