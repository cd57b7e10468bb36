"""/start (subscribe; deep-link payload kept), /stop (unsubscribe; rules kept), /resume,
and the ``my_chat_member`` update Telegram sends when a user blocks the bot.

Stopping or being blocked drops the subscriber's pending outbox rows at once, so /stop then
/resume does not dump a backlog.
"""

from __future__ import annotations

import re

from telegram import ChatMember, Update

from bot.config import WEEKDAYS
from bot.telegram.figures import top_block, top_of_latest
from bot.telegram.i18n import WEEKDAYS as DAY_NAMES
from bot.telegram.prefs import show_zone
from bot.telegram.turn import Context, Turn, deps_of, handler, log

_REF = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what Telegram allows in a start parameter


@handler
async def start(turn: Turn) -> None:
    """/start [payload] — subscribe this chat (weekly digest on) and show the top figures."""
    deps, sub = turn.deps, turn.sub
    ref = turn.args if _REF.match(turn.args) else None
    if sub is not None and sub.status == "active":
        key = "welcome_back"
    else:
        if not await turn.may_change():
            await turn.say("group_admins_only")
            return
        key = "welcome"
        if sub is None:
            schedule = deps.config.file.schedule
            sub, _ = await deps.subs.ensure_telegram(
                turn.chat.id,
                turn.now,
                lang=turn.lang,
                timezone=schedule.timezone,
                digest_weekday=WEEKDAYS.index(schedule.digest_weekday),
                digest_time=schedule.digest_time,
            )
        else:
            sub = await deps.subs.update(sub.id, turn.now, status="active") or sub
        turn.sub = sub
    if ref is not None:
        extra = await deps.repo.extra(sub.id)
        await deps.repo.merge_extra(sub.id, ref=extra.get("ref") or ref, last_ref=ref)
    top = await top_of_latest(deps.store, turn.lang)
    await turn.send(
        turn.text(
            key,
            day=DAY_NAMES[turn.lang][sub.digest_weekday % 7],
            time=sub.digest_time,
            tz=show_zone(sub.timezone),
        )
        + top_block(turn, top)
        + turn.text("start_next")
    )


@handler(changes=True)
async def stop(turn: Turn) -> None:
    """/stop — unsubscribe from everything; alert rules are kept for a return."""
    sub = await turn.need_sub()
    if sub is None:
        return
    if sub.status == "stopped":
        await turn.say("already_stopped")
        return
    deps = turn.deps
    await deps.subs.set_status(sub.id, "stopped", turn.now)
    await deps.outbox.drop_pending_for_subscriber(sub.id, "subscriber stopped", turn.now)
    rules = await deps.store.rules(sub.id)
    await turn.say("stopped", n=len(rules))


@handler(changes=True)
async def resume(turn: Turn) -> None:
    """/resume — back after /stop (nothing from the pause is re-sent)."""
    sub = await turn.need_sub()
    if sub is None:
        return
    if sub.status == "active":
        await turn.say("not_stopped")
        return
    await turn.deps.subs.set_status(sub.id, "active", turn.now)
    await turn.say("resumed")


async def member_changed(update: Update, context: Context) -> None:
    """The bot was blocked/kicked in a chat: mark its subscriber blocked, drop pending rows."""
    change = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    if status not in (ChatMember.BANNED, ChatMember.LEFT):
        return
    deps = deps_of(context)
    sub = await deps.subs.by_chat_id(change.chat.id)
    if sub is None or sub.status == "blocked":
        return
    now = deps.clock()
    await deps.subs.mark_blocked(sub.id, now)
    await deps.outbox.drop_pending_for_subscriber(sub.id, "bot blocked by the chat", now)
    log.info("chat %s blocked the bot; subscriber %s marked blocked", change.chat.id, sub.id)
