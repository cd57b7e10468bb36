"""The health of what the service depends on (database, telegram, email): up, or down since when.

Why: an outage should read as one line when it starts and one when it ends, not one record per
failed request, and ``briefbot status`` should say what is down. ``Health`` keeps, per
dependency, when it went down and its last error; callers report each failure (``fail``) and
each success (``ok``) and log only what those return: the start of an outage (``fail`` -> True)
and its end (``ok`` -> the outage's length). A stale error clears on the first success.

Each report names who saw it (``who``: a job, the outbox): only a success of one that failed
ends an outage, so a read that works while writes fail (a full disk) does not flap.
A failure counts as an outage once ``threshold`` failures in a row were seen (a greylisted
address or one slow chat is not the channel being down); the database counts at once.
Time is a parameter (real UTC time: the operator's clock, not a test clock).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Dependency:
    name: str
    threshold: int = 1
    down_since: datetime | None = None
    last_error: str | None = None
    failures: int = 0  # in a row
    first_failure: datetime | None = None
    failed_by: set[str] = field(default_factory=set)  # who saw it fail (only they can tell)

    @property
    def up(self) -> bool:
        return self.down_since is None

    def fail(self, error: str, now: datetime, who: str = "") -> bool:
        """Note a failure; True when this failure starts an outage (log it)."""
        self.last_error = _one_line(error)
        self.failed_by.add(who)
        self.failures += 1
        if self.first_failure is None:
            self.first_failure = now
        if self.down_since is None and self.failures >= self.threshold:
            self.down_since = self.first_failure
            return True
        return False

    def ok(self, now: datetime, who: str = "") -> float | None:
        """Note a success; the outage's length in seconds when this ends one (log it). Only a
        success of what failed counts (``who``): a read does not end an outage of writes."""
        if self.failures and who not in self.failed_by:
            return None
        self.failed_by.clear()
        was = self.down_since
        self.down_since = self.first_failure = None
        self.failures = 0
        self.last_error = None
        if was is None:
            return None
        return max((now - was).total_seconds(), 0.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "up": self.up,
            "down_since": self.down_since.isoformat() if self.down_since else None,
            "last_error": self.last_error,
        }


THRESHOLDS = {"database": 1, "telegram": 3, "email": 3}


class Health:
    """Dependencies by name; ``get`` adds one on first use."""

    def __init__(self) -> None:
        self.deps: dict[str, Dependency] = {}

    def get(self, name: str) -> Dependency:
        dep = self.deps.get(name)
        if dep is None:
            dep = self.deps[name] = Dependency(name, THRESHOLDS.get(name, 3))
        return dep

    def to_json(self) -> list[dict[str, Any]]:
        return [d.to_json() for d in self.deps.values()]


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
