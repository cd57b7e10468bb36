"""English metric labels: a figure takes the metric noun that governs it in its own clause, and
measures Briefbot does not track (costs, margins, stakes, returns, cash flow ...) label it
``other`` instead of lending it the sentence's revenue or profit (bot.extract.sidenouns)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.extract.sidenouns import merge, side_spans

PUB = dt.date(2025, 11, 20)


def metrics(text: str) -> dict[tuple[float, str], str]:
    return {(abs(f.value), f.unit): f.metric for f in extract(text, published=PUB)}


def test_a_cost_in_its_own_clause_is_not_the_sentences_revenue() -> None:
    got = metrics(
        "Acme Corp said quarterly sales climbed 12% to $4.2 billion, while operating costs "
        "jumped 23%."
    )
    assert got[(12.0, "percent")] == "revenue"
    assert got[(4.2e9, "USD")] == "revenue"
    assert got[(23.0, "percent")] == "other"
    got = metrics("Oracle posted a 9% rise in revenue but a 31% increase in total costs.")
    assert got[(31.0, "percent")] == "other"


def test_a_margin_is_not_the_profit_it_is_named_after() -> None:
    got = metrics(
        "Nvidia's gross profit margins held at about 73%, and net income rose 55% to $19 billion."
    )
    assert got[(73.0, "percent")] == "other"
    assert got[(55.0, "percent")] == "profit"
    assert (
        metrics("SK Hynix said its operating profit margin reached 41 percent.")[(41.0, "percent")]
        == "other"
    )
    assert metrics("Intel expects a 36% gross margin next quarter.")[(36.0, "percent")] == "other"


def test_stakes_returns_and_expenses_are_other() -> None:
    assert (
        metrics("Microsoft agreed to buy a 12% stake in the startup.")[(12.0, "percent")] == "other"
    )
    assert (
        metrics("Oracle shares beat the index, whose 11% total returns trailed.")[(11.0, "percent")]
        == "other"
    )
    assert (
        metrics("Meta said operating expenses rose to $24 billion in the quarter.")[(24e9, "USD")]
        == "other"
    )
    assert (
        metrics("Microsoft's operating cash flow of $41.2 billion covered its capex.")[
            (41.2e9, "USD")
        ]
        == "other"
    )


def test_free_cash_flow_and_share_price_keep_their_labels() -> None:
    got = metrics("Alphabet's free cash flow fell 30% to $12 billion in the quarter.")
    assert got[(30.0, "percent")] == "free_cash_flow"
    assert got[(12e9, "USD")] == "free_cash_flow"
    assert metrics("Oracle's share price fell 7% on Tuesday.")[(7.0, "percent")] == "share_price"


def test_a_valuation_verb_labels_its_own_figure_only() -> None:
    got = metrics("Anthropic raised $13 billion in a round valuing the startup at $183 billion.")
    assert got[(13e9, "USD")] == "funding"
    assert got[(183e9, "USD")] == "market_value"
    got = metrics("The new round could value Mistral at $14 billion.")
    assert got[(14e9, "USD")] == "market_value"
    got = metrics(
        "OpenAI closed a round valuing it at $300 billion, while Mistral raised $2 billion."
    )
    assert got[(2e9, "USD")] == "funding"


def test_a_deals_worth_is_no_market_value() -> None:
    got = metrics("CoreWeave signed a contract valued at $14.2 billion with Meta.")
    assert got[(14.2e9, "USD")] == "other"
    got = metrics("The startup is now valued at $50 billion.")
    assert got[(50e9, "USD")] == "market_value"


def test_merge_prefers_the_longer_span() -> None:
    low = "its free cash flow and its operating cash flow and profit margins"
    lex = [(4, 18, "free_cash_flow"), (50, 56, "profit")]
    got = merge(lex, side_spans(low))
    assert (4, 18, "free_cash_flow") in got
    assert (50, 56, "profit") not in got
    assert any(lab == "other" and low[s:e] == "profit margins" for s, e, lab in got)
    assert any(lab == "other" and low[s:e] == "operating cash flow" for s, e, lab in got)


def test_a_label_before_a_colon_names_the_metric() -> None:
    got = metrics(
        "Nebius results for the quarter\n"
        "- Revenue: $3.1B vs. $2.9B consensus\n"
        "- Backlog: $41B, up from $12B\n"
        "- Capex outlook: about $20B in 2026"
    )
    assert got[(3.1e9, "USD")] == "revenue"
    assert got[(41e9, "USD")] == "backlog"
    assert got[(20e9, "USD")] == "capex"


def test_a_noun_inside_an_aside_does_not_label_the_subjects_figure() -> None:
    got = metrics(
        "Salesforce said its remaining performance obligations, a gauge of future revenue, "
        "rose to $63 billion."
    )
    assert got[(63e9, "USD")] == "backlog"
    got = metrics(
        "Amazon's operating income - the profit measure it uses for segments - grew 40% at AWS."
    )
    assert got[(40.0, "percent")] == "operating_income"
    got = metrics("CoreWeave's backlog (future sales) reached $30 billion.")
    assert got[(30e9, "USD")] == "backlog"


def test_per_share_amounts_are_eps_and_billions_are_not() -> None:
    got = metrics(
        "Apple said net income rose 8% to $24.8 billion, or $1.64 per share, on sales of "
        "$124.3 billion."
    )
    assert got[(24.8e9, "USD")] == "profit"
    assert got[(1.64, "USD")] == "eps"
    assert got[(124.3e9, "USD")] == "revenue"
    got = metrics(
        "Netflix beat with $11.5 billion in revenue and earnings per share of $6.06, and "
        "guided to as much as $12.1 billion."
    )
    assert got[(6.06, "USD")] == "eps"
    assert got[(12.1e9, "USD")] == "revenue"
    assert metrics("AMD forecast a profit of $1.20 a share next quarter.")[(1.2, "USD")] == "eps"


def test_a_metric_introducing_the_next_number_is_that_numbers() -> None:
    got = metrics(
        "HPE shipped $3.2 billion of AI systems and ended the quarter with a backlog of "
        "$7.1 billion."
    )
    assert got[(3.2e9, "USD")] != "backlog"
    assert got[(7.1e9, "USD")] == "backlog"
    # a metric after the figure that introduces no other number is still the figure's
    assert (
        metrics("OpenAI is close to a $40 billion SoftBank-led funding.")[(40e9, "USD")]
        == "funding"
    )


def test_a_business_units_growth_is_its_revenue() -> None:
    got = metrics("Microsoft said Azure grew 33% in the quarter.")
    assert got[(33.0, "percent")] == "revenue"
    got = metrics("AWS generated $30.9 billion in the quarter.")
    assert got[(30.9e9, "USD")] == "revenue"
    # a unit's measure named in the clause stays that measure
    got = metrics("AWS operating income rose 20% to $11.4 billion.")
    assert got[(20.0, "percent")] == "operating_income"
    assert (
        metrics("Google Cloud reached a $50 billion annual run rate.")[(50e9, "USD")] == "revenue"
    )
