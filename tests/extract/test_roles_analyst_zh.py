"""A bank speaking of a company named before it ("花旗为其给予…估值") is no party of a deal
with a company named after it (bot.extract.figures._Context._roles)."""

from __future__ import annotations

import datetime as dt

from bot.extract import extract

PUB = dt.date(2025, 10, 2)


def who(text: str) -> list[tuple[str | None, float, str | None]]:
    return [(f.entity, f.value, f.counterparty) for f in extract(text, published=PUB)]


def test_a_bank_valuing_it_is_about_the_company_before() -> None:
    got = who("英伟达发布了财报。花旗为其给予5万亿美元估值，与台积电相比更高。")
    assert got == [("Nvidia", 5e12, None)]


def test_a_bank_valuing_it_in_a_list_of_bullets_is_about_the_company_before() -> None:
    got = who("- 寒武纪营收大增。 - 高盛为其给予1000亿美元估值，高于英伟达的同类公司。")
    assert [(e, c) for e, v, c in got if v == 1e11] == [("Cambricon", None)]
