"""A step in money is not a key figure when the text gives the level (bot.extract.keyfig)."""

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
