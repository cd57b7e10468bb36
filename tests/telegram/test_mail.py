"""/email with double opt-in through the outbox, /confirm CODE, the signed link, /email off."""

from __future__ import annotations

import re

from bot.outbox import decode_message
from bot.store.outbox import OutboxRepo
from bot.store.subscribers import SubscriberRepo
from bot.telegram.mail import confirm_link
from bot.telegram.repo import BotRepo
from tests.telegram.conftest import Chat


async def _code(chat: Chat) -> tuple[str, str, str]:
    """(code, link, text) of the newest confirmation email in the outbox."""
    rows = await OutboxRepo(chat.store.engine).entries(channel="email")
    msg = decode_message(rows[-1].payload)
    code = re.search(r"\b(\d{6})\b", msg.text)
    link = re.search(r"https://\S+", msg.text)
    assert code and link
    return code.group(1), link.group(0), msg.subject


async def test_email_double_opt_in(chat: Chat) -> None:
    subs = SubscriberRepo(chat.store.engine)
    await chat.send(42, "/start")
    assert "no email linked" in (await chat.send(42, "/email"))[0]
    assert "is not a valid email address" in (await chat.send(42, "/email not-an-address"))[0]
    [sent] = await chat.send(42, "/email You@Example.com")
    assert "I sent a confirmation code to You@example.com" in sent
    [row] = await OutboxRepo(chat.store.engine).entries(channel="email")
    assert row.recipient == "You@example.com" and row.status == "pending" and row.subscriber_id == 1
    code, link, subject = await _code(chat)
    assert subject == "Confirm your email for Briefbot"
    assert link.startswith("https://briefbot.example/email/confirm/")
    sub = await subs.by_chat_id(42)
    assert sub is not None and sub.email is None and not sub.email_confirmed  # only pending
    assert "waiting for /confirm" in (await chat.send(42, "/email"))[0]
    wrong = "000000" if code != "000000" else "111111"
    assert "4 tries left" in (await chat.send(42, f"/confirm {wrong}"))[0]
    assert "Usage: /confirm CODE" in (await chat.send(42, "/confirm abc"))[0]
    [ok] = await chat.send(42, f"/confirm {code}")
    assert "You@example.com is confirmed" in ok
    sub = await subs.by_chat_id(42)
    assert sub is not None and sub.email == "You@example.com" and sub.email_confirmed
    assert sub.channels == ("telegram", "email")
    assert "No confirmation is waiting" in (await chat.send(42, f"/confirm {code}"))[0]
    # someone else cannot take a confirmed address, nor learn that it is taken (issue 18 m3)
    await chat.send(77, "/start")
    mark = len(await OutboxRepo(chat.store.engine).entries(channel="email"))
    [taken] = await chat.send(77, "/email you@example.com")
    [free] = await chat.send(77, "/email free@example.com")
    assert taken == free.replace("free@example.com", "you@example.com")
    sent = (await OutboxRepo(chat.store.engine).entries(channel="email"))[mark:]
    assert [e.recipient for e in sent] == ["you@example.com", "free@example.com"]
    owner_mail = decode_message(sent[0].payload)
    assert "nothing changed" in owner_mail.text and not re.search(r"\b\d{6}\b", owner_mail.text)
    assert "No confirmation is waiting" not in (await chat.send(77, "/confirm 123456"))[0]
    for n in range(3):  # after the daily cap both answers are the same too
        await chat.send(77, f"/email x{n}@example.com")
    capped_taken = (await chat.send(77, "/email you@example.com"))[0]
    assert capped_taken == (await chat.send(77, "/email free2@example.com"))[0]
    sub77 = await subs.by_chat_id(77)
    assert sub77 is not None and sub77.email is None
    # off
    assert "Email unlinked" in (await chat.send(42, "/email off"))[0]
    sub = await subs.by_chat_id(42)
    assert sub is not None and sub.email is None and sub.channels == ("telegram",)


async def test_confirmation_by_link_and_limits(chat: Chat) -> None:
    await chat.send(43, "/start", lang="zh")
    [sent] = await chat.send(43, "/email a@example.com", lang="zh")
    assert "确认码已发送到 a@example.com" in sent
    code, link, subject = await _code(chat)
    assert subject == "确认你的 Briefbot 邮箱"
    token = link.rsplit("/", 1)[1]
    engine = chat.store.engine
    args = (SubscriberRepo(engine), BotRepo(engine), "test-secret")
    assert await confirm_link(*args, token[:-1] + "x", chat.now) is None
    assert await confirm_link(*args, token, chat.now) == "a@example.com"
    sub = await SubscriberRepo(engine).by_chat_id(43)
    assert sub is not None and sub.email_confirmed
    # five wrong codes drop the pending address; at most three emails a day
    await chat.send(43, "/email b@example.com")
    code, _, _ = await _code(chat)
    wrong = "/confirm " + ("999999" if code != "999999" else "888888")
    for left in (4, 3, 2, 1):
        assert f"还可尝试 {left} 次" in (await chat.send(43, wrong))[0]
    assert "没有待确认的邮箱" in (await chat.send(43, wrong))[0]
    assert "没有待确认的邮箱" in (await chat.send(43, f"/confirm {code}"))[0]
    await chat.send(43, "/email c@example.com")
    assert "请慢一点" in (await chat.send(43, "/email d@example.com"))[0]
    assert len(await OutboxRepo(engine).entries(channel="email")) == 3


async def test_stop_drops_a_pending_confirmation(chat: Chat) -> None:
    await chat.send(42, "/start")
    await chat.send(42, "/email x@example.com")
    await chat.send(42, "/stop")
    [row] = await OutboxRepo(chat.store.engine).entries(channel="email")
    assert row.status == "dead" and row.error == "subscriber stopped"
