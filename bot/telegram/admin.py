"""Admin commands (chats listed in BRIEFBOT_ADMIN_CHAT_IDS): /stats, /feeds, /broadcast.

Anyone else gets "not allowed" and the attempt is logged. /broadcast does not send anything
itself: after the admin presses "Send" it enqueues one outbox row per active Telegram subscriber.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.models import Message, OutboxEntry
from bot.outbox import encode_message, entry_key
from bot.telegram.turn import Turn, handler, log

MAX_BROADCAST = 3500
MAX_PENDING_BROADCASTS = 20  # per admin chat
BROADCAST_TTL = timedelta(days=1)  # an unanswered preview's button goes stale


def admin_only(fn: Callable[[Turn], Awaitable[None]]) -> Any:
    """Run ``fn`` for admins; everyone else gets "not allowed" (and a log line)."""

    async def guarded(turn: Turn) -> None:
        if not turn.is_bot_admin:
            log.warning(
                "admin command refused: chat=%s user=%s text=%r",
                turn.chat.id,
                turn.user_id,
                (turn.update.effective_message.text or "")[:100]
                if turn.update.effective_message
                else "",
            )
            if turn.update.callback_query is not None:
                await turn.answer("not_allowed", alert=True)
            else:
                await turn.say("not_allowed")
            return
        await fn(turn)

    guarded.__name__ = fn.__name__
    guarded.__doc__ = fn.__doc__
    return handler(guarded)


@admin_only
async def stats(turn: Turn) -> None:
    """/stats — subscribers, rules, outbox depth, feed health."""
    await turn.send(turn.text("stats", **(await turn.deps.repo.stats())))


@admin_only
async def feeds(turn: Turn) -> None:
    """/feeds · /feeds add URL [NAME] · /feeds rm ID."""
    word, _, rest = turn.args.partition(" ")
    repo = turn.deps.repo
    if word.lower() in ("add", "添加"):
        url, _, name = rest.strip().partition(" ")
        if (
            not url.lower().startswith(("http://", "https://"))
            or len(url) > 2000
            or not url.isprintable()
        ):
            await turn.say("feed_bad", url=url[:200])
            return
        fid, created = await repo.add_feed(url, name.strip()[:200] or None, turn.now)
        await turn.say("feed_added" if created else "feed_exists", id=fid, url=url)
        return
    if word.lower() in ("rm", "remove", "del", "delete", "删除"):
        raw = rest.strip().lstrip("#")
        if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
            await turn.say("feeds_usage")
            return
        ok = await repo.remove_feed(int(raw))
        await turn.say("feed_removed" if ok else "feed_not_found", id=int(raw))
        return
    if word:
        await turn.say("feeds_usage")
        return
    rows = await repo.feeds()
    if not rows:
        await turn.say("feeds_none")
        return
    lines = [turn.text("feeds_header")]
    for f in rows[:50]:
        health = "✅" if f.failures == 0 and not f.last_error else f"⚠️ {f.failures}×"
        status = f" HTTP {f.last_status}" if f.last_status else ""
        name = f" — {html.escape(f.name, quote=False)}" if f.name else ""
        off = "" if f.enabled else " (off)"
        lines.append(f"#{f.id} {health}{status} {html.escape(f.url[:200], quote=False)}{name}{off}")
    await turn.send("\n".join(lines))


@admin_only
async def broadcast(turn: Turn) -> None:
    """/broadcast TEXT — asks for confirmation, then queues TEXT for every active subscriber."""
    text = turn.args.strip()
    if not text:
        await turn.say("broadcast_usage")
        return
    if len(text) > MAX_BROADCAST:
        await turn.say("too_long", n=len(text), limit=MAX_BROADCAST)
        return
    token = secrets.token_hex(8)
    await turn.deps.repo.hold_broadcast(
        token, turn.chat.id, text, turn.now, keep=MAX_PENDING_BROADCASTS, ttl=BROADCAST_TTL
    )
    n = len(await turn.deps.subs.list_active("telegram"))
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(turn.text("btn_send"), callback_data=f"b:send:{token}"),
                InlineKeyboardButton(turn.text("btn_cancel"), callback_data=f"b:cancel:{token}"),
            ]
        ]
    )
    await turn.say("broadcast_confirm", n=n, text=text, markup=markup)


@admin_only
async def broadcast_button(turn: Turn) -> None:
    """The Send/Cancel button under a /broadcast preview: ``b:<send|cancel>:<token>``."""
    query = turn.update.callback_query
    assert query is not None
    _, action, token = ((query.data or "") + "::").split(":")[:3]
    text = await turn.deps.repo.take_broadcast(token, turn.chat.id)
    if text is None:
        await turn.answer("stale_button", alert=True)
        return
    if action != "send":
        await turn.answer("broadcast_cancelled")
        await turn.edit(turn.text("broadcast_cancelled"))
        return
    subs = await turn.deps.subs.list_active("telegram")
    message = Message(
        kind="notice",
        key=f"broadcast:{token}",
        subject="Briefbot",
        text=text,
        telegram_html=(html.escape(text, quote=False),),
    )
    payload = encode_message(message)
    entries = [
        OutboxEntry(
            key=entry_key(message.key, "telegram", s),
            channel="telegram",
            recipient=str(s.telegram_chat_id),
            subscriber_id=s.id,
            payload=payload,
        )
        for s in subs
        if s.telegram_chat_id is not None
    ]
    await turn.deps.outbox.enqueue(entries, turn.now)
    log.info("broadcast %s queued for %d subscribers by chat %s", token, len(entries), turn.chat.id)
    await turn.answer("broadcast_queued", n=len(entries))
    await turn.edit(turn.text("broadcast_queued", n=len(entries)))
