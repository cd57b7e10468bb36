"""A definite reference back to an amount already given is not stored again (keyfig)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract
from bot.extract.keyfig import key_figures

PUB = dt.date(2026, 2, 6)


def keys(text: str, title: str | None = None) -> list[tuple[str | None, float, str | None]]:
    figs = key_figures(extract(text, published=PUB, title=title), text)
    return [(f.entity, f.value, f.period) for f in figs]


def test_the_amount_said_again_with_the_is_the_first_statement_only() -> None:
    text = (
        "Amazon plans to spend about $200 billion on capital expenditures in 2026. "
        "The $200 billion figure is close to a fifth of Microsoft's market value since 2020."
    )
    assert keys(text) == [("Amazon", 2e11, "2026")]
    text = (
        "Amazon plans to spend about $200 billion on capital expenditures in 2026. "
        "Google analysts say the projected $200 billion outlay could weigh on cash flow."
    )
    assert keys(text) == [("Amazon", 2e11, "2026")]


def test_a_first_mention_with_the_is_kept() -> None:
    assert keys("Amazon confirmed the $200 billion capex plan for 2026.") == [
        ("Amazon", 2e11, "2026")
    ]


def test_a_gap_to_expectations_said_with_its_margin_is_nobodys_figure() -> None:
    assert (
        keys(
            "Meta's spending plan topped analysts' forecasts by a wide margin of more than "
            "$20 billion, unsettling investors."
        )
        == []
    )
    assert keys("The $20 billion 'surprise gap' weighed on Meta's shares.") == []
    # the plan itself stays
    assert keys("Meta plans to spend $135 billion in 2026.") == [("Meta", 1.35e11, "2026")]
