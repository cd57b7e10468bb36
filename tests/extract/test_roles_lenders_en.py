"""Lenders and arrangers of a loan are not the borrower (bot.extract.figures._borrower)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract

PUB = dt.date(2025, 10, 2)


def who(text: str) -> list[tuple[str | None, str, float, str | None]]:
    return [(f.entity, f.metric, f.value, f.counterparty) for f in extract(text, published=PUB)]


def test_a_loan_arranged_by_banks_is_the_borrower_s() -> None:
    got = who("Goldman Sachs and MUFG arranged a $12 billion loan for Oracle's Texas campus.")
    assert got == [("Oracle", "borrowing", 12e9, "Goldman Sachs")]


def test_an_unknown_borrower_is_named_by_its_shape() -> None:
    got = who("JPMorgan arranged a $9 billion construction loan for Fluidstack Holdings.")
    assert [(e, v) for e, _, v, _ in got] == [("Fluidstack Holdings", 9e9)]
    got = who("JPMorgan underwrote $4 billion of debt for Vantage Data Centers.")
    assert [(e, v) for e, _, v, _ in got] == [("Vantage Data Centers", 4e9)]


def test_a_bank_s_forecast_stays_the_industry_s() -> None:
    got = who("Morgan Stanley expects data-centre spending to reach $400 billion.")
    assert [(e, v) for e, _, v, _ in got] == [("Industry", 400e9)]
