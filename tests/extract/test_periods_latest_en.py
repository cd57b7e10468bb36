""" "The latest quarter", "its most recent quarter": the last quarter the company has reported,
in its own fiscal calendar (bot.extract.periods, bot.extract.figures)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract


def periods(text: str, published: dt.date) -> list[tuple[str | None, str | None]]:
    return [(f.entity, f.period) for f in extract(text, published=published) if f.unit == "USD"]


def test_the_latest_quarter_is_the_last_one_reported_in_the_fiscal_calendar() -> None:
    # Microsoft's fiscal year starts in July: in mid-November its last reported quarter is
    # July - September, fiscal 2026's first.
    got = periods(
        "Microsoft booked $77.7 billion of revenue in the latest quarter.", dt.date(2025, 11, 12)
    )
    assert got == [("Microsoft", "FY2026-Q1")]
    got = periods(
        "Meta's most recent quarter brought in $51.2 billion of revenue.", dt.date(2025, 11, 12)
    )
    assert got == [("Meta", "2025-Q3")]


def test_the_latest_fiscal_quarter_and_last_quarter_agree() -> None:
    pub = dt.date(2026, 2, 10)
    a = periods("Microsoft's revenue was $81.3 billion in its latest fiscal quarter.", pub)
    b = periods("Microsoft's revenue was $81.3 billion last quarter.", pub)
    assert a == b == [("Microsoft", "FY2026-Q2")]
