"""Number forms found failing on fresh Chinese news (tests/extract/data/zh_fresh_s9.jsonl), one
general rule each. Every sentence here was written for its rule; none is copied from a corpus.
"""

from __future__ import annotations

import math

import pytest

from bot.extract import extract


def _pairs(text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in extract(text)]


def _has(text: str, value: float, unit: str) -> bool:
    return any(u == unit and math.isclose(v, value, rel_tol=1e-9) for v, u in _pairs(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # EPS / 單季 / 成長 in traditional script, with no mainland or Hong Kong word: Taiwan's 元.
        ("某散熱廠第二季營收達 35.2 億元，較上季成長 8%。", 3.52e9),
        ("某電子廠去年全年營收8,120.5億元，EPS 3.41元。", 3.41),
        ("公司單季 EPS 達到 6.02 元，優於預期。", 6.02),
        # Taiwan's rating and dividend wording.
        ("券商維持某廠「買進」評等，目標價訂在 860 元。", 860),
        ("董事會決議配發現金股利3.5元。", 3.5),
        # Lots of 1,000 shares (張) are Taiwan's, in either script.
        ("公司拟处分子公司5000张持股，以1.8亿元出售。", 1.8e8),
    ],
)
def test_taiwanese_wording_makes_bare_yuan_twd(text: str, value: float) -> None:
    assert _has(text, value, "TWD"), _pairs(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # A mainland company in converted traditional script keeps the yuan.
        ("某功率半導體公司前三季度營收63.2億元，同比增長12%。", 6.32e9),
        ("某芯片公司以41.5億元的營收位居前列,受益于人工智能需求。", 4.15e9),
    ],
)
def test_mainland_wording_keeps_bare_yuan_cny(text: str, value: float) -> None:
    assert _has(text, value, "CNY"), _pairs(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Hong Kong's monetary system: 金管局, 本港, the 港元 money market.
        ("金管局今日向市場注入385億元，銀行體系總結餘回升。", 3.85e10),
        ("本港銀行業上月新增貸款約620億元。", 6.2e10),
        # A Hong Kong quote: "升幅" is Hong Kong's, "造" (trading at) follows a five-digit code.
        ("某地產股復牌後報12.4元,升幅近6%。", 12.4),
        ("某科技股(09999)现造88.5元,反覆升1.2%。", 88.5),
    ],
)
def test_hong_kong_money_and_quotes_are_hkd(text: str, value: float) -> None:
    assert _has(text, value, "HKD"), _pairs(text)


@pytest.mark.parametrize(
    ("text", "kept", "previous"),
    [
        ("归母净利润亏损3.2亿元;上年同期亏损2.7亿元。", -3.2e8, -2.7e8),
        ("扣非净利润亏损1200万元,上年同期盈利5000万元。", -1.2e7, 5e7),
    ],
)
def test_year_earlier_result_is_the_base(text: str, kept: float, previous: float) -> None:
    """ "上年同期亏损/盈利X": the year-earlier result is the figure's base, not a figure."""
    figs = extract(text)
    assert [(f.value, f.unit) for f in figs] == [(kept, "CNY")]
    assert figs[0].previous == previous


@pytest.mark.parametrize(
    ("text", "value", "low", "unit"),
    [
        # A range of Chinese numerals: the lower end takes the upper end's unit and magnitude.
        ("今年預算達三二〇至三八〇億美元。", 3.8e10, 3.2e10, "USD"),
        ("年複合成長率將達二十一至二十六％。", 26.0, 21.0, "percent"),
        ("需求將是過去的三至三點五倍。", 3.5, 3.0, "times"),
        ("計畫投資約四至六億元人民幣。", 6e8, 4e8, "CNY"),
        # The upper end's own qualifier after 至.
        ("兩檔個股升逾12%至近15%。", 15.0, 12.0, "percent"),
    ],
)
def test_ranges_of_numerals_and_qualified_ends(
    text: str, value: float, low: float, unit: str
) -> None:
    figs = extract(text)
    assert [(f.value, f.low, f.unit) for f in figs] == [(value, low, unit)]


@pytest.mark.parametrize("text", ["預計三至五年內完成。", "約有一至二家公司參與。"])
def test_numeral_ranges_of_durations_and_few_stay_out(text: str) -> None:
    assert extract(text) == []


def test_tenths_range_still_read_once() -> None:
    figs = extract("約二至三成的營收來自雲端。")
    assert [(f.value, f.low, f.unit) for f in figs] == [(30.0, 20.0, "percent")]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        # "EPS" glued to its number is earnings per share, not a name like "H100".
        ("某晶片商上季EPS2.07美元。", 2.07, "USD"),
        ("某廠前3季EPS15.6元、年增8%。", 15.6, "TWD"),
        # A compound of three magnitudes, spaced as some Taiwanese sites write it.
        ("累計營收 1 兆 2,345 億 6,700 萬元。", 1_234_567_000_000, "TWD"),
        # Revenue "in dollars" written with 億元.
        ("公司預估本季美元營收達 250 至 262 億元。", 2.62e10, "USD"),
        ("若以美元計算，第2季營收251億元。", 2.51e10, "USD"),
    ],
)
def test_eps_compounds_and_dollar_revenue(text: str, value: float, unit: str) -> None:
    assert _has(text, value, unit), _pairs(text)


def test_h100_stays_a_name() -> None:
    assert _pairs("採購H100晶片。") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("央行將政策利率下調50個基點。", 0.5), ("貸款利差收窄15个基点。", -0.15)],
)
def test_basis_points_with_a_measure_word(text: str, value: float) -> None:
    """ "個基點"/"个基点": basis points written with the measure word, hundredths of a point."""
    figs = extract(text)
    assert [(abs(f.value), f.unit) for f in figs] == [(abs(value), "percentage_points")]


def test_likened_with_dengtong_is_an_illustration() -> None:
    """ "約等同於10萬戶家庭用電": a comparison to something familiar, not a figure."""
    assert extract("這座園區的用電約等同於20萬戶家庭用電。") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("截至年底，寬頻總客戶數達 420.5 萬戶。", 4_205_000),
        ("行動用户数约为 980 万户。", 9_800_000),
    ],
)
def test_subscribers_counted_in_hu_are_users(text: str, value: float) -> None:
    assert _has(text, value, "users"), _pairs(text)


def test_households_stay_a_count() -> None:
    assert _has("全市約有120萬戶家庭。", 1_200_000, "count")


@pytest.mark.parametrize(
    ("text", "value", "previous"),
    [
        ("液冷產品占比從第一季的 18%提升至第二季的 27%。", 27.0, 18.0),
        ("伺服器占比从去年的40%提高至今年的55%。", 55.0, 40.0),
    ],
)
def test_from_one_period_to_another(text: str, value: float, previous: float) -> None:
    """ "從第一季的X提升至第二季的Y": a move between periods; X is Y's previous value."""
    figs = extract(text)
    assert [(f.value, f.previous) for f in figs] == [(value, previous)]


@pytest.mark.parametrize(
    "text",
    ["毛利率較上季提升 80 個基點（0.8 個百分點）。", "Margin rose 80 bps (0.8 percentage points)."],
)
def test_the_same_change_restated_in_parentheses_is_one_figure(text: str) -> None:
    assert [(f.value, f.unit) for f in extract(text)] == [(0.8, "percentage_points")]


def test_a_few_data_centres_counted_after_their_noun() -> None:
    """ "資料中心達6座": 座 counts buildings, so a small count after the noun is a figure."""
    assert _has("該集團在亞洲營運的資料中心達6座。", 6, "count")


def test_eps_glued_to_a_minus_sign_is_a_loss() -> None:
    assert [f.value for f in extract("某記憶體廠第1季EPS-1.25元。")] == [-1.25]
