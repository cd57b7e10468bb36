"""What a delivery channel is (core: no network, store or clock here).

A channel sends one rendered ``Message`` for one outbox entry and says how it went by what it
raises; the worker branches on the type, never on message text::

    return normally          -> sent
    Deferred(retry_after)    -> not tried (pacing, paused chat): back to pending, no attempt used
    RetryLater(retry_after)  -> transient (429, 5xx, SMTP 4xx, network): retry with backoff
    RecipientGone            -> the user blocked the bot / chat gone: subscriber 'blocked',
                                their pending rows dead
    Bounce                   -> SMTP 5xx for this address: dead, counts a hard bounce
    PermanentFailure         -> will never work for this message: dead with the error
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.errors import PermanentFailure, RetryLater
from bot.models import Message, OutboxEntry


class Deferred(RetryLater):
    """Not attempted: the recipient (or the whole bot) is paced or paused for ``retry_after``."""


class RecipientGone(PermanentFailure):
    """The recipient refuses messages for good (Telegram 403: bot blocked, chat not found)."""


class Bounce(PermanentFailure):
    """A hard bounce: the mail server rejected this address permanently (SMTP 5xx)."""


@runtime_checkable
class Channel(Protocol):
    """One way out. ``send`` raises the errors above; ``aclose`` releases connections."""

    name: str

    async def send(self, entry: OutboxEntry, message: Message) -> None: ...

    async def aclose(self) -> None: ...
