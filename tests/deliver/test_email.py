"""The email channel against a real aiosmtpd server: MIME structure and headers, 451/550 rules,
hard-bounce disabling, connection reuse and AUTH."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from urllib.parse import unquote

from bot.deliver.email import EmailChannel, SmtpSettings
from bot.deliver.tokens import verify_subscriber
from bot.deliver.worker import drain
from bot.models import Message
from bot.outbox import plan
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from bot.store.subscribers import SubscriberRepo
from tests.fakes.smtp import FakeSMTP, free_port

T0 = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 100
SECRET = "test-secret"


def settings(smtp: FakeSMTP, **kw: object) -> SmtpSettings:
    return SmtpSettings(host=smtp.host, port=smtp.port, mail_from="Briefbot <news@brief.example>",
                        public_url="https://brief.example", secret_key=SECRET, timeout=5, **kw)  # type: ignore[arg-type]  # fmt: skip


def digest() -> Message:
    return Message(kind="digest", key="digest:2026-W06", subject="Week 6: AI capex",
                   text="Meta: up to $135B", html='<html><body><h1>Week 6</h1>'
                   '<img src="cid:chart"></body></html>', chart_png=PNG)  # fmt: skip


async def setup(
    store: Store, emails: list[str], messages: list[Message]
) -> tuple[OutboxRepo, SubscriberRepo]:
    outbox, subs = OutboxRepo(store.engine), SubscriberRepo(store.engine)
    people = [
        await subs.create(T0, email=e, email_confirmed=True, channels=("email", "telegram"))
        for e in emails
    ]
    await outbox.enqueue(plan(messages, people, channels=("email",)), T0)
    return outbox, subs


async def test_mime_structure_and_headers(store: Store, smtp_server: FakeSMTP) -> None:
    outbox, subs = await setup(store, ["ann@example.com"], [digest()])
    ch = EmailChannel(settings(smtp_server))
    report = await drain(outbox, {"email": ch}, subs, now=T0)
    await ch.aclose()
    assert report.sent == 1
    [got] = smtp_server.messages
    assert got.mail_from == "news@brief.example" and got.rcpt_tos == ["ann@example.com"]
    m = got.message
    assert m.get_content_type() == "multipart/alternative"
    plain, related = m.get_payload()  # type: ignore[misc]
    assert plain.get_content_type() == "text/plain"
    assert plain.get_content().strip() == "Meta: up to $135B"
    assert related.get_content_type() == "multipart/related"
    html, image = related.get_payload()
    assert html.get_content_type() == "text/html" and image.get_content_type() == "image/png"
    assert image.get_payload(decode=True) == PNG
    assert image["Content-Disposition"].startswith("inline")
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html.get_content()
    assert m["From"] == "Briefbot <news@brief.example>" and m["To"] == "ann@example.com"
    assert m["Subject"] == "Week 6: AI capex"
    assert m["Date"] and m["Message-ID"].endswith("@brief.example>")
    assert m["List-Id"] == "Briefbot <briefbot.brief.example>"
    assert m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mailto, url = [p.strip().strip("<>") for p in m["List-Unsubscribe"].split(",")]
    assert mailto.startswith("mailto:news@brief.example?subject=unsubscribe")
    assert url.startswith("https://brief.example/unsubscribe/")
    sub = await subs.by_email("ann@example.com")
    assert sub is not None
    assert verify_subscriber(url.rsplit("/", 1)[1], SECRET) == sub.id
    assert verify_subscriber(unquote(mailto).rsplit(" ", 1)[1], SECRET) == sub.id
    assert verify_subscriber(url.rsplit("/", 1)[1], "other-secret") is None


async def test_text_only_message_still_has_an_html_alternative(smtp_server: FakeSMTP) -> None:
    from bot.models import OutboxEntry

    ch = EmailChannel(settings(smtp_server))
    msg = Message(kind="alert", key="alert:1", subject="Alert", text="a < b\n\nsecond")
    await ch.send(OutboxEntry(key="k", channel="email", recipient="x@example.com", payload={}), msg)
    await ch.aclose()
    m: EmailMessage = smtp_server.messages[0].message
    assert [p.get_content_type() for p in m.iter_parts()] == ["text/plain", "text/html"]  # type: ignore[attr-defined]
    assert "a &lt; b" in list(m.iter_parts())[1].get_content()  # type: ignore[attr-defined]
    assert "List-Unsubscribe" not in m  # no subscriber, no unsubscribe link


async def test_451_retries_later_then_sends(store: Store, smtp_server: FakeSMTP) -> None:
    outbox, subs = await setup(store, ["tmp@example.com"], [digest()])
    smtp_server.temp_fail.add("tmp@example.com")
    ch = EmailChannel(settings(smtp_server))
    report = await drain(outbox, {"email": ch}, subs, now=T0)
    assert report.retried == 1 and report.sent == 0
    row = (await outbox.entries())[0]
    assert row.status == "pending" and "451" in (row.error or "")
    assert row.next_attempt is not None and row.next_attempt > T0 + timedelta(seconds=10)
    smtp_server.temp_fail.clear()
    report = await drain(outbox, {"email": ch}, subs, now=row.next_attempt)
    await ch.aclose()
    assert report.sent == 1 and len(smtp_server.messages) == 1


async def test_550_is_permanent_and_three_hard_bounces_disable_email(
    store: Store, smtp_server: FakeSMTP
) -> None:
    alerts = [Message(kind="alert", key=f"alert:{i}", subject=f"A{i}", text="t") for i in range(5)]
    outbox, subs = await setup(store, ["gone@example.com", "ok@example.com"], alerts)
    smtp_server.perm_fail.add("gone@example.com")
    ch = EmailChannel(settings(smtp_server))
    report = await drain(outbox, {"email": ch}, subs, now=T0, concurrency=1, batch=2)
    await ch.aclose()
    assert report.sent == 5 and report.disabled_emails == 1
    gone = await subs.by_email("gone@example.com")
    assert gone is not None and gone.channels == ("telegram",) and gone.status == "active"
    dead = [e for e in await outbox.entries(status="dead") if e.recipient == "gone@example.com"]
    assert len(dead) == 5
    bounced = sum((d.error or "").startswith("SMTP RCPT 550") for d in dead)
    dropped = sum((d.error or "").startswith("dropped: email disabled") for d in dead)
    assert bounced >= 3 and dropped >= 1 and bounced + dropped == 5  # (claimed rows still try)
    assert len(smtp_server.to("ok@example.com")) == 5


async def test_connection_reuse(smtp_server: FakeSMTP) -> None:
    from bot.models import OutboxEntry

    msgs = [Message(kind="alert", key=f"alert:{i}", subject="s", text="t") for i in range(20)]
    for reuse, sessions in ((True, 1), (False, 20)):
        before = smtp_server.sessions
        ch = EmailChannel(settings(smtp_server), pool_size=1, reuse=reuse)
        for i, m in enumerate(msgs):
            e = OutboxEntry(key=f"k{i}", channel="email", recipient=f"r{i}@example.com", payload={})
            await ch.send(e, m)
        await ch.aclose()
        assert smtp_server.sessions - before == sessions
    assert len(smtp_server.messages) == 40


async def test_auth_and_failures_to_connect() -> None:
    import pytest

    from bot.errors import RetryLater
    from bot.models import OutboxEntry

    e = OutboxEntry(key="k", channel="email", recipient="a@example.com", payload={})
    msg = Message(kind="alert", key="a", subject="s", text="t")
    with FakeSMTP(auth=("bot", "s3cret")) as server:
        ok = EmailChannel(settings(server, user="bot", password="s3cret"))
        await ok.send(e, msg)
        await ok.aclose()
        assert server.logins == ["bot"] and len(server.messages) == 1
        bad = EmailChannel(settings(server, user="bot", password="wrong"))
        with pytest.raises(RetryLater, match="login failed"):
            await bad.send(e, msg)
        await bad.aclose()
    down = EmailChannel(SmtpSettings(host="127.0.0.1", port=free_port(), timeout=2))
    with pytest.raises(RetryLater, match="SMTP"):
        await down.send(e, msg)
