"""The chat bot: a python-telegram-bot ``Application`` wired to the store, rules and outbox.

    build_application(config, store)   -> Application (handlers, menu commands, error handler)
    run_bot(config, store, stop)        initialize -> start -> polling (or webhook) -> stop

Update flow: the *gate* (handler group -1) drops what is not addressed to the bot (group chatter,
commands for other bots), applies the per-chat rate limit (one "slow down" per burst) and the
input length limit; then exactly one handler of group 0 answers: a command, a button press, the
edited-message note, or the unknown-command / free-text hint. Replies go straight to the chat
the update came from; alerts, digests, confirmation emails and broadcasts go through the outbox.

Webhook mode (BRIEFBOT_WEBHOOK_URL set): ``run_bot`` registers the webhook with a secret token
and does not poll; the web app passes each POST to ``feed_webhook`` (same event loop).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Config
from bot.deliver import tokens
from bot.deliver.pacing import Pacer
from bot.deliver.telegram import api_urls, short_error
from bot.errors import ConfigError
from bot.extract.entities import load_lexicon
from bot.store.outbox import OutboxRepo
from bot.store.store import Store
from bot.store.subscribers import SubscriberRepo
from bot.telegram import admin, alerts, figures, help, mail, settings, start
from bot.telegram.i18n import ADMIN_COMMANDS, COMMANDS, lang_of, t
from bot.telegram.pacing import PacedReplies
from bot.telegram.ratelimit import ChatLimiter
from bot.telegram.repo import BotRepo
from bot.telegram.turn import Context, Deps, deps_of, handler, log, utcnow
from bot.telegram.updates import ChatOrderedProcessor

MAX_INPUT = 1000  # characters in one message (rules, addresses, names are far shorter)

_COMMANDS: dict[str, Callable[..., Any]] = {
    "start": start.start,
    "stop": start.stop,
    "resume": start.resume,
    "digest": figures.digest,
    "latest": figures.latest,
    "figures": figures.figures,
    "alert": alerts.alert,
    "alerts": alerts.alerts,
    "email": mail.email,
    "confirm": mail.confirm,
    "settings": settings.settings,
    "timezone": settings.timezone,
    "time": settings.digest_time,
    "follow": settings.follow,
    "unfollow": settings.unfollow,
    "quiet": settings.quiet,
    "mute": settings.mute,
    "unmute": settings.unmute,
    "help": help.help_,
    "stats": admin.stats,
    "feeds": admin.feeds,
    "broadcast": admin.broadcast,
}


def build_application(
    config: Config,
    store: Store,
    *,
    base_url: str | None = None,
    limiter: ChatLimiter | None = None,
    clock: Callable[[], datetime] = utcnow,
    pacer: Pacer | None = None,
) -> Application:
    """The bot, ready for ``initialize()``; ``base_url`` overrides BRIEFBOT_TELEGRAM_BASE_URL.
    ``pacer``: the outbox's Telegram pacer, which replies then share (``PacedReplies``)."""
    token = config.env.telegram_token
    if not token:
        raise ConfigError("BRIEFBOT_TELEGRAM_TOKEN is not set (the Telegram bot needs it)")
    api, files = api_urls(base_url or config.env.telegram_base_url)
    builder = (
        Application.builder()
        .token(token)
        .base_url(api)
        .base_file_url(files)
        .concurrent_updates(ChatOrderedProcessor())  # concurrent across chats, ordered within
    )
    if pacer is not None:  # replies share the outbox's send budget
        builder = builder.rate_limiter(PacedReplies(pacer))
    app = builder.build()
    entities = config.entities_path
    lexicon = load_lexicon(entities if entities is not None and entities.exists() else None)
    app.bot_data["deps"] = Deps(
        config=config,
        store=store,
        subs=SubscriberRepo(store.engine),
        outbox=OutboxRepo(store.engine),
        repo=BotRepo(store.engine),
        limiter=limiter or ChatLimiter(),
        clock=clock,
        canonical=lexicon.canonical,
    )
    _add_handlers(app)
    return app


def _add_handlers(app: Application) -> None:
    new = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
    app.add_handler(TypeHandler(Update, _once), group=-2)
    app.add_handler(TypeHandler(Update, _gate), group=-1)
    for name, callback in _COMMANDS.items():
        app.add_handler(CommandHandler(name, callback, filters=new))
    app.add_handler(CallbackQueryHandler(alerts.button, pattern=r"^a:"))
    app.add_handler(CallbackQueryHandler(settings.button, pattern=r"^s:"))
    app.add_handler(CallbackQueryHandler(admin.broadcast_button, pattern=r"^b:"))
    app.add_handler(CallbackQueryHandler(_stale_button))
    app.add_handler(ChatMemberHandler(start.member_changed, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED, help.edited))
    app.add_handler(MessageHandler(filters.COMMAND & new, help.unknown))
    app.add_handler(MessageHandler(new, help.free_text))
    app.add_error_handler(_on_error)


@handler
async def _stale_button(turn: Any) -> None:
    await turn.answer("stale_button", alert=True)


# ---- the gate ------------------------------------------------------------------------------


async def _once(update: Update, context: Context) -> None:
    """Group -2: each update id is handled once, by whichever replica records it first (a
    webhook retry that reached another replica; updates a new leader fetches again)."""
    seen = deps_of(context).store.replicas
    if not await seen.first_sight(update.update_id):
        log.info("update %s already handled; skipped", update.update_id)
        raise ApplicationHandlerStop


async def _gate(update: Update, context: Context) -> None:
    """Group -1: drop what is not for us; rate limit; length limit. Stops the update if needed."""
    chat = update.effective_chat
    if update.my_chat_member is not None:
        return
    query, msg = update.callback_query, update.effective_message
    if chat is None or (query is None and msg is None):
        raise ApplicationHandlerStop
    if (
        query is None
        and msg is not None
        and not addressed_to_bot(msg, context.bot.username, context.bot.id)
    ):
        raise ApplicationHandlerStop
    deps = deps_of(context)
    verdict = deps.limiter.check(chat.id)
    if verdict != "ok":
        if verdict == "warn":
            log.info("rate limit: chat %s slowed down", chat.id)
            await _notice(update, context, "slow_down")
        elif query is not None:
            await query.answer()
        raise ApplicationHandlerStop
    text = (msg.text or msg.caption or "") if (msg is not None and query is None) else ""
    if len(text) > MAX_INPUT:
        await _notice(update, context, "too_long", n=len(text), limit=MAX_INPUT)
        raise ApplicationHandlerStop


def addressed_to_bot(msg: Message, username: str, bot_id: int) -> bool:
    """Private chats: everything. Groups: commands (without @suffix or with ours), mentions and
    replies to the bot. Channels: commands only. A command for another bot is never ours."""
    text = msg.text or msg.caption or ""
    ents = msg.entities or msg.caption_entities or ()
    first = ents[0] if ents else None
    if first is not None and first.type == MessageEntity.BOT_COMMAND and first.offset == 0:
        _, _, suffix = text[1 : first.length].partition("@")
        return not suffix or suffix.lower() == username.lower()
    if msg.chat.type == ChatType.PRIVATE:
        return True
    if msg.chat.type == ChatType.CHANNEL:
        return False
    replied = msg.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return True
    return f"@{username}".lower() in text.lower()


async def _notice(update: Update, context: Context, key: str, **values: object) -> None:
    """A short notice from the gate, in the chat's language, to the update's own chat."""
    chat = update.effective_chat
    assert chat is not None
    deps = deps_of(context)
    sub = await deps.subs.by_chat_id(chat.id)
    user = update.effective_user
    lang = sub.lang if sub else lang_of(user.language_code if user else None)
    if update.callback_query is not None:
        await update.callback_query.answer(t(lang, key, **values), show_alert=True)
        return
    await context.bot.send_message(chat.id, t(lang, key, **values), parse_mode="HTML")


# ---- errors --------------------------------------------------------------------------------


async def _on_error(update: object, context: Context) -> None:
    """Log; a chat that blocked us becomes 'blocked'; otherwise tell the chat, never a traceback."""
    err = context.error
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(err, Forbidden) and chat is not None:
        deps = deps_of(context)
        sub = await deps.subs.by_chat_id(chat.id)
        if sub is not None:
            now = deps.clock()
            await deps.subs.mark_blocked(sub.id, now)
            await deps.outbox.drop_pending_for_subscriber(sub.id, "bot blocked by the chat", now)
        log.info("chat %s blocked the bot", chat.id)
        return
    log.error("handler failed for update %s", getattr(update, "update_id", "?"), exc_info=err)
    if chat is None or isinstance(err, TelegramError):
        return
    try:
        await _notice(update, context, "error")  # type: ignore[arg-type]
    except Exception:  # the store or the API may be the thing that failed
        log.warning("could not report the error to chat %s", chat.id)


# ---- menu commands -------------------------------------------------------------------------


def menu(lang: str, *, admin_too: bool = False) -> list[BotCommand]:
    pairs = [*COMMANDS, *(ADMIN_COMMANDS if admin_too else ())]
    return [BotCommand(name, zh if lang == "zh" else en) for name, en, zh in pairs]


async def set_commands(app: Application) -> None:
    """setMyCommands: English default, Chinese for language_code "zh", admin extras per admin chat."""
    bot = app.bot
    await bot.set_my_commands(menu("en"))
    await bot.set_my_commands(menu("zh"), language_code="zh")
    for chat_id in deps_of_app(app).admins:
        try:
            scope = BotCommandScopeChat(chat_id)
            await bot.set_my_commands(menu("en", admin_too=True), scope=scope)
            await bot.set_my_commands(menu("zh", admin_too=True), scope=scope, language_code="zh")
        except TelegramError as e:  # the admin never talked to the bot yet
            log.warning("admin menu for chat %s not set: %s", chat_id, e)


def deps_of_app(app: Application) -> Deps:
    deps: Deps = app.bot_data["deps"]
    return deps


# ---- running -------------------------------------------------------------------------------


def webhook_secret(config: Config) -> str:
    """The X-Telegram-Bot-Api-Secret-Token for webhook mode (derived from the secret key)."""
    return tokens.webhook_secret(config.env.secret_key)


async def feed_webhook(app: Application, data: dict[str, Any], secret_header: str | None) -> bool:
    """For the web app's webhook route: queue one update; False if the secret is wrong."""
    expected = webhook_secret(deps_of_app(app).config)
    if not tokens.same_secret(secret_header, expected):
        return False
    update = Update.de_json(data, app.bot)
    await app.update_queue.put(update)
    return True


class _PollErrors:
    """getUpdates failing (Bot API down): one line, then at most one a minute, not PTB's
    traceback per retry (PTB retries with backoff by itself)."""

    def __init__(self) -> None:
        self.last = -1e9
        self.count = 0

    def report(self, e: TelegramError) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.last >= 60.0:
            self.last = now
            more = f" ({self.count} failures so far)" if self.count > 1 else ""
            log.warning("telegram bot: getUpdates failing: %s; retrying%s", short_error(e), more)
        else:
            log.debug("telegram bot: getUpdates failed: %s", e)


async def run_bot(
    config: Config,
    store: Store,
    stop: asyncio.Event,
    *,
    base_url: str | None = None,
    application: Application | None = None,
    poll_interval: float = 0.0,
    poll_timeout: float = 10.0,
) -> None:
    """Run the bot in the current event loop until ``stop`` is set (polling, or webhook)."""
    app = application or build_application(config, store, base_url=base_url)
    await app.initialize()
    try:
        try:
            await set_commands(app)
        except TelegramError as e:  # the menu is a nicety; the bot works without it
            log.warning("setMyCommands failed: %s", e)
        await app.start()
        webhook = config.env.webhook_url
        if webhook:
            await app.bot.set_webhook(
                webhook, secret_token=webhook_secret(config), allowed_updates=Update.ALL_TYPES
            )
            log.warning("telegram bot @%s on webhook %s", app.bot.username, webhook)
        else:
            assert app.updater is not None
            await app.updater.start_polling(
                poll_interval=poll_interval,
                timeout=int(poll_timeout),
                allowed_updates=Update.ALL_TYPES,
                error_callback=_PollErrors().report,
            )
            log.warning("telegram bot @%s polling", app.bot.username)
        await stop.wait()
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
