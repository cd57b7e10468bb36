"""Who, what kind and when: article subject, deal roles, aggregates, people, segments, unknown
organisations, both Chinese scripts, kinds and fiscal periods (issue 13)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.extract import extract, load_lexicon
from bot.extract.fiscal import period_months
from bot.extract.textfold import simplified
from bot.models import Figure

PUB = dt.date(2026, 1, 29)
CONFIG = Path(__file__).parents[2] / "config" / "entities.toml"


def one(text: str, title: str | None = None, **kw: object) -> Figure:
    figs = extract(text, published=PUB, title=title, rates={"CNY": 0.14}, **kw)  # type: ignore[arg-type]
    assert len(figs) == 1, figs
    return figs[0]


# --- article-level reading -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The company said capital expenditures were $37.5 billion in the quarter.",
        "It spent $37.5 billion on capital expenditures.",
        "Capital expenditures were $37.5 billion.",
        "该公司资本支出为 375 亿美元。",
        "公司资本支出为 375 亿美元。",
    ],
)
def test_subject_of_the_title_fills_in(text: str) -> None:
    assert one(text, title="Microsoft posts record capex").entity == "Microsoft"


def test_without_title_nobody_is_invented() -> None:
    assert one("The company said capital expenditures were $37.5 billion.").entity is None


def test_a_sentence_naming_its_company_overrides_the_subject() -> None:
    f = one("Meta said capex would reach $135 billion.", title="Microsoft posts record capex")
    assert f.entity == "Meta"


def test_title_in_traditional_script_and_person_in_title() -> None:
    assert one("該公司營收為 100 億元。", title="騰訊業績").entity == "Tencent"
    assert one("Revenue rose to $68 billion.", title="Jensen Huang hails record").entity == "Nvidia"


# --- roles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "SoftBank leads a $40 billion funding round in OpenAI.",
        "OpenAI raised $40 billion in a round led by SoftBank.",
    ],
)
def test_investor_is_the_counterparty(text: str) -> None:
    f = one(text)
    assert (f.entity, f.counterparty, f.metric) == ("OpenAI", "SoftBank", "funding")


def test_buyer_not_supplier_and_deal_counterparty() -> None:
    f = one("xAI bought $5 billion of GPUs from Nvidia.")
    assert (f.entity, f.counterparty) == ("xAI", "Nvidia")
    f = one("Oracle signed a $300 billion deal with OpenAI.")
    assert (f.entity, f.counterparty) == ("Oracle", "OpenAI")


# --- aggregates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Big Tech will spend $330 billion this year.", "Big Tech"),
        ("The hyperscalers plan to spend $400 billion in 2026.", "Big Tech"),
        ("这四家公司今年资本支出合计将超过 4000 亿美元。", "Big Tech"),
        (
            "Microsoft, Alphabet, Amazon and Meta are on track to spend more than $380 billion.",
            "Microsoft + Google + Amazon + Meta",
        ),
        (
            "Morgan Stanley estimates data-center spending will reach $2.9 trillion by 2028.",
            "Industry",
        ),
    ],
)
def test_aggregates_are_nobody_s_own(text: str, entity: str) -> None:
    f = one(text)
    assert (f.entity, f.kind) == (entity, "aggregate")


def test_two_companies_without_a_sum_are_not_an_aggregate() -> None:
    f = one("Tesla and xAI said Tesla will invest $2 billion.")
    assert f.kind != "aggregate"


# --- people and segments --------------------------------------------------------------------


def test_people_speak_for_their_company() -> None:
    assert one("Zuckerberg said capex would reach $135 billion.").entity == "Meta"
    assert one("黃仁勳表示營收將達 650 億美元。").entity == "Nvidia"
    assert one("Jassy said Amazon would spend $200 billion.").entity == "Amazon"


def test_musk_by_context() -> None:
    assert one("Musk said xAI would raise $20 billion.").entity == "xAI"
    assert one("Musk said Tesla would spend $20 billion.").entity == "Tesla"


@pytest.mark.parametrize(
    ("text", "entity", "segment"),
    [
        ("AWS revenue rose to $33 billion.", "Amazon", "AWS"),
        ("Azure revenue grew to $20 billion.", "Microsoft", "Azure"),
        ("Google Cloud revenue was $17.7 billion.", "Google", "Google Cloud"),
        ("阿里云收入为 398 亿元。", "Alibaba", "Alibaba Cloud"),
        ("阿里雲收入為 398 億元。", "Alibaba", "Alibaba Cloud"),
    ],
)
def test_segments_keep_their_parent(text: str, entity: str, segment: str) -> None:
    f = one(text)
    assert (f.entity, f.segment) == (entity, segment)


def test_config_people_segments_and_fiscal_years() -> None:
    lex = load_lexicon(CONFIG)
    f = extract("Murati raised $2 billion.", lexicon=lex)[0]
    assert f.entity == "Thinking Machines Lab"
    assert lex.fiscal_start["Microsoft"] == 7 and lex.canonical("AWS") == "Amazon"


# --- unknown companies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Firmus raised $1 billion from investors.", "Firmus"),
        ("Fluidstack Ltd signed a $10 billion lease.", "Fluidstack"),
        ("Shares of Nscale (NASDAQ: NSCL) rose 12%.", "Nscale"),
        ("据报道，沐曦集成电路公司融资 50 亿元。", "沐曦集成电路公司"),
    ],
)
def test_unknown_organisations_by_name_shape(text: str, entity: str) -> None:
    f = one(text)
    assert (f.entity, f.entity_known) == (entity, False)


@pytest.mark.parametrize(
    "text",
    [
        "Despite the slowdown, spending rose to $20 billion.",
        "Management expects spending of $20 billion.",
        "Notably, Capital spending rose to $20 billion.",
        "CapEx reported $20 billion.",
        "RPO rose to $20 billion.",
        "Non-GAAP profit was $2 billion.",
        "Down 5% this year, the stock trades at $20.",
        "Trump said spending would reach $500 billion.",
        "Son said spending would reach $500 billion.",
        "Analyst Dan Ives expects spending of $500 billion.",
        "该季度公司营收为 100 亿元。",
        "一家總部位於北京的公司营收为 100 亿元。",
        "大陸科技公司营收为 100 亿元。",
    ],
)
def test_common_words_people_and_descriptions_are_no_companies(text: str) -> None:
    for f in extract(text, published=PUB):
        assert f.entity is None, (text, f.entity)


# --- both scripts ----------------------------------------------------------------------------


def test_traditional_folds_to_simplified_keeping_offsets() -> None:
    assert simplified("字節跳動 資本開支 營收 溢利") == "字节跳动 资本开支 营收 溢利"
    assert simplified("Meta 2026") == "Meta 2026"
    text = "字節跳動今年資本開支達 1600 億元人民幣。"
    f = one(text)
    assert (f.entity, f.metric, f.value, f.unit, f.period) == (
        "ByteDance",
        "capex",
        160e9,
        "CNY",
        "2026",
    )
    assert text[f.span[0] : f.span[1]] == "1600 億元人民幣" and f.sentence == text


def test_hong_kong_profit_and_revenue() -> None:
    figs = extract("騰訊營收為 1,000 億元，溢利 200 億元。", published=PUB)
    assert [(f.entity, f.metric) for f in figs] == [("Tencent", "revenue"), ("Tencent", "profit")]


# --- kinds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Microsoft posted capex of $37.5 billion.", "actual"),
        ("Amazon expects capex of $200 billion in 2026.", "guidance"),
        ("Tesla plans to spend more than $20 billion.", "plan"),
        ("Analysts expect Meta to spend $120 billion on capex in 2026.", "estimate"),
        ("Meta is expected to spend $120 billion on capex.", "estimate"),
        ("If Meta spent $200 billion, margins would fall.", "hypothetical"),
        ("分析师预计 Meta 资本支出为 1200 亿美元。", "estimate"),
        ("Meta 计划投入 1200 亿美元。", "plan"),
        ("英伟达预计本季度营收将达 650 亿美元。", "guidance"),
    ],
)
def test_kinds(text: str, kind: str) -> None:
    assert one(text).kind == kind


def test_consensus_and_beaten_estimates_are_estimates_beside_the_actual() -> None:
    figs = extract("Microsoft capex was $37.5 billion versus the $34.9 billion consensus.")
    assert [(f.value, f.kind) for f in figs] == [(37.5e9, "actual"), (34.9e9, "estimate")]
    figs = extract("Meta EPS was $8.88, beating estimates of $8.21.")
    assert [(f.metric, f.kind) for f in figs] == [("eps", "actual"), ("eps", "estimate")]


def test_differences_are_no_figures() -> None:
    figs = extract("Meta revenue was $59.9 billion, $2 billion above estimates.")
    assert [f.value for f in figs] == [59.9e9]


def test_market_value_loss() -> None:
    f = one("The selloff wiped $600 billion off Nvidia's market value.")
    assert (f.entity, f.metric, f.is_change, f.value) == ("Nvidia", "market_value", True, -600e9)


# --- metrics ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("Microsoft's RPO rose to $392 billion.", "backlog"),
        ("Oracle's remaining performance obligations reached $455 billion.", "backlog"),
        ("甲骨文剩余履约义务达 4550 亿美元。", "backlog"),
        ("Meta EPS was $8.88.", "eps"),
        ("Meta earnings per share were $8.88.", "eps"),
        ("Alphabet free cash flow was $24 billion.", "free_cash_flow"),
        ("Microsoft operating income was $38 billion.", "operating_income"),
        ("OpenAI raised $40 billion.", "funding"),
        ("Anthropic is valued at $183 billion.", "market_value"),
        ("騰訊資本開支為 200 億元。", "capex"),
        ("騰訊資本支出為 200 億元。", "capex"),
    ],
)
def test_metrics(text: str, metric: str) -> None:
    assert one(text).metric == metric


# --- periods ---------------------------------------------------------------------------------


def test_fiscal_quarters_of_offset_fiscal_years() -> None:
    f = one("Microsoft reported revenue of $81.3 billion in the second quarter.")
    assert f.period == "FY2026-Q2"
    assert period_months(f.period, "Microsoft") == ("2025-10", "2025-12")
    f = one("Microsoft's fiscal second-quarter revenue was $81.3 billion.")
    assert f.period == "FY2026-Q2"
    # A calendar quarter that just ended stays calendar.
    assert one("Meta revenue was $59.9 billion in the fourth quarter.").period == "2025-Q4"


@pytest.mark.parametrize(
    ("period", "entity", "months"),
    [
        ("FY2026-Q1", "Microsoft", ("2025-07", "2025-09")),
        ("FY2026", "Nvidia", ("2025-02", "2026-01")),
        ("FY2026-H1", "Oracle", ("2025-06", "2025-11")),
        ("FY2026-Q1..Q3", "Microsoft", ("2025-07", "2026-03")),
        ("FY2025", "Meta", ("2025-01", "2025-12")),
        ("2025-Q4", None, ("2025-10", "2025-12")),
        ("2025-09", None, ("2025-09", "2025-09")),
        ("end-2025", None, ("2025-12", "2025-12")),
        ("three-year", None, None),
    ],
)
def test_period_months(period: str, entity: str | None, months: tuple[str, str] | None) -> None:
    assert period_months(period, entity) == months


def test_relative_periods_resolve_against_the_date() -> None:
    # Nvidia's fiscal year starts in February: the quarter under way on 29 January is FY2026-Q4.
    assert one("英伟达本季度营收将达 650 亿美元。").period == "FY2026-Q4"
    assert one("Meta expects capex of $120 billion this year.").period == "2026"
    assert one("Meta 今年资本支出为 1200 亿美元。").period == "2026"


def test_years_not_about_the_figure() -> None:
    assert one("Founded in 2015, OpenAI raised $40 billion.").period is None
    assert one("Nvidia's revenue rose to $57 billion, the most since 1992.").period is None


def test_a_quarters_figure_is_not_labelled_with_a_year() -> None:
    f = one("In 2025, Microsoft's quarterly capex was $37.5 billion.")
    assert f.period is None


# --- periods on real news: the quarter reported, bases, days, month ranges --------------------


def test_this_quarter_is_the_quarter_reported_in_results_and_the_one_under_way_in_an_outlook() -> (
    None
):
    # A results article of 29 January 2026: "本季度" is the quarter just reported (Oct-Dec).
    assert one("财报显示,百度本季度总收入为300亿元。").period == "2025-Q4"
    # Nvidia's fiscal year starts in February: its last completed quarter is FY2026-Q3.
    assert one("财报显示,英伟达本财季实现营收570亿美元。").period == "FY2026-Q3"
    # An outlook: the quarter under way (Broadcom's fiscal year starts in November).
    f = one("Broadcom expects revenue of $15 billion this quarter.")
    assert (f.kind, f.period) == ("guidance", "FY2026-Q1")


def test_the_single_quarter_after_a_span_is_its_last_quarter() -> None:
    figs = extract(
        "中际旭创前三季度净利润71亿元,单季度净利润31亿元。", published=dt.date(2025, 10, 25)
    )
    assert {f.value: f.period for f in figs} == {7.1e9: "2025-Q1..Q3", 3.1e9: "2025-Q3"}


def test_a_change_base_is_not_the_period_of_the_level_before_it() -> None:
    figs = extract(
        "Revenue was $68 billion, up 73% from last year.",
        published=PUB,
        title="Nvidia posts record quarter",
    )
    assert [(f.value, f.period) for f in figs] == [(68e9, None), (73.0, None)]
    # The loss a year before is the base of the comparison: the figure's previous value.
    figs = extract("寒武纪净利润12亿元,同比扭亏为盈(去年同期亏损5亿元)。", published=PUB)
    assert [(f.value, f.period, f.previous) for f in figs] == [(1.2e9, None, -5e8)]


def test_a_day_is_no_period_and_a_month_range_is_a_quarter() -> None:
    assert one("Microsoft's backlog stood at $625 billion as of January 28, 2026.").period is None
    assert one("英伟达于2025年11月19日公布财报,营收为570亿美元。").period is None
    f = one("SK hynix posted operating profit of 9.2 trillion won for the April-June period.")
    assert f.period == "2025-Q2"


def test_a_number_with_decimals_is_not_a_year() -> None:
    # Long enough (over 160 characters) that the period scan splits it into blocks at "."
    lead = (
        "腾讯公布截至九月底止的季度业绩,游戏与广告业务均有增长,管理层在电话会上谈及人工智能投入。"
        * 3
    )
    figs = extract(lead + "总收入录得2025.3亿元,按年升15%。", published=PUB, title="腾讯季绩")
    assert {f.value: f.period for f in figs} == {202.53e9: None, 15.0: None}


def test_a_fiscal_year_then_its_quarter_is_one_fiscal_quarter() -> None:
    f = one("阿里巴巴公布2026财年第二季度业绩,该季度总收入为2478亿元。")
    assert f.period == "FY2026-Q2"


def test_a_quarter_reported_has_ended_before_the_article() -> None:
    # Broadcom's fiscal year starts in November: its first quarter reported in March ended in
    # January; the calendar first quarter (ending 31 March) was not over yet.
    figs = extract(
        "In first-quarter earnings, Broadcom reported $14.9 billion in revenue.",
        published=dt.date(2025, 3, 7),
    )
    assert [f.period for f in figs] == ["FY2025-Q1"]


def test_a_space_between_chinese_words_separates_a_headlines_clauses() -> None:
    f = one("台积电今年资本支出达560亿美元 本季营收续创新高")
    assert (f.metric, f.period) == ("capex", "2026")


def test_the_coming_year_and_a_plan_noun_after_the_figure() -> None:
    figs = extract(
        "Amazon unveiled a staggering $200 billion capital expenditure plan for the coming year.",
        published=dt.date(2026, 2, 6),
    )
    assert [(f.entity, f.period, f.kind) for f in figs] == [("Amazon", "2026", "plan")]
    # A plan takes no past quarter from another sentence of its paragraph.
    figs = extract(
        "Meta Q4 earnings: Zuckerberg bets big on AI with a $135B capex plan",
        published=dt.date(2026, 1, 29),
    )
    assert [(f.value, f.period, f.kind) for f in figs] == [(135e9, None, "plan")]


def test_a_camel_cased_name_written_capitalised_is_still_the_company() -> None:
    assert one("Coreweave said its revenue backlog rose to $55.6 billion.").entity == "CoreWeave"


def test_numbered_groups_of_companies_are_aggregates() -> None:
    f = one("三大运营商2025年资本开支预算合计2898亿元。")
    assert (f.entity, f.kind, f.period) == ("Telecom operators", "aggregate", "2025")
    f = one("报道指,四大巨头的开支预算按年激增约60%。")
    assert (f.entity, f.kind) == ("Big Tech", "aggregate")


def test_a_year_after_a_chinese_comma_is_a_year() -> None:
    figs = extract("中国移动算力投资约728亿元,2025年预计增至820亿元。", published=PUB)
    assert {f.value: f.period for f in figs}[8.2e10] == "2025"


def test_a_fiscal_quarter_written_with_cai() -> None:
    assert one("阿里巴巴2026财年第二财季实现收入2478亿元。").period == "FY2026-Q2"


def test_the_single_quarter_is_the_quarter_named_not_another_single_quarter() -> None:
    figs = extract(
        "台积电公布第三季财报,第三季合并营收9899亿元,单季税后获利4523亿元,"
        "再度写下单季获利新高,每股纯益达17.44元。",
        published=dt.date(2025, 10, 17),
    )
    assert {f.period for f in figs} == {"2025-Q3"}


def test_a_supplier_named_as_what_is_bought_is_not_the_buyer() -> None:
    f = one("字节跳动计划2026年用于英伟达（Nvidia，NVDA）采购芯片的预算约为850亿元人民币。")
    assert (f.entity, f.counterparty) == ("ByteDance", "Nvidia")
    f = one("传字节跳动明年狂砸140亿美元买NVIDIA晶片。")
    assert f.entity == "ByteDance"
    # Its own products' sales stay its own.
    assert one("Nvidia chip revenue rose to $50 billion.").entity == "Nvidia"


def test_a_segment_named_again_in_the_config_keeps_its_built_in_aliases() -> None:
    lex = load_lexicon(CONFIG)  # the config names Alibaba Cloud with two aliases of its own
    f = extract("雲智能集團本季度收入達到398億元,同比增長34%。", published=PUB, lexicon=lex)[0]
    assert (f.entity, f.segment) == ("Alibaba", "Alibaba Cloud")


def test_a_reporting_verb_before_gongsi_is_no_company_name() -> None:
    f = one("我们上调盈利预测,预计公司2026年营收为1900亿元。", title="浪潮信息:业绩高速增长")
    assert f.entity == "Inspur"


def test_a_sector_and_what_investors_had_priced_in_fire_no_company_alert() -> None:
    f = one(
        "The projected capital expenditures for the tech industry as a whole could reach "
        "$528 billion by 2026.",
        title="Meta bets big on superintelligence",
    )
    assert (f.entity, f.kind) == ("Big Tech", "aggregate")
    f = one("Software stocks have lost nearly 30% of their value this month.", title="Google")
    assert f.kind == "aggregate"
    f = one(
        "Shares fell as shareholders who had anticipated a more moderate $150 billion in capex "
        "balked.",
        title="Amazon shares fall",
    )
    assert (f.entity, f.kind) == ("Amazon", "estimate")


def test_a_full_stop_glued_to_the_next_sentence_still_ends_it() -> None:
    from bot.extract.sentences import layout, normalize

    text = normalize(
        "Demand came from memory (HBM).The chipmaker earned $5 billion in the U.S.A. unit."
    )
    lay = layout(text)
    assert len(lay.seg_starts) == 2
    assert text[lay.seg_starts[1] :].startswith("The chipmaker")


def test_according_to_a_company_names_the_subject_not_an_object() -> None:
    lex = load_lexicon(CONFIG)
    figs = extract(
        "According to Constellation, the reactor will add more than 800 megawatts.",
        published=PUB,
        title="Microsoft signs a nuclear power deal",
        lexicon=lex,
    )
    assert [(f.entity, f.value) for f in figs] == [("Constellation Energy", 8e8)]


def test_full_year_sales_in_a_quarterly_report_are_the_years() -> None:
    figs = extract(
        "Fourth-quarter revenue rose 18% and the company crossed $400 billion in full-year sales.",
        published=dt.date(2026, 2, 5),
        title="Alphabet results",
    )
    assert {f.value: f.period for f in figs} == {18.0: "2025-Q4", 4e11: "2025"}


def test_a_record_in_years_is_no_period_and_that_of_a_quarter_is_a_base() -> None:
    f = extract("二季度阿里云收入增长26%至334亿元,增速创三年新高。", published=dt.date(2025, 8, 30))
    assert {x.period for x in f} == {"2025-Q2"}
    figs = extract(
        "Third-quarter revenue reached $1.4 billion, and the backlog soared to $55.6 billion, "
        "nearly double that of the second quarter.",
        published=dt.date(2025, 11, 14),
        title="CoreWeave results",
    )
    assert {f.value: f.period for f in figs} == {1.4e9: "2025-Q3", 55.6e9: "2025-Q3"}


def test_an_investors_own_cheque_is_its_investment_a_round_is_the_raisers_funding() -> None:
    f = one("Nvidia will invest up to $100 billion in OpenAI.")
    assert (f.entity, f.metric, f.counterparty) == ("Nvidia", "investment", "OpenAI")
    f = one("SoftBank leads a $40 billion funding round in OpenAI.")
    assert (f.entity, f.metric, f.counterparty) == ("OpenAI", "funding", "SoftBank")


def test_a_third_quarter_report_names_the_third_quarter() -> None:
    figs = extract(
        "10月20日晚间,中科曙光发布的2025年三季报显示,公司实现营收30.2亿元,同比增长12.5%。",
        published=dt.date(2025, 10, 21),
    )
    assert {(f.value, f.period) for f in figs} == {(3.02e9, "2025-Q3"), (12.5, "2025-Q3")}


def test_last_and_next_quarter_count_in_the_companys_calendar() -> None:
    # Late January: Microsoft (July fiscal year) has not reported October - December yet, so
    # "last quarter" is July - September, its fiscal first quarter.
    figs = extract(
        "Microsoft's capital expenditures were $30.1 billion last quarter.",
        published=dt.date(2026, 1, 22),
    )
    assert [(f.value, f.period) for f in figs] == [(30.1e9, "FY2026-Q1")]
    # An outlook's "next quarter" is the one under way: Nvidia's (February fiscal year) in
    # late February is February - April, FY2027-Q1.
    figs = extract(
        "Nvidia expects revenue of about $70 billion next quarter.",
        published=dt.date(2026, 2, 27),
    )
    assert [(f.value, f.period) for f in figs] == [(70e9, "FY2027-Q1")]
    # A calendar-year company in February: October - December is out.
    figs = extract(
        "Alphabet's capital spending reached $25 billion last quarter.",
        published=dt.date(2026, 2, 10),
    )
    assert [(f.value, f.period) for f in figs] == [(25e9, "2025-Q4")]


def test_a_suppliers_deal_is_the_buyers_money() -> None:
    figs = extract(
        "Cloud provider Lambda will supply GPU capacity to Microsoft in a contract worth "
        "$12.6 billion over five years.",
        published=dt.date(2025, 11, 4),
    )
    assert [(f.entity, f.counterparty, f.value) for f in figs] == [("Microsoft", "Lambda", 12.6e9)]
    # A deal with no supplying verb keeps its subject.
    figs = extract(
        "Lambda signed a $12.6 billion deal with Microsoft.", published=dt.date(2025, 11, 4)
    )
    assert [(f.entity, f.value) for f in figs] == [("Lambda", 12.6e9)]


def test_values_listed_respectively_take_the_years_of_the_range_in_order() -> None:
    figs = extract(
        "2022年至2024年营业收入从0.5亿元跃升至4.1亿元。同期分别产生归母净亏损17.4亿元、"
        "15.2亿元、13.9亿元,2025年上半年亏损2.1亿元。",
        published=dt.date(2025, 11, 21),
        title="某芯片公司上市",
    )
    losses = {f.value: f.period for f in figs if f.value < 0}
    assert losses == {-1.74e9: "2022", -1.52e9: "2023", -1.39e9: "2024", -2.1e8: "2025-H1"}
    figs = extract(
        "预计公司2025-2027年营收同比增长25.1%/20.8%/17.3%。",
        published=dt.date(2025, 9, 19),
        title="某服务器公司",
    )
    assert [(f.value, f.period) for f in figs] == [(25.1, "2025"), (20.8, "2026"), (17.3, "2027")]
    # Two values against a three-year range: no year each.
    figs = extract(
        "2022年至2024年收入分别为3.2亿元和4.4亿元。", published=dt.date(2025, 3, 1), title="某公司"
    )
    assert {f.period for f in figs} != {"2022", "2023"}


def test_a_name_past_a_dash_or_after_from_is_not_the_figures_owner() -> None:
    text = (
        "Marvell's custom chip bookings topped $20 billion in the quarter. Management guided to "
        "$60 billion in AI revenue for fiscal 2027 — a figure backed by orders from Google, "
        "Meta and OpenAI."
    )
    figs = extract(text, published=dt.date(2026, 6, 5))
    assert {f.value: f.entity for f in figs} == {20e9: "Marvell", 60e9: "Marvell"}
    figs = extract(
        "The company said 40% of its $400 billion backlog comes from a customer identified as "
        "OpenAI.",
        published=dt.date(2026, 2, 1),
        title="Oracle results",
    )
    assert "OpenAI" not in {f.entity for f in figs}
    # A passive's agent is the owner: "called for by Intel".
    figs = extract("35 cents in adjusted earnings per share was called for by Intel.")
    assert [f.entity for f in figs] == ["Intel"]


def test_the_adjective_chipmaker_is_the_subject_and_a_side_clauses_year_is_not_its_period() -> None:
    text = (
        "Samsung Electronics, a major supplier to Apple, posted record chip sales last year. "
        "The South Korean chipmaker reported an annual operating profit of 32.7 trillion won, "
        "marking a sharp recovery from the slump it suffered in 2023."
    )
    figs = extract(text, published=dt.date(2025, 1, 30), title="Samsung posts record 2024 profit")
    assert [(f.entity, f.value, f.period) for f in figs] == [("Samsung", 32.7e12, "2024")]


def test_a_name_among_a_rounds_investors_is_not_the_raiser() -> None:
    figs = extract(
        "据报道,月之暗面正与红杉资本、腾讯等投资方洽谈新一轮约5亿美元融资。",
        published=dt.date(2025, 10, 30),
    )
    assert [(f.entity, f.value) for f in figs] == [("Moonshot AI", 5e8)]
