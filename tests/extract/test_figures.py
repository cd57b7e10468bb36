"""extract(): one behaviour per test, in English and Chinese."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.extract import extract
from bot.models import Figure

PUB = dt.date(2026, 2, 4)


def one(text: str, **kw: object) -> Figure:
    figs = extract(text, published=PUB, **kw)  # type: ignore[arg-type]
    assert len(figs) == 1, figs
    return figs[0]


@pytest.mark.parametrize(
    "text",
    [
        "Alphabet expects capex of $60 billion to $65 billion.",
        "Alphabet expects capex of $60-65bn.",
        "Alphabet expects capex of between $60 billion and $65 billion.",
        "Alphabet 预计资本支出为 600亿至650亿美元。",
    ],
)
def test_range_is_one_figure(text: str) -> None:
    f = one(text)
    assert (f.value, f.low, f.unit, f.entity, f.metric) == (65e9, 60e9, "USD", "Google", "capex")


def test_range_yuan() -> None:
    f = one("腾讯资本开支预计 600亿至650亿元")
    assert (f.value, f.low, f.unit) == (65e9, 60e9, "CNY")


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Meta will spend about $10 billion.", "about"),
        ("Meta will spend around $10 billion.", "about"),
        ("Meta will spend up to $10 billion.", "up_to"),
        ("Meta will spend as much as $10 billion.", "up_to"),
        ("Meta will spend more than $10 billion.", "more_than"),
        ("Meta will spend over $10 billion.", "more_than"),
        ("Meta will spend at least $10 billion.", "at_least"),
        ("Meta will spend less than $10 billion.", "less_than"),
        ("Meta will spend nearly $10 billion.", "nearly"),
        ("Meta 将投入约 100 亿美元。", "about"),
        ("Meta 将投入 100 亿美元左右。", "about"),
        ("Meta 将投入最高 100 亿美元。", "up_to"),
        ("Meta 将投入不超过 100 亿美元。", "up_to"),
        ("Meta 将投入超过 100 亿美元。", "more_than"),
        ("Meta 将投入逾 100 亿美元。", "more_than"),
        ("Meta 将投入 100 亿美元以上。", "more_than"),
        ("Meta 将投入至少 100 亿美元。", "at_least"),
        ("Meta 将投入将近 100 亿美元。", "nearly"),
    ],
)
def test_qualifiers(text: str, qualifier: str) -> None:
    f = one(text)
    assert f.value == 10e9 and f.qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "value", "basis"),
    [
        ("Nvidia revenue rose 62% year over year.", 62, "yoy"),
        ("Nvidia revenue was up 25% sequentially.", 25, "qoq"),
        ("Nvidia shares fell 10%.", -10, None),
        ("英伟达营收同比增长 62%。", 62, "yoy"),
        ("英伟达营收环比增长 25%。", 25, "qoq"),
        ("英伟达股价下跌 10%。", -10, None),
        ("英伟达股价回落 50%。", -50, None),
        ("英伟达营收年增 66%。", 66, "yoy"),
    ],
)
def test_changes(text: str, value: float, basis: str | None) -> None:
    f = one(text)
    assert (f.value, f.unit, f.is_change, f.change_basis) == (value, "percent", True, basis)


def test_level_percent_is_not_a_change() -> None:
    f = one("Nvidia's gross margin was 75%.")
    assert not f.is_change and f.value == 75


def test_doubled_without_number() -> None:
    f = one("Nvidia's data center revenue doubled.")
    assert (f.value, f.unit, f.is_change, f.metric) == (100, "percent", True, "revenue")


def test_move_sets_previous() -> None:
    f = one("Alibaba lifted its plan from 380 billion yuan to 480 billion yuan.")
    assert (f.value, f.previous, f.unit) == (480e9, 380e9, "CNY")
    f = one("阿里巴巴把投资由 3,800 亿人民币上调至 4,800 亿人民币")
    assert (f.value, f.previous, f.unit) == (480e9, 380e9, "CNY")


def test_conversion_in_parentheses() -> None:
    f = one("ByteDance plans capex of 160 billion yuan (about $23 billion).", rates={"CNY": 0.14})
    assert f.conversion is not None and f.conversion.value == 23e9
    assert f.usd_value == 23e9  # the stated conversion wins over rates
    f = one("字节跳动资本支出 1,600 亿人民币（约 230 亿美元）")
    assert f.unit == "CNY" and f.conversion is not None and f.conversion.unit == "USD"


def test_usd_value_from_rates_and_none_for_non_money() -> None:
    assert one("Tencent spent 10 billion yuan.", rates={"CNY": 0.14}).usd_value == pytest.approx(
        1.4e9
    )
    assert one("Tencent spent 10 billion yuan.").usd_value is None
    assert one("WeChat has 1.4 billion users.").usd_value is None


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Sony earned ¥500 billion.", "JPY"),
        ("Baidu earned ¥5 billion in China.", "CNY"),
        ("百度净利 ¥50 亿", "CNY"),
        ("Hon Hai revenue hit NT$2 trillion.", "TWD"),
        ("Tencent earned HK$10 billion.", "HKD"),
        ("Samsung earned 10 trillion won.", "KRW"),
        ("三星营业利润 10 万亿韩元", "KRW"),
        ("ASML booked €5 billion.", "EUR"),
        ("ASML booked 5 billion euros.", "EUR"),
        ("Apple earned US$5 billion.", "USD"),
        ("Apple earned 5 billion dollars.", "USD"),
        ("Apple earned USD 5 billion.", "USD"),
        ("Xiaomi earned RMB 5 billion.", "CNY"),
        ("Xiaomi earned 5 billion renminbi.", "CNY"),
        ("小米盈利人民币 50 亿元", "CNY"),
    ],
)
def test_currencies(text: str, unit: str) -> None:
    assert one(text).unit == unit


@pytest.mark.parametrize(
    "text",
    [
        "China's 2026–2030 plan elevates semiconductor self-reliance.",
        "中国在 2026–2030 五年规划中把半导体自给置顶。",
        "Q3 results beat; the 5-year plan starts in 2027 and ranks No. 1 in 3 markets.",
        "The 8e5c5f71e06a.png hash 14f7a183f1e8638b947b2f824f6d5b4478cad625 is not a number.",
        "SK Hynix says its 2026 capacity is already sold out; it has 3 fabs and 12 lines.",
        "第一季度有 3 家公司上市,首日股价大涨。",
        "2026-02-04 (Wednesday)",
    ],
)
def test_not_figures(text: str) -> None:
    assert extract(text, published=PUB) == []


def test_users_not_money() -> None:
    f = one("Dola has more than 10 million active users.")
    assert (f.unit, f.metric, f.value, f.usd_value) == ("users", "users", 10e6, None)
    f = one("Dola 活跃用户超过 1,000 万")
    assert (f.unit, f.metric, f.value) == ("users", "users", 10e6)


def test_entity_nearest_subject_and_unknown_entity() -> None:
    assert (
        one("Tesla plans to spend more than $20 billion, up from $8.5 billion in 2025.").entity
        == "Tesla"
    )
    f = one("Zhongji Innolight reported revenue of $3 billion.")
    assert f.entity == "Zhongji Innolight" and f.metric == "revenue"
    f = one("It said the figure was $3 billion.")
    assert f.entity is None and f.metric == "other"


def test_previous_from_comparison() -> None:
    f = one("Tesla plans to spend more than $20 billion, up from $8.5 billion in 2025.")
    assert (f.value, f.previous, f.period) == (20e9, 8.5e9, None)
    f = one("Tesla 规划支出超过 200 亿美元,高于 2025 年的 85 亿美元")
    assert (f.value, f.previous) == (20e9, 8.5e9)


def test_span_and_sentence_index_original_text() -> None:
    text = "Ｍeta：今年资本支出最高１，３５０亿美元。Next sentence."
    f = one(text)
    assert text[f.span[0] : f.span[1]] == "１，３５０亿美元"
    assert f.value == 1.35e11 and f.sentence == "今年资本支出最高１，３５０亿美元。"


def test_lang_detection_and_override() -> None:
    assert one("Meta will spend $10 billion.").lang == "en"
    assert one("Meta 将投入 100 亿美元。").lang == "zh"
    assert one("Meta will spend $10 billion.", lang="zh").lang == "zh"


def test_empty_and_no_numbers() -> None:
    assert extract("") == []
    assert extract("No numbers here at all.") == []


def test_json_contract() -> None:
    f = one("Meta says it will nearly double capex this year to as much as $135 billion")
    d = f.to_json_dict()
    assert d["entity"] == "Meta" and d["value"] == 135e9 and d["period"] == "2026"
    assert d["span"] == [62, 74] and d["usd_value"] == 135e9


def test_a_year_before_a_counted_noun_is_not_a_count() -> None:
    """Regression (replay test): "in 2026 in data centres" is a year, not 2026 data centres."""
    from bot.extract import extract

    figs = extract("Amazon will invest $200 billion in 2026 in data centres.")
    assert [(f.value, f.unit) for f in figs] == [(200e9, "USD")]
