"""One update's worth of context for a handler: the chat, its subscriber, the language, replies.

Handlers are written as ``async def cmd(turn: Turn) -> None`` and wrapped with ``@handler`` (or
``@handler(changes=True)`` for commands that change a chat's subscription: in groups those are
for the group's admins only). Every reply goes to the chat the update came from — there is no
way for a command to name another chat.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import (
    Chat,
    ChatMember,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.config import Config
from bot.models import Lang, Subscriber
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from bot.store.subscribers import SubscriberRepo
from bot.telegram.i18n import lang_of, t
from bot.telegram.ratelimit import ChatLimiter
from bot.telegram.repo import BotRepo

log = logging.getLogger("briefbot.telegram")
Context = ContextTypes.DEFAULT_TYPE
Canonical = Callable[[str], str | None]
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
GROUP_TYPES = (Chat.GROUP, Chat.SUPERGROUP)
ADMIN_STATUSES = (ChatMember.OWNER, ChatMember.ADMINISTRATOR)


@dataclass
class Deps:
    """Everything handlers use, kept in ``application.bot_data["deps"]``."""

    config: Config
    store: Store
    subs: SubscriberRepo
    outbox: OutboxRepo
    repo: BotRepo
    limiter: ChatLimiter
    clock: Callable[[], datetime]
    canonical: Canonical

    @property
    def admins(self) -> frozenset[int]:
        return frozenset(self.config.env.admin_chat_ids)


def deps_of(context: Context) -> Deps:
    return cast(Deps, context.bot_data["deps"])


@dataclass
class Turn:
    update: Update
    context: Context
    deps: Deps
    chat: Chat
    sub: Subscriber | None
    lang: Lang
    args: str = ""

    @classmethod
    async def of(cls, update: Update, context: Context) -> Turn:
        deps = deps_of(context)
        chat = update.effective_chat
        assert chat is not None  # the gate lets only updates with a chat through
        sub = await deps.subs.by_chat_id(chat.id)
        user = update.effective_user
        lang: Lang = sub.lang if sub else lang_of(user.language_code if user else None)
        return cls(
            update, context, deps, chat, sub, lang, args=command_args(update.effective_message)
        )

    # ---- who is asking -------------------------------------------------------------------

    @property
    def is_group(self) -> bool:
        return self.chat.type in GROUP_TYPES

    @property
    def user_id(self) -> int | None:
        user = self.update.effective_user
        return user.id if user else None

    @property
    def is_bot_admin(self) -> bool:
        """BRIEFBOT_ADMIN_CHAT_IDS lists this private chat, or (in a group) this user."""
        admins = self.deps.admins
        return self.chat.id in admins or (self.user_id is not None and self.user_id in admins)

    async def may_change(self) -> bool:
        """Private chats and channels: yes. Groups: only the group's admins (getChatMember)."""
        if not self.is_group:
            return True
        if self.user_id is None:
            return False
        try:
            member = await self.context.bot.get_chat_member(self.chat.id, self.user_id)
        except TelegramError as e:
            log.warning("getChatMember failed for chat %s: %s", self.chat.id, e)
            return False
        return member.status in ADMIN_STATUSES

    @property
    def now(self) -> datetime:
        return self.deps.clock()

    @property
    def tz(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.sub.timezone if self.sub else "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def local(self, when: datetime) -> str:
        return when.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")

    # ---- replying ------------------------------------------------------------------------

    def text(self, key: str, /, **values: object) -> str:
        return t(self.lang, key, **values)

    async def say(
        self, key: str, /, *, markup: InlineKeyboardMarkup | None = None, **values: object
    ) -> Message:
        return await self.send(self.text(key, **values), markup=markup)

    async def send(self, html: str, *, markup: InlineKeyboardMarkup | None = None) -> Message:
        """Send HTML to this chat (and only this chat)."""
        return await self.context.bot.send_message(
            chat_id=self.chat.id,
            text=html,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
            message_thread_id=_thread(self.update),
        )

    async def edit(self, html: str, *, markup: InlineKeyboardMarkup | None = None) -> None:
        """Replace the text of the message whose button was pressed."""
        query = self.update.callback_query
        if query is None or query.message is None:
            await self.send(html, markup=markup)
            return
        try:
            await self.context.bot.edit_message_text(
                chat_id=self.chat.id,
                message_id=query.message.message_id,
                text=html,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
            )
        except BadRequest as e:  # "message is not modified" when the same button is pressed again
            if "not modified" not in str(e).lower():
                raise

    async def answer(
        self, key: str | None = None, /, *, alert: bool = False, **values: object
    ) -> None:
        """Answer the pressed button (a small toast), if this update is a button press."""
        query = self.update.callback_query
        if query is not None:
            await query.answer(self.text(key, **values) if key else None, show_alert=alert)

    async def need_sub(self) -> Subscriber | None:
        """The chat's subscriber, or None after telling the chat to /start first."""
        if self.sub is None:
            await self.say("not_subscribed")
        return self.sub


def command_args(message: Message | None) -> str:
    """The raw text after the command word (spacing inside kept): "/alert add a  b" -> "add a  b"."""
    text = (message.text or message.caption or "") if message else ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 and text.startswith("/") else ""


def _thread(update: Update) -> int | None:
    msg = update.effective_message
    if msg is not None and msg.is_topic_message:
        return msg.message_thread_id
    return None


def handler(fn: Callable[[Turn], Awaitable[None]] | None = None, *, changes: bool = False) -> Any:
    """Wrap ``async def f(turn)`` as a PTB callback; ``changes=True``: group admins only."""

    def wrap(f: Callable[[Turn], Awaitable[None]]) -> Callable[[Update, Context], Awaitable[None]]:
        async def callback(update: Update, context: Context) -> None:
            turn = await Turn.of(update, context)
            if changes and not await turn.may_change():
                if update.callback_query is not None:
                    await turn.answer("group_admins_only", alert=True)
                else:
                    await turn.say("group_admins_only")
                return
            await f(turn)

        callback.__name__ = f.__name__
        callback.__doc__ = f.__doc__
        return callback

    return wrap(fn) if fn is not None else wrap


def utcnow() -> datetime:
    return datetime.now(UTC)
