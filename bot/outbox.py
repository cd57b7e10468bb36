"""Outbox planning (pure): messages x recipients -> OutboxEntry rows with idempotency keys.

Every message to every recipient on every channel is one row whose ``key`` says what it is::

    digest:2026-W06:sub-42:email        alert:rule-7:meta|capex|...:sub-3:telegram
    digest:2026-W06:file                (one copy for the file channel, no subscriber)

Enqueuing the same key twice is a no-op in the store, so planning twice never sends twice.
The payload is the rendered ``Message`` as JSON (``encode_message``/``decode_message``), so a row
can be sent after a restart without re-rendering. This module also holds the retry policy and
the ``outbox status`` value and its formatting; it imports no store, network or clock.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import random
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.models import Message, OutboxEntry, Subscriber

CHANNELS: tuple[str, ...] = ("telegram", "email", "file")
FILE_RECIPIENT = "digests"
MAX_KEY = 600


def entry_key(message_key: str, channel: str, subscriber: Subscriber | None = None) -> str:
    """``<message key>:sub-<id>:<channel>`` (``<message key>:file`` without a subscriber)."""
    key = f"{message_key}:{subscriber.key}:{channel}" if subscriber else f"{message_key}:{channel}"
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"{key[: MAX_KEY - 34]}#{digest}"


def recipient_of(
    subscriber: Subscriber, channel: str, *, require_confirmed: bool = True
) -> str | None:
    """The address of ``subscriber`` on ``channel``, or None if they cannot get messages there."""
    if channel == "telegram":
        return None if subscriber.telegram_chat_id is None else str(subscriber.telegram_chat_id)
    if channel == "email":
        if not subscriber.email or (require_confirmed and not subscriber.email_confirmed):
            return None
        return subscriber.email
    return None


def plan(
    messages: Iterable[Message],
    subscribers: Iterable[Subscriber],
    *,
    channels: Collection[str] = CHANNELS,
    now: datetime | None = None,
    require_confirmed_email: bool = True,
) -> list[OutboxEntry]:
    """One entry per (message, active subscriber, channel they chose and we can send on).

    ``channels`` are the channels available (e.g. ``build_channels(config).keys()``); when it
    contains ``"file"`` every message also gets one file entry. Alerts skip subscribers muted at
    ``now``. Order is message-major (message 1 to everyone, then message 2), which spreads a
    fan-out over many chats and so suits per-chat flood limits.
    """
    subs = [s for s in subscribers if s.status == "active"]
    out: list[OutboxEntry] = []
    for message in messages:
        payload = encode_message(message)
        if "file" in channels:
            out.append(
                OutboxEntry(
                    key=entry_key(message.key, "file"),
                    channel="file",
                    recipient=FILE_RECIPIENT,
                    payload=payload,
                )
            )
        for sub in subs:
            if message.kind == "alert" and _muted(sub, now):
                continue
            for channel in sub.channels:
                if channel == "file" or channel not in channels:
                    continue
                rcpt = recipient_of(sub, channel, require_confirmed=require_confirmed_email)
                if rcpt is None:
                    continue
                out.append(
                    OutboxEntry(
                        key=entry_key(message.key, channel, sub),
                        channel=channel,
                        recipient=rcpt,
                        subscriber_id=sub.id,
                        # the email's List-Unsubscribe link is signed for this version
                        payload={**payload, TOKEN_VERSION: sub.token_version}
                        if channel == "email" and sub.token_version
                        else payload,
                    )
                )
    return out


def _muted(sub: Subscriber, now: datetime | None) -> bool:
    return sub.muted_until is not None and now is not None and sub.muted_until > now


# ---- payload codec ---------------------------------------------------------------------------


TOKEN_VERSION = "token_version"  # payload key: the subscriber's token version (email entries)


def encode_message(message: Message) -> dict[str, Any]:
    """The JSON form of a rendered message (``chart_png`` as base64)."""
    data = message.model_dump(mode="python")
    data["telegram_html"] = list(message.telegram_html)
    png = data.pop("chart_png")
    data["chart_png_b64"] = base64.b64encode(png).decode("ascii") if png else None
    return data


def decode_message(payload: Mapping[str, Any]) -> Message:
    """Inverse of ``encode_message``; raises ``ValueError`` for a payload that is not one."""
    data = dict(payload)
    data.pop(TOKEN_VERSION, None)
    b64 = data.pop("chart_png_b64", None)
    data["chart_png"] = base64.b64decode(b64) if b64 else None
    data["telegram_html"] = tuple(data.get("telegram_html") or ())
    return Message.model_validate(data)


# ---- shared bodies ---------------------------------------------------------------------------
#
# A weekly digest goes to many subscribers who read the same variant (language, followed
# entities and metrics): its body (text, HTML, Telegram parts, the chart) is stored once per
# variant (``message_bodies``) and each outbox row holds only a reference and what is personal
# (its unsubscribe and manage links), a few hundred bytes instead of ~65 KB. The body is
# rendered with the placeholder links below; ``personalize`` puts the row's own links in.

SHARED_UNSUB = "https://briefbot.invalid/shared-body/unsubscribe"
SHARED_MANAGE = "https://briefbot.invalid/shared-body/manage"
_HTML_FIELDS = ("html", "markdown")


def shared_payload(
    body_key: str, unsubscribe_url: str | None, manage_url: str | None, token_version: int = 0
) -> dict[str, Any]:
    """An outbox payload that refers to a stored body and carries only the personal links."""
    return {
        "body": body_key,
        "personal": {"u": unsubscribe_url, "m": manage_url, "v": token_version},
    }


def body_key_of(payload: Mapping[str, Any]) -> str | None:
    """The stored body a payload refers to (None for a self-contained payload)."""
    key = payload.get("body")
    return key if isinstance(key, str) else None


def personalize(body: Mapping[str, Any], personal: Mapping[str, Any]) -> dict[str, Any]:
    """The full payload of one row: the shared ``body`` with the row's links in place of the
    placeholders (HTML-escaped in HTML fields; a missing link removes nothing: its template
    branch was rendered only when the variant had one)."""
    out = dict(body)
    if personal.get("v"):  # the subscriber's link version (List-Unsubscribe signs it too)
        out["token_version"] = personal["v"]
    for placeholder, url in ((SHARED_UNSUB, personal.get("u")), (SHARED_MANAGE, personal.get("m"))):
        if not url:
            continue
        esc = html_lib.escape(str(url), quote=True)
        if isinstance(out.get("text"), str):
            out["text"] = out["text"].replace(placeholder, str(url))
        for name in _HTML_FIELDS:
            if isinstance(out.get(name), str):
                out[name] = out[name].replace(placeholder, esc)
        if out.get("telegram_html"):
            out["telegram_html"] = [p.replace(placeholder, esc) for p in out["telegram_html"]]
    return out


# ---- retry policy ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: attempt n waits ``base * factor**(n-1)``, capped at
    ``cap``, times a random factor in ``[1 - jitter, 1]``. After ``max_attempts`` a row is dead.

    ``RetryPolicy(base=30, cap=3600)`` -> 15-30 s, 30-60 s, 60-120 s, ... up to an hour.
    """

    base: float = 30.0
    factor: float = 2.0
    cap: float = 3600.0
    jitter: float = 0.5
    max_attempts: int = 12

    def delay(self, attempts: int, rand: Callable[[], float] = random.random) -> float:
        raw = min(self.cap, self.base * self.factor ** max(attempts - 1, 0))
        return raw * (1.0 - self.jitter * rand())

    def next_attempt(
        self,
        attempts: int,
        now: datetime,
        retry_after: float | None = None,
        rand: Callable[[], float] = random.random,
    ) -> datetime | None:
        """When to try again, or None when the row should give up (go dead).

        A server's ``retry_after`` is honoured exactly (never earlier), not added to backoff.
        """
        if retry_after is None and attempts >= self.max_attempts:
            return None
        if retry_after is not None:
            return now + timedelta(seconds=max(retry_after, 0.0))
        return now + timedelta(seconds=self.delay(attempts, rand))


# ---- status ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecentError:
    key: str
    channel: str
    status: str
    attempts: int
    error: str
    at: datetime | None


@dataclass(frozen=True)
class OutboxStatus:
    """What ``briefbot outbox status`` shows: counts by (state, channel), due work, errors."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    due_now: int = 0
    oldest_due: datetime | None = None
    expired_leases: int = 0
    recent_errors: tuple[RecentError, ...] = ()

    def total(self, status: str | None = None, channel: str | None = None) -> int:
        return sum(
            n
            for (s, c), n in self.counts.items()
            if (status is None or s == status) and (channel is None or c == channel)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "counts": [
                {"status": s, "channel": c, "rows": n} for (s, c), n in sorted(self.counts.items())
            ],
            "due_now": self.due_now,
            "oldest_due": self.oldest_due.isoformat() if self.oldest_due else None,
            "expired_leases": self.expired_leases,
            "recent_errors": [
                {
                    "key": e.key,
                    "channel": e.channel,
                    "status": e.status,
                    "attempts": e.attempts,
                    "error": e.error,
                    "at": e.at.isoformat() if e.at else None,
                }
                for e in self.recent_errors
            ],
        }


STATES = ("pending", "sending", "sent", "dead")


def format_status(status: OutboxStatus, now: datetime | None = None) -> str:
    """A small table for people: rows per state and channel, then due work and recent errors."""
    channels = sorted({c for _, c in status.counts} | {"telegram", "email", "file"})
    lines = [f"{'channel':<10}" + "".join(f"{s:>9}" for s in STATES)]
    for ch in channels:
        lines.append(f"{ch:<10}" + "".join(f"{status.counts.get((s, ch), 0):>9}" for s in STATES))
    lines.append(f"{'total':<10}" + "".join(f"{status.total(s):>9}" for s in STATES))
    if status.oldest_due is None:
        lines.append("due now: 0 (nothing pending)")
    else:
        age = ""
        if now is not None:
            secs = (now - status.oldest_due).total_seconds()
            age = f" ({_ago(secs)})"
        lines.append(f"due now: {status.due_now}; oldest due {status.oldest_due.isoformat()}{age}")
    if status.expired_leases:
        lines.append(f"expired leases (worker died while sending): {status.expired_leases}")
    if status.recent_errors:
        lines.append("recent errors:")
        for e in status.recent_errors:
            when = e.at.isoformat(timespec="seconds") if e.at else "?"
            lines.append(f"  {when} {e.status:<7} {e.channel:<8} x{e.attempts} {e.key}: {e.error}")
    return "\n".join(lines)


def _ago(secs: float) -> str:
    if secs < 0:
        return f"in {_span(-secs)}"
    return f"{_span(secs)} ago"


def _span(secs: float) -> str:
    if secs < 120:
        return f"{secs:.0f}s"
    if secs < 7200:
        return f"{secs / 60:.0f}m"
    return f"{secs / 3600:.1f}h"
