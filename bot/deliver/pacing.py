"""Proactive flood control: space messages so Telegram never has to say 429.

``Pacer(global_rate=30, chat_rate=1)`` lets at most ``global_rate`` messages per second out
overall and ``chat_rate`` per second to any one chat, each spaced evenly (no bursts), at
``headroom`` (98 %) of the configured rate. ``pause(chat, s)`` / ``pause_all(s)`` hold a chat or
everything after a 429. The clock and sleep are injected, so tests can drive it with a fake clock.

    pacer = Pacer(30, 1)
    async with pacer.sending(chat_id, max_wait=10):   # a slot; Deferred if > 10 s away
        await bot.send_message(chat_id, ...)          # the slot stays open until answered

Why ``sending`` and not only spacing: Telegram counts a request when it *arrives*, and the time
between our slot and its arrival varies (a busy event loop, a photo upload slower than a text).
Evenly spaced slots then arrive bunched: on a loaded machine 31 requests landed in one second,
or a chat's photo and its text 0.96 s apart, each a 429. So a request sent through ``sending``
also counts from its start until its answer, and a new one starts only while fewer than the
limit were started before it and answered less than a window ago (or are still unanswered).
Each of those arrived after it started and before it was answered, so no window at the server
can hold more than the limit, whatever the delays: 0 flood violations by construction, at the
cost of the round trip once the window is full: at most ``global_rate / (1 + round trip)``
(a few ms to the local fake: no cost next to the 98 % headroom; 50 ms: 95 % of the limit).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable

from bot.deliver.channel import Deferred

_POLL = 0.005  # seconds between looks while the window is full of unanswered requests


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
        # the server's windows (Telegram: 1 s overall; a chat: max(1 s, 1/rate)) and limits
        self._g_window, self._g_limit = 1.0, max(1, math.floor(global_rate + 1e-9))
        self._c_window = max(1.0, 1.0 / chat_rate)
        self._c_limit = max(1, math.floor(chat_rate * self._c_window + 1e-9))
        # requests sent through ``sending``: unanswered, and answered within the last window
        self._open = 0
        self._answered: deque[float] = deque()
        self._chat_open: dict[Hashable, int] = {}
        self._chat_answered: dict[Hashable, list[float]] = {}
        self._trips, self._trip_seconds = 0, 0.0

    def pause(self, chat: Hashable, seconds: float) -> None:
        """No message to ``chat`` before ``seconds`` from now (after a 429 for that chat)."""
        until = self.clock() + seconds
        self._chat_next[chat] = max(self._chat_next.get(chat, -math.inf), until)

    def pause_all(self, seconds: float) -> None:
        self._paused_all = max(self._paused_all, self.clock() + seconds)

    def wait_for(self, chat: Hashable) -> float:
        """Seconds until ``chat`` could get its next message (ignoring the global queue)."""
        now = self.clock()
        until = max(self._chat_next.get(chat, -math.inf), self._paused_all)
        return max(0.0, until - now, self._chat_room(chat, now))

    @contextlib.asynccontextmanager
    async def sending(self, chat: Hashable, max_wait: float = math.inf) -> AsyncIterator[None]:
        """A slot for one request to ``chat``, held open until the block ends (its answer)."""
        await self.acquire(chat, max_wait, _track=True)
        start = self.clock()
        try:
            yield
        finally:
            self._done(chat)
            self._trips += 1
            self._trip_seconds += self.clock() - start

    @property
    def round_trip(self) -> float:
        """Mean seconds from slot to answer of the requests sent through ``sending``: once the
        window is full, the pace is at most ``global_rate / (1 + round_trip)``."""
        return self._trip_seconds / self._trips if self._trips else 0.0

    async def acquire(
        self, chat: Hashable, max_wait: float = math.inf, *, _track: bool = False
    ) -> None:
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
                    if self._paused_all > self.clock():
                        continue  # (a pause_all that came in while we slept: wait for it)
                    room = self._global_room(self.clock())
                    if room <= 0:
                        break
                    await self.sleep(room)
                self._global_next = max(slot + self._g_gap, self.clock() + self._g_gap / 2)
                if _track:  # counted before the lock is let go: the next one sees it
                    self._open += 1
                    self._chat_open[chat] = self._chat_open.get(chat, 0) + 1
            self._chat_next[chat] = (
                max(self.clock(), self._chat_next.get(chat, -math.inf)) + self._c_gap
            )

    def _done(self, chat: Hashable) -> None:
        """A request sent through ``sending`` was answered (or failed): it counts one window."""
        now = self.clock()
        self._open -= 1
        self._answered.append(now)
        n = self._chat_open.pop(chat, 0) - 1
        if n > 0:
            self._chat_open[chat] = n
        times = self._chat_answered.setdefault(chat, [])
        times.append(now)
        del times[: -self._c_limit]

    def _global_room(self, now: float) -> float:
        """Seconds until fewer than the limit were started and answered < a window ago."""
        q = self._answered
        while q and q[0] <= now - self._g_window:
            q.popleft()
        over = self._open + len(q) - self._g_limit + 1
        if over <= 0:
            return 0.0
        if over > len(q):  # the window is full of unanswered requests: wait for answers
            return _POLL
        return q[over - 1] + self._g_window - now

    def _chat_room(self, chat: Hashable, now: float) -> float:
        """The same for ``chat``, in its window."""
        times = self._chat_answered.get(chat)
        if times is not None:
            times[:] = [t for t in times if t > now - self._c_window]
            if not times:
                del self._chat_answered[chat]
                times = None
        recent = times or []
        over = self._chat_open.get(chat, 0) + len(recent) - self._c_limit + 1
        if over <= 0:
            return 0.0
        if over > len(recent):
            return _POLL
        return recent[over - 1] + self._c_window - now

    def _forget_idle(self) -> None:
        now = self.clock()
        for chat in [c for c, t in self._chat_next.items() if t < now]:
            lock = self._locks.get(chat)
            if lock is None or not lock.locked():
                self._chat_next.pop(chat, None)
                self._locks.pop(chat, None)
        for chat in [c for c, ts in self._chat_answered.items() if ts[-1] <= now - self._c_window]:
            del self._chat_answered[chat]
