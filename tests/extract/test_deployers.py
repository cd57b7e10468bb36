"""Power capacity in a chip deal is the buyer's, who deploys it (bot.extract.figures)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract

PUB = dt.date(2025, 10, 8)


def watts(text: str, title: str | None = None) -> list[tuple[str | None, float, str | None]]:
    return [
        (f.entity, f.value, f.counterparty)
        for f in extract(text, published=PUB, title=title)
        if f.unit == "W"
    ]


def test_capacity_a_chip_maker_supplies_is_the_buyers() -> None:
    got = watts(
        "Broadcom will supply custom accelerators to Anthropic, starting with a 2-gigawatt "
        "tranche next year."
    )
    assert got == [("Anthropic", 2e9, "Broadcom")]


def test_capacity_built_with_a_makers_gpus_is_the_builders() -> None:
    got = watts("The 3-gigawatt campus will need a million AMD GPUs to serve Meta's models.")
    assert got == [("Meta", 3e9, "AMD")]


def test_the_articles_subject_deploys_when_the_sentence_names_only_the_maker() -> None:
    got = watts(
        "Anthropic signs chip deal with Broadcom\n\n"
        "Broadcom will deliver AI chips in a first 1-gigawatt phase in 2026.",
        title="Anthropic signs chip deal with Broadcom",
    )
    assert got == [("Anthropic", 1e9, "Broadcom")]


def test_capacity_in_a_deal_framed_as_the_makers_own_stays() -> None:
    got = watts(
        "AMD's $90 billion agreement with Meta to fill data centers with AMD GPUs: the plan "
        "covers 6 gigawatts of computing power."
    )
    assert got[0][0] == "AMD"


def test_a_buyer_supplied_with_compute_deploys_it_in_the_headline_and_later() -> None:
    title = "Intel jumps after 2-gigawatt AI partnership with Anthropic"
    text = (
        f"{title}\n\nThe deal will see Intel supply Anthropic with about two gigawatts of AI "
        "compute over several years.\n\nTwo gigawatts of capacity is a large step."
    )
    got = watts(text, title=title)
    assert len(got) == 3 and all(e == "Anthropic" for e, _, _ in got)
    assert got[0][2] == got[2][2] == "Intel"
