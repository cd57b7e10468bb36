"""Proactive flood control: space messages so Telegram never has to say 429.

``Pacer(global_rate=30, chat_rate=1)`` lets at most ``global_rate`` messages per second out
overall and ``chat_rate`` per second to any one chat, each spaced evenly (no bursts), at
``headroom`` (98 %) of the configured rate so clock jitter between us and the server does not
tip a strict limit. ``pause(chat, s)`` / ``pause_all(s)`` hold a chat or everything after a 429.
The clock and sleep are injected, so tests can drive it with a fake clock.

    pacer = Pacer(30, 1)
    await pacer.acquire(chat_id, max_wait=10)   # sleeps until a slot; Deferred if > 10 s away
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Hashable

from bot.deliver.channel import Deferred

SLOWER = 0.97  # the pace after a 429, times the pace before
SLOWEST = 0.85  # of the full pace, however many 429s
RECOVER = 0.005  # the pace comes back by this share of the full pace per second


class Pacer:
    def __init__(
        self,
        global_rate: float,
        chat_rate: float,
        *,
        headroom: float = 0.98,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if global_rate <= 0 or chat_rate <= 0:
            raise ValueError("rates must be positive")
        self.global_rate, self.chat_rate = global_rate, chat_rate
        self._g_gap = 1.0 / (global_rate * headroom)
        self._c_gap = 1.0 / (chat_rate * headroom)
        self.clock, self.sleep = clock, sleep
        self._global_next = -math.inf  # earliest time of the next global slot
        self._paused_all = -math.inf
        self._chat_next: dict[Hashable, float] = {}
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._global_lock = asyncio.Lock()
        self._slow, self._slow_at = 1.0, 0.0  # the pace after 429s, as a share of the full

    def pause(self, chat: Hashable, seconds: float) -> None:
        """No message to ``chat`` before ``seconds`` from now (after a 429 for that chat); and
        the overall pace slows down (``SLOWER`` each time, to ``SLOWEST``), coming back to the
        full rate by ``RECOVER`` per second without one. On a loaded machine the requests reach
        the server bunched (our event loop and the server's are both late at times): a strict
        per-second limit then answers 429 now and then, and each costs a pause and a retry."""
        until = self.clock() + seconds
        self._chat_next[chat] = max(self._chat_next.get(chat, -math.inf), until)
        self._recover()
        self._slow = max(SLOWEST, self._slow * SLOWER)

    def _recover(self) -> float:
        now = self.clock()
        if self._slow < 1.0:
            self._slow = min(1.0, self._slow + (now - self._slow_at) * RECOVER)
        self._slow_at = now
        return self._slow

    def pause_all(self, seconds: float) -> None:
        self._paused_all = max(self._paused_all, self.clock() + seconds)

    def wait_for(self, chat: Hashable) -> float:
        """Seconds until ``chat`` could get its next message (ignoring the global queue)."""
        return max(0.0, max(self._chat_next.get(chat, -math.inf), self._paused_all) - self.clock())

    async def acquire(self, chat: Hashable, max_wait: float = math.inf) -> None:
        """Wait for a slot for ``chat``; raise ``Deferred`` if it is more than ``max_wait`` away."""
        lock = self._locks.get(chat)
        if lock is None:
            if len(self._locks) > 50_000:
                self._forget_idle()
            lock = self._locks[chat] = asyncio.Lock()
        async with lock:  # one message at a time per chat, in arrival order
            wait = self.wait_for(chat)
            if wait > max_wait:
                raise Deferred(f"chat {chat} paced for {wait:.1f}s", retry_after=wait)
            while wait > 0:
                await self.sleep(wait)
                wait = self.wait_for(chat)
            # One task at a time waits for the global slot, so a late wake-up (a busy event
            # loop) cannot release a bunch of overdue slots at once; catching up after a stall
            # is limited to half a gap.
            async with self._global_lock:
                while True:
                    now = self.clock()
                    slot = max(now, self._global_next, self._paused_all)
                    if slot > now:
                        await self.sleep(slot - now)
                    if self._paused_all <= self.clock():
                        break  # (a pause_all that came in while we slept: wait for it)
                gap = self._g_gap / (self._recover() if self._slow < 1.0 else 1.0)
                self._global_next = max(slot + gap, self.clock() + gap / 2)
            self._chat_next[chat] = (
                max(self.clock(), self._chat_next.get(chat, -math.inf)) + self._c_gap
            )

    def _forget_idle(self) -> None:
        now = self.clock()
        for chat in [c for c, t in self._chat_next.items() if t < now]:
            lock = self._locks.get(chat)
            if lock is None or not lock.locked():
                self._chat_next.pop(chat, None)
                self._locks.pop(chat, None)
