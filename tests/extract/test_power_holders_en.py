"""Power capacity of a sentence naming no company: the owner of the plant it is about, or the
company the subject invests in (bot.extract.figures._power_holders)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract

PUB = dt.date(2025, 10, 2)


def power(text: str, title: str | None = None) -> list[tuple[str | None, float, str | None]]:
    return [
        (f.entity, f.value, f.counterparty)
        for f in extract(text, published=PUB, title=title)
        if f.unit == "W"
    ]


def test_a_plant_s_output_is_its_owner_s() -> None:
    text = (
        "Amazon signed a deal for nuclear power.\n"
        "The Calvert Cliffs station is owned and operated by utility Constellation Energy.\n"
        "Calvert Cliffs can generate 1.8 gigawatts of electricity."
    )
    got = power(text, title="Amazon buys nuclear power")
    assert [(e, v) for e, v, _ in got] == [("Constellation Energy", 1.8e9)]


def test_capacity_in_a_sentence_naming_no_company_goes_to_the_investee() -> None:
    text = (
        "SoftBank is pouring $30 billion into OpenAI. "
        "The build-out targets 5 gigawatts of data centres."
    )
    got = power(text, title="SoftBank's big bet")
    assert got == [("OpenAI", 5e9, "SoftBank")]


def test_the_investor_s_own_capacity_stays_its_own() -> None:
    text = (
        "SoftBank is pouring $30 billion into OpenAI. "
        "SoftBank will also build 2 gigawatts of its own data centres in Japan."
    )
    got = power(text, title="SoftBank's big bet")
    assert [(e, v) for e, v, _ in got] == [("SoftBank", 2e9)]
