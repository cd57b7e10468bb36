from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.models import Period, Subscriber
from bot.service.schedule import due_digests, latest_slot, next_slot, slot_for

GRACE = timedelta(hours=24)


def sub(i: int, tz: str, weekday: int = 0, at: str = "08:00") -> Subscriber:
    return Subscriber(id=i, timezone=tz, digest_weekday=weekday, digest_time=at)


def test_monday_0800_berlin_and_shanghai() -> None:
    w06 = Period.parse("2026-W06")
    # Berlin is UTC+1 in February; Shanghai UTC+8 all year.
    assert slot_for(w06, 0, "08:00", "Europe/Berlin") == datetime(2026, 2, 9, 7, 0, tzinfo=UTC)
    assert slot_for(w06, 0, "08:00", "Asia/Shanghai") == datetime(2026, 2, 9, 0, 0, tzinfo=UTC)


def test_due_only_after_local_time() -> None:
    berlin, shanghai = sub(1, "Europe/Berlin"), sub(2, "Asia/Shanghai")
    before = datetime(2026, 2, 8, 23, 59, tzinfo=UTC)
    assert [s.id for s, _, _ in due_digests([berlin, shanghai], before, GRACE)] == []
    at_sh = datetime(2026, 2, 9, 0, 0, tzinfo=UTC)
    due = due_digests([berlin, shanghai], at_sh, GRACE)
    assert [(s.id, p.key) for s, p, _ in due] == [(2, "2026-W06")]
    at_be = datetime(2026, 2, 9, 7, 0, tzinfo=UTC)
    assert {s.id for s, _, _ in due_digests([berlin, shanghai], at_be, GRACE)} == {1, 2}


@pytest.mark.parametrize(
    ("week", "utc_hour"),
    [("2026-W12", 7), ("2026-W13", 6), ("2026-W42", 6), ("2026-W43", 7)],
)
def test_dst_weeks_berlin(week: str, utc_hour: int) -> None:
    # DST starts 2026-03-29 and ends 2026-10-25: the slot stays 08:00 local.
    slot = slot_for(Period.parse(week), 0, "08:00", "Europe/Berlin")
    assert slot.hour == utc_hour
    local = slot.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Berlin"))
    assert (local.hour, local.minute, local.weekday()) == (8, 0, 0)


def test_skipped_wall_time_still_has_a_slot() -> None:
    # 02:30 does not exist in Berlin on 2026-03-29 (a Sunday).
    slot = slot_for(Period.parse("2026-W12"), 6, "02:30", "Europe/Berlin")
    assert slot.date().isoformat() == "2026-03-29"


def test_missed_run_within_grace_then_not() -> None:
    s = sub(1, "Europe/Berlin")
    back = datetime(2026, 2, 9, 20, 0, tzinfo=UTC)  # down at 08:00, back at 21:00 local
    assert [p.key for _, p, _ in due_digests([s], back, GRACE)] == ["2026-W06"]
    too_late = datetime(2026, 2, 10, 8, 0, tzinfo=UTC)
    assert due_digests([s], too_late, GRACE) == []


def test_stopped_subscribers_are_never_due() -> None:
    s = sub(1, "UTC").model_copy(update={"status": "stopped"})
    assert due_digests([s], datetime(2026, 2, 9, 9, tzinfo=UTC), GRACE) == []


def test_latest_and_next_slot() -> None:
    s = sub(1, "UTC", weekday=4, at="17:30")
    now = datetime(2026, 2, 11, 12, tzinfo=UTC)  # a Wednesday
    period, slot = latest_slot(now, 4, "17:30", "UTC")
    assert slot == datetime(2026, 2, 6, 17, 30, tzinfo=UTC) and period.key == "2026-W05"
    assert next_slot(now, [s]) == datetime(2026, 2, 13, 17, 30, tzinfo=UTC)
