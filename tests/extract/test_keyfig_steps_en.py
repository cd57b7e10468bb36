"""Not key figures (bot.extract.keyfig): a step in money when the text gives the level, and
an analyst's call on the stock (price target, upside, downside)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.extract.keyfig import key_figures

PUB = dt.date(2025, 7, 24)


def keys(text: str) -> list[tuple[str | None, str, float, str, bool]]:
    figs = key_figures(extract(text, published=PUB), text)
    return [(f.entity, f.metric, f.value, f.unit, f.is_change) for f in figs]


def test_a_budget_raised_by_an_amount_keeps_the_new_level_only() -> None:
    got = keys(
        "Amazon lifted its capital expenditure budget for the year by $12 billion and now "
        "plans to spend $118 billion."
    )
    assert any(e == "Amazon" and v == 118e9 and not c for e, _, v, _, c in got)
    assert all(abs(v) != 12e9 for _, _, v, _, _ in got)


def test_a_step_named_later_in_the_text_is_not_key_beside_the_level() -> None:
    got = keys(
        "Meta expects capital expenditures of $70 billion this year. "
        "Investors shrugged off the $4-billion increase in capex."
    )
    assert any(e == "Meta" and v == 70e9 for e, _, v, _, _ in got)
    assert all(abs(v) != 4e9 for _, _, v, _, _ in got)


def test_a_step_alone_stays() -> None:
    got = keys("Samsung cut its borrowings by 2 trillion won in the quarter.")
    assert [(e, abs(v)) for e, _, v, _, _ in got] == [("Samsung", 2e12)]


def test_a_market_value_loss_and_an_eps_step_stay() -> None:
    got = keys(
        "Microsoft's market value was $3.5 trillion before the report; the selloff wiped "
        "out $357 billion of it."
    )
    assert any(abs(v) == 357e9 for _, _, v, _, _ in got)


def test_a_price_target_is_not_a_company_figure() -> None:
    # a won target is above the per-unit bound: it is dropped as an analyst's call
    assert keys("Macquarie raised its target price on SK Hynix to 150,000 won.") == []
    assert keys("Jefferies set a price target of $1,050 on Meta shares on Thursday.") == []


def test_upside_and_downside_are_calls_but_the_day_s_move_stays() -> None:
    got = keys(
        "Meta shares fell 11% on Thursday, and one analyst flagged potential 10%-15% downside."
    )
    assert [(e, m, v) for e, m, v, _, _ in got] == [("Meta", "share_price", -11.0)]
    assert keys("Analysts see upside of 25% for Oracle shares after the report.") == []
