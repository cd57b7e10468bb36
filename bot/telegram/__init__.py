"""The Telegram chat bot: command handlers -> store / rules / outbox (python-telegram-bot 22).

    app = build_application(config, store)        # handlers, menus, error handler
    await run_bot(config, store, stop_event)      # polling, or webhook when BRIEFBOT_WEBHOOK_URL is set

One module per command group: ``start`` (/start /stop /resume), ``figures`` (/digest /latest
/figures), ``alerts`` (/alert /alerts), ``mail`` (/email /confirm), ``settings`` (/settings
/timezone /follow /unfollow /quiet /mute /unmute), ``admin`` (/stats /feeds /broadcast), ``help``
(/help and the fallbacks). Strings live in ``i18n`` (English + 中文).
"""

from bot.telegram.app import build_application, feed_webhook, run_bot, webhook_secret

__all__ = ["build_application", "feed_webhook", "run_bot", "webhook_secret"]
