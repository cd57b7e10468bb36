"""The confirmation link a Telegram user's /email sends opens on the web page and confirms."""

from __future__ import annotations

import re

import httpx

from bot.outbox import decode_message
from bot.web.app import create_app
from tests.telegram.conftest import Chat


async def test_email_link_confirms_on_the_web_page(chat: Chat) -> None:
    await chat.send(42, "/start")
    await chat.send(42, "/email ann@example.com")
    [row] = await chat.store.outbox.entries(channel="email")
    link = re.search(r"https://\S+", decode_message(row.payload).text)
    assert link
    path = "/" + link.group(0).split("/", 3)[3]
    app = create_app(chat.config, chat.store, clock=lambda: chat.now)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://briefbot.example") as web:
        tampered = await web.get(path[:-3] + "xyz")
        assert tampered.status_code == 400 and "Traceback" not in tampered.text
        sub = await chat.store.subscribers.by_chat_id(42)
        assert sub is not None and not sub.email_confirmed
        ok = await web.get(path)
        assert ok.status_code == 200 and "ann@example.com" in ok.text
    sub = await chat.store.subscribers.by_chat_id(42)
    assert sub is not None and sub.email == "ann@example.com" and sub.email_confirmed
