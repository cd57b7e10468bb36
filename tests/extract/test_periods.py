"""Period strings resolved against the published date."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.extract.periods import find_periods
from bot.extract.sentences import normalize

PUB = dt.date(2026, 2, 4)


def period(text: str, published: dt.date | None = PUB) -> str | None:
    found = [p.value for p in find_periods(normalize(text), published) if p.value]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("this year", "2026"),
        ("今年", "2026"),
        ("last year", "2025"),
        ("去年", "2025"),
        ("next year", "2027"),
        ("in 2026", "2026"),
        ("2026 年", "2026"),
        ("the three months ending December", "2025-Q4"),
        ("the quarter ended Sept. 30, 2025", "2025-Q3"),
        ("截至 12 月的三个月", "2025-Q4"),
        ("first three quarters of 2025", "2025-Q1..Q3"),
        ("2025 年前三季", "2025-Q1..Q3"),
        ("前三季度", "2025-Q1..Q3"),
        ("the first nine months of 2025", "2025-Q1..Q3"),
        ("three-year", "three-year"),
        ("三年", "three-year"),
        ("over the next five years", "five-year"),
        ("a 15-year deal", "15-year"),
        ("by end-2025", "end-2025"),
        ("by the end of 2025", "end-2025"),
        ("2025 年底", "end-2025"),
        ("last September", "2025-09"),
        ("去年 9 月", "2025-09"),
        ("September 2024", "2024-09"),
        ("fourth quarter", "2025-Q4"),
        ("first quarter", "2026-Q1"),
        ("Q3 2025", "2025-Q3"),
        ("2025 年第四季度", "2025-Q4"),
        ("第三季度", "2025-Q3"),
        ("2025 年三季报", "2025-Q3"),
        ("2024 年二季报", "2024-Q2"),
        ("first half of 2025", "2025-H1"),
        ("2025 年上半年", "2025-H1"),
        ("fiscal 2025", "FY2025"),
        ("FY26", "FY2026"),
        ("2025 财年", "FY2025"),
        ("the third quarter of fiscal 2026", "FY2026-Q3"),
        ("the third quarter of 2026", "2026-Q3"),
        ("Q3 FY25", "FY2025-Q3"),
        ("the first half of fiscal year 2026", "FY2026-H1"),
        ("the first three quarters of fiscal 2025", "FY2025-Q1..Q3"),
        ("since the second quarter of fiscal 2025", "since FY2025-Q2"),
        ("2026–2030", "2026..2030"),
        ("in the week after", "1-week"),
        ("后一周", "1-week"),
        ("from a peak last September", "since 2025-09"),
        ("自去年 9 月", "since 2025-09"),
    ],
)
def test_periods(text: str, value: str) -> None:
    assert period(text) == value


def test_relative_periods_need_a_date() -> None:
    assert [p.value for p in find_periods("this year", None)] == [None]
    assert period("in 2026", None) == "2026"
    assert period("three-year", None) == "three-year"
