"""An article's own date (its dateline) and relative years read against an approximate date
(bot.extract.periods)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.extract.approx import ApproxDate
from bot.extract.periods import dateline

FETCHED = dt.date(2026, 1, 4)


def test_a_dateline_gives_the_article_s_date() -> None:
    assert dateline("新华社北京12月23日电 字节跳动明年将加大投入。", FETCHED) == dt.date(
        2025, 12, 23
    )
    assert dateline("标题\n\n2025年12月23日，字节跳动表示…", FETCHED) == dt.date(2025, 12, 23)
    assert dateline("標題\n\n（記者王明／台北報導）2025年12月23日 字節…", FETCHED) == dt.date(
        2025, 12, 23
    )
    assert dateline("Title\n\nDecember 23, 2025 — ByteDance plans", FETCHED) == dt.date(
        2025, 12, 23
    )


def test_a_date_that_is_no_dateline_gives_none() -> None:
    # a date inside a sentence (a period's end), a date after the fetch, no date at all
    assert (
        dateline("截至2025年11月30日的2026财年中报显示，甲骨文资产合计2049.84亿美元。", FETCHED)
        is None
    )
    assert dateline("标题\n\n2026年12月23日，", FETCHED) is None
    assert dateline("传字节跳动明年砸140亿美元买英伟达芯片", FETCHED) is None


def periods(text: str, published: dt.date) -> list[str | None]:
    return [f.period for f in extract(text, published=published, lang="zh")]


def test_relative_years_are_open_against_a_guess_near_new_year() -> None:
    text = "字节跳动明年将投入1600亿元用于资本开支。"
    assert periods(text, dt.date(2025, 12, 23)) == ["2026"]
    assert periods(text, ApproxDate(2026, 1, 4)) == [None]  # 2025-12 or 2026-01: left open
    assert periods(text, ApproxDate(2026, 6, 14)) == ["2027"]  # mid-year: the year is sure
    # a quarter without a year is still placed by the approximate date
    assert periods("腾讯第三季度营收1929亿元。", ApproxDate(2026, 1, 4)) == ["2025-Q3"]


def test_an_approximate_date_keeps_its_fields_in_every_build() -> None:
    # a mypyc-compiled subclass of date read ApproxDate(2026, 2, 1) as year 0 and crashed
    # every relative period read against it (approx.py stays pure Python)
    import datetime as dt

    day = ApproxDate(2026, 2, 1)
    assert (day.year, day.month, day.day) == (2026, 2, 1)
    assert day - dt.timedelta(days=31) == dt.date(2026, 1, 1)
    assert periods("腾讯第三季度营收1929亿元。", day) == ["2025-Q3"]
