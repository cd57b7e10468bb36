"""Figure forms of Taiwanese and Hong Kong financial news (traditional script), one rule each.

Every sentence here was written for its rule (none is copied from the labelled sets). The
property tests write a number in the style, extract it and get the same exact value back.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extract import extract
from bot.models import Conversion, Figure
from tests.extract.test_forms import _check

_ZH_DIGITS = "零一二三四五六七八九"
_SMALL_FORMS = str.maketrans(".,", "﹒﹐")

decimals = st.builds(
    lambda n, d: Decimal(n).scaleb(-d),
    st.integers(min_value=1, max_value=999_999),
    st.integers(min_value=0, max_value=3),
)


def _one(text: str) -> Figure:
    figs = extract(text)
    assert len(figs) == 1, (text, figs)
    return figs[0]


@settings(deadline=None)
@given(decimals, st.booleans())
def test_small_form_points_and_commas(number: Decimal, commas: bool) -> None:
    """Hong Kong filings write "9﹒9%" and "77﹐709": U+FE52 and U+FE50 are "." and ","."""
    written = (f"{number:,f}" if commas else f"{number:f}").translate(_SMALL_FORMS)
    f = _one(f"集團營業額增長至{written}億元(人民幣)。")
    assert (f.value, f.unit) == (float(number * 10**8), "CNY")


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=9))
def test_cheng_with_a_numeral_tenth_digit(whole: int, digit: int) -> None:
    """ "一成五": one and a half tenths, 15 percent; as "1成5" in digits."""
    f = _one(f"雲端業務營收占比約{_ZH_DIGITS[whole]}成{_ZH_DIGITS[digit]}。")
    assert (f.value, f.unit) == (float(whole * 10 + digit), "percent")


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=0, max_value=1))
def test_hong_kong_cents(n: int, decimals_: int) -> None:
    """ "每股盈利131.3港仙": a hundredth of a Hong Kong dollar, exactly."""
    number = Decimal(n).scaleb(-decimals_)
    f = _one(f"該集團每股基本盈利{number:f}港仙。")
    assert (f.value, f.unit) == (float(number / 100), "HKD")


@settings(deadline=None)
@given(decimals, st.sampled_from([("億", 10**8), ("萬", 10**4), ("", 1)]))
def test_meijin_is_the_us_dollar(number: Decimal, mag: tuple[str, int]) -> None:
    """Taiwan calls the US dollar 美金, before the amount ("美金12億元") or after it."""
    f = _one(f"該公司第三季稅後淨利為美金{number:f}{mag[0]}元。")
    assert (f.value, f.unit) == (float(number * mag[1]), "USD")


@settings(deadline=None)
@given(decimals)
def test_pct_beside_chinese_is_points(number: Decimal) -> None:
    """Chinese analysts write 百分点 as "pct" ("毛利率提升2.95pct"); English "pct" is percent."""
    f = _one(f"第三季毛利率提升{number:f}pct。")
    assert (f.value, f.unit) == (float(number), "percentage_points")
    g = _one(f"Profit rose {number:f} pct.")
    assert (g.value, g.unit) == (float(number), "percent")


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=9))
def test_cheng_and_a_half(whole: int) -> None:
    """ "一成半": one and a half tenths, 15 percent; "半成" alone is 5 percent."""
    f = _one(f"該股今日急升{_ZH_DIGITS[whole]}成半。")
    assert (f.value, f.unit, f.is_change) == (whole * 10 + 5.0, "percent", True)


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=8), st.integers(min_value=1, max_value=8))
def test_range_of_tenths_written_once(a: int, gap: int) -> None:
    """ "二至三成": a range of tenths with 成 written once; a range of declines keeps low ≤ value."""
    b = min(a + gap, 9)
    if b == a:
        return
    f = _one(f"營收可望年增{_ZH_DIGITS[a]}至{_ZH_DIGITS[b]}成。")
    assert (f.value, f.low, f.unit) == (b * 10.0, a * 10.0, "percent")
    g = _one(f"營收將年減{_ZH_DIGITS[a]}到{_ZH_DIGITS[b]}成。")
    assert (g.value, g.low) == (-a * 10.0, -b * 10.0)


@settings(deadline=None)
@given(decimals)
def test_points_written_without_ge(number: Decimal) -> None:
    """ "年減14.1百分點": 百分點 without 個 is the unit, its 百 no hundred."""
    f = _one(f"淨利率年減{number:f}百分點。")
    assert (f.value, f.unit) == (-float(number), "percentage_points")


HANT: list[tuple[str, list[tuple[float, str, dict[str, Any]]]]] = [
    # A margin improving or worsening is a change; a loss improving to a level is a loss.
    ("毛利率較上季改善0.3個百分點。", [(0.3, "percentage_points", {"is_change": True})]),
    ("營益率較上季惡化1.2個百分點。", [(-1.2, "percentage_points", {"is_change": True})]),
    ("該廠虧損改善至3億元。", [(-3e8, "CNY", {})]),
    # The loss a change in percent came to: "少蝕37%至5.6億元".
    ("集團中期少蝕37%至5.6億元人民幣。", [(37, "percent", {}), (-5.6e8, "CNY", {})]),
    ("營收增長21%至3億元。", [(21, "percent", {}), (3e8, "CNY", {})]),
    # A move with a traditional-script qualifier after 至.
    (
        "資本支出由新台幣260億元調降至約新台幣200億元。",
        [(2e10, "TWD", {"previous": 2.6e10, "qualifier": "about"})],
    ),
    ("該股今日升逾半成。", [(5, "percent", {"qualifier": "more_than"})]),
    ("成本下降半成，半成品庫存增加。", [(-5, "percent", {})]),
    # A list of changes after one verb shares its direction.
    (
        "兩檔科技股分別下跌約3.2%與1.4%。",
        [(-3.2, "percent", {}), (-1.4, "percent", {"is_change": True})],
    ),
    # A change restated in percent after 或 takes the change's sign.
    (
        "股東應佔盈利為港幣三十億元，減少港幣二十億零五百萬元或 40%。",
        [(3e9, "HKD", {}), (-2.005e9, "HKD", {}), (-40, "percent", {"is_change": True})],
    ),
    ("營收增加12億元，或15%。", [(1.2e9, "CNY", {}), (15, "percent", {"is_change": True})]),
    # The restated amount in parentheses keeps its own qualifier word.
    (
        "該計畫三年將投資5,000億美元（逾新台幣15兆元）。",
        [(5e11, "USD", {"conversion": Conversion(value=1.5e13, unit="TWD")})],
    ),
    # The second model of a pair after a slash is a name; 櫃 counts racks.
    ("今年GB200/300機櫃出貨約3,000櫃。", [(3000, "count", {"noun": "racks"})]),
    ("GB300機櫃明年可望達8,000至9,000櫃。", [(9000, "count", {"low": 8000})]),
    ("公司股票在櫃買中心交易。", []),
    # P/E and P/B ratios are named with 比: not a comparison, and Taiwan's words for them.
    (
        "該股本益比約25倍，股價淨值比約6倍。",
        [(25, "times", {"previous": None}), (6, "times", {"previous": None})],
    ),
    ("散熱股股價從2000元回落，本益比仍高達60倍。", [(2000, "TWD", {}), (60, "times", {})]),
    # Totals and emphasis between a loss and its amount; a loss moving from one quarter's level.
    ("三家記憶體廠第3季虧損合計88.5億元。", [(-8.85e9, "CNY", {})]),
    ("該公司上半年累計虧損仍高達120億元。", [(-1.2e10, "CNY", {})]),
    (
        "每股稅後虧損從第2季的-1.2元收斂至0.9元。",
        [(-0.9, "CNY", {"previous": -1.2})],
    ),
    ("營收從第2季的80億元增加至95億元。", [(9.5e9, "CNY", {"previous": 8e9})]),
    # 張 alone counts lots of shares; with a card or chip noun it counts them.
    ("股價漲停，成交量超過5.2萬張，委買量逾3萬張。", []),
    ("業者今年採購GPU約3萬張。", [(3e4, "count", {"noun": "GPUs"})]),
]


@pytest.mark.parametrize(("text", "expected"), HANT)
def test_traditional_script_forms(
    text: str, expected: list[tuple[float, str, dict[str, Any]]]
) -> None:
    _check(text, expected)
