"""Briefbot's exceptions, grouped by what the caller can do about them.

* BriefbotError            -- base; ``str(e)`` is one line a person can act on
  + ConfigError            -- bad config key/value; start-up stops (exit 1)
  + SourceError            -- a source (file, feed) could not be read; others go on
  + RuleError              -- rule text did not parse; the message says how to fix it
  + StoreError             -- the database is unreachable, locked or not migrated
  + DeliveryError          -- a send failed
    - RetryLater           -- transient (4xx SMTP, 429, 5xx, network); ``retry_after`` seconds
    - PermanentFailure     -- will never succeed for this recipient (5xx SMTP, 403 Telegram)
"""

from __future__ import annotations


class BriefbotError(Exception):
    """Base of all Briefbot errors; the message is meant for people."""


class ConfigError(BriefbotError):
    pass


class SourceError(BriefbotError):
    pass


class RuleError(BriefbotError):
    pass


class StoreError(BriefbotError):
    pass


class StoreUnavailable(StoreError):
    """The database cannot be reached (refused, reset, starting up, timed out): wait and retry."""


class DeliveryError(BriefbotError):
    """``parts_sent``: set when the parts of a multi-part message before the failing one went
    out (the worker records it; the retry resumes after them)."""

    parts_sent: int | None = None


class RetryLater(DeliveryError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentFailure(DeliveryError):
    pass
