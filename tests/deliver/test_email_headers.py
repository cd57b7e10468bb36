"""Header injection through user-influenced text (issue 18, high 1): a keyword rule or a feed
headline that carries an RFC 2047 encoded-word or CR/LF must never add a header or a body."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import SMTP as SMTP_POLICY
from email.policy import default as DEFAULT_POLICY

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.deliver.email import EmailChannel, SmtpSettings, build_email, header_text
from bot.deliver.worker import drain
from bot.models import Message
from bot.outbox import plan
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from bot.store.subscribers import SubscriberRepo
from tests.fakes.smtp import FakeSMTP

T0 = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)
ATTACK = "Alert: keyword /Zeta|x =?UTF-8?Q?=0D=0AReply-To:_attacker@evil.example?= y/"
SETTINGS = SmtpSettings(host="127.0.0.1", port=25, mail_from="Briefbot <news@brief.example>",
                        public_url="https://brief.example", secret_key="k", timeout=5)  # fmt: skip
EXPECTED_HEADERS = {
    "From", "To", "Subject", "Date", "Message-ID", "List-Id", "List-Unsubscribe",
    "List-Unsubscribe-Post", "Auto-Submitted", "MIME-Version", "Content-Type",
}  # fmt: skip


def _wire(subject: str, text: str = "body text") -> bytes:
    msg = Message(kind="alert", key="alert:1", subject=subject, text=text)
    built = build_email(msg, to="ann@example.com", settings=SETTINGS, key="k1", subscriber_id=7,
                        now=T0)  # fmt: skip
    return built.as_bytes(policy=SMTP_POLICY)


def test_an_encoded_word_in_the_subject_adds_no_header() -> None:
    wire = _wire(ATTACK)
    head = wire.split(b"\r\n\r\n", 1)[0]
    assert b"Reply-To" not in head.replace(b"\r\n ", b" ").split(b"Subject:")[0]
    parsed = message_from_bytes(wire, policy=DEFAULT_POLICY)
    assert parsed["Reply-To"] is None
    assert set(parsed.keys()) <= EXPECTED_HEADERS
    assert "\n" not in str(parsed["Subject"]) and "\r" not in str(parsed["Subject"])
    assert "Zeta" in str(parsed["Subject"])


def test_raw_crlf_in_the_subject_is_folded_away() -> None:
    parsed = message_from_bytes(_wire("Hi\r\nBcc: victim@example.com\r\n\r\nforged body"),
                                policy=DEFAULT_POLICY)  # fmt: skip
    assert parsed["Bcc"] is None
    assert parsed.get_body(("plain",)).get_content().strip() == "body text"  # type: ignore[union-attr]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=12),
            st.sampled_from(["\r", "\n", "\r\n", "=?", "?=", "=?UTF-8?Q?=0D=0AX-Evil:_1?=",
                             "=?utf-8?b?DQpYLUV2aWw6IDE=?=", "\u202e", "\x1b[31m", "Reply-To: a@b.c",
                             "\x00", "\x85", "\u2028"]),
        ),
        max_size=12,
    ).map("".join)
)  # fmt: skip
def test_no_subject_text_adds_a_header_or_changes_the_body(subject: str) -> None:
    parsed = message_from_bytes(_wire(subject), policy=DEFAULT_POLICY)
    assert set(parsed.keys()) <= EXPECTED_HEADERS
    assert len(parsed.get_all("Subject") or []) == 1
    decoded = str(parsed["Subject"])
    assert "\r" not in decoded and "\n" not in decoded
    assert parsed.get_body(("plain",)).get_content().strip() == "body text"  # type: ignore[union-attr]


def test_header_text_keeps_ordinary_text() -> None:
    assert header_text("Briefbot: Meta capex up to $135B (2026)") == (
        "Briefbot: Meta capex up to $135B (2026)"
    )
    assert header_text("提醒：腾讯 2025 年前三季 capex 597 亿人民币") == (
        "提醒：腾讯 2025 年前三季 capex 597 亿人民币"
    )


async def test_the_attack_over_real_smtp(store: Store, smtp_server: FakeSMTP) -> None:
    outbox, subs = OutboxRepo(store.engine), SubscriberRepo(store.engine)
    ann = await subs.create(T0, email="ann@example.com", email_confirmed=True, channels=("email",))
    msg = Message(kind="alert", key="alert:attack", subject=ATTACK, text="Zeta figure")
    await outbox.enqueue(plan([msg], [ann], channels=("email",)), T0)
    ch = EmailChannel(SmtpSettings(host=smtp_server.host, port=smtp_server.port,
                                   mail_from="Briefbot <news@brief.example>",
                                   public_url="https://brief.example", secret_key="k", timeout=5))  # fmt: skip
    report = await drain(outbox, {"email": ch}, subs, now=T0)
    await ch.aclose()
    assert report.sent == 1
    [got] = smtp_server.messages
    assert got.message["Reply-To"] is None
    assert set(got.message.keys()) <= EXPECTED_HEADERS | {"X-Peer", "X-MailFrom", "X-RcptTo"}
