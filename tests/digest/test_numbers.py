from __future__ import annotations

import pytest

from bot.digest.i18n import basis_word, period_label
from bot.digest.numbers import format_amount


@pytest.mark.parametrize(
    ("value", "unit", "en", "zh"),
    [
        (135e9, "USD", "$135B", "1,350 亿美元"),
        (37.5e9, "USD", "$37.5B", "375 亿美元"),
        (480e9, "CNY", "¥480B", "4,800 亿人民币"),
        (59.7e9, "CNY", "¥59.7B", "597 亿人民币"),
        (10e6, "users", "10M users", "1,000 万用户"),
        (-10, "percent", "-10%", "-10%"),
        (66, "percent", "+66%", "+66%"),
        (1.35e12, "USD", "$1.35T", "1.35 万亿美元"),
        (5e9, "CHF", "CHF 5B", "50 亿瑞士法郎"),
        (8.5e9, "USD", "$8.5B", "85 亿美元"),
        (999_999, "count", "1M", "100 万"),
        (1234, "count", "1.23K", "1,234"),
        (-2e9, "USD", "-$2B", "-20 亿美元"),
        (0.25, "percent", "+0.25%", "+0.25%"),
        (12, "widgets", "12 widgets", "12 widgets"),
    ],
)
def test_format_amount(value: float, unit: str, en: str, zh: str) -> None:
    assert format_amount(value, unit, "en") == en
    assert format_amount(value, unit, "zh") == zh


def test_sign_is_opt_in_for_levels_and_opt_out_for_percent() -> None:
    assert format_amount(5e9, "USD", "en", change=True) == "+$5B"
    assert format_amount(30, "percent", "en", change=False) == "30%"


def test_nan_is_a_dash_not_a_crash() -> None:
    assert format_amount(float("nan"), "USD", "en") == "—"


@pytest.mark.parametrize(
    ("period", "en", "zh"),
    [
        ("three-year", "three-year", "3 年期"),
        ("1-week", "1 week", "1 周内"),
        ("since 2025-09", "since Sep 2025", "自 2025 年 9 月"),
        ("2026..2030", "2026–2030", "2026–2030 年"),
        ("FY2025", "FY2025", "2025 财年"),
        ("2025-Q1..Q3", "Q1–Q3 2025", "2025 年第 1–3 季度"),
        ("FY2026-Q3", "Q3 FY2026", "2026 财年第 3 季度"),
        ("FY2025-Q1..Q3", "Q1–Q3 FY2025", "2025 财年第 1–3 季度"),
        ("FY2026-H1", "H1 FY2026", "2026 财年上半年"),
        ("2026-H2", "H2 2026", "2026 年下半年"),
        ("since FY2025-Q2", "since Q2 FY2025", "自 2025 财年第 2 季度"),
        ("end-2025", "end of 2025", "2025 年底"),
    ],
)
def test_every_extractor_period_form_reads_in_both_languages(period: str, en: str, zh: str) -> None:
    assert period_label("en", period) == en
    assert period_label("zh", period) == zh


def test_peak_basis_is_translated() -> None:
    assert basis_word("zh", "peak") == "较高点" and basis_word("en", "peak") == "from peak"
