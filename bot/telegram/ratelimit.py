"""Per-chat command rate limit: a token bucket per chat, with one "slow down" per burst (pure).

``check(chat_id)`` returns "ok", "warn" (over the limit: say "slow down" once) or "drop" (still
over the limit and already warned: stay silent). The clock is injected so tests need no sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal["ok", "warn", "drop"]


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


@dataclass
class ChatLimiter:
    """``burst`` commands at once, then one every ``per_seconds``; at most ``max_chats`` tracked."""

    burst: int = 8
    per_seconds: float = 2.0
    clock: Callable[[], float] = time.monotonic
    max_chats: int = 50_000
    _buckets: dict[int, _Bucket] = field(default_factory=dict)

    def check(self, chat_id: int) -> Verdict:
        now = self.clock()
        b = self._buckets.get(chat_id)
        if b is None:
            if len(self._buckets) >= self.max_chats:
                self._forget_full(now)
            b = self._buckets[chat_id] = _Bucket(tokens=float(self.burst), at=now)
        b.tokens = min(float(self.burst), b.tokens + (now - b.at) / self.per_seconds)
        b.at = now
        if b.tokens >= 1.0:
            b.tokens -= 1.0
            b.warned = False
            return "ok"
        if b.warned:
            return "drop"
        b.warned = True
        return "warn"

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled completely (they carry no information)."""
        full = self.burst * self.per_seconds
        for cid in [c for c, b in self._buckets.items() if now - b.at >= full]:
            del self._buckets[cid]
        if len(self._buckets) >= self.max_chats:  # still full: forget the oldest half
            for cid in sorted(self._buckets, key=lambda c: self._buckets[c].at)[
                : self.max_chats // 2
            ]:
                del self._buckets[cid]
