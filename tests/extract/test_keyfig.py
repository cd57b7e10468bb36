"""Which figures are key figures, the ones Briefbot stores (bot.extract.keyfig)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.extract.keyfig import key_figures

PUB = dt.date(2025, 11, 20)


def keys(text: str, title: str | None = None) -> list[tuple[str | None, str, float, str]]:
    figs = key_figures(extract(text, published=PUB, title=title))
    return [(f.entity, f.metric, f.value, f.unit) for f in figs]


def test_share_price_levels_and_offer_prices_are_not_key_but_moves_are() -> None:
    got = keys("Alphabet shares closed at $333.34, down 2.16%, after a late selloff.")
    assert got == [("Google", "share_price", -2.16, "percent")]
    assert keys("摩尔线程发行价定为每股114.28元,募资总额约80亿元。") == [
        ("Moore Threads", "funding", 8e9, "CNY")
    ]


def test_an_exchange_rate_is_not_key_but_earnings_per_share_is() -> None:
    got = keys("台积电上季税后纯益5057亿元,每股纯益19.5元,以1美元兑31.6元新台币计算。")
    assert {(m, v) for _, m, v, _ in got} == {("profit", 5.057e11), ("eps", 19.5)}


def test_a_vague_amount_and_a_figure_of_nobody_are_not_key() -> None:
    assert keys("字节跳动还持续斥资数十亿美元租赁海外数据中心。") == []
    assert keys("The deal is worth $3 billion.") == []


def test_a_round_threshold_topped_is_the_exact_amount_said_again() -> None:
    got = keys(
        "SK hynix said its second-quarter operating profit surpassed 9 trillion won for the "
        "first time. Operating profit was 9.21 trillion won.",
        title="SK hynix Q2 operating profit tops 9 trillion won",
    )
    assert [v for _, _, v, _ in got] == [9.21e12]


def test_a_bond_is_not_a_share_price_even_beside_a_stock_move() -> None:
    figs = extract(
        "Oracle stock slipped after it moved to raise $15 billion in the bond market.",
        published=PUB,
    )
    assert [(f.entity, f.metric, f.value) for f in figs] == [("Oracle", "borrowing", 15e9)]


def parts(text: str, title: str | None = None) -> list[tuple[str | None, str, float, str]]:
    figs = key_figures(extract(text, published=PUB, title=title), text)
    return [(f.entity, f.metric, f.value, f.unit) for f in figs]


def test_a_part_of_a_whole_is_not_key_but_a_market_share_and_a_change_are() -> None:
    """占…的X%, 占比X%, 比重X%, "X%将用于…" give a part of a whole, not an amount (Chinese)."""
    got = parts("联想集团本季服务器收入为300亿元，占集团总营收的比重达25%。")
    assert [v for _, _, v, _ in got] == [300e8]
    got = parts("美光今年資本支出約65~75%將用於DRAM技術，約10%用於封裝測試。", title="美光")
    assert got == []
    got = parts("网上最终发行2000万股，占比40%。", title="沐曦股份上市")
    assert got == []
    # a market share held, a change of a share and a growth rate stay
    got = parts("華為在中國AI晶片市場佔據40.5%份額，營收年增32%。")
    assert {v for _, _, v, _ in got} == {40.5, 32.0}
    got = parts("中芯国际营收同比增长12%，毛利率为22%。")
    assert {v for _, _, v, _ in got} == {12.0, 22.0}


def keys_in(text: str) -> list[tuple[str | None, str, float, str]]:
    """Key figures judged with the text their spans index (as the pipeline does)."""
    figs = key_figures(extract(text, published=PUB), text)
    return [(f.entity, f.metric, f.value, f.unit) for f in figs]


def test_a_valuation_multiple_is_a_price_not_a_figure_of_the_company() -> None:
    got = keys_in("分析师指出，腾讯目前市盈率仅18倍，营收同比增长15%。")
    assert ("Tencent", "other", 18.0, "times") not in got
    assert ("Tencent", "revenue", 15.0, "percent") in got
    got = keys_in("预计百度2026年净利润120亿元,对应PE 14/12 倍。")
    assert got == [("Baidu", "profit", 1.2e10, "CNY")]
    got = keys_in("Nvidia trades at 30 times forward earnings after revenue grew 62%.")
    assert [g for g in got if g[3] == "times"] == []
    assert keys_in("台积电营收是中芯国际的9倍。") != []  # a multiple of another company stays


def test_an_amount_bounding_a_class_is_not_key() -> None:
    got = keys_in("小米表示,5万元以下的订单占比下降,当季营收达1131亿元。")
    assert got == [("Xiaomi", "revenue", 1.131e11, "CNY")]


def test_a_person_s_worth_and_an_investor_s_position_are_not_key() -> None:
    got = keys_in("寒武纪股价大涨,创始人陈天石身价超过1500亿元,公司营收同比增长40倍。")
    assert [g for g in got if g[3] == "CNY"] == []
    got = keys_in("牛散章建平持仓市值约为80亿元，账面浮盈约46亿元。")
    assert got == []
    got = keys_in(
        "Jensen Huang's net worth rose to $150 billion as Nvidia revenue hit $57 billion."
    )
    assert got == [("Nvidia", "revenue", 5.7e10, "USD")]


def test_a_share_of_an_increase_or_of_a_whole_said_after_it_is_not_key() -> None:
    """ "近九成营收增量来自…", "有X%来自…", "占…的六成": how a total splits, not the company's
    own figure; a growth rate in 成 and a change said before "来自" stay."""
    got = parts("英伟达本财季营收达512亿美元，数据中心贡献了公司近九成营收增量。")
    assert [v for _, _, v, _ in got] == [512e8]
    got = parts("今年英伟达的服务器中，有三成来自鸿海。")
    assert got == []
    got = parts("阿里云收入占阿里巴巴总收入的两成。")
    assert got == []
    got = parts("腾讯净利润同比增长了三成，主要来自游戏业务。")
    assert [v for _, _, v, _ in got] == [30.0]
    got = parts("中国移动权益投资收益+17%(主要来自浦发银行)。")
    assert [v for _, _, v, _ in got] == [17.0]


def test_an_open_period_mention_of_a_figure_the_text_dates_is_not_key() -> None:
    """ "明年" left open against an approximate date, then "2026年" in the body: one fact."""
    from bot.extract.approx import ApproxDate

    text = "字节跳动明年将投入1600亿元用于资本开支。\n\n字节跳动2026年资本开支计划为1600亿元。"
    figs = extract(text, published=ApproxDate(2026, 1, 4))
    got = [(f.entity, f.value, f.period) for f in key_figures(figs, text)]
    assert got == [("ByteDance", 1600e8, "2026")]
    # with no dated mention the open one stays
    text = "字节跳动明年将投入1600亿元用于资本开支。"
    figs = extract(text, published=ApproxDate(2026, 1, 4))
    assert [(f.value, f.period) for f in key_figures(figs, text)] == [(1600e8, None)]
