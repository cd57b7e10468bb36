"""Recall of an article's key facts (issue 13): figures that were read but given the wrong
company or period, written as general rules with sentences made up for them."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.models import Figure

PUB = dt.date(2026, 1, 29)


def figs(text: str, title: str | None = None, published: dt.date = PUB) -> list[Figure]:
    return extract(text, published=published, title=title, rates={"CNY": 0.14})


# --- the lead names the subject when the title does not --------------------------------------


def test_lead_sentence_names_the_subject_when_the_title_does_not() -> None:
    title = "Big spender unveils the largest data centre plan in the state"
    text = (
        f"{title}\n\n"
        "Oracle announced a data centre campus in Ohio on Tuesday.\n\n"
        "The $12 billion investment is the largest in the state's history."
    )
    (f,) = figs(text, title=title)
    assert f.entity == "Oracle" and f.value == 12e9


def test_lead_with_two_companies_or_a_later_name_gives_no_subject() -> None:
    title = "Deal of the year announced"
    two = f"{title}\n\nOracle and Nvidia agreed on a partnership.\n\nThe $12 billion deal is big."
    assert [f.entity for f in figs(two, title=title)] == [None]
    later = (
        f"{title}\n\nShares of chip stocks rose on Tuesday after Oracle spoke.\n\n"
        "The $12 billion deal is big."
    )
    assert [f.entity for f in figs(later, title=title)] == [None]


# --- "for the year": the year of the quarter reported, in the company's own calendar ---------


def test_for_the_year_is_the_fiscal_year_of_the_quarter_reported() -> None:
    text = (
        "Nvidia reported revenue of $57 billion for its fiscal third quarter ended October 26. "
        "The company raised its data centre sales outlook for the year to $200 billion."
    )
    f = next(f for f in figs(text, published=dt.date(2025, 11, 20)) if f.value == 200e9)
    assert f.period == "FY2026"


def test_for_the_year_to_date_is_not_the_full_year() -> None:
    text = (
        "Nvidia reported revenue of $57 billion for its fiscal third quarter ended October 26. "
        "Sales for the year to date rose to $147 billion."
    )
    f = next(f for f in figs(text, published=dt.date(2025, 11, 20)) if f.value == 147e9)
    assert f.period != "FY2026"


# --- a result does not take the quarter of an outlook before it ---------------------------------


def test_result_skips_the_outlook_quarter_named_before_it() -> None:
    text = (
        "In its fiscal second quarter, Microsoft's revenue rose to $80 billion. "
        "For the third quarter, the company projects revenue of about $82 billion. "
        "Capital spending reached $36 billion."
    )
    by = {f.value: f for f in figs(text)}
    assert by[82e9].period == "FY2026-Q3" and by[82e9].kind == "guidance"
    assert by[36e9].period == "FY2026-Q2"


def test_result_keeps_the_quarter_it_reports() -> None:
    text = "In the third quarter, revenue at Meta rose to $51 billion. Capex reached $19 billion."
    by = {f.value: f for f in figs(text, published=dt.date(2025, 10, 30))}
    assert by[19e9].period == "2025-Q3"


# --- "bil" and "mil": billions and millions in Malaysian and Singaporean English ---------------


def test_bil_and_mil_are_billions_and_millions() -> None:
    (a,) = figs("Gamuda raised US$2.5bil from a bond sale.")
    assert (a.value, a.unit) == (2.5e9, "USD")
    (b,) = figs("Gamuda won a RM850mil data centre contract.")
    assert (b.value, b.unit) == (850e6, "MYR")


def test_words_starting_with_bil_are_no_magnitude() -> None:
    (f,) = figs("Oracle signed a bilateral deal worth $5 billion.")
    assert f.value == 5e9


# --- the investor after "led by" is the counterparty, the subject raises the money ------------


def test_round_led_by_an_investor_is_the_subjects_funding() -> None:
    (f,) = figs("Anthropic is closing a $13 billion funding round, led by Microsoft.")
    assert (f.entity, f.metric, f.counterparty) == ("Anthropic", "funding", "Microsoft")


def test_investor_as_subject_still_owns_its_cheque() -> None:
    (f,) = figs("Nvidia will invest up to $100 billion in OpenAI.")
    assert f.entity == "Nvidia" and f.counterparty == "OpenAI"


# --- "N年来", "自…以来" after a figure: a remark on it, not its period ---------------------------


def test_a_record_over_past_years_after_the_figure_is_not_its_period() -> None:
    (f,) = [
        f
        for f in figs("在2025年第三季度,京东营收同比增长14%,创下三年来最快增速。")
        if f.value == 14
    ]
    assert f.period == "2025-Q3"


def test_a_streak_since_a_quarter_after_the_figure_is_not_its_period() -> None:
    text = "今年二季度京东营收同比下滑5%,这已是自2024年第一季度以来连续第五个季度下滑。"
    (f,) = [f for f in figs(text, published=dt.date(2025, 8, 20)) if f.value == -5]
    assert f.period == "2025-Q2"


# --- power capacity of a chip maker's systems is the buyer's (Chinese text) ---------------------


def test_capacity_of_a_makers_systems_goes_to_the_buyer_in_chinese() -> None:
    text = "AMD将向OpenAI供应芯片。根据协议，双方计划部署6吉瓦的AMD系统。"
    (f,) = [f for f in figs(text, title="AMD与OpenAI签署芯片协议") if f.unit == "W"]
    assert (f.entity, f.counterparty) == ("OpenAI", "AMD")


# --- a bullet naming nobody belongs to the line the list hangs from ----------------------------


def test_bullets_take_the_company_of_their_lead_in_line() -> None:
    text = (
        "季度业绩速览\n\n"
        "腾讯二季度业绩稳健增长\n\n"
        "- 营收1845亿元,同比增长15%。\n\n"
        "- 资本开支191亿元,同比增长119%。"
    )
    out = figs(text, title="季度业绩速览", published=dt.date(2025, 8, 20))
    assert {f.entity for f in out} == {"Tencent"} and len(out) == 4


def test_bullets_under_a_cited_source_take_no_company_from_it() -> None:
    text = "根据高盛的数据,分析师连续三年低估支出:\n\n- 2024 年:预期增长 19%,实际增长 54%"
    assert {f.entity for f in figs(text, title="支出")} != {"Goldman Sachs"}


# --- 负 before an amount makes it negative -----------------------------------------------------


def test_fu_before_an_amount_is_a_negative_amount() -> None:
    (f,) = figs("二季度百度自由现金流转为负47亿元。")
    assert f.value == -4.7e9
    (g,) = figs("二季度百度自由現金流轉為負47億元。")
    assert g.value == -4.7e9


def test_fu_inside_a_word_is_no_sign() -> None:
    (f,) = figs("百度担负3亿元费用。")
    assert f.value == 3e8


# --- 同比/环比 name a change's basis, not a base of comparison ------------------------------------


def test_tongbi_with_a_signed_rate_is_a_change_not_a_base() -> None:
    out = figs("前三季度,华虹以3.2%的市场份额位居第五,营收120亿元(同比+21.5%)。")
    assert {f.value for f in out} >= {3.2, 12e9, 21.5}
    (share,) = [f for f in out if f.value == 3.2]
    assert share.previous is None


def test_a_real_base_after_bi_is_still_a_base() -> None:
    (f,) = figs("华虹三季度毛利率为13.5%,比去年同期的12.2%高。")
    assert f.value == 13.5 and f.previous == 12.2
