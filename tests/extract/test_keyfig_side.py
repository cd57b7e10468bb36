"""Side numbers that are not key figures: side growth rates, milestones, bond prices,
per-share steps and model numbers (bot.extract.keyfig)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.extract.keyfig import key_figures

PUB = dt.date(2025, 11, 20)


def keys(text: str) -> list[tuple[str | None, float, str]]:
    figs = key_figures(extract(text, published=PUB), text)
    return [(f.entity, f.value, f.unit) for f in figs]


def test_a_constant_currency_rate_beside_the_reported_one_is_not_key() -> None:
    got = keys("Oracle revenue was $16.1B (+12% Y/Y, +10% cc) in the quarter.")
    assert (("Oracle", 12.0, "percent") in got) and ("Oracle", 10.0, "percent") not in got
    # alone, the constant-currency rate is the figure given
    assert ("Microsoft", 38.0, "percent") in keys(
        "Microsoft said Azure grew 38% in constant currency in the quarter."
    )


def test_a_sequential_money_step_beside_the_level_is_not_key() -> None:
    got = keys(
        "Alphabet capital expenditure was $24B in the third quarter. "
        "Alphabet capex fell $2B sequentially."
    )
    assert ("Google", 24e9, "USD") in got
    assert all(v != -2e9 and v != 2e9 for _, v, _ in got)


def test_a_club_and_a_first_time_threshold_are_not_key() -> None:
    got = keys(
        "Samsung reported operating profit of 12.1 trillion won in the quarter. "
        "Samsung's operating profit topped 10 trillion won for the first time this year."
    )
    assert got.count(("Samsung", 1.21e13, "KRW")) == 1
    assert ("Samsung", 1e13, "KRW") not in got
    assert keys("LG Energy joined the so-called 1-trillion-won club in the quarter.") == []


def test_a_bond_yield_or_spread_is_not_key() -> None:
    assert keys("Meta's bond was priced to yield 5.9 per cent, investors said.") == []
    assert keys("Oracle's 30-year note paid 1.4 percentage points above Treasuries.") == []


def test_a_per_share_step_is_not_key() -> None:
    assert keys("Intel's stock rose $3 per share in late trading.") == []


def test_a_model_number_is_not_a_count() -> None:
    got = keys("Google will deploy Ironwood 7 chips across its data centers.")
    assert all(u != "count" for _, _, u in got)
