"""One lane per channel: a paced channel's rows never hold up another channel's rows."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.deliver.email import EmailChannel, SmtpSettings
from bot.deliver.telegram import TelegramChannel
from bot.deliver.worker import drain
from bot.models import Message
from bot.outbox import plan
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from bot.store.subscribers import SubscriberRepo
from tests.fakes.smtp import FakeSMTP
from tests.fakes.telegram_api import FakeBotAPI

T0 = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)


async def test_email_is_not_held_up_behind_paced_telegram_rows(
    store: Store, smtp_server: FakeSMTP, telegram_api: FakeBotAPI
) -> None:
    """12 Telegram rows at 4/s are claimed first (lower ids); the 40 mails behind them used to
    wait for them (one claim for every channel, consumers blocked on the pacer)."""
    outbox, subs = OutboxRepo(store.engine), SubscriberRepo(store.engine)
    alert = Message(kind="alert", key="alert:lanes", subject="A", text="figure")
    chats = [await subs.create(T0, telegram_chat_id=700 + i) for i in range(12)]
    await outbox.enqueue(plan([alert], chats, channels=("telegram",)), T0)
    mails = [await subs.create(T0, email=f"l{i}@example.com", email_confirmed=True,
                               channels=("email",)) for i in range(40)]  # fmt: skip
    await outbox.enqueue(plan([alert], mails, channels=("email",)), T0)
    tg = TelegramChannel.create(telegram_api.token, telegram_api.url, global_rate=4, chat_rate=4)
    mail = EmailChannel(SmtpSettings(host=smtp_server.host, port=smtp_server.port, timeout=5,
                                     secret_key="k" * 32))  # fmt: skip
    report = await drain(outbox, {"telegram": tg, "email": mail}, subs, now=T0, batch=10,
                         concurrency=4)  # fmt: skip
    await tg.aclose()
    await mail.aclose()
    assert report.sent == 52 and report.sent_by_channel == {"telegram": 12, "email": 40}
    tg_times = sorted(r.t for r in telegram_api.delivered())
    assert len(tg_times) == 12
    # every mail arrived before the Telegram fan-out was half done (it takes ~3 s at 4/s)
    assert max(m.at for m in smtp_server.messages) < tg_times[6]


async def test_rows_queued_mid_drain_for_an_idle_channel_go_out_in_that_drain(
    store: Store, smtp_server: FakeSMTP, telegram_api: FakeBotAPI
) -> None:
    """The digests job queues Telegram rows after the email rows (subscriber order): the
    Telegram lane, idle at first, looks again while email works instead of leaving them to
    the next drain (they waited for the whole email fan-out)."""
    outbox, subs = OutboxRepo(store.engine), SubscriberRepo(store.engine)
    alert = Message(kind="alert", key="alert:mid", subject="A", text="figure")
    mails = [await subs.create(T0, email=f"m{i}@example.com", email_confirmed=True,
                               channels=("email",)) for i in range(300)]  # fmt: skip
    chats = [await subs.create(T0, telegram_chat_id=800 + i) for i in range(5)]
    await outbox.enqueue(plan([alert], mails, channels=("email",)), T0)
    tg = TelegramChannel.create(telegram_api.token, telegram_api.url, global_rate=100)
    mail = EmailChannel(SmtpSettings(host=smtp_server.host, port=smtp_server.port, timeout=5,
                                     secret_key="k" * 32))  # fmt: skip

    async def queue_later() -> None:
        while len(smtp_server.messages) < 20:
            await asyncio.sleep(0.01)
        await outbox.enqueue(plan([alert], chats, channels=("telegram",)), T0)

    report, _ = await asyncio.gather(
        drain(outbox, {"telegram": tg, "email": mail}, subs, now=T0, batch=10, concurrency=2),
        queue_later(),
    )
    await tg.aclose()
    await mail.aclose()
    assert report.sent_by_channel == {"email": 300, "telegram": 5}  # in this drain
