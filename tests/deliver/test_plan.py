"""Planning (pure): idempotency keys, who gets what, the payload codec, the retry policy."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.deliver.tokens import sign_subscriber, unsubscribe_url, verify_subscriber
from bot.models import Message, Subscriber
from bot.outbox import MAX_KEY, RetryPolicy, decode_message, encode_message, entry_key, plan

T0 = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)
DIGEST = Message(kind="digest", key="digest:2026-W06", subject="W6", text="t",
                 telegram_html=("<b>a</b>",), chart_png=b"\x89PNG\x00\xff")  # fmt: skip
ALERT = Message(kind="alert", key="alert:rule-7:meta|capex", subject="A", text="t")


def test_keys_and_recipients() -> None:
    subs = [
        Subscriber(id=42, telegram_chat_id=7, email="a@x.org", email_confirmed=True,
                   channels=("telegram", "email")),
        Subscriber(id=43, email="b@x.org", email_confirmed=False, channels=("email",)),
        Subscriber(id=44, telegram_chat_id=9, status="blocked"),
        Subscriber(id=45, telegram_chat_id=10, muted_until=T0 + timedelta(hours=1)),
    ]  # fmt: skip
    entries = plan([DIGEST, ALERT], subs, channels=("telegram", "email", "file"), now=T0)
    assert [(e.key, e.recipient) for e in entries] == [
        ("digest:2026-W06:file", "digests"),
        ("digest:2026-W06:sub-42:telegram", "7"),
        ("digest:2026-W06:sub-42:email", "a@x.org"),
        ("digest:2026-W06:sub-45:telegram", "10"),
        ("alert:rule-7:meta|capex:file", "digests"),
        ("alert:rule-7:meta|capex:sub-42:telegram", "7"),
        ("alert:rule-7:meta|capex:sub-42:email", "a@x.org"),
    ]
    assert plan([DIGEST], subs, channels=("telegram",)) == plan(
        [DIGEST], subs, channels=("telegram",)
    )
    assert len(entry_key("x" * 2000, "email")) <= MAX_KEY


def test_payload_round_trip() -> None:
    assert decode_message(encode_message(DIGEST)) == DIGEST
    import json

    assert decode_message(json.loads(json.dumps(encode_message(ALERT)))) == ALERT


def test_retry_policy() -> None:
    p = RetryPolicy(base=30, cap=3600, jitter=0.5, max_attempts=5)
    rng = random.Random(1)
    delays = [p.delay(n, rng.random) for n in range(1, 10)]
    assert all(15 <= d <= 30 for d in delays[:1]) and max(delays) <= 3600
    assert p.next_attempt(5, T0) is None
    assert p.next_attempt(9, T0, retry_after=3) == T0 + timedelta(seconds=3)


def test_tokens() -> None:
    tok = sign_subscriber(42, "k")
    assert verify_subscriber(tok, "k") == 42
    assert verify_subscriber(tok, "other") is None
    assert verify_subscriber(tok.replace("42.", "43."), "k") is None
    assert verify_subscriber(sign_subscriber(42, "k", "confirm"), "k") is None
    assert verify_subscriber("garbage", "k") is None
    assert unsubscribe_url("https://b.example/", 42, "k") == f"https://b.example/unsubscribe/{tok}"
