"""The email channel with undeliverable addresses and refused recipients (issue 18, medium 5)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from bot.deliver.email import EmailChannel, SmtpSettings
from bot.deliver.worker import drain
from bot.models import Message
from bot.outbox import plan
from bot.store import schema as t
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from bot.store.subscribers import SubscriberRepo
from tests.fakes.smtp import FakeSMTP

T0 = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)


def _channel(smtp: FakeSMTP) -> EmailChannel:
    return EmailChannel(SmtpSettings(host=smtp.host, port=smtp.port,
                                     mail_from="Briefbot <news@brief.example>",
                                     public_url="https://brief.example", secret_key="k",
                                     timeout=5))  # fmt: skip


async def test_a_refused_recipient_does_not_break_the_next_mail_on_the_connection(
    store: Store, smtp_server: FakeSMTP
) -> None:
    outbox, subs = OutboxRepo(store.engine), SubscriberRepo(store.engine)
    people = [
        await subs.create(T0, email=e, email_confirmed=True, channels=("email",))
        for e in ("gone@example.com", "ann@example.com", "bob@example.com")
    ]
    smtp_server.perm_fail.add("gone@example.com")
    msg = Message(kind="notice", key="n:1", subject="Hello", text="hi")
    await outbox.enqueue(plan([msg], people, channels=("email",)), T0)
    ch = _channel(smtp_server)
    report = await drain(outbox, {"email": ch}, subs, now=T0)
    await ch.aclose()
    got = sorted(r for m in smtp_server.messages for r in m.rcpt_tos)
    assert got == ["ann@example.com", "bob@example.com"]
    assert report.sent == 2


async def test_an_address_stored_before_strict_checks_fails_once_and_quietly(
    store: Store, smtp_server: FakeSMTP
) -> None:
    outbox, subs = OutboxRepo(store.engine), SubscriberRepo(store.engine)
    ann = await subs.create(T0, email="ann@example.com", email_confirmed=True, channels=("email",))
    async with store.engine.begin() as conn:  # what an older Briefbot accepted
        await conn.execute(sa.update(t.subscribers).where(t.subscribers.c.id == ann.id)
                           .values(email="üser@example.com"))  # fmt: skip
    ann = await subs.get(ann.id)
    assert ann is not None
    msg = Message(kind="notice", key="n:2", subject="Hello", text="hi")
    [entry] = plan([msg], [ann], channels=("email",))
    await outbox.enqueue([entry], T0)
    ch = _channel(smtp_server)
    await drain(outbox, {"email": ch}, subs, now=T0)
    await ch.aclose()
    row = await outbox.get(entry.key)
    assert row is not None and row.status == "dead" and row.attempts == 1
    assert "undeliverable address" in (row.error or "")
    assert smtp_server.messages == []
