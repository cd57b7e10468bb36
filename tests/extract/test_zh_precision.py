"""Precision on Chinese news, both scripts: forms and words that are not figures, or not the
figure they look like. Every sentence here was written for its rule."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.models import Figure

_DAY = dt.date(2025, 9, 1)


def _pairs(text: str, **kw: object) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in extract(text, published=_DAY, **kw)]  # type: ignore[arg-type]


def _figs(text: str, **kw: object) -> list[Figure]:
    return extract(text, published=_DAY, **kw)  # type: ignore[arg-type]


def test_space_after_decimal_point_is_one_number() -> None:
    """PDF/HTML extraction leaves "90. 05%": one number, 90.05, and no sentence ends there."""
    assert _pairs("某公司上半年营收同比增长90. 05%，净利润为7.99亿元。") == [
        (90.05, "percent"),
        (799000000.0, "CNY"),
    ]
    assert (42.44e8, "CNY") in _pairs("预计净利润分别为30.36/36.30/42. 44亿元。")
    assert _pairs("營收年增12. 5%，創同期新高。") == [(12.5, "percent")]


def test_english_sentence_ending_in_a_number_stays_two() -> None:
    assert (10.0, "percent") in _pairs("Revenue peaked in 2025. 10% of it came from AI chips.")
