"""Command replies share the send budget (issue 17): 50 chats send /help at once against a Bot
API with Telegram's flood limits; with the outbox's pacer every chat gets its reply and Telegram
never says 429 (without it, replies hit flood control and some chats got nothing)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.deliver.pacing import Pacer
from bot.store.store import Store
from bot.telegram import build_application
from bot.telegram.ratelimit import ChatLimiter
from tests.telegram.conftest import Chat, GroupFakeBotAPI, make_config

CHATS = 50


async def _burst(
    store: Store, tmp_path: Path, pacer: Pacer | None
) -> tuple[GroupFakeBotAPI, int, list[BaseException]]:
    with GroupFakeBotAPI() as api:
        api.flood(global_rate=30, chat_rate=1)
        config = make_config(tmp_path)
        app: Application = build_application(  # type: ignore[type-arg]
            config, store, base_url=api.base_url, pacer=pacer,
            limiter=ChatLimiter(burst=1000, per_seconds=0.001),
        )  # fmt: skip
        errors: list[BaseException] = []

        async def record(update: object, context: object) -> None:
            errors.append(context.error)  # type: ignore[attr-defined]

        app.add_error_handler(record)
        await app.initialize()
        try:
            harness = Chat(app=app, api=api, store=store, config=config)
            msgs = [harness.message(5000 + n, "/help") for n in range(CHATS)]
            await asyncio.gather(*(harness.process({"message": m}) for m in msgs))
        finally:
            await app.shutdown()
        answered = {r.chat_id for r in api.delivered() if r.method == "sendMessage"}
        return api, len(answered), errors


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_fifty_commands_at_once_all_answered_no_flood(store: Store, tmp_path: Path) -> None:
    api, answered, errors = await _burst(store, tmp_path, Pacer(30, 1))
    assert not errors and answered == CHATS  # never dropped
    # 0 on a quiet machine; a stalled event loop (a loaded CI box) can bunch two sends into one
    # server-side second: that 429 is waited out and the reply sent again (counted as retried)
    assert api.flood_429s <= 2 and api.early_retries == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_without_the_pacer_replies_meet_flood_control(store: Store, tmp_path: Path) -> None:
    api, answered, errors = await _burst(store, tmp_path, None)
    assert api.flood_429s >= 5 and errors and answered < CHATS  # the check above can fail
