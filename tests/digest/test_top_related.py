"""A Top line holds one company's related facts of the same report (select.top_first, pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.digest import render_markdown, select_digest
from bot.digest.rank import Weights
from bot.digest.select import same_report
from bot.digest.view import line_view
from bot.models import Period, StoredFigure
from tests.digest.seed import story_figure

W47 = Period.parse("2025-W47")
DAY = datetime(2025, 11, 18, 9, tzinfo=UTC)


def sf(n: int, entity: str, metric: str, value: float, **kw: object) -> StoredFigure:
    kw.setdefault("unit", "CNY")
    kw.setdefault("period", "2025-Q3")
    return story_figure(n, entity, metric, value, published=DAY, **kw)  # type: ignore[arg-type]


def earnings_week() -> list[StoredFigure]:
    """Five companies report in one week; one of them with three figures of its quarter."""
    return [
        sf(1, "Baidu", "revenue", 31.2e9),
        sf(2, "Baidu", "profit", -11.2e9),
        sf(3, "Baidu", "share_price", -6.0, unit="percent", is_change=True, period=None),
        sf(4, "Kuaishou", "revenue", 35.6e9),
        sf(5, "Nvidia", "revenue", 57e9, unit="USD", period="FY2026-Q3"),
        sf(6, "Moonshot AI", "funding", 600e6, unit="USD", period=None),
        sf(7, "Xiaomi", "revenue", 113e9),
        sf(8, "Pinduoduo", "revenue", 108e9),
    ]


def test_a_companys_results_share_one_top_line_so_the_top_covers_more_companies() -> None:
    d = select_digest(earnings_week(), W47)
    (baidu,) = [ln for ln in d.top if ln.entity == "Baidu"]
    assert {(f.metric, f.is_change) for f in baidu.facts} == {
        ("revenue", False),
        ("profit", False),
        ("share_price", True),
    }
    assert len({ln.entity for ln in d.top}) == 5  # five companies in five lines
    shown = [f.key for ln in d.lines for f in ln.facts]
    assert len(shown) == len(set(shown)) == d.shown == 8  # every fact on exactly one line
    text = line_view(baidu, "en").text
    assert text.count("; ") == 2 and "(Q3 2025)" in text and "▼ -6%" in text
    assert "；" in line_view(baidu, "zh").text
    assert {s.item_id for s in baidu.all_sources} == {"item-1", "item-2", "item-3"}


def test_with_top_related_zero_each_fact_keeps_its_own_line() -> None:
    d = select_digest(earnings_week(), W47, weights=Weights(top_related=0))
    assert all(not ln.related for ln in d.lines) and len(d.lines) == 8


def test_an_amount_of_another_or_no_period_keeps_its_own_line() -> None:
    q3 = sf(1, "SMIC", "revenue", 15.9e9)
    guide = sf(2, "SMIC", "revenue", 16.5e9, kind="guidance", period="2025-Q4")
    bare = sf(3, "SMIC", "capex", 5e9, period=None)  # would read as Q3 on Q3's line
    d = select_digest([q3, guide, bare], W47)
    assert all(not ln.related for ln in d.lines) and len(d.lines) == 3
    lead = next(ln for ln in d.lines if ln.value == 15.9e9)
    assert not any(same_report(lead, ln) for ln in d.lines if ln is not lead)


def test_estimates_aggregates_and_other_companies_do_not_ride_along() -> None:
    own = sf(1, "Tencent", "revenue", 192.9e9)
    est = sf(2, "Tencent", "profit", 60e9, kind="estimate")  # scores below related_min
    agg = sf(3, "Big Tech", "capex", 80e9, kind="aggregate")
    other = sf(4, "Alibaba", "revenue", 247.8e9)
    d = select_digest([own, est, agg, other], W47)
    assert all(not ln.related for ln in d.lines) and len(d.lines) == 4


def test_max_lines_counts_the_facts_a_top_line_shows() -> None:
    d = select_digest(earnings_week(), W47, max_lines=2)
    assert d.shown == 2 and d.omitted == 6
    md = render_markdown(d, "en")
    assert md.startswith("# Week 2025-W47: 2 key figures\n")
