"""English periods of a comparison's base and of "last quarter" (issue 13, period side):
"$5.2 billion a year ago" is the year-before period, "the same quarter last year" is the
reported quarter a year before, and a quick reporter's "last quarter" is the quarter the text
names."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract


def periods(text: str, published: dt.date) -> dict[float, str | None]:
    return {f.value: f.period for f in extract(text, published=published)}


def test_an_amount_a_year_ago_is_the_year_before_s() -> None:
    got = periods(
        "Intel posted its third-quarter 2025 results on Thursday. Sales rose 3% "
        "from $13.3 billion a year earlier.",
        dt.date(2025, 10, 24),
    )
    assert got[13.3e9] == "2024-Q3"


def test_an_amount_a_year_ago_of_a_fiscal_quarter() -> None:
    got = periods(
        "Micron's sales in the third quarter of fiscal 2025 were $9.3 billion. "
        "Storage sales rose in the third quarter, Micron said, as total sales climbed 30% "
        "from $6.8 billion a year ago.",
        dt.date(2025, 6, 26),
    )
    assert got[9.3e9] == "FY2025-Q3"
    assert got[6.8e9] == "FY2024-Q3"


def test_the_same_period_last_year_is_the_reported_part_a_year_before() -> None:
    got = periods(
        "Intel reported its second-quarter 2025 results. Net income was $2.4 billion, "
        "against the $2.6 billion it earned in the same period last year.",
        dt.date(2025, 7, 25),
    )
    assert got[2.4e9] == "2025-Q2"
    assert got[2.6e9] == "2024-Q2"


def test_a_quick_reporter_s_last_quarter_is_the_quarter_it_names() -> None:
    got = periods(
        "The chipmaker posted a profit of $9 billion for the October-December quarter. "
        "Its revenue in the last quarter rose 20% to $25 billion.",
        dt.date(2026, 1, 16),
    )
    assert got[25e9] == "2025-Q4"


def test_last_quarter_weeks_after_quarter_end_is_still_the_one_before() -> None:
    # Nothing names the quarter just ended: its results are not out yet.
    got = periods("Its revenue in the last quarter rose 20% to $25 billion.", dt.date(2026, 1, 16))
    assert got[25e9] == "2025-Q3"


def test_a_changed_amount_before_a_year_ago_keeps_its_period() -> None:
    got = periods(
        "Revenue in the third quarter of 2025 was $5 billion, up $1 billion a year ago.",
        dt.date(2025, 11, 5),
    )
    assert got[5e9] == "2025-Q3"


def test_a_result_of_a_quarter_not_yet_over_is_the_fiscal_one() -> None:
    # Broadcom's fiscal year starts in November: "Q2 2025" reported in June 2025 is
    # February - April, the calendar Q2 not being over yet.
    got = periods("Broadcom reported Q2 2025 revenue of $15 billion.", dt.date(2025, 6, 12))
    assert got[15e9] == "FY2025-Q2"
    # Once the calendar quarter is over, a quarter with a year is the calendar's.
    got = periods("Broadcom reported Q4 2024 revenue of $14 billion.", dt.date(2025, 2, 5))
    assert got[14e9] == "2024-Q4"
