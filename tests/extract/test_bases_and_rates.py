"""Numbers in results news that are not figures of their own, and number forms of Taiwanese
and Hong Kong results copy (issue 14, session 4).

- a base of comparison ("較上季的97億美元增加18.6%", "up from $35 billion") is the figure's
  ``previous``, not a figure; a forecast compared with stays a figure (an estimate);
- exchange rates, unit prices, per-hour/per-token rates, turnover, index points, share counts,
  barriers ("突破8兆元關卡") and bounds of power or compute ("a 60MW limit", "for every 1GW",
  "一座100MW的資料中心相當於…", "大於500PFlops") are not figures;
- compound numbers "1兆933.6億元", "1 兆 1312 億元", "3萬0810" are one number;
- 元 in Taiwanese results wording (年增/季增, 營益率, 每股盈餘, 法人預估) is TWD, and an amount
  "以美元計算" is USD;
- signs: 少 / 稀釋 / "trimmed" are declines, "net loss widened to" and "净亏损也从 X 扩大至 Y"
  are losses.

Each case: a sentence and every figure it holds as (value, unit, {field: expected}).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.extract import extract

Case = tuple[str, list[tuple[float, str, dict[str, Any]]]]

BASES: list[Case] = [
    (
        "聯發科上季資本支出12.5億美元，較前一季資本支出9.8億美元增加27.6%。",
        [
            (1.25e9, "USD", {"previous": 9.8e8}),
            (27.6, "percent", {"is_change": True}),
        ],
    ),
    (
        "第2季每股盈餘4.12元，高於去年同期的3.05元與首季的3.88元。",
        [(4.12, "TWD", {"previous": 3.05})],
    ),
    (
        "毛利率为45.2%,优于上一季度的41.8%。",
        [(45.2, "percent", {"previous": 41.8})],
    ),
    (
        "Acme expects capex of $20 billion to $22 billion in 2026, up from $12 billion to "
        "$14 billion in 2025.",
        [(2.2e10, "USD", {"low": 2e10})],
    ),
    (
        "Gross margin was 58.1% compared with 55% a year earlier.",
        [(58.1, "percent", {"previous": 55.0})],
    ),
    (
        # A forecast compared with is a figure of its own.
        "季內營收1,200億元，按年增9%，較市場預期的1,150億元為高。",
        [(1.2e11, "CNY", {}), (9.0, "percent", {}), (1.15e11, "CNY", {})],
    ),
    (
        # A change after the comparison word is the figure itself.
        "營收3,000億元，較去年同期增長12.5%。",
        [(3e11, "CNY", {}), (12.5, "percent", {"is_change": True})],
    ),
    (
        "利润率从接近 30% 上调至接近 35%。",
        [(35.0, "percent", {"previous": 30.0})],
    ),
    (
        "歸屬母公司淨利出現50.5億元的虧損，而上年同期為盈利30.2億元。",
        [(-5.05e9, "CNY", {"previous": 3.02e9})],
    ),
    (
        # A forecast after "versus" stays a figure (an estimate).
        "EPS came in at -$0.85 versus -$0.70 consensus.",
        [(-0.85, "USD", {}), (-0.7, "USD", {})],
    ),
    (
        "某股股价累计跌幅达18.5%,远超9%。",
        [(-18.5, "percent", {"previous": 9.0})],
    ),
    (
        "完成率仅为93.5%,创下历史最低纪录(此前最低为2014年的96.1%)。",
        [(93.5, "percent", {"previous": 96.1})],
    ),
    (
        "The spread has gone from about 60 basis points to about 75 basis points.",
        [(0.75, "percentage_points", {"previous": 0.6})],
    ),
]

NOT_FIGURES: list[Case] = [
    ("以1美元兌新台幣32.5元的匯率假設，毛利率預估為50%。", [(50.0, "percent", {})]),
    ("依平均匯率30.8元換算。", []),
    ("以單價約3萬美元估算，該公司擬採購約1萬顆。", [(1e4, "count", {})]),
    ("假定GPU租賃成本為2.5美元/小時。", []),
    ("API 输入价格为 0.01 元/千 tokens。", []),
    ("聯發科股價收在1,450元，成交額95.6億元。", [(1450.0, "TWD", {})]),
    ("大盤收在2萬3510點。", []),
    ("公司斥資100億港元回購2500萬股股份。", [(1e10, "HKD", {})]),
    # A barrier passed is not a figure where the sentence gives the amount itself.
    ("鴻海全年營收突破5兆元關卡，達5.2兆元。", [(5.2e12, "TWD", {})]),
    ("聯電8月合併營收為206.45億元，連續兩個月突破200億元大關。", [(2.0645e10, "TWD", {})]),
    ("鴻海去年營收衝破8兆元大關。", [(8e12, "TWD", {})]),
    ("The city imposed a 40MW limit on new facilities.", []),
    ("Each campus costs $12 billion for every 1GW of capacity.", [(1.2e10, "USD", {})]),
    ("一座50千瓩（MW）的資料中心，其用電相當於3萬戶家庭。", []),
    ("約一半項目規劃算力大於300PFlops。", []),
    ("單季獲利相當於每天賺進新台幣12億元。", []),
    # The whole ratio is no figure: "每1元…带动3元" is a multiplier effect, not an amount.
    ("每1元算力投入带动3元经济产出。", []),
    ("入门职位月薪约 3,000–7,000 令吉。", []),
    ("柔佛的电价为每千瓦时0.135美元,新加坡则为0.239美元/千瓦时。", []),
    (
        "In industry terms, >30 MW is large-scale, ≥100 MW is hyperscale, and 1,000 MW equals 1 GW.",
        [],
    ),
    ("營收97億美元，相當於一天就賺進將近3000萬美元。", [(9.7e9, "USD", {})]),
    ("營業利益勁增一倍多，至47.2兆韓元。", [(4.72e13, "KRW", {})]),
]

FORMS: list[Case] = [
    ("換算營收達新台幣1兆933.6億元。", [(1.0933600e12, "TWD", {})]),
    (
        "新台幣營收約 1 兆 933 億元至 1 兆 1312 億元。",
        [(1.1312e12, "TWD", {"low": 1.0933e12})],
    ),
    ("大型法人預估，上市櫃公司獲利總和達一．三兆元。", [(1.3e12, "TWD", {})]),
    (
        "本季營收介於300億美元到310億美元，預估匯率為1美元兌新台幣31元，換算新台幣9300億元到"
        "9610億元。",
        [(3.1e10, "USD", {"low": 3e10, "conversion": {"value": 9.61e11, "unit": "TWD"}})],
    ),
    ("算力超過每秒1350億億次浮點運算。", [(1.35e19, "FLOPS", {"qualifier": "more_than"})]),
    (
        "AI相關營收仍將呈現3位數的成長。",
        [(100.0, "percent", {"qualifier": "vague", "is_change": True})],
    ),
    ("營收8,000億元，年增12%。", [(8e11, "TWD", {}), (12.0, "percent", {})]),
    (
        "这些项目的资金需求已超过1800亿美元(约2400亿新元)。",
        [(1.8e11, "USD", {"conversion": {"value": 2.4e11, "unit": "SGD"}})],
    ),
    ("新加坡政府拨款5亿新元。", [(5e8, "SGD", {})]),
    (
        "联电5月合并营收达244.33亿(新台币,下同),今年1到5月累计合并营收1106.52亿元。",
        [(2.4433e10, "TWD", {}), (1.10652e11, "TWD", {})],
    ),
    (
        "台達電11月營收比10月衰退將近70億元。",
        [(-7e9, "TWD", {"qualifier": "nearly"})],
    ),
    ("營收8,000億元，按年增12%。", [(8e11, "CNY", {}), (12.0, "percent", {})]),
    ("若以美元計算，第3季營收250億，年增30%。", [(2.5e10, "USD", {}), (30.0, "percent", {})]),
    (
        "字節跳動明年斥資約人民幣1,000億元（合約新台幣4,500億元）。",
        [(1e11, "CNY", {"conversion": {"value": 4.5e11, "unit": "TWD"}})],
    ),
]

CENTS: list[Case] = [
    ("Intel expects earnings per share of 12 cents.", [(0.12, "USD", {})]),
    ("Analysts had expected 86 cents a share.", [(0.86, "USD", {})]),
    ("Revenue rose 5 per cent.", [(5.0, "percent", {})]),
]

SIGNS: list[Case] = [
    ("純利120億元，少35%。", [(1.2e10, "CNY", {}), (-35.0, "percent", {})]),
    ("至少20%的產能將用於先進製程。", [(20.0, "percent", {"qualifier": "at_least"})]),
    ("海外晶圓廠將使毛利率稀釋2個百分點。", [(-2.0, "percentage_points", {})]),
    (
        "Its operating margin was trimmed by 2 points.",
        [(-2.0, "percentage_points", {})],
    ),
    ("And the company's net loss widened to $310 million.", [(-3.1e8, "USD", {})]),
    (
        "该公司净亏损分别为3.27亿、4.3亿元、1.93亿元。",
        [(-3.27e8, "CNY", {}), (-4.3e8, "CNY", {}), (-1.93e8, "CNY", {})],
    ),
    ("净亏损3亿元、营收5亿元。", [(-3e8, "CNY", {}), (5e8, "CNY", {})]),
    (
        "Capex was 9.5 billion RMB, down 12% year-on-year and over 20% quarter-on-quarter.",
        [(9.5e9, "CNY", {}), (-12.0, "percent", {}), (-20.0, "percent", {})],
    ),
    # "and" joins a change to the verb before it only when nothing else follows it.
    (
        "Shares fell 4% and 2% of the float changed hands.",
        [(-4.0, "percent", {}), (2.0, "percent", {})],
    ),
    (
        "经调整净亏损也从2023年的5000万元扩大至2025年上半年的8.5亿元。",
        [(-8.5e8, "CNY", {"previous": -5e7})],
    ),
]


def _check(text: str, expected: list[tuple[float, str, dict[str, Any]]]) -> None:
    got = extract(text)
    assert [(f.value, f.unit) for f in got] == [(v, u) for v, u, _ in expected], (text, got)
    for f, (_, _, fields) in zip(got, expected, strict=True):
        for name, want in fields.items():
            value = getattr(f, name)
            if name == "conversion":
                value = None if value is None else {"value": value.value, "unit": value.unit}
            assert value == want, (text, name, value)


@pytest.mark.parametrize(("text", "expected"), BASES)
def test_bases_of_comparison(text: str, expected: list[tuple[float, str, dict[str, Any]]]) -> None:
    _check(text, expected)


@pytest.mark.parametrize(("text", "expected"), NOT_FIGURES)
def test_rates_prices_and_bounds_are_not_figures(
    text: str, expected: list[tuple[float, str, dict[str, Any]]]
) -> None:
    _check(text, expected)


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_compound_numbers_and_currencies(
    text: str, expected: list[tuple[float, str, dict[str, Any]]]
) -> None:
    _check(text, expected)


@pytest.mark.parametrize(("text", "expected"), CENTS)
def test_cents_are_hundredths_of_a_dollar(
    text: str, expected: list[tuple[float, str, dict[str, Any]]]
) -> None:
    _check(text, expected)


@pytest.mark.parametrize(("text", "expected"), SIGNS)
def test_declines_and_losses(text: str, expected: list[tuple[float, str, dict[str, Any]]]) -> None:
    _check(text, expected)
