"""A group named after a figure is not its owner unless it is named as one
(bot.extract.figures: the name after the figure, _aside)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract

PUB = dt.date(2025, 12, 12)


def who(text: str, title: str | None = None) -> list[tuple[str | None, float, str]]:
    return [(f.entity, f.value, f.kind) for f in extract(text, published=PUB, title=title)]


def test_a_description_of_the_company_is_not_the_group_it_sells_to() -> None:
    got = who(
        "Broadcom makes the custom chips behind much of the AI build-out. A $1.6T chipmaker "
        "whose accelerators the hyperscalers run, it keeps winning orders.",
        title="Broadcom: how the chipmaker makes money",
    )
    assert ("Broadcom", 1.6e12, "actual") in got
    assert all(e != "Big Tech" for e, _, _ in got)


def test_a_group_named_as_the_owner_keeps_the_figure() -> None:
    got = who("Capex of $400 billion is expected to be spent by hyperscalers this year.")
    assert [e for e, v, _ in got if v == 400e9] == ["Big Tech"]
    got = who("A $600 billion Big Tech capex wave is building up.")
    assert [e for e, v, _ in got if v == 600e9] == ["Big Tech"]
