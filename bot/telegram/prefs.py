"""Pure parsing of what subscribers type into settings: durations, timezones, quiet hours.

Also ``held_until``: when a message to a subscriber may go out given their mute and quiet hours
(for whoever plans alert delivery; the bot only stores the settings)::

    parse_duration("8h")        -> timedelta(hours=8)
    parse_timezone("UTC+8")     -> "Etc/GMT-8"      parse_timezone("上海") -> "Asia/Shanghai"
    parse_quiet("22-7")         -> "22:00-07:00"
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

MAX_MUTE = timedelta(days=30)
_DURATION = re.compile(
    r"^(\d{1,4})\s*(m|min|mins|minutes?|分钟|h|hr|hrs|hours?|小时|d|days?|天|w|weeks?|周)$",
    re.IGNORECASE,
)
_UNIT = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_ZH_UNIT = {"分钟": "m", "小时": "h", "天": "d", "周": "w"}
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(00|15|30|45))?$", re.IGNORECASE)
# IANA has no Etc zone for a fractional offset: each maps to the zone people there use
_FRACTIONAL = {
    "+3:30": "Asia/Tehran", "+4:30": "Asia/Kabul", "+5:30": "Asia/Kolkata",
    "+5:45": "Asia/Kathmandu", "+6:30": "Asia/Yangon", "+8:45": "Australia/Eucla",
    "+9:30": "Australia/Darwin", "+10:30": "Australia/Lord_Howe", "+12:45": "Pacific/Chatham",
    "-2:30": "America/St_Johns", "-3:30": "America/St_Johns", "-9:30": "Pacific/Marquesas",
}  # fmt: skip
_HOUR = r"([01]?\d|2[0-3])(?::([0-5]\d))?"
_QUIET = re.compile(rf"^{_HOUR}\s*[-–~到至]\s*{_HOUR}$")

CITY_ALIASES = {
    "北京": "Asia/Shanghai",
    "上海": "Asia/Shanghai",
    "深圳": "Asia/Shanghai",
    "广州": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "香港": "Asia/Hong_Kong",
    "台北": "Asia/Taipei",
    "东京": "Asia/Tokyo",
    "首尔": "Asia/Seoul",
    "新加坡": "Asia/Singapore",
    "伦敦": "Europe/London",
    "柏林": "Europe/Berlin",
    "巴黎": "Europe/Paris",
    "纽约": "America/New_York",
    "旧金山": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "silicon valley": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "washington": "America/New_York",
    "boston": "America/New_York",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "utc": "UTC",
    "gmt": "UTC",
}
# Shown as buttons in /settings.
COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Singapore",
)


def parse_duration(text: str) -> timedelta | None:
    """Durations: "8h", "30m", "2d", "1w", "8小时" -> timedelta; None when unreadable, zero or > 30 days."""
    m = _DURATION.match(text.strip())
    if not m:
        return None
    unit = _ZH_UNIT.get(m.group(2), m.group(2)[0].lower())
    d = timedelta(seconds=int(m.group(1)) * _UNIT[unit])
    return d if timedelta(0) < d <= MAX_MUTE else None


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Last part of each IANA name ("new york" -> "America/New_York"), plus full names."""
    out: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if name.startswith(("Etc/", "SystemV/", "posix/", "right/")):
            continue
        out.setdefault(name.lower(), name)
        out.setdefault(name.rsplit("/", 1)[-1].replace("_", " ").lower(), name)
    return out


def parse_timezone(text: str) -> str | None:
    """A city ("Berlin", "new york", "上海"), an IANA name or a UTC offset -> IANA name.

    Whole hours map to ``Etc/GMT±N``; the fractional offsets in use (UTC+5:30, UTC+5:45, …) map
    to the zone of the place that uses them, so DST there is right too.
    """
    s = " ".join(text.strip().split())
    if not s or len(s) > 64:
        return None
    m = _OFFSET.match(s)
    if m and m.group(3) not in (None, "00"):
        return _FRACTIONAL.get(f"{m.group(1)}{int(m.group(2))}:{m.group(3)}")
    if m:
        hours = int(m.group(2))
        if hours > 14:
            return None
        if hours == 0:
            return "UTC"
        # POSIX-style Etc names invert the sign: UTC+8 is Etc/GMT-8.
        return f"Etc/GMT{'-' if m.group(1) == '+' else '+'}{hours}"
    key = s.lower()
    found = CITY_ALIASES.get(key) or _cities().get(key) or _cities().get(key.replace("_", " "))
    if found is None:
        return None
    try:
        ZoneInfo(found)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return found


def parse_quiet(text: str) -> str | None:
    """Quiet hours: "22-7", "22:30-07:00", "23~8" -> "HH:MM-HH:MM"; None when unreadable or empty."""
    m = _QUIET.match(text.strip())
    if not m:
        return None
    h1, m1, h2, m2 = m.group(1), m.group(2) or "00", m.group(3), m.group(4) or "00"
    start, end = f"{int(h1):02d}:{m1}", f"{int(h2):02d}:{m2}"
    return None if start == end else f"{start}-{end}"


def show_zone(tz: str) -> str:
    """For people: "Etc/GMT-8" -> "UTC+8" (people read offsets the other way round)."""
    if tz.startswith("Etc/GMT") and len(tz) > 7:
        sign = "+" if tz[7] == "-" else "-"
        return f"UTC{sign}{tz[8:]}"
    return tz


def held_until(
    now: datetime, *, timezone: str, quiet: str | None, muted_until: datetime | None
) -> datetime | None:
    """When an alert for this subscriber may be sent: None = now; else the end of mute/quiet hours.

    ``quiet`` is "HH:MM-HH:MM" in the subscriber's ``timezone`` (may span midnight).
    """
    if muted_until is not None and muted_until > now:
        return muted_until
    if not quiet:
        return None
    try:
        tz = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    start_s, end_s = quiet.split("-")
    local = now.astimezone(tz)
    start = local.replace(hour=int(start_s[:2]), minute=int(start_s[3:]), second=0, microsecond=0)
    end = local.replace(hour=int(end_s[:2]), minute=int(end_s[3:]), second=0, microsecond=0)
    if start < end:
        inside = start <= local < end
    else:  # spans midnight
        inside = local >= start or local < end
        if inside and local >= start:
            end += timedelta(days=1)
    return end.astimezone(now.tzinfo) if inside else None
