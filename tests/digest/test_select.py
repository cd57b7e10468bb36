from __future__ import annotations

from datetime import UTC, datetime

from bot.digest import select_digest
from bot.digest.rank import Weights
from bot.digest.select import group_facts
from bot.models import Figure, Period, StoredFigure
from tests.digest.seed import figure, seed_figures, stored


def test_ranking_capex_and_financing_first_then_share_moves_then_the_rest(digest) -> None:
    order = [(ln.entity, ln.metric, ln.is_change) for ln in digest.lines]
    assert order[:5] == [  # the Top: core metrics of named companies, larger first
        ("Meta", "capex", False),  # $135B
        ("Alibaba", "investment", False),  # ¥480B ≈ $67B
        ("Oracle", "borrowing", False),  # $50B
        ("Microsoft", "capex", False),  # $37.5B
        ("ByteDance", "capex", False),  # ¥160B ≈ $23B
    ]
    assert [ln.entity for ln in digest.top] == [e for e, _, _ in order[:5]]
    scores = [ln.score for ln in digest.lines]
    assert scores == sorted(scores, reverse=True)
    facts = [f for ln in digest.lines for f in ln.facts]  # a Top line may show related facts
    shares = [(ln.entity, ln.value) for ln in facts if ln.metric == "share_price"]
    assert sorted(shares) == [("Microsoft", -10), ("Oracle", -50)]  # both moves of 5 % or more
    assert digest.lines[-1].entity == "Dola"  # users: neither core nor a share move


def test_same_fact_in_two_languages_is_one_line_with_both_sources(digest) -> None:
    assert digest.total == 11  # 22 mentions, 11 facts
    meta = next(ln for ln in digest.lines if ln.entity == "Meta")
    assert {s.lang for s in meta.sources} == {"en", "zh"}
    assert len(meta.sources) == 2
    assert [g.langs for g in meta.source_groups] == [("en", "zh")]
    assert any("1,350 亿美元" in s.sentence for s in meta.sources)
    assert any("$135 billion" in s.sentence for s in meta.sources)


def test_values_within_one_percent_merge_beyond_do_not(week) -> None:
    a = stored(
        figure("en", dict(entity="Meta", metric="capex", value=135e9, unit="USD"), ""),
        id=1,
        lang="en",
    )
    b = stored(
        figure("zh", dict(entity="meta", metric="capex", value=135.9e9, unit="USD"), ""),
        id=2,
        lang="zh",
    )
    c = stored(
        figure("en", dict(entity="Meta", metric="capex", value=140e9, unit="USD"), ""),
        id=3,
        lang="en",
        item_id="other-item",
        title="Other outlet",
    )
    assert sorted(len(c) for c in group_facts([a, b, c])) == [1, 2]


def test_groups_hold_the_lines_after_the_top_by_entity_in_rank_order(digest) -> None:
    names = [g.entity for g in digest.groups]
    # Microsoft's and Oracle's share moves ride on their Top lines (same report: a move with no
    # period), so their groups are gone
    assert names == ["Tesla", "Tencent", "Dola"]
    (ms,) = [ln for ln in digest.top if ln.entity == "Microsoft"]
    assert [(ln.metric, ln.is_change) for ln in ms.related] == [
        ("capex", True),
        ("share_price", True),
    ]
    assert sum(len(g.lines) for g in digest.groups) == len(digest.lines) - len(digest.top)


def test_follow_entities_or_metrics(figures, week) -> None:
    d = select_digest(figures, week, follow_entities=["microsoft"])
    assert {ln.entity for ln in d.lines} == {"Microsoft"} and d.shown == 3
    d = select_digest(figures, week, follow_metrics=["share_price"])
    assert {(ln.entity, ln.value) for ln in d.lines} == {("Microsoft", -10), ("Oracle", -50)}
    d = select_digest(figures, week, follow_entities=["Dola"], follow_metrics=["borrowing"])
    assert {ln.entity for ln in d.lines} == {"Dola", "Oracle"} and d.filtered
    d = select_digest(figures, week, follow_entities=["Nvidia"])
    assert d.lines == () and d.filtered


def test_language_filter_and_fallback(week) -> None:
    zh_only = seed_figures(("zh",))
    d = select_digest(zh_only, week, lang="zh")
    assert d.shown == 11 and not d.fell_back
    d = select_digest(zh_only, week, lang="en")
    assert d.shown == 11 and d.fell_back  # nothing in English: everything, flagged
    mixed = [
        *seed_figures(("zh",)),
        stored(
            figure(
                "en", dict(entity="Nvidia", metric="revenue", value=1000000000.0, unit="USD"), "x"
            ),
            id=99,
            lang="en",
            item_id="en-only",
            title="An English outlet",
        ),
    ]
    d = select_digest(mixed, week, lang="en")
    assert [ln.entity for ln in d.lines] == ["Nvidia"] and not d.fell_back


def test_entity_none_is_other_and_grouped_last(figures, week) -> None:
    anon = stored(
        figure("en", dict(entity=None, metric="investment", value=999e9, unit="USD"), "x"),
        id=98,
        lang="en",
    )
    d = select_digest([*figures, anon], week, weights=Weights(line_needs_entity=False))
    line = next(ln for ln in d.lines if ln.entity is None)
    assert line not in d.top  # the largest value, but no entity: ranked low
    assert d.groups[-1].entity is None  # and its group comes last


def test_period_and_max_lines(figures, week) -> None:
    assert select_digest(figures, Period.parse("2026-W07")).lines == ()
    d = select_digest(figures, week, max_lines=4)
    assert d.shown == 4 and d.total == 11 and d.omitted == 7  # max_lines counts facts
    assert d.groups == ()
    assert len(select_digest(figures, week).top) == 5


def test_newest_breaks_ties(week) -> None:
    def pct(day: int, id: int) -> StoredFigure:
        f = Figure(entity=f"E{id}", metric="share_price", value=-5, unit="percent", is_change=True)
        return StoredFigure(
            id=id, figure=f, item_id=f"i{id}", published=datetime(2026, 2, day, tzinfo=UTC)
        )

    d = select_digest([pct(3, 1), pct(5, 2), pct(4, 3)], week)
    assert [ln.entity for ln in d.lines] == ["E2", "E3", "E1"]


def test_chart_bars_are_capex_levels_in_usd(digest) -> None:
    assert [(b.entity, round(b.usd_value / 1e9, 1)) for b in digest.chart] == [
        ("Meta", 135.0),
        ("Microsoft", 37.5),
        ("ByteDance", 23.0),
        ("Tencent", 8.4),
    ]
