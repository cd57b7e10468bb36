"""Pure parsing of settings input, quiet hours, and the per-chat rate limiter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.telegram.i18n import CATALOG, t
from bot.telegram.prefs import held_until, parse_duration, parse_quiet, parse_timezone, show_zone
from bot.telegram.ratelimit import ChatLimiter


def test_parse_duration() -> None:
    assert parse_duration("8h") == timedelta(hours=8)
    assert parse_duration("30 min") == timedelta(minutes=30)
    assert parse_duration("2d") == timedelta(days=2)
    assert parse_duration("8小时") == timedelta(hours=8)
    for bad in ("", "0h", "31d", "8", "h", "eight hours", "1e9h"):
        assert parse_duration(bad) is None, bad


def test_parse_timezone() -> None:
    assert parse_timezone("Berlin") == "Europe/Berlin"
    assert parse_timezone("new york") == "America/New_York"
    assert parse_timezone("Asia/Tokyo") == "Asia/Tokyo"
    assert parse_timezone("上海") == "Asia/Shanghai"
    assert parse_timezone("UTC+8") == "Etc/GMT-8" and show_zone("Etc/GMT-8") == "UTC+8"
    assert parse_timezone("-5") == "Etc/GMT+5" and show_zone("Etc/GMT+5") == "UTC-5"
    assert parse_timezone("UTC") == "UTC"
    assert parse_timezone("UTC+5:30") == parse_timezone("utc+0530") == "Asia/Kolkata"
    assert parse_timezone("+5:45") == "Asia/Kathmandu"
    assert parse_timezone("UTC-3:30") == "America/St_Johns"
    assert parse_timezone("UTC+8:00") == "Etc/GMT-8"
    for bad in ("Atlantis", "UTC+15", "UTC+7:30", "UTC+5:61", "", "x" * 100, "../../etc/passwd"):
        assert parse_timezone(bad) is None, bad


def test_quiet_hours() -> None:
    assert parse_quiet("22-7") == "22:00-07:00"
    assert parse_quiet("22:30 - 07:15") == "22:30-07:15"
    assert parse_quiet("7-7") is None and parse_quiet("25-1") is None
    night = datetime(2026, 2, 5, 23, 0, tzinfo=UTC)
    assert held_until(night, timezone="UTC", quiet="22:00-07:00", muted_until=None) == datetime(
        2026, 2, 6, 7, 0, tzinfo=UTC
    )
    early = datetime(2026, 2, 6, 6, 0, tzinfo=UTC)
    assert held_until(early, timezone="UTC", quiet="22:00-07:00", muted_until=None) == datetime(
        2026, 2, 6, 7, 0, tzinfo=UTC
    )
    noon = datetime(2026, 2, 6, 12, 0, tzinfo=UTC)
    assert held_until(noon, timezone="UTC", quiet="22:00-07:00", muted_until=None) is None
    # 12:00 UTC is 20:00 in Shanghai: inside 20:00-21:00 there
    assert held_until(noon, timezone="Asia/Shanghai", quiet="20:00-21:00", muted_until=None) == (
        datetime(2026, 2, 6, 13, 0, tzinfo=UTC)
    )
    later = noon + timedelta(hours=3)
    assert held_until(noon, timezone="UTC", quiet=None, muted_until=later) == later


def test_rate_limiter_warns_once_per_burst() -> None:
    now = [0.0]
    lim = ChatLimiter(burst=2, per_seconds=10, clock=lambda: now[0])
    assert [lim.check(1) for _ in range(5)] == ["ok", "ok", "warn", "drop", "drop"]
    assert lim.check(2) == "ok"
    now[0] = 10.0
    assert [lim.check(1), lim.check(1)] == ["ok", "warn"]
    small = ChatLimiter(burst=1, per_seconds=1, clock=lambda: now[0], max_chats=10)
    for cid in range(100):
        small.check(cid)
    assert len(small._buckets) <= 10


def test_catalog_is_complete_and_escapes() -> None:
    for key, entry in CATALOG.items():
        assert set(entry) == {"en", "zh"}, key
        assert entry["en"].count("{") == entry["zh"].count("{") or key in {"help"}, key
    assert (
        t("en", "alert_added", id=1, text="<b>&") == "Alert #1 added: <code>&lt;b&gt;&amp;</code>"
    )
