"""Threshold numbers of the rule language."""

from __future__ import annotations

import pytest

from bot.errors import RuleError
from bot.rules.amounts import parse_threshold


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("100B", 100e9, None),
        ("100B USD", 100e9, "USD"),
        ("100 bn usd", 100e9, "USD"),
        ("100 billion dollars", 100e9, "USD"),
        ("$135B", 135e9, "USD"),
        ("1,350 亿", 1350e8, None),
        ("1,350 亿美元", 1350e8, "USD"),
        ("400亿", 400e8, None),
        ("400亿 CNY", 400e8, "CNY"),
        ("4,800 亿人民币", 4800e8, "CNY"),
        ("1.2万亿", 1.2e12, None),
        ("5万", 5e4, None),
        ("10M", 10e6, None),
        ("10m users", 10e6, "users"),
        ("2.5k", 2.5e3, None),
        ("1T CNY", 1e12, "CNY"),
        ("-20%", -20.0, "percent"),
        ("+66 percent", 66.0, "percent"),
        ("0", 0.0, None),
        (".5B", 0.5e9, None),
        ("¥480B", 480e9, "CNY"),
        ("€1B EUR", 1e9, "EUR"),
        ("5 JPY", 5.0, "JPY"),
        ("5 yen", 5.0, "JPY"),
        ("7 HKD", 7.0, "HKD"),
    ],
)
def test_amounts(text: str, value: float, unit: str | None) -> None:
    got_value, got_unit = parse_threshold(text)
    assert got_value == pytest.approx(value)
    assert got_unit == unit


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("100 bananas", "unknown unit 'bananas'"),
        ("100bananas", "unknown unit 'bananas'"),
        ("", "missing threshold"),
        ("abc", "not a number"),
        ("1e20", "unknown unit 'e20'"),
        ("2,000,000T", "too large"),
        ("$5 CNY", "conflicting units"),
    ],
)
def test_amount_errors(text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_threshold(text)
