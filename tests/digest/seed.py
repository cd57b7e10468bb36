"""The seed briefing's figures (archive/000_53212d8dde729521.txt) as the store would return them.

Built by hand, the way the extractor reports them (DESIGN.md "Figure JSON"), in both language
halves of the briefing; the benchmark reuses them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.models import Conversion, Figure, Lang, StoredFigure

CNY_USD = 0.14  # USD per CNY: a configured dated rate (the "usd_value" the extractor fills in)
PUBLISHED = datetime(2026, 2, 4, tzinfo=UTC)
ITEMS: dict[Lang, tuple[str, str]] = {
    "en": ("47f3652e4ee217ebfc882445", "Avalaches briefing 2026-02-04 (en)"),
    "zh": ("78664d6fd5eaa2d9f0e781b6", "Avalaches briefing 2026-02-04 (zh)"),
}
SOURCE = "archive:000_53212d8dde729521.txt"

# (figure fields, English sentence, Chinese sentence)
SEED: list[tuple[dict[str, Any], str, str]] = [
    (
        dict(
            entity="Meta", metric="capex", value=135e9, unit="USD", qualifier="up_to", period="2026"
        ),
        "Meta says it will nearly double capex this year to as much as $135 billion",
        "Meta 表示今年 capex 几乎翻倍至最高 1,350 亿美元",
    ),
    (
        dict(
            entity="Tesla",
            metric="spending",
            value=20e9,
            unit="USD",
            qualifier="more_than",
            period="2026",
            previous=8.5e9,
        ),
        "Tesla plans to spend more than $20 billion, up from $8.5 billion in 2025",
        "Tesla 规划支出超过 200 亿美元,高于 2025 年的 85 亿美元",
    ),
    (
        dict(entity="Microsoft", metric="capex", value=37.5e9, unit="USD", period="2025-Q4"),
        "Microsoft posted $37.5 billion of quarterly capex in the three months ending December",
        "Microsoft 在截至 12 月的三个月单季 capex 为 375 亿美元",
    ),
    (
        dict(
            entity="Microsoft",
            metric="capex",
            value=66,
            unit="percent",
            is_change=True,
            change_basis="yoy",
            period="2025-Q4",
        ),
        "up 66% year over year",
        "年增 66%",
    ),
    (
        dict(
            entity="ByteDance",
            metric="capex",
            value=160e9,
            unit="CNY",
            period="2026",
            conversion=Conversion(value=23e9, unit="USD"),
            usd_value=23e9,
        ),
        "ByteDance reportedly has preliminary 2026 capex plans of 160 billion yuan (about $23 billion)",
        "ByteDance 传出 2026 年 AI 基础设施 capex 初步规划 1,600 亿人民币(约 230 亿美元)",
    ),
    (
        dict(
            entity="Alibaba",
            metric="investment",
            value=480e9,
            unit="CNY",
            qualifier="up_to",
            previous=380e9,
            usd_value=480e9 * CNY_USD,
        ),
        "Alibaba is weighing lifting its three-year AI infrastructure and cloud plan from 380 billion yuan to as much as 480 billion yuan",
        "Alibaba 可能把三年 AI 基础设施与云端投资由 3,800 亿人民币上调至最高 4,800 亿人民币",
    ),
    (
        dict(
            entity="Tencent",
            metric="capex",
            value=59.7e9,
            unit="CNY",
            period="2025-Q1-Q3",
            usd_value=59.7e9 * CNY_USD,
        ),
        "Tencent logged 59.7 billion yuan of capex in the first three quarters of 2025",
        "Tencent 在 2025 年前三季 capex 为 597 亿人民币",
    ),
    (
        dict(
            entity="Dola",
            metric="users",
            value=10e6,
            unit="users",
            qualifier="more_than",
            period="2025",
        ),
        "the overseas chatbot Dola exceeding 10 million active users by end-2025",
        "海外版聊天机器人 Dola 于 2025 年底活跃用户超过 1,000 万",
    ),
    (
        dict(
            entity="Microsoft",
            metric="share_price",
            value=-10,
            unit="percent",
            is_change=True,
            change_basis="week after announcement",
        ),
        "Microsoft shares fell 10% in the week after its capex announcement",
        "Microsoft 宣布 capex 后一周股价下跌 10%",
    ),
    (
        dict(
            entity="Oracle",
            metric="borrowing",
            value=50e9,
            unit="USD",
            qualifier="up_to",
            period="2026",
        ),
        "Oracle says it will borrow up to $50 billion this year for AI infrastructure",
        "Oracle 表示今年将借款最高 500 亿美元投入 AI 基建",
    ),
    (
        dict(
            entity="Oracle",
            metric="share_price",
            value=-50,
            unit="percent",
            is_change=True,
            change_basis="from_peak",
        ),
        "its shares are down 50% from a peak last September",
        "股价自去年 9 月高点回落 50%",
    ),
]


def figure(lang: Lang, fields: dict[str, Any], sentence: str) -> Figure:
    f = dict(fields)
    if f.get("usd_value") is None and f["unit"] == "USD" and not f.get("is_change"):
        f["usd_value"] = f["value"]
    return Figure(lang=lang, sentence=sentence, item_id=ITEMS[lang][0], **f)


def stored(
    f: Figure,
    *,
    id: int,
    lang: Lang,
    published: datetime = PUBLISHED,
    title: str | None = None,
    url: str | None = None,
    item_id: str | None = None,
) -> StoredFigure:
    return StoredFigure(
        id=id,
        figure=f,
        item_id=item_id or ITEMS[lang][0],
        item_title=title if title is not None else ITEMS[lang][1],
        item_url=url,
        item_source=SOURCE,
        published=published,
    )


def seed_figures(langs: tuple[Lang, ...] = ("en", "zh")) -> list[StoredFigure]:
    out: list[StoredFigure] = []
    for lang in langs:
        for fields, en, zh in SEED:
            out.append(
                stored(figure(lang, fields, en if lang == "en" else zh), id=len(out) + 1, lang=lang)
            )
    return out


def story_figure(
    n: int,
    entity: str,
    metric: str,
    value: float,
    *,
    published: datetime,
    unit: str,
    period: str,
    **kw: object,
) -> StoredFigure:
    """Figure ``n`` of its own story ``n`` (item, title, link and outlet numbered alike):
    ``unit`` and ``period`` unless ``kw`` says otherwise, sentence ``s<n>``."""
    base: dict[str, object] = dict(
        entity=entity, metric=metric, value=value, unit=unit, period=period, sentence=f"s{n}"
    )
    base.update(kw)
    return StoredFigure(
        id=n,
        figure=Figure(**base),  # type: ignore[arg-type]
        item_id=f"item-{n}",
        item_title=f"Story {n}",
        item_url=f"https://news.example/{n}",
        item_source=f"outlet-{n}",
        published=published,
    )
