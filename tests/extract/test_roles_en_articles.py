"""English roles read against the article's company (issue 13, session 6): an investor's cheque
into the company the article is about, and the cases that stay the investor's own."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.extract.keyfig import key_figures
from bot.models import Figure

PUB = dt.date(2025, 6, 12)


def figs(text: str, title: str | None = None) -> list[Figure]:
    return extract(text, published=PUB, title=title)


def test_an_investors_cheque_into_the_articles_company_is_its_funding() -> None:
    title = "Mistral nears the close of a new funding round"
    got = figs(
        "Samsung will invest a first $1.2 billion, with a further tranche of $800 million "
        "due next year.",
        title=title,
    )
    assert [(f.entity, f.metric, f.counterparty) for f in got] == [
        ("Mistral", "funding", "Samsung"),
        ("Mistral", "funding", "Samsung"),
    ]
    (f,) = figs("Samsung then poured $1.2 billion into it.", title=title)
    assert (f.entity, f.metric, f.counterparty) == ("Mistral", "funding", "Samsung")


def test_an_investors_money_into_something_named_stays_its_own() -> None:
    title = "Mistral nears the close of a new funding round"
    # money put into data centres, and a valuation put on the company: no cheque into it
    (f,) = figs("Samsung will invest $12 billion in data centres this year.", title=title)
    assert f.entity == "Samsung"
    got = figs("Analysts put Samsung's stake at $1.2 billion after the last round.", title=title)
    assert all(f.entity != "Mistral" for f in got)


def test_a_company_named_right_after_the_amount_owns_it() -> None:
    (f,) = figs("Arm joined Oracle and SoftBank in backing the $80 billion Mistral campus project.")
    assert f.entity == "Mistral"
    # an investor's name before "-led", and a deal's other party, are not the owner
    (f,) = figs("Mistral closes a $2 billion Samsung-led funding round.")
    assert f.entity == "Mistral"
    (f,) = figs("Mistral signed a $2 billion Nvidia chip order.")
    assert f.entity == "Mistral"


def test_a_deal_told_under_the_suppliers_name_is_the_buyers_spending() -> None:
    text = (
        "CoreWeave will supply GPU servers to Meta from a campus in Norway. "
        "CoreWeave said it signed a contract with Meta worth up to $6 billion over four "
        "years. CoreWeave revenue rose to $90 million."
    )
    got = figs(text, title="CoreWeave wins AI cloud contract")
    assert [(f.entity, f.counterparty, f.value) for f in got] == [
        ("Meta", "CoreWeave", 6e9),
        ("CoreWeave", None, 9e7),  # the supplier's own revenue stays its own
    ]
    # a supplier of two buyers: whose deal it is is not said, it stays the supplier's
    two = text.replace("to Meta from", "to Meta and sells capacity to Microsoft from")
    got = figs(two, title="CoreWeave wins AI cloud contract")
    assert got[0].entity == "CoreWeave"


def test_a_round_led_by_an_investor_is_the_raisers_funding() -> None:
    (f,) = figs("Mistral is closing a $2 billion funding round, led by Samsung, this month.")
    assert (f.entity, f.metric, f.counterparty) == ("Mistral", "funding", "Samsung")
    # the active voice reads the same way
    (f,) = figs("Samsung leads a $2 billion funding round in Mistral.")
    assert (f.entity, f.metric, f.counterparty) == ("Mistral", "funding", "Samsung")


def test_an_investors_named_investment_in_a_story_on_a_round_is_the_rounds() -> None:
    title = "Mistral nears the close of a new funding round"
    got = figs(
        "Samsung's part includes a first $1.2 billion investment and a second tranche of "
        "$800 million.",
        title=title,
    )
    assert [(f.entity, f.counterparty) for f in got] == [
        ("Mistral", "Samsung"),
        ("Mistral", "Samsung"),
    ]
    # an investment in a company named stays the investor's own
    (f,) = figs("Samsung's $4 billion investment in Arm was confirmed.", title=title)
    assert (f.entity, f.counterparty) == ("Samsung", "Arm")


def test_a_banks_forecasters_after_with_are_the_forecast_s_source() -> None:
    got = figs(
        "Corporate bond sales could set a record, with Goldman Sachs strategists "
        "forecasting about $2 trillion of issuance.",
        title="Oracle sells $18 billion of bonds",
    )
    assert [(f.entity, f.kind) for f in got] == [("Industry", "aggregate")]


def test_a_banks_estimate_of_the_sentences_company_is_that_company_s_estimate() -> None:
    got = figs(
        "Oracle revenue was $15 billion, compared with a Morgan Stanley estimate of $14.6 billion."
    )
    assert [(f.entity, f.kind) for f in got] == [("Oracle", "actual"), ("Oracle", "estimate")]


def test_billions_of_nothing_named_take_the_currency_the_text_gives_them() -> None:
    text = "Mistral 2 billion Samsung-led funding\n\nMistral is raising $2 billion from investors."
    got = figs(text, title="Mistral 2 billion Samsung-led funding")
    assert [(f.entity, f.value, f.unit) for f in got] == [
        ("Mistral", 2e9, "USD"),  # the headline's amount, its investor left out
        ("Mistral", 2e9, "USD"),
    ]
    # an amount the text never gives in money stays what it is (no currency borrowed)
    got = figs("Mistral's model has 2 billion parameters and raised $5 billion.")
    assert [(f.value, f.unit) for f in got if f.unit == "USD"] == [(5e9, "USD")]


def test_an_object_behind_a_possessive_is_not_the_next_clause_s_subject() -> None:
    got = figs(
        "Mistral said it has raised $2 billion in a round led by Korea's Samsung, "
        "lifting the startup's valuation to $14 billion."
    )
    assert [(f.entity, f.metric) for f in got] == [
        ("Mistral", "funding"),
        ("Mistral", "market_value"),
    ]


def test_a_stake_is_its_holders_never_the_company_whose_shares_are_held() -> None:
    got = figs("Mistral will get warrants to buy 90 million shares of Arm, close to 8% ownership.")
    stake = [f for f in got if f.unit == "percent"]
    assert [(f.entity, f.counterparty) for f in stake] == [("Mistral", "Arm")]
    (f,) = figs("Samsung took a 4% stake in Arm.")
    assert (f.entity, f.counterparty) == ("Samsung", "Arm")
    # no holder named: nobody's figure, not stored
    text = "The government took about 160 million Arm shares, close to a 10% stake."
    got = figs(text)
    assert [f for f in key_figures(got, text) if f.unit == "percent"] == []


def test_a_deal_to_supply_the_other_party_is_that_partys_spending() -> None:
    (f,) = figs("CoreWeave signed a $6 billion deal with Mistral to supply computing power.")
    assert (f.entity, f.counterparty) == ("Mistral", "CoreWeave")
    # the buyer as subject stays the buyer
    (f,) = figs("Mistral signed a $6 billion deal with CoreWeave for computing power.")
    assert (f.entity, f.counterparty) == ("Mistral", "CoreWeave")


def test_a_stake_sold_is_no_funding() -> None:
    (f,) = figs("SoftBank sold its entire $5.8 billion stake in Nvidia.")
    assert (f.entity, f.metric != "funding") == ("SoftBank", True)


def test_a_name_after_with_before_a_participle_is_its_clause_s_subject() -> None:
    got = figs(
        "Reports put the loan at $12 billion, with Samsung expected to invest about "
        "$2 billion in data centres.",
        title="Mistral lines up debt for its data centres",
    )
    assert [(f.entity, f.value) for f in got] == [("Mistral", 1.2e10), ("Samsung", 2e9)]
