"""An approximate publication date. Pure Python on purpose (``setup.py`` keeps it out of
mypyc): a compiled subclass of ``datetime.date`` loses its fields (``ApproxDate(2026, 2, 1)``
read as year 0), so the class lives here and the compiled modules only test ``isinstance``."""

from __future__ import annotations

import datetime as dt


class ApproxDate(dt.date):
    """A date known only roughly (an item its source gave no date, seen when fetched): within
    ``APPROX_DAYS`` of the true one. Close enough to place a quarter or month written without a
    year; "明年", "去年", "this year" are read against it only when the whole span lies in one
    year (a guess a few days past New Year would move them a whole year: left open)."""
