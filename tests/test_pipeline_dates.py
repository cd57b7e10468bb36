"""The date an item's relative periods are read against (bot.pipeline.anchor_date)."""

from __future__ import annotations

import datetime as dt

from bot.extract.periods import ApproxDate
from bot.models import Item
from bot.pipeline import anchor_date

FETCHED = dt.datetime(2026, 1, 4, 23, 0, tzinfo=dt.UTC)


def item(text: str, fallback: bool) -> Item:
    return Item(
        id="i", source="feed:x", title=text.split("\n")[0], published=FETCHED, lang="zh",
        text=text, date_is_fallback=fallback,
    )  # fmt: skip


def test_a_dated_entry_keeps_its_date() -> None:
    got = anchor_date(item("新华社北京12月23日电 字节跳动明年加大投入。", False))
    assert got == dt.date(2026, 1, 4) and not isinstance(got, ApproxDate)


def test_an_undated_entry_takes_its_dateline_else_an_approximate_fetch_date() -> None:
    assert anchor_date(item("新华社北京12月23日电 字节跳动明年加大投入。", True)) == dt.date(
        2025, 12, 23
    )
    got = anchor_date(item("传字节跳动明年砸140亿美元买芯片", True))
    assert isinstance(got, ApproxDate) and got == dt.date(2026, 1, 4)
