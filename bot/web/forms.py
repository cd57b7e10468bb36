"""Form parsing and validation for the web pages (pure: a mapping in, values or messages out).

Every check runs on the server whatever the browser did; the page's small script only calls
``/api/rule`` to show the same rule messages while the person types.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.addresses import InvalidEmail, normalize_email
from bot.errors import RuleError
from bot.models import Lang, Rule
from bot.rules.parse import parse_rule

MAX_RULES = 10
MAX_RULE_LEN = 200
MAX_EMAIL_LEN = 254
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
COMMON_TIMEZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Sydney",
)

T = Callable[..., str]


@dataclass(frozen=True)
class Prefs:
    lang: Lang = "en"
    digest_weekday: int = 0
    digest_time: str = "08:00"
    timezone: str = "UTC"

    def as_dict(self) -> dict[str, object]:
        return {
            "lang": self.lang,
            "digest_weekday": self.digest_weekday,
            "digest_time": self.digest_time,
            "timezone": self.timezone,
        }


@dataclass
class Checked:
    """What a form gave: clean values, plus a message per bad field (``errors`` empty = valid)."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    email: str | None = None
    prefs: Prefs = Prefs()
    rules: list[Rule] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(form: Mapping[str, object], name: str, limit: int = 2000) -> str:
    v = form.get(name)
    return v.strip()[:limit] if isinstance(v, str) else ""


def check_email(raw: str) -> str | None:
    """The normalized address, or None when it is not a plausible one (no DNS lookups)."""
    try:
        return normalize_email(raw)
    except InvalidEmail:
        return None


def check_rule(text: str) -> tuple[Rule | None, str | None]:
    """(rule, None) or (None, the parser's one-line message)."""
    if len(text) > MAX_RULE_LEN:
        return None, f"a rule is at most {MAX_RULE_LEN} characters"
    try:
        return parse_rule(text), None
    except RuleError as e:
        return None, str(e)


def check_prefs(form: Mapping[str, object], t: T, checked: Checked) -> None:
    lang = _text(form, "lang") or "en"
    weekday = _text(form, "digest_weekday") or "0"
    time = _text(form, "digest_time") or "08:00"
    tz = _text(form, "timezone", 64) or "UTC"
    checked.values.update(lang=lang, digest_weekday=weekday, digest_time=time, timezone=tz)
    if lang not in ("en", "zh"):
        checked.errors["lang"] = t("err.lang")
    if weekday not in {str(n) for n in range(7)}:
        checked.errors["digest_weekday"] = t("err.weekday")
    if not _TIME.match(time):
        checked.errors["digest_time"] = t("err.time")
    try:
        if not tz or ".." in tz or tz.startswith("/"):
            raise ValueError(tz)
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        checked.errors["timezone"] = t("err.timezone")
    if checked.ok:
        checked.prefs = Prefs(lang, int(weekday), time, tz)  # type: ignore[arg-type]


def check_rules_text(raw: str, t: T, checked: Checked) -> None:
    lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
    if len(lines) > MAX_RULES:
        checked.errors["rules"] = t("err.too_many_rules", n=MAX_RULES)
        return
    problems = []
    for n, line in enumerate(lines, 1):
        rule, message = check_rule(line)
        if rule is None:
            problems.append(t("err.rule", n=n, message=message))
        elif rule.text not in {r.text for r in checked.rules}:
            checked.rules.append(rule)
    if problems:
        checked.errors["rules"] = " ".join(problems)


def check_subscribe(form: Mapping[str, object], t: T) -> Checked:
    """The subscribe form: email, lang, digest_weekday, digest_time, timezone, rules."""
    raw_email = _text(form, "email", 400)
    rules = _text(form, "rules", MAX_RULES * (MAX_RULE_LEN + 2))
    checked = Checked(values={"email": raw_email, "rules": rules})
    checked.email = check_email(raw_email)
    if checked.email is None:
        checked.errors["email"] = t("err.email")
    check_prefs(form, t, checked)
    check_rules_text(rules, t, checked)
    return checked
