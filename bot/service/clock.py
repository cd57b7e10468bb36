"""The service's clock: real time, or a test clock that tests move.

Everything that asks "what is due" (feeds, digest slots, retries) asks a ``Clock`` for ``now()``;
the scheduler only decides *how often* to ask. So moving the clock moves the service:

    SystemClock()                  real UTC time (production)
    ManualClock(start)             frozen; ``set(t)`` / ``advance(minutes=1)`` (in-process tests)
    FileClock(path)                real time plus an offset read from ``path`` (subprocess tests)

``briefbot run`` uses a ``FileClock`` when ``BRIEFBOT_TEST_CLOCK`` names a file (test mode: the
service logs a warning and checks what is due every ``BRIEFBOT_TEST_TICK_SECONDS``, default 0.5 s).
A test moves the running process's time with ``FileClock.move_to(path, when)``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

TEST_CLOCK_ENV = "BRIEFBOT_TEST_CLOCK"
TEST_TICK_ENV = "BRIEFBOT_TEST_TICK_SECONDS"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, UTC-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class ManualClock:
    """A frozen clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self._now = _aware(start)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = _aware(when)

    def advance(self, delta: timedelta | None = None, **kw: float) -> datetime:
        self._now += delta if delta is not None else timedelta(**kw)
        return self._now

    def __repr__(self) -> str:
        return f"ManualClock({self._now.isoformat()})"


class FileClock:
    """Real time shifted by the offset (seconds, one number) stored in ``path``.

    The file is re-read when it changes; a missing or unreadable file means offset 0. Time keeps
    running between moves, so timeouts, leases and pacing behave as in production.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset()

    def offset(self) -> timedelta:
        try:
            st = self.path.stat()
        except OSError:
            return self._offset
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp != self._stamp:
            try:
                self._offset = timedelta(seconds=float(self.path.read_text().strip() or 0))
                self._stamp = stamp
            except (OSError, ValueError):
                pass  # half-written: keep the previous offset, read again next time
        return self._offset

    @staticmethod
    def move_to(path: Path, when: datetime) -> None:
        """Make every FileClock on ``path`` (in any process) read ``when`` now, then run on."""
        offset = (_aware(when) - datetime.now(UTC)).total_seconds()
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(f"{offset:.6f}\n")
        os.replace(tmp, path)

    def __repr__(self) -> str:
        return f"FileClock({str(self.path)!r})"


def clock_from_env(environ: Mapping[str, str]) -> Clock:
    """A FileClock when ``BRIEFBOT_TEST_CLOCK`` is set (test mode), else the system clock."""
    path = environ.get(TEST_CLOCK_ENV)
    return FileClock(Path(path)) if path else SystemClock()


def mode_tick(environ: Mapping[str, str]) -> float | None:
    """Test mode's check interval in seconds (None outside test mode)."""
    if not environ.get(TEST_CLOCK_ENV):
        return None
    try:
        return max(0.01, float(environ.get(TEST_TICK_ENV) or 0.5))
    except ValueError:
        return 0.5


def real_time_of(clock: Clock, when: datetime) -> datetime:
    """The real (system) instant at which ``clock`` will read ``when``, if it runs with real time."""
    return datetime.now(UTC) + (_aware(when) - clock.now())


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
