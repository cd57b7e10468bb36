"""An expectation a reported figure is measured against is of the quarter reported
(bot.extract.figures)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract

PUB = dt.date(2026, 2, 6)  # weeks after the December quarter: 本季 in a report is that quarter


def periods(text: str) -> list[tuple[float, str | None, str]]:
    return [(f.value, f.period, f.kind) for f in extract(text, published=PUB, lang="zh")]


def test_a_consensus_the_result_beat_is_of_the_reported_quarter() -> None:
    got = periods("亚马逊AWS本季经营利润率达到35%，显著好于彭博一致预期的34.3%。")
    assert got == [(35.0, "2025-Q4", "actual"), (34.3, "2025-Q4", "estimate")]


def test_an_expectation_for_the_quarter_under_way_stays_an_outlook() -> None:
    assert periods("分析师预期亚马逊本季营收为1750亿美元。") == [(1750e8, "2026-Q1", "estimate")]
