"""run_bot: long polling against the fake (getUpdates), the menu in both languages, webhook mode."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.store import Store
from bot.telegram import build_application, feed_webhook, run_bot, webhook_secret
from tests.telegram.conftest import ADMIN, GroupFakeBotAPI, make_config, visible


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only here: the core flows (start, figures, alerts, email) run on both backends."""
    return f"sqlite:///{tmp_path / 'briefbot.db'}"


async def _until(pred: object, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not pred():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_polling_answers_and_sets_the_menu(
    store: Store, api: GroupFakeBotAPI, tmp_path: Path
) -> None:
    config = make_config(tmp_path)
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(config, store, stop, base_url=api.base_url, poll_timeout=1))
    try:
        api.push_text(42, "/start")
        api.push_text(42, "/help")
        await _until(lambda: len(api.delivered(42)) >= 2)
        start, help_ = api.delivered(42)[:2]
        assert "Welcome to Briefbot" in visible(start) and "Briefbot commands" in visible(help_)
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
    menus = api.calls("setMyCommands")
    by = {
        (m.params.get("language_code"), (m.params.get("scope") or {}).get("chat_id")): m
        for m in menus
    }
    en, zh = by[(None, None)], by[("zh", None)]
    names = [c["command"] for c in en.params["commands"]]
    assert names[:3] == ["start", "digest", "latest"] and "help" in names and "stats" not in names
    assert [c["command"] for c in zh.params["commands"]] == names
    assert zh.params["commands"][0]["description"] == "订阅并查看最重要的数字"
    admin = [c["command"] for c in by[(None, ADMIN)].params["commands"]]
    assert admin[-3:] == ["stats", "feeds", "broadcast"] and ("zh", ADMIN) in by
    assert api.calls("getUpdates") and not task.exception()


async def test_webhook_mode(store: Store, api: GroupFakeBotAPI, tmp_path: Path) -> None:
    config = make_config(tmp_path, BRIEFBOT_WEBHOOK_URL="https://bot.example/telegram")
    app = build_application(config, store, base_url=api.base_url)
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(config, store, stop, application=app))
    try:
        await _until(lambda: bool(api.calls("setWebhook")))
        [hook] = api.calls("setWebhook")
        assert hook.params["url"] == "https://bot.example/telegram"
        assert hook.params["secret_token"] == webhook_secret(config)
        update = {
            "update_id": 1,
            "message": {
                "message_id": 5, "date": 1770000000, "text": "/help",
                "chat": {"id": 42, "type": "private", "first_name": "U"},
                "from": {"id": 42, "is_bot": False, "first_name": "U", "language_code": "zh"},
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }  # fmt: skip
        assert not await feed_webhook(app, update, "wrong-secret")
        assert await feed_webhook(app, update, webhook_secret(config))
        await _until(lambda: bool(api.delivered(42)))
        assert visible(api.delivered(42)[0]).startswith("Briefbot 命令")
        assert not api.calls("getUpdates")
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def test_webhook_updates_arrive_through_the_web_page(
    store: Store, api: GroupFakeBotAPI, tmp_path: Path
) -> None:
    import httpx

    from bot.web.app import create_app

    config = make_config(tmp_path, BRIEFBOT_WEBHOOK_URL="https://bot.example/telegram/webhook")
    app = build_application(config, store, base_url=api.base_url)
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(config, store, stop, application=app))

    async def sink(data: dict[str, object], secret: str | None) -> bool:
        return await feed_webhook(app, data, secret)

    update = {
        "update_id": 7,
        "message": {
            "message_id": 9, "date": 1770000000, "text": "/help",
            "chat": {"id": 43, "type": "private", "first_name": "U"},
            "from": {"id": 43, "is_bot": False, "first_name": "U", "language_code": "en"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }  # fmt: skip
    try:
        await _until(lambda: bool(api.calls("setWebhook")))
        for hook, header, status in (
            (sink, "wrong", 403),
            (None, webhook_secret(config), 404),
            (sink, webhook_secret(config), 200),
        ):
            web = create_app(config, store, telegram_webhook=hook)
            transport = httpx.ASGITransport(app=web)
            async with httpx.AsyncClient(transport=transport, base_url="https://bot.example") as c:
                res = await c.post(
                    "/telegram/webhook",
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": header},
                )
            assert res.status_code == status
        await _until(lambda: bool(api.delivered(43)))
        assert "Briefbot commands" in visible(api.delivered(43)[0])
        assert len(api.delivered(43)) == 1  # the refused posts never reached the bot
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def test_the_webhook_checks_the_secret_before_reading_and_caps_the_body(
    store: Store, tmp_path: Path
) -> None:
    """Issue 18 (medium 4, low 4): a chunked 512 MB POST is refused before its body is read, a
    body over the cap is cut off while streaming, and a non-ASCII secret header is a 403."""
    import httpx

    from bot.web.app import MAX_UPDATE_BYTES, create_app

    config = make_config(tmp_path, BRIEFBOT_WEBHOOK_URL="https://bot.example/telegram/webhook")
    got: list[dict[str, object]] = []

    async def sink(data: dict[str, object], secret: str | None) -> bool:
        got.append(data)
        return True

    pulled = [0]

    async def huge() -> AsyncIterator[bytes]:
        for _ in range(512):  # 512 MB if anyone reads it all
            pulled[0] += 1 << 20
            yield b"x" * (1 << 20)

    web = create_app(config, store, telegram_webhook=sink)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web),
                                 base_url="https://bot.example") as c:  # fmt: skip
        res = await c.post("/telegram/webhook", content=huge(),
                           headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})  # fmt: skip
        assert res.status_code == 403 and pulled[0] <= 1 << 20
        pulled[0] = 0
        res = await c.post("/telegram/webhook", content=huge(),
                           headers={"X-Telegram-Bot-Api-Secret-Token": webhook_secret(config)})  # fmt: skip
        assert res.status_code == 413 and pulled[0] <= MAX_UPDATE_BYTES + (2 << 20)
        res = await c.post("/telegram/webhook", content=b"{}",
                           headers={"X-Telegram-Bot-Api-Secret-Token": "s\u00e9cr\u00e9t".encode()})  # fmt: skip
        assert res.status_code == 403
    assert got == []
