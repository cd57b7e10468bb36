"""When things are due (pure): digest send slots per subscriber, across timezones and DST.

A subscriber's weekly digest for ISO week W is sent at their chosen weekday and local time in
week W+1 (default Monday 08:00: the digest of the week that just ended). ``due_digests`` returns
the (subscriber, period) pairs whose slot has passed within ``grace`` — so a service that was down
at 08:00 still sends that week's digest when it comes back, and the outbox key
``digest:<period>:sub-<id>:<channel>`` makes a second enqueue a no-op: never twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.models import Period, Subscriber


def _local_slot(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    local = datetime.combine(day, time(hour, minute), tzinfo=tz)
    # A wall time skipped by a DST jump does not exist; round trip through UTC moves it forward.
    return local.astimezone(UTC)


def slot_for(period: Period, weekday: int, hhmm: str, tz_name: str) -> datetime:
    """UTC instant of the digest of ``period``: ``weekday`` (Mon=0) ``hhmm`` local, the week after."""
    tz = ZoneInfo(tz_name)
    nxt = period.start() + timedelta(days=7 + weekday)
    return _local_slot(nxt, hhmm, tz)


def latest_slot(now: datetime, weekday: int, hhmm: str, tz_name: str) -> tuple[Period, datetime]:
    """The most recent slot at or before ``now``, and the period that slot covers."""
    tz = ZoneInfo(tz_name)
    local_today = now.astimezone(tz).date()
    for back in range(0, 15):
        day = local_today - timedelta(days=back)
        if day.weekday() != weekday:
            continue
        slot = _local_slot(day, hhmm, tz)
        if slot <= now:
            covered = Period.of(day - timedelta(days=7))
            return covered, slot
    raise AssertionError("a weekly slot always exists within 14 days")


def due_digests(
    subscribers: Iterable[Subscriber], now: datetime, grace: timedelta
) -> list[tuple[Subscriber, Period, datetime]]:
    """Subscribers whose latest digest slot passed no longer than ``grace`` ago."""
    due = []
    for sub in subscribers:
        if sub.status != "active":
            continue
        period, slot = latest_slot(now, sub.digest_weekday, sub.digest_time, sub.timezone)
        if now - slot <= grace:
            due.append((sub, period, slot))
    return due


def next_slot(now: datetime, subscribers: Iterable[Subscriber]) -> datetime | None:
    """The earliest future slot among subscribers (the scheduler wakes then: batched by time)."""
    best: datetime | None = None
    for sub in subscribers:
        if sub.status != "active":
            continue
        period, _ = latest_slot(now, sub.digest_weekday, sub.digest_time, sub.timezone)
        upcoming = slot_for(
            Period.of(period.start() + timedelta(days=7)),
            sub.digest_weekday,
            sub.digest_time,
            sub.timezone,
        )
        if best is None or upcoming < best:
            best = upcoming
    return best


SlotGroup = tuple[str, int, str]
"""(timezone, weekday, "HH:MM"): subscribers who share it share every digest slot."""


def due_groups(
    groups: Iterable[SlotGroup], now: datetime, grace: timedelta
) -> list[tuple[SlotGroup, Period, datetime]]:
    """The slot groups whose latest slot passed no longer than ``grace`` ago (with the period
    it covers): a few groups stand for any number of subscribers."""
    out = []
    for tz, weekday, hhmm in groups:
        period, slot = latest_slot(now, weekday, hhmm, tz)
        if now - slot <= grace:
            out.append(((tz, weekday, hhmm), period, slot))
    return out


def next_group_slot(now: datetime, groups: Iterable[SlotGroup]) -> datetime | None:
    """The earliest future slot among the groups (``next_slot`` for slot groups)."""
    best: datetime | None = None
    for tz, weekday, hhmm in groups:
        period, _ = latest_slot(now, weekday, hhmm, tz)
        upcoming = slot_for(Period.of(period.start() + timedelta(days=7)), weekday, hhmm, tz)
        if best is None or upcoming < best:
            best = upcoming
    return best
