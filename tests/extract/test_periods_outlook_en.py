"""An outlook's period is not a later result's (English periods, issue 13 session 6)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract


def test_an_actual_figure_does_not_borrow_an_earlier_outlook_s_period() -> None:
    text = (
        "In the fiscal second quarter, Microsoft revenue rose 17% to $81.3 billion. "
        "For the third quarter, Microsoft projects revenue of about $81.2 billion. "
        "Capital spending reached $37.5 billion."
    )
    got = extract(text, published=dt.date(2026, 1, 29))
    assert [(f.value, f.kind, f.period) for f in got if f.unit == "USD"] == [
        (8.13e10, "actual", "FY2026-Q2"),
        (8.12e10, "guidance", "FY2026-Q3"),
        (3.75e10, "actual", "FY2026-Q2"),  # the quarter reported, not the outlook's
    ]


def test_an_estimate_set_against_a_reported_result_is_of_the_same_fiscal_quarter() -> None:
    text = (
        "Broadcom posted first-quarter revenue of $14.9 billion, ahead of analysts' "
        "estimates of $14.6 billion."
    )
    got = extract(text, published=dt.date(2025, 3, 7))
    assert [(f.value, f.kind, f.period) for f in got] == [
        (1.49e10, "actual", "FY2025-Q1"),  # November - January
        (1.46e10, "estimate", "FY2025-Q1"),
    ]


def test_an_amount_the_company_spent_is_a_result_of_a_year_already_over() -> None:
    text = "Amazon expects to spend about $200 billion in 2026, nearly double the $131 billion it spent."
    got = extract(text, published=dt.date(2026, 2, 6))
    assert [(f.value, f.kind, f.period) for f in got] == [
        (2e11, "guidance", "2026"),
        (1.31e11, "actual", "2025"),
    ]


def test_a_period_owns_the_amount_right_after_its_possessive_only() -> None:
    text = "Azure revenue rose to $9 billion, from Q2 2024's $6 billion."
    got = extract(text, published=dt.date(2025, 7, 30))
    assert [(f.value, f.period) for f in got] == [(9e9, None), (6e9, "2024-Q2")]
    text = "Operating income grew from Q2 2024's $1.2 billion to $2.8 billion at Google Cloud."
    (f,) = extract(text, published=dt.date(2025, 7, 30))
    assert (f.value, f.period) == (2.8e9, None)  # the base's quarter, not the result's


def test_a_fiscal_year_companys_targets_are_fiscal_years() -> None:
    text = (
        "Oracle projected its cloud business will generate $18 billion in revenue in fiscal "
        "2026, growing to $144 billion by 2030."
    )
    got = extract(text, published=dt.date(2025, 9, 10))
    assert [(f.value, f.period) for f in got] == [(1.8e10, "FY2026"), (1.44e11, "FY2030")]
    # a calendar-year company's year stays the calendar year
    got = extract(text.replace("Oracle", "Meta"), published=dt.date(2025, 9, 10))
    assert [(f.value, f.period) for f in got] == [(1.8e10, "2026"), (1.44e11, "2030")]


def test_a_quarter_named_by_its_last_month_is_that_quarter() -> None:
    text = "Apple reported revenue of $102.5 billion for the September quarter."
    (f,) = extract(text, published=dt.date(2025, 10, 31))
    assert f.period == "2025-Q3"
    text = "TSMC posted a profit of $16 billion for the October-December quarter."
    (f,) = extract(text, published=dt.date(2026, 1, 15))
    assert f.period == "2025-Q4"
    text = "Nvidia posted revenue of $35 billion in September."
    (f,) = extract(text, published=dt.date(2025, 10, 31))
    assert f.period == "2025-09"  # a month, not a quarter
