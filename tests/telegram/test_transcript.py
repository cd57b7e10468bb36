"""A real session against the fakes, written to tests/telegram/TRANSCRIPT.md for the README.

Set BRIEFBOT_WRITE_TRANSCRIPT=1 to refresh the checked-in copy (otherwise it goes to tmp_path).
The bot runs with ``run_bot`` (long polling against the fake Bot API); the user's messages come
through getUpdates. Between messages the service's work happens for real: the seed briefing is
ingested, the subscriber's rules are evaluated into the outbox, and the delivery worker drains
the outbox to the fake Telegram and to the fake SMTP server.
"""

from __future__ import annotations

import asyncio
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from bot import pipeline
from bot.deliver.worker import build_channels, close_channels, drain
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from bot.store.subscribers import SubscriberRepo
from bot.telegram import run_bot
from tests.fakes.smtp import FakeSMTP
from tests.telegram.conftest import GroupFakeBotAPI, make_config, visible

OUT = Path(__file__).with_name("TRANSCRIPT.md")
USER = 4242


async def test_transcript(tmp_path: Path) -> None:
    lines: list[str] = []
    with GroupFakeBotAPI() as api, FakeSMTP() as smtp:
        config = make_config(
            tmp_path,
            BRIEFBOT_TELEGRAM_BASE_URL=api.url,
            BRIEFBOT_SMTP_HOST=smtp.host,
            BRIEFBOT_SMTP_PORT=str(smtp.port),
        )
        async with Store.open(f"sqlite:///{tmp_path / 'briefbot.db'}") as store:
            stop = asyncio.Event()
            bot_task = asyncio.create_task(run_bot(config, store, stop, poll_timeout=1))
            seen = 0

            async def bot_says(n: int = 1) -> list[str]:
                nonlocal seen
                for _ in range(500):
                    got = api.delivered(USER)
                    if len(got) >= seen + n:
                        break
                    await asyncio.sleep(0.02)
                new = api.delivered(USER)[seen:]
                seen += len(new)
                return [visible(r) for r in new]

            async def user(text: str, replies: int = 1) -> list[str]:
                lines.append(f"**you** › `{text}`\n")
                api.push_text(USER, text)
                out = await bot_says(replies)
                for reply in out:
                    quoted = "\n".join("> " + ln if ln else ">" for ln in reply.splitlines())
                    lines.append(f"**Briefbot** ›\n{quoted}\n")
                return out

            def note(text: str) -> None:
                lines.append(f"*— {text}*\n")

            async def deliver() -> None:
                channels = build_channels(config)
                try:
                    report = await drain(
                        OutboxRepo(store.engine), channels, SubscriberRepo(store.engine),
                        now=datetime.now(UTC),
                    )  # fmt: skip
                finally:
                    await close_channels(channels)
                note(
                    f"the delivery worker drains the outbox: {report.sent} sent, "
                    f"{report.retried} to retry, {report.dead} dead"
                )

            try:
                [welcome] = await user("/start")
                assert "No figures are stored yet" in welcome
                [added] = await user("/alert add capex > 100B USD")
                assert "Alert #1 added" in added and "would not have fired yet" in added

                report = await pipeline.ingest_archive(store, config)
                note(
                    f"the seed briefing is ingested: {report.new_items} items, "
                    f"{report.figures} figures; the alert job evaluates the rules"
                )
                queued = (
                    await pipeline.evaluate_alerts(store, config, now=datetime.now(UTC))
                ).queued
                note(f"{queued} alert queued in the outbox")
                await deliver()
                [alert] = await bot_says()
                quoted = "\n".join("> " + ln for ln in alert.splitlines())
                lines.append(f"**Briefbot** › (alert)\n{quoted}\n")
                assert "Meta" in alert and "above your 100B USD threshold" in alert

                await user("/latest 3")
                [sent] = await user("/email me@example.com")
                assert "I sent a confirmation code" in sent
                await deliver()
                mail = smtp.messages[-1].message
                body = mail.get_body(preferencelist=("plain",))
                assert body is not None
                code = re.search(r"\b(\d{6})\b", body.get_content())
                assert code is not None
                note(
                    f"an email arrives at me@example.com: “{mail['Subject']}”, code {code.group(1)}"
                )
                [ok] = await user(f"/confirm {code.group(1)}")
                assert "me@example.com is confirmed" in ok
                await user("/alerts")
            finally:
                stop.set()
                await asyncio.wait_for(bot_task, 15)
    header = (
        "# Briefbot on Telegram: a session against the local Bot API fake\n\n"
        "Generated by `tests/telegram/test_transcript.py` (`BRIEFBOT_WRITE_TRANSCRIPT=1 "
        ".venv/bin/pytest tests/telegram/test_transcript.py`): the real bot (`bot.telegram.run_bot`, long polling) "
        "talks to `tests/fakes/telegram_api.py`; alerts and the confirmation email go through the "
        "outbox and the delivery worker (`bot.deliver.worker.drain`) to the fake Telegram and the "
        "fake SMTP server. Messages are shown as the user sees them (HTML rendered as text).\n\n"
    )
    text = header + "\n".join(lines)
    (tmp_path / OUT.name).write_text(text, encoding="utf-8")
    if os.environ.get("BRIEFBOT_WRITE_TRANSCRIPT") == "1":  # refresh the checked-in copy
        OUT.write_text(text, encoding="utf-8")
