"""Command replies through the outbox's send budget: one pacer for everything a replica sends.

``PacedReplies`` is a python-telegram-bot rate limiter that makes every message the bot sends
while answering a command (``sendMessage``, ``sendPhoto``, ``editMessageText``, ...) wait for a
slot of the same ``Pacer`` the Telegram outbox channel uses, so replies and a digest fan-out
share Telegram's 30/s (and 1/s per chat) instead of each spending it in full. A reply is never
dropped: it waits for its slot however long, and a 429 pauses its chat (or everything) for the
``retry_after`` Telegram gives, then is sent again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.deliver.pacing import Pacer

log = logging.getLogger("briefbot.telegram")

PACED = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageReplyMarkup",
        "copyMessage",
        "forwardMessage",
    }
)
Result = bool | dict[str, Any] | list[dict[str, Any]]


class PacedReplies(BaseRateLimiter[None]):
    def __init__(self, pacer: Pacer, retries: int = 5) -> None:
        self.pacer, self.retries = pacer, retries
        self.paced = 0
        self.retried = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Result:
        chat = data.get("chat_id")
        for attempt in range(self.retries + 1):
            try:
                if endpoint in PACED and chat is not None:
                    self.paced += 1
                    async with self.pacer.sending(chat):  # open until Telegram answers
                        return await callback(*args, **kwargs)
                return await callback(*args, **kwargs)
            except RetryAfter as e:
                ra = e.retry_after
                secs = ra.total_seconds() if isinstance(ra, timedelta) else float(ra)
                if chat is not None:
                    self.pacer.pause(chat, secs)
                else:
                    self.pacer.pause_all(secs)
                if attempt == self.retries:
                    raise
                self.retried += 1
                log.info("telegram: %s to %s got 429; again in %.0fs", endpoint, chat, secs)
        raise AssertionError("unreachable")
