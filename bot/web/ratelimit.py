"""In-memory sliding-window rate limits, keyed by any string (an IP, an address), clock injected.

    limit = SlidingWindow(5, 3600, clock)      # 5 hits per key per hour
    if not limit.hit("ip:203.0.113.7"):
        ...  # 429, retry after limit.retry_after("ip:203.0.113.7") seconds

One process, one window: enough for a single Briefbot instance (SQLite). The number of tracked
keys is capped so a flood of distinct keys cannot grow memory without bound (the stalest keys go
first). Replicas on PostgreSQL share their windows through the database instead
(``bot.store.ratelimits.SharedWindow``); the web page sees either as a ``Limiter``.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

Clock = Callable[[], datetime]


class Limiter(Protocol):
    """What the web page asks of a rate limit."""

    async def take(self, key: str) -> int:
        """Count one hit for ``key``: 0 when it counted, else whole seconds to wait (uncounted)."""
        ...

    async def wait(self, key: str) -> int:
        """Whole seconds until ``key`` may hit again (0 when it may now); counts nothing."""
        ...


class SlidingWindow:
    """At most ``limit`` hits per key within any ``window_s`` seconds."""

    def __init__(
        self, limit: int, window_s: float, clock: Clock, *, max_keys: int = 10_000
    ) -> None:
        self.limit, self.window_s, self.clock, self.max_keys = limit, window_s, clock, max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def _now(self) -> float:
        return self.clock().timestamp()

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        return hits

    def hit(self, key: str) -> bool:
        """Count one hit for ``key``; False (and not counted) when the key is over its limit."""
        now = self._now()
        hits = self._recent(key, now)
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        self._hits[key] = hits
        self._hits.move_to_end(key)
        while len(self._hits) > self.max_keys:
            self._hits.popitem(last=False)
        return True

    def retry_after(self, key: str) -> int:
        """Whole seconds until ``key`` may hit again (0 when it may now)."""
        now = self._now()
        hits = self._recent(key, now)
        if len(hits) < self.limit:
            return 0
        return max(1, int(hits[0] + self.window_s - now + 0.999))

    async def take(self, key: str) -> int:
        return 0 if self.hit(key) else self.retry_after(key)

    async def wait(self, key: str) -> int:
        return self.retry_after(key)
