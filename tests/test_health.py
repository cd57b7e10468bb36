"""Dependency health: an outage starts after ``threshold`` failures in a row, is reported once,
ends with the first success of what failed (a read that works while writes fail does not end
it), and its error clears then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.service.health import Health

T0 = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)


def test_a_channel_is_down_after_three_failures_in_a_row_and_back_on_success() -> None:
    h = Health()
    tg = h.get("telegram")
    assert [tg.fail("502", T0), tg.fail("502", T0 + timedelta(seconds=1))] == [False, False]
    assert tg.up
    assert tg.fail("Bad Gateway\n<html>", T0 + timedelta(seconds=2)) is True  # one line
    assert not tg.up and tg.down_since == T0 and tg.last_error == "Bad Gateway <html>"
    assert tg.fail("502", T0 + timedelta(seconds=3)) is False  # still the same outage
    assert tg.ok(T0 + timedelta(seconds=30)) == 30.0
    assert tg.up and tg.last_error is None and tg.ok(T0) is None
    assert h.to_json() == [{"name": "telegram", "up": True, "down_since": None, "last_error": None}]


def test_a_success_between_failures_is_no_outage() -> None:
    email = Health().get("email")
    for _ in range(5):
        email.fail("451 greylisted", T0)
        email.fail("451 greylisted", T0)
        assert email.ok(T0) is None
    assert email.up


def test_only_who_failed_can_end_a_database_outage() -> None:
    db = Health().get("database")
    assert db.fail("disk full", T0, "outbox") is True
    assert db.ok(T0 + timedelta(seconds=5), "digests") is None  # a reader: no evidence
    assert not db.up
    assert db.ok(T0 + timedelta(seconds=9), "outbox") == 9.0
