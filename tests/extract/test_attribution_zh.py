"""Who, what kind and when in Chinese financial news (issue 13, second Chinese pass): general
readings of the grammar, each on a sentence written for the test."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.models import Figure

PUB = dt.date(2025, 11, 20)


def figs(text: str, title: str | None = None, published: dt.date = PUB) -> list[Figure]:
    return extract(text, published=published, title=title, rates={"CNY": 0.14})


def by_value(figures: list[Figure], value: float) -> Figure:
    hits = [f for f in figures if abs(f.value - value) <= 1e-6 * abs(value)]
    assert len(hits) == 1, figures
    return hits[0]


# --- periods -----------------------------------------------------------------------------------


def test_first_nine_months_and_first_three_quarters_with_shou() -> None:
    """首9個月, 首3季, 前3季度 are the first three quarters, as 前三季度 is."""
    f = by_value(figs("累計今年首9個月，網易經調整利潤300.5億元，升12%。"), 300.5e8)
    assert f.period == "2025-Q1..Q3"
    f = by_value(figs("百度今年首3季資本開支為120.4億元。"), 120.4e8)
    assert f.period == "2025-Q1..Q3"
    f = by_value(figs("2024年前3季度，美团营收达到2500亿元。"), 2500e8)
    assert f.period == "2024-Q1..Q3"


def test_a_later_clause_with_its_own_figure_keeps_its_period() -> None:
    """The period of a later clause that states its own figure is that figure's."""
    out = figs("2023年，三大云厂商数据中心投资合计约500亿元，2024年预计增至600亿元。")
    assert by_value(out, 500e8).period == "2023"
    assert by_value(out, 600e8).period == "2024"
    out = figs("海光信息2025年净利润预计达20亿元至25亿元，与2024年3.1亿元的净亏损形成对比。")
    assert by_value(out, 25e8).period == "2025"


def test_full_year_over_the_first_three_quarters() -> None:
    """全年 beside a figure is the year, even after 前三季度 was named."""
    out = figs("阿里巴巴前三季度资本开支为700亿元，仍低于市场预期的全年至少1000亿元。")
    assert by_value(out, 700e8).period == "2025-Q1..Q3"
    assert by_value(out, 1000e8).period == "2025"


# --- entities ----------------------------------------------------------------------------------


def test_a_company_left_out_is_not_the_subject() -> None:
    """剔除/不包括/除…外: the company left out owns neither that figure nor the next ones."""
    text = (
        "百度第三季度总现金为2964亿元，剔除爱奇艺后为2904亿元；"
        "运营现金流为13亿元，剔除爱奇艺后为15亿元；AI云收入达到62亿元。"
    )
    out = figs(text, title="百度第三季度业绩")
    for v in (2964e8, 2904e8, 13e8, 15e8, 62e8):
        assert by_value(out, v).entity == "Baidu", v
    f = by_value(figs("腾讯本季度收入为1800亿元，不包括微众银行的收入30亿元。"), 1800e8)
    assert f.entity == "Tencent"


def test_first_and_second_quarter_in_hong_kong_and_taiwan_press() -> None:
    """首季 and 次季 are the first and the second quarter (首季度以后 is no period of a figure)."""
    pub = dt.date(2025, 8, 28)
    f = by_value(figs("次季京東在AI方面的資本支出達120億元。", published=pub), 120e8)
    assert f.period == "2025-Q2"
    f = by_value(figs("廣達首季營收達4000億元。", published=pub), 4000e8)
    assert f.period == "2025-Q1"


def test_a_net_outflow_is_negative() -> None:
    """净流出 (a net outflow) is a negative level, as a loss is; 净流入 stays positive."""
    out = figs("美团自由现金流由去年同期净流入80.5亿元转为净流出35.2亿元。")
    assert by_value(out, -35.2e8).metric == "free_cash_flow"
    assert by_value(out, 80.5e8).value > 0


def test_earning_less_is_a_fall_in_profit() -> None:
    """少赚两成 is profit down 20 %; 多赚 up; 净赚 names profit."""
    f = by_value(figs("騰訊少賺兩成 廣告收入遜預期"), -20)
    assert (f.entity, f.metric, f.is_change) == ("Tencent", "profit", True)
    f = by_value(figs("联想上季多赚三成"), 30)
    assert (f.metric, f.is_change) == ("profit", True)
    assert by_value(figs("台积电上季净赚3000亿元"), 3000e8).metric == "profit"


def test_the_same_period_of_another_year_is_that_part_of_the_year() -> None:
    """ "2024年同期", "去年同期": the part of the year the text reports, in that year."""
    out = figs("美团第三季度经调整净利润为12.5亿元,而2024年同期经调整净利润为128.3亿元。")
    assert by_value(out, 12.5e8).period == "2025-Q3"
    assert by_value(out, 128.3e8).period == "2024-Q3"
    out = figs(
        "阿里巴巴2026财年第一季度自由现金流为净流出40亿元，去年同期则录得净流入173亿元。",
        published=dt.date(2025, 8, 30),
    )
    assert by_value(out, -40e8).period == "FY2026-Q1"
    assert by_value(out, 173e8).period == "FY2025-Q1"


def test_an_as_of_month_with_its_own_figure_is_not_a_later_figures_period() -> None:
    """ "截至2025年11月，累计…1700万次" dates that count; a later revenue is the quarter's."""
    text = (
        "小鹏第三季度总营收为200亿元 - 截至2025年11月,累计交付超过70万辆"
        " - 海外业务收入达到28亿元人民币,同比增长120%"
    )
    out = figs(text)
    assert by_value(out, 70e4).period == "2025-11"
    assert by_value(out, 28e8).period == "2025-Q3"


def test_a_bare_amount_takes_the_currency_the_text_gives_the_same_amount() -> None:
    """ "砸4萬億" in a title is the "約4萬億港元" the body converts to; alone it stays yuan."""
    text = "科企今年砸4萬億 建數據中心\n\n微軟等公司今年的資本開支將達5,100億美元（約4萬億港元）。"
    out = figs(text)
    assert by_value(out, 4e12).unit == "HKD"
    assert by_value(figs("腾讯今年砸4万亿建数据中心"), 4e12).unit == "CNY"


def test_a_sum_over_firms_counted_is_an_aggregate() -> None:
    """ "…等共15家公司…合计" is a sum over the firms counted, nobody's own figure."""
    text = "包括英特尔、沃尔玛在内的共15家公司，2026年合计的资本支出仅1,200亿美元。"
    f = by_value(figs(text), 1200e8)
    assert f.kind == "aggregate" and f.entity not in ("Intel", "Walmart")
    f = by_value(figs("英特尔2026年的资本支出为180亿美元。"), 180e8)
    assert (f.entity, f.kind) == ("Intel", "guidance") or f.entity == "Intel"


def test_hong_kong_dollars_named_do_not_carry_to_results_in_bare_yuan() -> None:
    """A 港元 market value does not make a mainland company's bare 元 results HKD."""
    text = "快手市值突破3000亿港元。第二季度快手总营收达到350亿元，同比增长13%。"
    out = figs(text)
    assert by_value(out, 3000e8).unit == "HKD"
    assert by_value(out, 350e8).unit == "CNY"


def test_a_headline_amount_without_currency_takes_the_bodys() -> None:
    """ "1500亿豪赌" in a title is the body's "1500亿美金" (or its rounding, "…1502亿元")."""
    out = figs("1500亿豪赌,谷歌加码AI\n\n谷歌抛出的2026年1500亿美金资本开支指引。")
    assert {f.unit for f in out if f.value == 1500e8} == {"USD"}
    out = figs("302亿狂烧,美团\n\n资本开支同比猛增80%至301.9亿元。")
    assert by_value(out, 302e8).unit == "CNY"


def test_a_calendar_year_companys_fiscal_year_is_the_year() -> None:
    """ "亚马逊2026财年" is 2026; Microsoft's 2026财年 stays FY2026."""
    assert by_value(figs("亚马逊2026财年资本开支指引为2000亿美元。"), 2000e8).period == "2026"
    assert by_value(figs("微软2026财年资本开支将超过800亿美元。"), 800e8).period == "FY2026"


def test_monthly_users_in_bare_hundred_millions_are_users() -> None:
    """ "MAU达2.34亿", "月活2.7亿": users, not yuan."""
    f = by_value(figs("哔哩哔哩MAU达3.63亿,同比增长8%"), 3.63e8)
    assert (f.metric, f.unit) == ("users", "users")
    assert by_value(figs("中国电信APP月活1.2亿"), 1.2e8).unit == "users"


def test_a_company_limited_by_shares_is_not_tech_stocks() -> None:
    """ "…科技股份有限公司": 股份 belongs to the name, not "科技股" (tech stocks, an aggregate)."""
    text = "北京月之暗面科技股份有限公司在港交所上市,募资约50亿港元。"
    f = by_value(figs(text), 50e8)
    assert f.kind != "aggregate" and f.entity != "Big Tech"
    f = by_value(figs("科技股今年累计上涨35%。"), 35)
    assert f.kind == "aggregate"


def test_a_later_same_period_base_is_not_the_levels_period() -> None:
    """ "…49.86亿元,而2024年同期…为39.48亿元": 2024年同期 is the base's, not the level's."""
    out = figs("快手第三季度经调整净利润为49.86亿元,而2024年同期经调整净利润为39.48亿元。")
    assert by_value(out, 49.86e8).period == "2025-Q3"
    assert by_value(out, 39.48e8).period == "2024-Q3"


def test_monthly_users_after_an_amount_in_hong_kong_dollars_are_users() -> None:
    """An implied currency does not make "月活2.7亿" money."""
    out = figs("中国电信上半年收入2,700亿港元。中国电信APP月活1.5亿(+20%)")
    assert by_value(out, 1.5e8).unit == "users"


def test_this_tech_giant_is_the_articles_company() -> None:
    """ "这家科技巨头" (this tech giant) is the company the article is about, not Big Tech."""
    f = by_value(figs("这家科技巨头今年累计涨幅已超38%。", title="阿里巴巴股价创新高"), 38)
    assert (f.entity, f.kind) == ("Alibaba", "actual")
    f = by_value(figs("科技巨头今年合计资本开支超过4000亿美元。"), 4000e8)
    assert f.kind == "aggregate"


# --- session 6: windows after a figure, ranges as outlooks --------------------------------------


def test_a_window_after_a_figure_dates_a_record_not_the_figure() -> None:
    """Chinese puts a figure's period before it: "四年来", "自…以来" after it date a record or a
    streak, not the figure."""
    out = figs("今年第三季度，京东营收达到2991亿元，同比增长15%，创下三年来最快增速。")
    assert by_value(out, 15).period == "2025-Q3"
    out = figs("小米第三季度手机收入同比下降3%，这是自2023年第一季度以来连续第二个季度下滑。")
    assert by_value(out, -3).period == "2025-Q3"


def test_a_company_range_with_no_cue_is_an_outlook() -> None:
    """Results come as one number, forecasts as a range: "本季营收介于…到…" is guidance for the
    quarter under way; a share move's range stays a move."""
    out = figs("联发科提出本季营收介于1300亿元到1400亿元新台币。", published=dt.date(2026, 2, 5))
    f = by_value(out, 1400e8)
    assert (f.kind, f.period, f.low) == ("guidance", "2026-Q1", 1300e8)
    out = figs("联发科本季营收1380亿元新台币，股价下跌6%至7%。", published=dt.date(2026, 2, 5))
    assert by_value(out, 1380e8).kind == "actual"
    assert by_value(out, -6).kind == "actual"


def test_a_year_ago_period_is_not_inherited_by_a_later_sentence() -> None:
    """ "而2024年同期为…" dates its own base: the next sentence's figure keeps the period the
    text reports."""
    out = figs(
        "美团发布2025年第三季度财报:营收为955亿元。经营利润为20亿元,而2024年同期为130亿元。"
        "经调整净利润为15亿元,而2024年同期为128亿元。"
    )
    assert by_value(out, 15e8).period == "2025-Q3"
    assert by_value(out, 128e8).period == "2024-Q3"


def test_a_move_is_dated_by_the_period_before_its_new_value() -> None:
    """ "从2022年的742亿元降至2025年的542亿元": the new value's period is the one before it."""
    out = figs("中国移动资本开支从2022年的1852亿元逐年降至2025年的1512亿元。")
    f = by_value(out, 1512e8)
    assert (f.period, f.previous) == ("2025", 1852e8)
    out = figs("中国移动资本开支从2022年的1852亿元降至1512亿元。")
    assert by_value(out, 1512e8).period != "2022"


def test_fenbie_gives_each_listed_company_its_value_and_the_list_shares_its_verb() -> None:
    """Chinese puts 分别 before the values: the i-th value is the i-th company's, and the verb
    before the first value ("分别下降") is every value's."""
    out = figs("中国移动、中国电信和中国联通2025年资本开支指引分别下降7.8%、10.6%和10.4%。")
    got = [(f.entity, f.value) for f in out]
    assert got == [("China Mobile", -7.8), ("China Telecom", -10.6), ("China Unicom", -10.4)]
    out = figs("腾讯、阿里巴巴二季度资本开支分别为191亿元和386亿元。")
    assert [f.entity for f in out] == ["Tencent", "Alibaba"]


def test_a_cost_named_after_the_metric_word_is_what_the_figure_measures() -> None:
    """ "资本支出…,全年总费用预估为…": the second amount is the total expenses, not capex."""
    out = figs("谷歌将2026年资本支出指引上调至1800亿美元,全年总费用预计为3100亿美元。")
    assert by_value(out, 1800e8).metric == "capex"
    assert by_value(out, 3100e8).metric == "other"


def test_a_later_clause_period_is_not_a_chinese_figure_s_own() -> None:
    """Chinese dates a figure before it: a period in a later clause is that clause's, even when
    the clause states no figure of its own."""
    out = figs("2024年12月,月之暗面完成一轮50亿元融资,再之前的9月,腾讯曾参与其另一轮融资。")
    assert by_value(out, 50e8).period == "2024-12"
    # English keeps reading a period after its figure ("fell 10% in a week").
    out = figs("Nvidia shares fell 10% in a week after the report.")
    assert by_value(out, -10).period == "1-week"


def test_a_market_s_size_is_an_aggregate_not_the_company_s() -> None:
    """ "广告市场规模达1875亿元" sums a market's companies: never one company's figure."""
    out = figs("百度表示,2025年第三季度中国互联网广告市场规模达1875亿元,百度营收312亿元。")
    assert (by_value(out, 1875e8).entity, by_value(out, 1875e8).kind) == ("Industry", "aggregate")
    assert by_value(out, 312e8).entity == "Baidu"


def test_a_move_restated_in_percent_after_huo_keeps_its_sign() -> None:
    """ "跌1港元或0.2%": the percent restates the same fall."""
    out = figs("美团收报98港元，跌3港元或3%。")
    assert [(g.value, g.unit) for g in out if g.is_change] == [(-3.0, "HKD"), (-3.0, "percent")]


def test_fu_right_before_an_amount_is_its_sign() -> None:
    """ "自由现金流转为负47亿元" is -4.7 billion; 负债 (liabilities) is no sign."""
    out = figs("截至6月底，京东自由现金流转为负47亿元，负债12亿元。")
    assert by_value(out, -47e8).metric == "free_cash_flow"
    assert by_value(out, 12e8).value > 0


def test_a_bare_yuan_is_in_the_currency_the_company_reports_in() -> None:
    """A Taiwanese text's bare 元 is TWD for a Taiwanese company but CNY for a mainland one; a
    mainland text's bare 元 for a Taiwanese company is TWD."""
    out = figs("(中央社)联发科上季营收1,420亿元。京东上季营收2,991亿元,资本支出60亿元。")
    assert by_value(out, 1420e8).unit == "TWD"
    assert by_value(out, 2991e8).unit == "CNY"
    assert by_value(out, 60e8).unit == "CNY"
    out = figs("据财报,广达第三季度营收为5,000亿元,净利润180亿元。")
    assert {f.unit for f in out} == {"TWD"}


def test_a_figure_for_a_period_not_yet_begun_is_an_outlook_or_a_plan() -> None:
    """Nothing has happened yet in a period that starts after the text: "下季度营收目标" is
    guidance, "明年资本开支" a plan."""
    out = figs("美团提出下季度营收目标为1000亿元。", published=dt.date(2025, 11, 30))
    assert (out[0].kind, out[0].period) == ("guidance", "2026-Q1")
    out = figs("字节跳动明年资本开支1600亿元。", published=dt.date(2025, 12, 20))
    assert (out[0].kind, out[0].period) == ("plan", "2026")
    out = figs("美团第三季度营收955亿元。", published=dt.date(2025, 11, 30))
    assert out[0].kind == "actual"


def test_a_paragraph_opening_with_another_company_is_about_it() -> None:
    """ "另外，联电…。集团预计…": the paragraph's 集团 is the company it opens with, not the
    article's subject; a name inside a descriptive phrase opens nothing."""
    text = (
        "中芯国际第二季收入22亿美元。\n\n"
        "另外，联电第二季销售收入18.6亿美元。集团预计第三季销售收入约19.4亿美元。"
    )
    out = figs(text, title="中芯国际少赚两成")
    assert by_value(out, 19.4e8).entity == "UMC"
    text = (
        "摩尔线程启动上市。\n\n"
        "被誉为“中国版英伟达”的摩尔线程,发行价为114.28元。公司预计募资80亿元。"
    )
    out = figs(text, title="摩尔线程募资80亿元")
    assert by_value(out, 80e8).entity == "Moore Threads"


def test_a_quarter_put_forward_is_an_outlook() -> None:
    """ "提出本季营收约350亿美元", "财测本季营收…": the quarter under way, guided."""
    out = figs("台积电提出本季营收约350亿美元，毛利率约63%。", published=dt.date(2026, 1, 16))
    assert {(f.kind, f.period) for f in out} == {("guidance", "2026-Q1")}
    out = figs("联发科财测本季营收1300亿元新台币。", published=dt.date(2026, 2, 5))
    assert (out[0].kind, out[0].period) == ("guidance", "2026-Q1")


def test_an_amount_right_after_cong_year_is_the_level_that_year() -> None:
    """ "将从2025年约850亿元的规模进一步增长": 850亿 is the 2025 level; in a move the new value
    keeps its own period."""
    out = figs("报道称，腾讯2026年的算力支出将从2025年约900亿元的规模进一步增长。")
    assert by_value(out, 900e8).period == "2025"
    out = figs("中国电信资本开支从2024年的935亿元下调至836亿元。", published=dt.date(2025, 3, 20))
    assert by_value(out, 836e8).period != "2024"


def test_a_period_inside_an_aside_is_not_the_figure_s() -> None:
    """ "即时零售业务（包括4月底推出的淘宝闪购）收入按年增12%": the aside's month dates a launch."""
    out = figs("京东第二季度新业务（包括2月推出的京东外卖）收入按年增199%至138.5亿元。")
    assert by_value(out, 138.5e8).period == "2025-Q2"
    assert by_value(out, 199).period == "2025-Q2"
