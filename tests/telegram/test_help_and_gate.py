"""/help, unknown commands, free text, edited messages, rate and length limits, groups, channels."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store.subscribers import SubscriberRepo
from bot.telegram.app import MAX_INPUT
from bot.telegram.ratelimit import ChatLimiter
from tests.telegram.conftest import ADMIN, BOT_NAME, Chat


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only here: the core flows (start, figures, alerts, email) run on both backends."""
    return f"sqlite:///{tmp_path / 'briefbot.db'}"


async def test_help_lists_every_command_with_an_example(chat: Chat) -> None:
    [en] = await chat.send(42, "/help")
    for cmd in ("/start", "/digest", "/latest 5", "/figures Meta", "/alert add capex > 100B USD",
                "/alerts", "/alert rm 3", "/email you@example.com", "/confirm", "/settings",
                "/mute 8h", "/unmute", "/stop", "/resume", "/timezone", "/follow", "/quiet"):  # fmt: skip
        assert cmd in en, cmd
    assert "/broadcast" not in en
    [zh] = await chat.send(43, "/help", lang="zh")
    assert zh.startswith("Briefbot 命令") and "/alert add capex > 100B USD" in zh
    [admin] = await chat.send(ADMIN, "/help")
    assert "/stats" in admin and "/broadcast" in admin


async def test_unknown_commands_and_free_text_get_a_hint(chat: Chat) -> None:
    assert "I don't know /frobnicate" in (await chat.send(42, "/frobnicate now"))[0]
    assert "我不认识 /帮助" not in (await chat.send(43, "/foo", lang="zh"))[0]
    assert "我不认识 /foo" in (await chat.send(43, "/foo", lang="zh"))[0]
    assert "I answer commands" in (await chat.send(42, "hello bot"))[0]
    assert "我只回应命令" in (await chat.send(43, "你好", lang="zh"))[0]
    assert "I answer commands" in (await chat.send(42, "/ not a command"))[0]
    [escaped] = await chat.send(42, "/x<b>")  # not a command entity: free text
    assert "I answer commands" in escaped


async def test_edited_messages_are_not_run_again(chat: Chat) -> None:
    await chat.send(42, "/start")
    [reply] = await chat.send(42, "/alert add capex > 1B", edited=True)
    assert "edited messages are not run again" in reply
    assert await chat.store.rules(1) == []
    assert "编辑后的消息不会再次执行" in (await chat.send(43, "hi", edited=True, lang="zh"))[0]


async def test_a_spamming_chat_gets_one_slow_down(chat: Chat) -> None:
    deps = chat.app.bot_data["deps"]
    deps.limiter = ChatLimiter(burst=3, per_seconds=5, clock=lambda: chat.mono)
    replies = [await chat.send(42, "/help") for _ in range(6)]
    assert [len(r) for r in replies] == [1, 1, 1, 1, 0, 0]
    assert "Slow down" in replies[3][0]
    assert len(await chat.send(77, "/help")) == 1  # other chats are not affected
    chat.advance(5)
    assert "Briefbot commands" in (await chat.send(42, "/help"))[0]
    # button presses count too: the toast says slow down
    for _ in range(3):
        await chat.press(42, "a:p:1")
    calls = await chat.press(42, "a:p:1")
    assert [c.method for c in calls] == ["answerCallbackQuery"]


async def test_long_input_is_refused(chat: Chat) -> None:
    await chat.send(42, "/start")
    [reply] = await chat.send(42, "/alert add " + "x" * MAX_INPUT)
    assert f"the limit is {MAX_INPUT}" in reply
    assert await chat.store.rules(1) == []
    [rule] = await chat.send(42, "/alert add capex > " + "9" * 300)
    assert "too long" in rule


async def test_group_commands_with_botname_and_admin_rights(chat: Chat) -> None:
    group = -100500
    chat.api.group_admins[group] = {7}
    # chatter in the group is ignored; commands for other bots too
    assert await chat.send(group, "hello everyone", user_id=8) == []
    assert await chat.send(group, "/start@other_bot", user_id=7) == []
    # a member may not subscribe the group
    [no] = await chat.send(group, f"/start@{BOT_NAME}", user_id=8)
    assert "Only this group's admins" in no
    assert await SubscriberRepo(chat.store.engine).by_chat_id(group) is None
    # the admin may (getChatMember says creator)
    [yes] = await chat.send(group, f"/start@{BOT_NAME}", user_id=7)
    assert "Welcome to Briefbot" in yes
    assert any(r.method == "getChatMember" and r.params["user_id"] == 7 for r in chat.api.requests)
    # read-only commands work for everyone; changes stay with admins
    assert "Briefbot commands" in (await chat.send(group, f"/help@{BOT_NAME}", user_id=8))[0]
    assert (
        "Only this group's admins"
        in (await chat.send(group, "/alert add capex > 1B", user_id=8))[0]
    )
    assert "Alert #1 added" in (await chat.send(group, "/alert add capex > 1B", user_id=7))[0]
    calls = await chat.press(group, "a:d:1", user_id=8)
    assert (
        calls[-1].method == "answerCallbackQuery" and "Only this group" in calls[-1].params["text"]
    )
    assert len(await chat.store.rules(1)) == 1
    assert "Only this group's admins" in (await chat.send(group, "/stop", user_id=8))[0]
    # mentioning or replying to the bot gets the hint; a stray message does not
    assert "I answer commands" in (await chat.send(group, f"hey @{BOT_NAME}", user_id=8))[0]
    assert (
        "I answer commands" in (await chat.send(group, "thanks", user_id=8, reply_to_bot=True))[0]
    )
    assert {r.chat_id for r in chat.sent()} == {group}


async def test_channel_posts(chat: Chat) -> None:
    channel = -100777
    [reply] = await chat.send(channel, "/start", chat_type="channel")
    assert "Welcome to Briefbot" in reply  # only a channel's admins can post
    assert await chat.send(channel, "just a post", chat_type="channel") == []


async def test_no_command_sends_to_another_chat(chat: Chat) -> None:
    await chat.send(42, "/start")
    for text in ("/start 77", "/figures 77", "/latest 77", "/alert add chat_id 77 > 1",
                 "/email 77@example.com", "/broadcast hi 77", "/feeds add 77"):  # fmt: skip
        await chat.send(42, text)
    assert {r.chat_id for r in chat.api.requests if r.chat_id is not None} == {42}
