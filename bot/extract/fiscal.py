"""Fiscal calendars: which calendar months a period string covers for a company (pure).

A company's fiscal year is named for the calendar year it ends in: with a July start
(Microsoft), FY2026 runs July 2025 - June 2026 and FY2026-Q1 is July - September 2025. The
first month of each company's fiscal year comes from the lexicon (``config/entities.toml``
``[fiscal_year_start]``; absent: January, fiscal = calendar).

    period_months("FY2026-Q1", "Microsoft")      -> ("2025-07", "2025-09")
    period_months("2025-Q4")                     -> ("2025-10", "2025-12")
    period_months("FY2026", "Nvidia")            -> ("2025-02", "2026-01")
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Final

from bot.extract.entities import Lexicon, default_lexicon

_PERIOD: Final = re.compile(
    r"(?P<fy>FY)?(?P<y>\d{4})(?:-(?:(?P<q>Q[1-4])(?:\.\.Q(?P<q2>[1-4]))?|(?P<h>H[12])"
    r"|(?P<m>\d{2})))?"
)


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) ``months`` after (negative: before) ``year``-``month``."""
    n = year * 12 + (month - 1) + months
    return n // 12, n % 12 + 1


def _fmt(ym: tuple[int, int]) -> str:
    return f"{ym[0]}-{ym[1]:02d}"


def fiscal_start(entity: str | None, lexicon: Lexicon | None = None) -> int:
    """First month (1-12) of ``entity``'s fiscal year; 1 when unknown."""
    if entity is None:
        return 1
    lex = lexicon or default_lexicon()
    return lex.fiscal_start.get(lex.canonical(entity) or entity, 1)


def period_months(
    period: str | None, entity: str | None = None, lexicon: Lexicon | None = None
) -> tuple[str, str] | None:
    """(first month, last month) as ``YYYY-MM`` of a period string, with ``entity``'s fiscal
    calendar for ``FY`` periods; None for periods that are not calendar spans (durations,
    "since …", "end-2025" is its December)."""
    if not period:
        return None
    return _months(period, fiscal_start(entity, lexicon) if period.startswith("FY") else 1)


@functools.lru_cache(maxsize=4096)
def _months(period: str, start: int) -> tuple[str, str] | None:
    """``period_months`` of ``period`` in a fiscal year starting in month ``start`` (cached:
    the extractor asks for the same few periods of every figure)."""
    if period.startswith("end-") and period[4:].isdigit():
        y = int(period[4:])
        return f"{y}-12", f"{y}-12"
    m = _PERIOD.fullmatch(period)
    if m is None:
        return None
    year = int(m.group("y"))
    # The fiscal year named ``year`` ends in ``year``: it starts 12 months before its end.
    first = (year, 1) if start == 1 else (year - 1, start)
    if m.group("m"):
        month = int(m.group("m"))
        return f"{year}-{month:02d}", f"{year}-{month:02d}"
    if m.group("q"):
        q1 = int(m.group("q")[1])
        q2 = int(m.group("q2")) if m.group("q2") else q1
        return _fmt(_shift(*first, 3 * (q1 - 1))), _fmt(_shift(*first, 3 * q2 - 1))
    if m.group("h"):
        h = int(m.group("h")[1])
        return _fmt(_shift(*first, 6 * (h - 1))), _fmt(_shift(*first, 6 * h - 1))
    return _fmt(first), _fmt(_shift(*first, 11))


def nearest_fiscal_quarter(q: int, start: int, published: dt.date) -> int:
    """The fiscal year whose quarter ``q`` ends closest to ``published`` (a fiscal year that
    starts in month ``start``): "the second quarter" in a January 2026 Microsoft report is
    FY2026's (October - December 2025)."""
    best, best_gap = published.year, 10**9
    for fy in range(published.year - 1, published.year + 3):
        first = (fy, 1) if start == 1 else (fy - 1, start)
        ey, em = _shift(*first, 3 * q - 1)
        gap = abs((dt.date(ey, em, 28) - published).days)
        if gap < best_gap:
            best, best_gap = fy, gap
    return best
