"""Seed figures of the 2026 AI-capex briefing, as the store would return them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Conversion, Figure, StoredFigure

RATES = {"CNY": 0.1385}
NOW = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)
PUBLISHED = datetime(2026, 2, 9, 8, 0, tzinfo=UTC)

_SEED: list[tuple[str, dict[str, object]]] = [
    (
        "Meta says it will nearly double capex this year to as much as $135 billion",
        dict(
            entity="Meta",
            metric="capex",
            value=135e9,
            unit="USD",
            qualifier="up_to",
            period="2026",
            usd_value=135e9,
        ),
    ),
    (
        "Tesla plans to spend more than $20 billion, up from $8.5 billion in 2025",
        dict(
            entity="Tesla",
            metric="spending",
            value=20e9,
            unit="USD",
            qualifier="more_than",
            period="2026",
            previous=8.5e9,
            usd_value=20e9,
        ),
    ),
    (
        "Microsoft posted $37.5 billion of quarterly capex in the three months ending December",
        dict(
            entity="Microsoft",
            metric="capex",
            value=37.5e9,
            unit="USD",
            period="2025-Q4",
            usd_value=37.5e9,
        ),
    ),
    (
        "Microsoft posted $37.5 billion of quarterly capex ..., up 66% year over year",
        dict(
            entity="Microsoft",
            metric="capex",
            value=66,
            unit="percent",
            is_change=True,
            change_basis="yoy",
            period="2025-Q4",
        ),
    ),
    (
        "ByteDance reportedly has preliminary 2026 capex plans of 160 billion yuan (about $23 billion)",
        dict(
            entity="ByteDance",
            metric="capex",
            value=160e9,
            unit="CNY",
            period="2026",
            conversion=Conversion(value=23e9, unit="USD"),
            usd_value=23e9,
        ),
    ),
    (
        "Alibaba is weighing lifting its plan from 380 billion yuan to as much as 480 billion yuan",
        dict(
            entity="Alibaba",
            metric="investment",
            value=480e9,
            unit="CNY",
            qualifier="up_to",
            previous=380e9,
        ),
    ),
    (
        "Tencent logged 59.7 billion yuan of capex in the first three quarters of 2025",
        dict(entity="Tencent", metric="capex", value=59.7e9, unit="CNY", period="2025"),
    ),
    (
        "overseas chatbot Dola passed 10 million active users by late 2025",
        dict(
            entity="Dola",
            metric="users",
            value=10e6,
            unit="users",
            qualifier="more_than",
            period="2025",
        ),
    ),
    (
        "Microsoft shares fell 10% in the week after it announced capex",
        dict(entity="Microsoft", metric="share_price", value=-10, unit="percent", is_change=True),
    ),
    (
        "Oracle says it will borrow up to $50 billion this year for AI infrastructure",
        dict(
            entity="Oracle",
            metric="borrowing",
            value=50e9,
            unit="USD",
            qualifier="up_to",
            period="2026",
            usd_value=50e9,
        ),
    ),
    (
        "Oracle shares are down 50% from last September's high",
        dict(entity="Oracle", metric="share_price", value=-50, unit="percent", is_change=True),
    ),
]


def stored(
    figure: Figure,
    *,
    id: int,
    item: str = "briefing-en",
    title: str = "AI capex briefing",
    url: str | None = "https://example.com/briefing",
    published: datetime = PUBLISHED,
) -> StoredFigure:
    return StoredFigure(
        id=id,
        figure=figure,
        item_id=item,
        item_title=title,
        item_url=url,
        item_source="archive",
        published=published,
    )


def seed_figures() -> list[StoredFigure]:
    return [
        stored(Figure(sentence=sentence, **fields), id=i)
        for i, (sentence, fields) in enumerate(_SEED, start=1)
    ]


@pytest.fixture
def figures() -> list[StoredFigure]:
    return seed_figures()
