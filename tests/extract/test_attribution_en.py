"""English attribution on real-news forms (issue 13, English side): titles, glued sentences,
"shares of", fiscal years of calendar-year companies, gaps to forecasts, key figures."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.extract.keyfig import key_figures
from bot.models import Figure

PUB = dt.date(2025, 10, 30)


def figs(text: str, title: str | None = None, published: dt.date = PUB) -> list[Figure]:
    return extract(text, published=published, title=title)


def keys(text: str, title: str | None = None) -> list[tuple[str | None, str, float, str]]:
    got = key_figures(figs(text, title), text)
    return [(f.entity, f.metric, f.value, f.unit) for f in got]


def test_a_title_naming_a_person_and_a_company_is_the_company_s() -> None:
    (f,) = figs(
        "The artificial intelligence startup is raising $9 billion in fresh financing.",
        title="Elon Musk's xAI raising $9 billion for its data centre",
    )
    assert f.entity == "xAI"


def test_a_lower_case_first_name_written_in_capitals_is_found() -> None:
    (f,) = figs("Musk's startup XAI is raising $9 billion in new funding.")
    assert f.entity == "xAI"


def test_shares_of_a_company_are_its_own_move() -> None:
    (f,) = figs(
        "Shares of AMD climbed roughly 20%–30% on the news.",
        title="OpenAI signs chip deal with AMD",
    )
    assert (f.entity, f.metric, f.value, f.counterparty) == ("AMD", "share_price", 30, None)


def test_a_sentence_glued_after_a_year_ends_there() -> None:
    got = figs(
        "The chipmaker posted a profit, marking a recovery from the slump it suffered in "
        "2022.Annual sales reached 44.6 trillion won, a 25 percent increase.",
        title="SK hynix posts record 2023 sales",
        published=dt.date(2024, 1, 25),
    )
    # the glued sentence is its own: no year from the earlier remark ("…, marking … in 2022")
    assert [(f.value, f.period) for f in got] == [(4.46e13, None), (25, None)]


def test_fiscal_year_of_a_calendar_year_company_is_the_year() -> None:
    (f,) = figs(
        "Meta Platforms is raising its spending, projecting capital expenditures of up to "
        "$90 billion for fiscal 2027."
    )
    assert (f.entity, f.period) == ("Meta", "2027")
    (g,) = figs("Microsoft expects capital expenditures of $120 billion in fiscal 2027.")
    assert g.period == "FY2027"


def test_gaps_to_a_forecast_are_not_figures() -> None:
    # A gap in percent is extracted as a change against expectations (the labelled sentences
    # list "beat by 4%"), but it is not a key figure: it is not stored.
    text = "Microsoft's gross margin held at 71.2%, only 0.4% above the 70.8% forecast."
    assert 0.4 in [f.value for f in figs(text)]
    assert 0.4 not in [v for _, _, v, _ in keys(text)]
    for text in (
        "Capex was $2.1B below the $40.2B Street consensus.",
        "Capex came in at $28.0B (a $3.1B undershoot).",
        "Amazon now expects to spend $125 billion, $7 billion more than it previously projected.",
        "Amazon will lift capex to $125 billion, a $7 billion rise from its previous forecast.",
    ):
        values = [f.value for f in figs(text)]
        assert all(v not in (0.4, 2.1e9, 3.1e9, 7e9) for v in values), (text, values)


def test_a_share_of_a_whole_is_not_key() -> None:
    got = keys("Microsoft said about 40% of its $400 billion backlog comes from one customer.")
    assert got == [("Microsoft", "backlog", 4e11, "USD")]
    assert keys("Meta's ad business made up 95% of total revenue.") == []


def test_the_intraday_extreme_is_not_key_when_the_close_is_given() -> None:
    text = "Oracle shares fell as much as 14% and closed down about 11% on Thursday."
    assert keys(text) == [("Oracle", "share_price", -11, "percent")]
    # alone, the extreme is the move reported
    assert keys("Oracle shares fell as much as 14% on Thursday.") == [
        ("Oracle", "share_price", -14, "percent")
    ]


def test_a_stock_index_move_is_the_market_s_not_a_company_s() -> None:
    (f,) = figs(
        "The Nasdaq fell 2.1% on Friday on worries about Nvidia and AMD.", title="AMD slides"
    )
    assert (f.entity, f.kind) == ("Nasdaq", "aggregate")
    (g,) = figs("Korea's KOSPI ended 0.4 percent higher.", title="SK hynix posts record profit")
    assert (g.entity, g.kind) == ("KOSPI", "aggregate")
    # an exchange in a ticker is nobody
    (h,) = figs("NVIDIA Corporation (Nasdaq: NVDA) today reported revenue of $35.1 billion.")
    assert h.entity == "Nvidia"


def test_a_bank_arranging_a_deal_is_not_an_industry_estimate() -> None:
    got = figs(
        "Goldman Sachs arranged about $18 billion in debt for the project.",
        title="Oracle lines up data centre financing",
    )
    assert [(f.entity, f.kind) for f in got] == [("Oracle", "actual")]
    (f,) = figs("Goldman Sachs expects data centre spending of $400 billion in 2026.")
    assert f.kind == "aggregate"


def test_a_down_verb_with_its_object_is_a_fall_of_the_day() -> None:
    (_, f) = figs("Oracle's $50B debt plan tanks stock 9% as investors balk.")
    assert (f.entity, f.metric, f.value, f.is_change, f.kind) == (
        "Oracle",
        "share_price",
        -9,
        True,
        "actual",
    )
    (g,) = figs("The outlook sent Intel shares tumbling over 8% after hours.")
    assert (g.value, g.is_change) == (-8, True)


def test_a_rout_or_value_erased_is_market_value_lost() -> None:
    (f,) = figs("Nvidia's $590 billion one-day rout rattled the market.")
    assert (f.metric, f.value, f.is_change) == ("market_value", -5.9e11, True)
    got = figs("Meta shares slid 11%, erasing about $200 billion in value.")
    assert [(g.metric, g.value) for g in got] == [
        ("share_price", -11),
        ("market_value", -2e11),
    ]


def test_a_multiple_said_in_words_is_not_key_in_english() -> None:
    assert keys("CoreWeave's capex doubled and its backlog tripled.") == []
    assert keys("CoreWeave's capex rose 100% to $20 billion.") == [
        ("CoreWeave", "capex", 100, "percent"),
        ("CoreWeave", "capex", 2e10, "USD"),
    ]


def test_a_level_does_not_take_the_period_of_a_number_it_is_compared_with() -> None:
    got = figs(
        "Net sales of $5.10 billion versus $4.20 billion in Q1'25.",
        title="Supermicro reports results",
        published=dt.date(2026, 5, 5),
    )
    assert (got[0].value, got[0].period) == (5.1e9, None)
    got = figs("Revenue was $5 billion and profit $1 billion in the third quarter.", title="Meta")
    assert [f.period for f in got] == ["2025-Q3", "2025-Q3"]


def test_a_sentence_naming_no_company_is_not_the_object_s_before_it() -> None:
    got = figs(
        "SK hynix, a key memory supplier to Nvidia, posted record sales. "
        "Annual sales reached 66.2 trillion won.",
        title="SK hynix posts record sales",
        published=dt.date(2025, 1, 23),
    )
    assert [f.entity for f in got] == ["SK Hynix"]


def test_a_sentence_speaking_of_fiscal_periods_reads_its_quarters_so() -> None:
    got = figs(
        "Broadcom reported third-quarter fiscal 2025 revenue growth of 22% — first-quarter "
        "AI revenue had grown 77% to $4.1 billion.",
        title="Broadcom results",
        published=dt.date(2025, 9, 5),
    )
    assert [f.period for f in got] == ["FY2025-Q3", "FY2025-Q1", "FY2025-Q1"]


def test_the_full_year_in_the_clause_before_is_the_year() -> None:
    got = figs(
        "Fourth-quarter revenue rose 14%. For the full year, revenue crossed $350 billion.",
        title="Alphabet results",
        published=dt.date(2025, 2, 5),
    )
    assert [f.period for f in got] == ["2024-Q4", "2024"]


def test_a_phrasal_verb_s_up_is_no_move() -> None:
    (f,) = figs("SoftBank is wrapping up a $22.5 billion payment.")
    assert (f.value, f.is_change) == (2.25e10, False)
    (g,) = figs("Nvidia shares closed up 2% on Friday.")
    assert (g.value, g.is_change) == (2, True)


def test_values_listed_respectively_go_to_the_companies_in_order() -> None:
    got = figs(
        "Amazon, Microsoft and Meta reported capex of $34.2 billion, $34.9 billion and "
        "$19.4 billion, respectively."
    )
    assert [(f.entity, f.value) for f in got] == [
        ("Amazon", 3.42e10),
        ("Microsoft", 3.49e10),
        ("Meta", 1.94e10),
    ]


def test_an_investment_in_a_company_being_valued_is_its_funding() -> None:
    got = figs(
        "Amazon is finalising a $4 billion investment in Anthropic. The round values "
        "Anthropic at $18 billion."
    )
    assert (got[0].entity, got[0].metric, got[0].counterparty) == (
        "Anthropic",
        "funding",
        "Amazon",
    )
    # no valuation: the investor's own cheque, the company its counterparty
    (f,) = figs("Amazon's $4 billion investment in Anthropic was confirmed.")
    assert (f.entity, f.metric, f.counterparty) == ("Amazon", "investment", "Anthropic")


WRAPPED = """HONG KONG (AP) - Taiwan-based TSMC, the world's largest computer chip
maker, plans to increase its capital spending by as much as 30%
this year after it reported a 42% jump in its net profit for the latest
quarter, the company said Thursday.
Taiwan Semiconductor Manufacturing Corp., a major supplier to companies
including Nvidia and Apple, reported a net profit of 374 billion new
Taiwan dollars ($12 billion) for the October-December quarter.
"""


def test_hard_wrapped_wire_copy_is_read_as_sentences() -> None:
    for text in (WRAPPED, WRAPPED.replace("\n", "\n\n")):  # a feed's <p> per line
        got = figs(text, title="TSMC profit jumps", published=dt.date(2025, 1, 16))
        assert [(f.entity, f.metric, f.value) for f in got] == [
            ("TSMC", "capex", 30),
            ("TSMC", "profit", 42),
            ("TSMC", "profit", 3.74e11),  # its USD conversion rides along
        ]
        assert "\n" not in got[2].sentence


def test_a_name_in_an_appositive_is_not_the_subject() -> None:
    (f,) = figs("Micron, a key supplier to Nvidia and AMD, reported revenue of $9.3 billion.")
    assert f.entity == "Micron"


def test_a_strategic_investment_with_a_stake_stays_the_investor_s() -> None:
    got = figs("Nvidia made a $5 billion investment in Intel, taking a 4 percent stake.")
    assert (got[0].entity, got[0].metric, got[0].counterparty) == ("Nvidia", "investment", "Intel")
