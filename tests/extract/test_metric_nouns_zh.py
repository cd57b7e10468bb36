"""Chinese metric labels, both scripts: the metric of a figure is the noun right before it in
its clause, and a noun that is none of Briefbot's metrics (a margin, a utilisation rate, an
expense, a balance-sheet item, an investor) gives ``other`` instead of lending the figure a
metric word further back. Every sentence here was written for its rule."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract

_DAY = dt.date(2025, 11, 20)


def _metrics(text: str) -> list[tuple[float, str, str]]:
    return [(f.value, f.unit, f.metric) for f in extract(text, published=_DAY)]


def test_margin_after_revenue_is_other() -> None:
    """A gross or net margin and its change in points are no revenue or profit figure, even
    when revenue or profit was named earlier in the sentence."""
    for text in (
        "某芯片公司本季营收52亿元，毛利率为41.5%，较上季提升2.3个百分点。",
        "某晶片公司本季營收52億元，毛利率為41.5%，較上季提升2.3個百分點。",
    ):
        got = _metrics(text)
        assert got[0][2] == "revenue"
        assert [m for _, _, m in got[1:]] == ["other", "other"]
    got = _metrics("某云服务商净利润9.6亿元，净利润率达18.2%。")
    assert [m for _, _, m in got] == ["profit", "other"]
    got = _metrics("某雲服務商淨利9.6億元，淨利率達18.2%。")
    assert [m for _, _, m in got] == ["profit", "other"]


def test_gross_profit_is_not_revenue() -> None:
    """毛利 (gross profit) after 营收 in the same sentence is its own figure."""
    got = _metrics("某服务器厂商第二季营收88亿元，年增12%，毛利15亿元，年增9%。")
    assert [m for _, _, m in got] == ["revenue", "revenue", "other", "other"]
    got = _metrics("某伺服器廠商第二季營收88億元，年增12%，毛利15億元，年增9%。")
    assert [m for _, _, m in got] == ["revenue", "revenue", "other", "other"]


def test_list_item_rate_does_not_borrow_revenue() -> None:
    """In a list of results ("营收…、产能利用率…"), a rate is its own item's."""
    got = _metrics("某代工厂前三季营收300亿元、产能利用率92.5%、良率超85%。")
    assert [m for _, _, m in got] == ["revenue", "other", "other"]
    got = _metrics("某代工廠前三季營收300億元、產能利用率92.5%、良率超85%。")
    assert [m for _, _, m in got] == ["revenue", "other", "other"]


def test_market_share_and_holding_are_other() -> None:
    got = _metrics("该公司以6.2%的全球市场份额位居第四，营收增长11%。")
    assert [m for _, _, m in got] == ["other", "revenue"]
    got = _metrics("創辦人直接、間接持股41.3%，公司營收增長11%。")
    assert [m for _, _, m in got] == ["other", "revenue"]


def test_expenses_are_not_spending_or_revenue() -> None:
    """R&D and operating expenses, selling expenses: costs, not capital spending (支出/投入)
    and not revenue (销售)."""
    for text in (
        "本季研发投入达31亿元，同比增长14%；资本开支为80亿元。",
        "本季研發投入達31億元，同比增長14%；資本開支為80億元。",
    ):
        assert [m for _, _, m in _metrics(text)] == ["other", "other", "capex"]
    got = _metrics("期内经营开支按年增加21%至5.5亿美元。")
    assert [m for _, _, m in got] == ["other", "other"]
    got = _metrics("該公司銷售費用同比增長30%，至120億元。")
    assert [m for _, _, m in got] == ["other", "other"]


def test_balance_sheet_items_are_other() -> None:
    got = _metrics("截至9月底，该公司资产合计3200亿元，负债合计2100亿元，资产负债率约66%。")
    assert [m for _, _, m in got] == ["other", "other", "other"]
    got = _metrics("截至9月底，該公司在建工程餘額為12億元。")
    assert [m for _, _, m in got] == ["other"]


def test_investors_are_no_investment() -> None:
    got = _metrics("网上投资者认购500万股，金额达6亿元。")
    assert [m for _, u, m in got if u == "CNY"] == ["other"]
    got = _metrics("某公司对数据中心的投资达200亿元。")
    assert [m for _, _, m in got] == ["investment"]


def test_a_ratio_after_the_next_item_is_not_this_figure() -> None:
    """A ratio noun after the figure names it only when it follows at once ("6.2%的全球市场
    份额"); one further on, past a bracket or a list dash, is the next figure's."""
    got = _metrics("- 营收650亿美元,同比增长65%[15] 毛利率指引74.8%")
    assert [m for _, _, m in got] == ["revenue", "revenue", "other"]
    got = _metrics("某公司净利润同比增长12% [2] - 销售费用同比翻倍至665亿元")
    assert [m for _, _, m in got] == ["profit", "other"]


def test_operating_income_and_eps_words() -> None:
    """Hong Kong and Taiwan words for operating profit and earnings (or loss) per share."""
    got = _metrics("數據中心業務營業額增長9.9%至29.38億元，營業溢利上升17.6%至14.89億元。")
    assert [m for _, _, m in got] == ["revenue", "revenue", "operating_income", "operating_income"]
    got = _metrics("某記憶體廠第1季稅後淨損30億元，每股虧損0.55元。")
    assert [m for _, _, m in got] == ["profit", "eps"]
    got = _metrics("某公司全年每股稅後純益達12.3元。")
    assert [m for _, _, m in got] == ["eps"]


def test_company_move_without_metric_is_a_share_move() -> None:
    """A company followed by a move verb and a percentage, in a clause that names no metric,
    is its share move (and a price quoted with 报 after it, its share price)."""
    for text in (
        "恒指午后回升，美团(03690)升4.1%，报56.2元，另一家公司跌近3%。",
        "恆指午後回升，美團(03690)升4.1%，報56.2元，另一家公司跌近3%。",
    ):
        got = _metrics(text)
        assert [m for _, _, m in got] == ["share_price", "share_price", "other"]
    got = [(f.entity, f.metric) for f in extract("小米早段跌近4%，快手升逾2%。", published=_DAY)]
    assert got == [("Xiaomi", "share_price"), ("Kuaishou", "share_price")]
    got = [(f.entity, f.metric) for f in extract("工業富聯收盤漲6.3%。", published=_DAY)]
    assert got == [("Foxconn Industrial Internet", "share_price")]


def test_move_noun_on_a_trading_day_is_a_share_move() -> None:
    got = _metrics("该股开盘报88.0港元，涨幅2.4%。")
    assert [m for _, _, m in got] == ["share_price", "share_price"]


def test_results_verbs_keep_their_metric() -> None:
    """升/增长 after a results noun, or a company's growth with 增长, is no share move."""
    got = _metrics("腾讯本季收入1,930亿元，升15%；净利润630亿元，增长9%。")
    assert [m for _, _, m in got] == ["revenue", "revenue", "profit", "profit"]
    got = _metrics("阿里巴巴營收增長5%，騰訊增長10%。")
    assert [m for _, _, m in got] == ["revenue", "revenue"]


def test_metric_word_before_the_next_number_is_its_subject() -> None:
    """In a headline, a metric word right before the next number is that number's subject; a
    metric word after 的, or attached to the number itself, is this number's own noun."""
    for text in (
        "某芯片公司上半年营收12.5亿元 同比增长310% 净利润3.2亿元",
        "某晶片公司上半年營收12.5億元 同比增長310% 淨利潤3.2億元",
    ):
        assert [m for _, _, m in _metrics(text)] == ["revenue", "revenue", "profit"]
    got = _metrics("全年资本开支突破 500 亿元,占全年 4000 亿元收入的约 12%。")
    assert [m for _, _, m in got][:3] == ["capex", "revenue", "revenue"]
    got = _metrics("公司朝着今年80兆韩元的营收和30兆韩元的营业利润目标迈进。")
    assert [m for _, _, m in got] == ["revenue", "operating_income"]
