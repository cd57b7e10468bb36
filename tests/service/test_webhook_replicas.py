"""Webhook mode behind a load balancer (issue 17): any replica receives updates, the leader's
bot alone handles them and sends the replies (one Telegram send budget, the leader's pacer)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.service.app import App
from bot.service.clock import ManualClock
from bot.telegram.app import webhook_secret
from tests.fakes.telegram_api import TOKEN, FakeBotAPI
from tests.service.conftest import FAST, load, project, until

pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    from tests.conftest import create_pg_database, drop_pg_database

    url = await create_pg_database()
    try:
        yield url
    finally:
        await drop_pg_database(url)


async def test_any_replica_takes_webhook_updates_and_the_leader_answers(
    tmp_path: Path, pg_url: str
) -> None:
    root = project(tmp_path, archive=False, lease_seconds=2)
    clock = ManualClock(datetime.now(UTC))
    with FakeBotAPI() as api:
        env = {
            "BRIEFBOT_DATABASE_URL": pg_url,
            "BRIEFBOT_TELEGRAM_TOKEN": TOKEN,
            "BRIEFBOT_TELEGRAM_BASE_URL": api.base_url,
            "BRIEFBOT_WEBHOOK_URL": "https://briefbot.example/telegram/webhook",
            "BRIEFBOT_SECRET_KEY": "webhook-replicas-secret-key",
        }
        apps = [App(load(root, **env), clock=clock, intervals=FAST, telegram=True, web=False,
                    state_file=root / f"{n}.json") for n in "ab"]  # fmt: skip
        async with apps[0], apps[1]:
            await until(lambda: any(a.leader.is_leader for a in apps), 10, "a leader")
            lead, standby = apps if apps[0].leader.is_leader else apps[::-1]
            await until(lambda: lead._telegram_app is not None and lead._telegram_app.running,
                        10, "the leader's bot")  # fmt: skip
            secret = webhook_secret(lead.config)
            assert not await standby._feed_webhook(api.push_text(501, "/help"), "wrong")

            # the load balancer hands /start to the standby, which does not run a bot
            start = api.push_text(501, "/start")
            assert await standby._feed_webhook(start, secret)
            await until(lambda: api.delivered(501), 10, "the leader's reply to /start")
            assert standby._telegram_app is None
            # Telegram retries the update (a slow answer) at the leader: handled once
            assert await lead._feed_webhook(start, secret)
            help_ = api.push_text(501, "/help")
            assert await lead._feed_webhook(help_, secret)  # the leader's own: at once
            await until(lambda: len(api.delivered(501)) >= 2, 10, "the reply to /help")
            await asyncio.sleep(1.0)
            assert len(api.delivered(501)) == 2  # /start once, /help once
            assert "setWebhook:200" in api.stats()["by_method_status"]

            # the leader goes away: the standby leads, starts the bot, drains what waited
            await lead.stop()
            late = api.push_text(502, "/start")
            assert await standby._feed_webhook(late, secret)
            await until(lambda: standby.leader.is_leader, 10, "the standby to lead")
            await until(lambda: api.delivered(502), 15, "the new leader's reply")
            assert len(api.delivered(502)) == 1
