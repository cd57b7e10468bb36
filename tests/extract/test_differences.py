"""A difference is a change (``qualifiers.difference``, used by ``figures``): an amount that is
the size of a move or a gap ("$30 billion more than last year", "比去年多出600亿元") comes out
``is_change``, signed by its word, so digests show it as a change and level rules never take it
for the company's level. Sentences written for the rule, in English and both Chinese scripts."""

from __future__ import annotations

import pytest

from bot.extract import extract
from bot.extract.keyfig import key_figures
from bot.extract.qualifiers import difference
from bot.models import Figure


def _money(text: str) -> list[Figure]:
    return [f for f in extract(text) if f.unit not in ("percent", "percentage_points", "times")]


def _one(text: str) -> Figure:
    figs = _money(text)
    assert len(figs) == 1, (text, figs)
    return figs[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # English: comparatives after the amount
        ("Northwind will spend $25 billion more on servers than it did in 2025.", 25e9),
        ("Contoso's cloud revenue came in $3 billion higher than a year before.", 3e9),
        ("Fabrikam expects to spend $4 billion less than last year on buildings.", -4e9),
        ("Tailspin now runs 12,000 more GPUs than Litware.", 12e3),
        ("Northwind's 2026 budget is $7 billion above last year's.", 7e9),
        ("Contoso's cloud arm is $15 billion ahead of Fabrikam in annual sales.", 15e9),
        ("Litware's order book ended $2 billion short of its rival's.", -2e9),
        # English: nouns and verbs of a move
        ("Northwind announced a $9 billion hike in data-centre spending.", 9e9),
        ("Fabrikam disclosed a $6 billion cut to its server budget.", -6e9),
        ("Tailspin posted an increase of $1.5 billion in capital spending.", 1.5e9),
        ("Contoso lifted its spending plan by an additional $5 billion.", 5e9),
        ("The two budgets differ: a $10 billion gap separates Contoso and Litware.", 10e9),
        # Simplified Chinese
        ("某科技公司今年资本开支比去年多出800亿元。", 8e10),
        ("该集团云业务收入较预期高出40亿元。", 4e9),
        ("这家公司服务器采购比上一季度少了20亿元。", -2e9),
        ("该公司研发投入比去年增加了150亿元。", 1.5e10),
        ("该公司员工比去年多出3000人。", 3e3),
        # Traditional Chinese (read through the extractor's simplified copy)
        ("這家晶片廠今年資本支出比去年多出600億元。", 6e10),
        ("該集團雲端營收較市場預估低了30億元。", -3e9),
        ("該公司伺服器出貨金額較上季減少了45億元。", -4.5e9),
    ],
)
def test_a_difference_is_a_signed_change(text: str, value: float) -> None:
    fig = _one(text)
    assert fig.is_change, fig
    assert fig.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Northwind will spend $90 billion on servers in 2026.", 90e9),
        ("Fabrikam spent $40 billion over the year on buildings.", 40e9),
        ("Tailspin set up a $5 billion fund for start-ups.", 5e9),
        ("Litware booked a gain of $2 billion on its stake.", 2e9),
        ("Contoso raised more than $6 billion from investors.", 6e9),
        ("某科技公司今年资本开支达到800亿元,比去年增长20%。", 8e10),
        ("该公司研发投入增加至150亿元。", 1.5e10),
        ("比亚迪今年营收为7000亿元。", 7e11),
        ("這家晶片廠今年資本支出為600億元,較去年成長三成。", 6e10),
    ],
)
def test_a_level_stays_a_level(text: str, value: float) -> None:
    levels = [f for f in _money(text) if f.value == pytest.approx(value)]
    assert levels, (text, _money(text))
    assert not levels[0].is_change, levels[0]


def test_the_step_beside_its_level_is_still_not_stored() -> None:
    # English: the level is the fact, the step only how it moved (keyfig._money_step)
    text = (
        "Northwind will spend $20 billion more on capex than last year. "
        "Northwind now expects capex of $95 billion."
    )
    figs = extract(text)
    step = [f for f in figs if f.value == 20e9]
    assert step and step[0].is_change
    assert [f.value for f in key_figures(figs, text) if f.unit == "USD"] == [95e9]


def test_a_difference_alone_is_stored_as_a_change() -> None:
    text = "腾讯今年资本开支比去年多出600亿元。"
    keys = key_figures(extract(text), text)
    assert [(f.entity, f.value, f.is_change) for f in keys] == [("Tencent", 6e10, True)]


@pytest.mark.parametrize(
    ("text", "amount", "sign"),
    [
        ("spend $30 billion more than planned", "$30 billion", 1),
        ("spend $30 billion less than planned", "$30 billion", -1),
        ("a $30 billion shortfall", "$30 billion", -1),
        ("down by about $3 billion", "$3 billion", -1),
        ("capex fell by $3 billion", "$3 billion", -1),
        ("比去年多出600亿元", "600亿元", 1),
        ("比预期低30亿元", "30亿元", -1),
        ("减少了45亿元", "45亿元", -1),
        ("达到600亿元", "600亿元", 0),
        ("较高的600亿元", "600亿元", 0),
        ("at $90 billion above estimates", "$90 billion", 0),
        ("spend $90 billion, more than last year", "$90 billion", 0),
    ],
)
def test_difference_reads_the_words_around_the_amount(text: str, amount: str, sign: int) -> None:
    start = text.index(amount)
    assert difference(text, start, start + len(amount), 0, len(text)) == sign


def test_the_level_a_move_reached_is_not_bound_by_the_words_before_the_step() -> None:
    text = "raised capex by $30 billion to $90 billion"
    start = text.index("$30")
    end = text.index(" to $90")
    assert difference(text, start, end, 0, len(text)) == 1
    far = text.index("$90")
    assert difference(text, start, len(text), 0, len(text), far=True) == 0
    assert difference(text, far, len(text), 0, len(text), far=True) == 0


@pytest.mark.parametrize(
    ("text", "step", "level"),
    [
        ("Northwind lifted its capex budget by $12 billion to $70 billion.", 12e9, 70e9),
        ("Fabrikam's cloud revenue rose $4 billion to $30 billion in the quarter.", 4e9, 30e9),
        ("Litware cut its capex plan by $5 billion to $40 billion.", -5e9, 40e9),
        ("该公司资本开支增加80亿元至950亿元。", 8e9, 9.5e10),
        ("該公司資本支出減少了40億元至500億元。", -4e9, 5e10),
    ],
)
def test_a_step_to_a_level_is_a_change_and_a_level_not_a_range(
    text: str, step: float, level: float
) -> None:
    figs = _money(text)
    assert [(f.value, f.is_change, f.low) for f in figs] == [
        (step, True, None),
        (level, False, None),
    ], figs


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Northwind expects capex of $60 billion to $65 billion.", 60e9, 65e9),
        ("Fabrikam plans to add 5,000 to 8,000 GPUs next year.", 5e3, 8e3),
        ("该公司预计资本开支为900亿元至1000亿元。", 9e10, 1e11),
        ("該公司資本支出將增加至900億元到1000億元之間。", 9e10, 1e11),
    ],
)
def test_a_range_stays_a_range(text: str, low: float, high: float) -> None:
    fig = _one(text)
    assert (fig.low, fig.value) == (low, high), fig


def test_the_step_to_a_level_in_english_stores_only_the_level() -> None:
    text = "Northwind lifted its capex budget by $12 billion to $70 billion."
    keys = key_figures(extract(text), text)
    assert [(f.value, f.is_change) for f in keys] == [(70e9, False)]


@pytest.mark.parametrize(
    "text",
    [
        "该集团资本支出较预期高出50亿元。",
        "該集團雲端營收比市場預估少了30億元。",
        "该集团营收较市场预期高出3%。",
    ],
)
def test_a_chinese_gap_to_expectations_is_not_stored(text: str) -> None:
    # as an English one ("$700 million over the guidance") is nobody's figure
    text = "阿里巴巴" + text[3:]
    assert key_figures(extract(text), text) == []


def test_a_chinese_difference_to_last_year_is_stored() -> None:
    text = "阿里巴巴资本支出比去年多出50亿元,较预期高出20亿元。"
    keys = key_figures(extract(text), text)
    assert [(f.value, f.is_change) for f in keys] == [(5e9, True)]


def test_more_than_doubled_after_a_level_is_no_difference() -> None:
    text = "Northwind's capex reached $50 billion more than doubling the 2024 level."
    start = text.index("$50")
    end = start + len("$50 billion")
    assert difference(text, start, end, 0, len(text)) == 0
