"""Updates are handled concurrently, one chat at a time (PTB's ``BaseUpdateProcessor``).

PTB's default handles one update after another, so two chats bursting ``/digest`` made a
third chat's ``/help`` wait for all of theirs. ``ChatOrderedProcessor`` lets updates of
different chats run at once (up to ``workers`` at a time) while the updates of one chat run in
the order they arrived: each waits for its chat's lock (asyncio locks are FIFO, and PTB starts
one task per update in arrival order) *before* taking a worker slot, so a chat's backlog queues
on its own lock instead of holding slots that other chats need.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

WORKERS = 32
WAITING = 10_000  # PTB's own bound: updates accepted at once, mostly waiting on a chat lock


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Concurrent across chats, in order within a chat (see module doc)."""

    def __init__(self, workers: int = WORKERS) -> None:
        super().__init__(max_concurrent_updates=WAITING)
        self._workers = asyncio.Semaphore(workers)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._workers:
                await coroutine
            return
        lock, users = self._chats.get(chat.id, (asyncio.Lock(), 0))
        self._chats[chat.id] = (lock, users + 1)
        try:
            async with lock, self._workers:
                await coroutine
        finally:
            lock, users = self._chats[chat.id]
            if users <= 1:
                del self._chats[chat.id]
            else:
                self._chats[chat.id] = (lock, users - 1)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
