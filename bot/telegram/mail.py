"""/email ADDRESS (double opt-in), /confirm CODE, /email off.

``/email`` keeps the address as *pending* in the subscriber's ``extra`` (the ``email`` column
only ever holds a confirmed address, so nobody can squat on someone else's address) and puts a
confirmation email with a 6-digit code and a signed link into the outbox (channel "email").
``/confirm CODE`` — or the link, through ``confirm_link`` for the web app — makes it active:
the address is stored, confirmed, and "email" joins the subscriber's channels.

Abuse limits: at most ``SENDS_PER_DAY`` confirmation emails per subscriber per day, and
``MAX_TRIES`` wrong codes before the pending address is dropped.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.addresses import InvalidEmail, normalize_email
from bot.deliver.tokens import sign_subscriber, verify_subscriber
from bot.models import Message, OutboxEntry, Subscriber
from bot.outbox import encode_message
from bot.store.subscribers import SubscriberRepo
from bot.telegram.i18n import t
from bot.telegram.repo import BotRepo
from bot.telegram.turn import Turn, handler

CODE_TTL = timedelta(hours=24)
MAX_TRIES = 5
SENDS_PER_DAY = 3
MAX_ADDRESS = 254
_OFF = {"off", "none", "stop", "remove", "关闭", "取消"}


@handler(changes=True)
async def email(turn: Turn) -> None:
    """/email you@example.com — link an address; /email off — unlink; /email — the state."""
    sub = await turn.need_sub()
    if sub is None:
        return
    arg = turn.args.strip()
    extra = await turn.deps.repo.extra(sub.id)
    if not arg:
        await turn.say("email_usage", state=_state(turn, sub, extra))
    elif arg.lower() in _OFF:
        await _off(turn, sub)
    else:
        await _link(turn, sub, extra, arg)


async def _link(turn: Turn, sub: Subscriber, extra: dict[str, Any], arg: str) -> None:
    deps, now = turn.deps, turn.now
    shown = arg if len(arg) <= 80 else arg[:79] + "…"
    if len(arg) > MAX_ADDRESS or " " in arg:
        await turn.say("email_bad", addr=shown)
        return
    try:
        addr = normalize_email(arg)
    except InvalidEmail:
        await turn.say("email_bad", addr=shown)
        return
    if sub.email == addr and sub.email_confirmed:
        await turn.say("email_usage", state=_state(turn, sub, extra))
        return
    recent = [s for s in extra.get("email_sends", []) if _parse(s) > now - timedelta(days=1)]
    if len(recent) >= SENDS_PER_DAY:
        await turn.say("slow_down")
        return
    # A taken address gets the same reply and the same amount of work (one pending, one email):
    # the chat never learns whether someone else uses it; the address's owner is told instead.
    other = await deps.subs.by_email(addr)
    taken = other is not None and other.id != sub.id and other.email_confirmed
    code = f"{secrets.randbelow(10**6):06d}"
    secret = deps.config.env.secret_key
    mac = _mac(secret, sub.id, addr, code)
    stored_mac = "taken:" + secrets.token_hex(16) if taken else mac  # taken: no code matches
    pending = {
        "email": addr,
        "mac": stored_mac,
        "expires": (now + CODE_TTL).isoformat(),
        "tries": 0,
    }
    await deps.repo.merge_extra(
        sub.id, email_pending=pending, email_sends=[*recent, now.isoformat()]
    )
    link = confirm_url(deps.config.env.public_url, sub.id, secret, mac)
    if taken:  # in the owner's language; no code: the address stays theirs
        assert other is not None
        body = t(other.lang, "taken_mail_text")
        subject = t(other.lang, "taken_mail_subject")
    else:
        body = t(
            turn.lang,
            "confirm_mail_text",
            code=code,
            link=link,
            hours=int(CODE_TTL.total_seconds() // 3600),
        )
        subject = t(turn.lang, "confirm_mail_subject")
    message = Message(
        kind="notice",
        key=f"email-confirm:{sub.key}:{mac[:16]}",
        subject=subject,
        text=_unescape(body),
    )
    entry = OutboxEntry(
        key=f"{message.key}:email",
        channel="email",
        recipient=addr,
        subscriber_id=None if taken else sub.id,  # no unsubscribe link of the asker's
        payload=encode_message(message),
    )
    await deps.outbox.enqueue([entry], now)
    await turn.say("email_sent", addr=addr)


async def _off(turn: Turn, sub: Subscriber) -> None:
    deps, now = turn.deps, turn.now
    channels = tuple(c for c in sub.channels if c != "email") or ("telegram",)
    await deps.subs.update(sub.id, now, email=None, email_confirmed=False, channels=channels)
    await deps.repo.merge_extra(sub.id, email_pending=None)
    await deps.outbox.drop_pending_for_subscriber(sub.id, "email unlinked", now, channel="email")
    await turn.say("email_off")


@handler(changes=True)
async def confirm(turn: Turn) -> None:
    """/confirm CODE — the 6 digits from the confirmation email."""
    sub = await turn.need_sub()
    if sub is None:
        return
    code = turn.args.replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        await turn.say("confirm_usage")
        return
    deps = turn.deps
    result = await check_code(deps.subs, deps.repo, deps.config.env.secret_key, sub, code, turn.now)
    if isinstance(result, int):
        await turn.say("confirm_bad", left=result)
    elif result is None:
        await turn.say("confirm_none")
    elif result == "":
        await turn.say("email_taken")
    else:
        await turn.say("confirm_ok", addr=result)


async def check_code(
    subs: SubscriberRepo, repo: BotRepo, secret: str, sub: Subscriber, code: str, now: datetime
) -> str | int | None:
    """The confirmed address; an int = wrong code (tries left); None = nothing pending;
    "" = the address was confirmed by another subscriber meanwhile."""
    pending = (await repo.extra(sub.id)).get("email_pending")
    if not isinstance(pending, dict) or _parse(pending.get("expires", "")) < now:
        return None
    addr = str(pending["email"])
    if not hmac.compare_digest(str(pending["mac"]), _mac(secret, sub.id, addr, code)):
        tries = int(pending.get("tries", 0)) + 1
        left = MAX_TRIES - tries
        await repo.merge_extra(
            sub.id, email_pending={**pending, "tries": tries} if left > 0 else None
        )
        return left if left > 0 else None
    return await _activate(subs, repo, sub, addr, now)


async def confirm_link(
    subs: SubscriberRepo, repo: BotRepo, secret: str, token: str, now: datetime
) -> str | None:
    """For the web app's ``/email/confirm/{token}``: the confirmed address, or None."""
    sid = verify_subscriber(
        token.partition("~")[0], secret, purpose=_purpose(token.partition("~")[2])
    )
    if sid is None:
        return None
    sub = await subs.get(sid)
    pending = (await repo.extra(sid)).get("email_pending") if sub else None
    if sub is None or not isinstance(pending, dict) or _parse(pending.get("expires", "")) < now:
        return None
    if not hmac.compare_digest(str(pending["mac"])[:16], token.partition("~")[2]):
        return None
    return await _activate(subs, repo, sub, str(pending["email"]), now) or None


def confirm_url(public_url: str, subscriber_id: int, secret: str, mac: str) -> str:
    """``{public_url}/email/confirm/<subscriber token>~<code fingerprint>``."""
    tag = mac[:16]
    token = sign_subscriber(subscriber_id, secret, purpose=_purpose(tag))
    return f"{public_url.rstrip('/')}/email/confirm/{token}~{tag}"


async def _activate(
    subs: SubscriberRepo, repo: BotRepo, sub: Subscriber, addr: str, now: datetime
) -> str:
    other = await subs.by_email(addr)
    if other is not None and other.id != sub.id:
        if other.email_confirmed:
            return ""
        # an unconfirmed claim yields to a confirmed one
        await subs.update(other.id, now, email=None)
    channels = tuple(dict.fromkeys((*sub.channels, "email")))
    await subs.update(sub.id, now, email=addr, email_confirmed=True, channels=channels)
    await repo.merge_extra(sub.id, email_pending=None)
    return addr


def _state(turn: Turn, sub: Subscriber, extra: dict[str, Any]) -> str:
    pending = extra.get("email_pending")
    if isinstance(pending, dict) and _parse(pending.get("expires", "")) >= turn.now:
        return turn.text("email_state_pending", addr=pending.get("email", ""))
    if sub.email and sub.email_confirmed:
        return turn.text("email_state_on", addr=sub.email)
    return turn.text("email_state_none")


def _mac(secret: str, subscriber_id: int, addr: str, code: str) -> str:
    msg = f"briefbot:email-code:{subscriber_id}:{addr}:{code}".encode()
    return hmac.new(secret.encode("utf-8"), msg, hashlib.sha256).hexdigest()


def _purpose(tag: str) -> str:
    return f"confirm-email:{tag}"


def _parse(iso: object) -> datetime:
    try:
        d = datetime.fromisoformat(str(iso))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _unescape(text: str) -> str:
    return html.unescape(text)
