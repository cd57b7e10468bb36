"""Key figures in Chinese, both scripts: a step in money followed by the level it reached, and
a share move at one moment of the day beside the close, are not stored. Every sentence here
was written for its rule."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.extract.keyfig import key_figures

_DAY = dt.date(2025, 11, 20)


def _key(text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in key_figures(extract(text, published=_DAY), text)]


def test_money_step_before_its_level_is_not_key() -> None:
    for text in (
        "腾讯本季营销开支按年增加35.6亿元或21.4%至202亿元。",
        "騰訊本季營銷開支按年增加35.6億元或21.4%至202億元。",
    ):
        assert _key(text) == [(21.4, "percent"), (202e8, "CNY")]


def test_money_step_alone_stays() -> None:
    """Without the level, the step is the only amount said and stays."""
    assert (35.6e8, "CNY") in _key("腾讯本季营销开支按年增加35.6亿元。")


def test_intraday_moment_beside_the_close_is_not_key() -> None:
    for text in (
        "百度股价盘中一度上涨超过3.2%，但随后回落，最终收跌1.1%。",
        "百度股價盤中一度上漲超過3.2%，但隨後回落，最終收跌1.1%。",
    ):
        assert _key(text) == [(-1.1, "percent")]


def test_intraday_moment_alone_stays() -> None:
    assert _key("百度股价盘中一度上涨超过3.2%。") == [(3.2, "percent")]
