"""Memory across weeks, updates, estimates, aggregates and context (select + view, pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.digest import render_markdown, render_telegram, select_digest
from bot.digest.rank import Weights
from bot.digest.view import line_view
from bot.facts import Fact
from bot.models import Figure, Period, StoredFigure

W10 = Period.parse("2026-W10")
MON = datetime(2026, 3, 2, 9, tzinfo=UTC)


def sf(
    n: int, *, day: int = 0, outlet: str = "feed-a", url: str | None = None, **kw: object
) -> StoredFigure:
    base: dict[str, object] = dict(
        entity="Amazon", metric="capex", value=200e9, unit="USD", period="2026", sentence=f"s{n}"
    )
    base.update(kw)
    if base["unit"] == "USD" and not base.get("is_change"):
        base.setdefault("usd_value", base["value"])
    return StoredFigure(
        id=n,
        figure=Figure(**base),  # type: ignore[arg-type]
        item_id=f"item-{n}",
        item_title=f"Story {n}",
        item_url=url or f"https://news.example/{n}",
        item_source=outlet,
        published=MON.replace(day=2 + day),
    )


def fact(n: int, value: float, **kw: object) -> Fact:
    """A stored fact first reported the week before W10."""
    base: dict[str, object] = dict(
        id=n,
        entity="Amazon",
        metric="capex",
        value=value,
        unit="USD",
        period="2026",
        is_change=False,
        kind="plan",
        first_published=datetime(2026, 2, 23, tzinfo=UTC),
    )
    base.update(kw)
    return Fact(**base)  # type: ignore[arg-type]


def test_one_line_per_fact_whatever_the_label_with_every_source() -> None:
    figs = [
        sf(1, outlet="a"),
        sf(2, outlet="b", metric="investment", period="FY2026"),
        sf(3, outlet="c", metric="spending", period=None, value=201e9),
        sf(4, outlet="c", metric="other"),
    ]
    d = select_digest(figs, W10)
    assert len(d.lines) == 1
    (ln,) = d.lines
    assert ln.outlets == 3 and [s.item_id for s in ln.sources] == [
        f"item-{n}" for n in (1, 2, 3, 4)
    ]
    assert ln.period == "2026"


def test_a_fact_from_an_earlier_week_is_not_new_but_still_in_the_news() -> None:
    history = [fact(7, 200e9)]
    figs = [sf(1), sf(2, entity="Meta", value=135e9)]
    d = select_digest(figs, W10, history=history)
    assert [ln.entity for ln in d.lines] == ["Meta"]
    assert [ln.entity for ln in d.still] == ["Amazon"]
    md = render_markdown(d, "en")
    assert "*Still in the news (reported before): Amazon capex $200B*" in md
    assert "- **Amazon**" not in md and "1. **Amazon**" not in md


def test_the_store_fact_id_marks_memory_even_when_values_drift() -> None:
    history = [fact(7, 200e9)]
    moved = sf(1).model_copy(update={"fact_id": 7})
    assert select_digest([moved], W10, history=history).still[0].fact_id == 7


def test_history_after_the_period_start_is_not_memory() -> None:
    later = fact(7, 200e9, first_published=datetime(2026, 3, 3, tzinfo=UTC))
    assert [ln.entity for ln in select_digest([sf(1)], W10, history=[later]).lines] == ["Amazon"]


def test_a_changed_figure_is_an_update_with_its_previous_value() -> None:
    history = [fact(7, 85e9, entity="Alphabet", period="2025", kind="guidance")]
    new = sf(1, entity="Alphabet", value=93e9, low=91e9, period="2025", kind="guidance")
    d = select_digest([new], W10, history=history)
    (ln,) = d.lines
    assert ln.update_from == 85e9 and not ln.already
    v = line_view(ln, "en")
    assert v.text == "capex guidance $91B–$93B (2025), raised from $85B reported earlier"
    assert "此前已报道为 850 亿美元,现上调" in line_view(ln, "zh").text


def test_estimates_are_labelled_and_rank_low() -> None:
    est = sf(
        1, entity="Microsoft", value=146e9, kind="estimate", sentence="versus the $146B consensus"
    )
    own = sf(2, entity="Microsoft", value=150e9, period="2026")
    small = sf(3, entity="Oracle", value=5e9, metric="borrowing")
    d = select_digest([est, own, small], W10)
    assert len(d.lines) == 3  # the estimate ($146B) is not the company's number ($150B)
    assert d.lines[-1].kind == "estimate"
    assert line_view(d.lines[-1], "en").text.startswith("analysts expect capex $146B")
    assert line_view(d.lines[-1], "zh").text.startswith("分析师预计")


def test_an_estimate_of_the_companys_own_value_is_one_line_in_the_companys_words() -> None:
    est = sf(1, entity="Microsoft", value=146e9, kind="estimate", period="2026")
    own = sf(2, entity="Microsoft", value=146e9, period="2026", kind="guidance", day=1)
    (line,) = select_digest([est, own], W10).lines
    assert line.kind == "guidance" and len(line.sources) == 2
    assert line_view(line, "en").text.startswith("capex guidance $146B")


def test_aggregates_share_one_industry_group() -> None:
    figs = [sf(n, entity=f"E{n}", metric="revenue", value=n * 1e9) for n in range(1, 6)]
    figs += [
        sf(10, entity="Big Tech", value=500e9, kind="aggregate"),
        sf(11, entity="Hyperscalers", value=330e9, kind="aggregate"),
    ]
    d = select_digest(figs, W10)
    assert all(ln.kind != "aggregate" for ln in d.top)
    industry = [g for g in d.groups if g.industry]
    assert len(industry) == 1 and {ln.entity for ln in industry[0].lines} == {
        "Big Tech",
        "Hyperscalers",
    }
    md = render_markdown(d, "en")
    assert "### Industry" in md and "- **Big Tech** — capex $500B" in md


def test_metric_other_shows_its_sentence_and_every_line_links_its_sources() -> None:
    odd = sf(
        1,
        metric="other",
        value=3e9,
        sentence="Amazon will buy 3 billion dollars of power from a nuclear plant",
    )
    d = select_digest([odd], W10, weights=Weights(line_needs_metric=False))
    md = render_markdown(d, "en")
    assert "“Amazon will buy 3 billion dollars of power from a nuclear plant”" in md
    assert "[Story 1](https://news.example/1)" in md
    tg = "\n".join(render_telegram(d, "en"))
    assert '<a href="https://news.example/1">Story 1</a>' in tg and "nuclear plant" in tg


def test_a_figure_with_no_metric_or_no_company_earns_no_line_but_is_counted() -> None:
    odd = sf(1, metric="other", value=3e9, sentence="It paid 3 billion for 20 sites")
    nobody = sf(2, entity=None, value=9e9, sentence="Someone will spend $9 billion")
    amazon = sf(3, value=200e9)
    d = select_digest([odd, nobody, amazon], W10)
    assert [ln.key for ln in d.lines] == [amazon.figure.key] and d.total == 3
    md = render_markdown(d, "en")
    assert "sites" not in md and "$9B" not in md and "2 more" in md
    agg = sf(4, entity="Big Tech", kind="aggregate", value=650e9)
    assert select_digest([agg], W10).lines  # an aggregate needs no company


def test_the_quote_goes_with_the_sources_and_telegram_gets_no_q_tag() -> None:
    odd = sf(1, metric="other", value=3e9, sentence="It paid 3 billion for 20 sites")
    d = select_digest([odd], W10, weights=Weights(line_needs_metric=False))
    md = render_markdown(d, "en")
    line = next(ln for ln in md.splitlines() if ln.startswith("1. "))
    claim, said = line.split(" · source: ", 1)
    assert "sites" not in claim and "“It paid 3 billion for 20 sites”" in said
    tg = "\n".join(render_telegram(d, "en"))
    assert "<q>" not in tg and "“It paid 3 billion for 20 sites”" in tg


def test_one_company_takes_at_most_top_per_entity_places_in_the_top() -> None:
    figs = [
        sf(n, entity="Tencent", value=(30 - n) * 1e9, period=f"2026-Q{n + 1}") for n in range(4)
    ]
    figs += [
        sf(10, entity="SMIC", metric="revenue", value=2.4e9),
        sf(11, entity="Baidu", value=1e9),
    ]
    d = select_digest(figs, W10)  # the shipped weights: three of one company
    assert [ln.entity for ln in d.top] == ["Tencent", "Tencent", "Tencent", "Baidu", "SMIC"]
    assert [ln.entity for ln in d.lines[5:]] == ["Tencent"]
    two = select_digest(figs, W10, weights=Weights(top_per_entity=2))
    assert [ln.entity for ln in two.top] == ["Tencent", "Tencent", "Baidu", "SMIC", "Tencent"]
    only = select_digest(figs[:4], W10)
    assert len(only.top) == 4  # one company alone still fills the Top


def test_a_value_another_line_states_as_its_earlier_one_is_that_lines_from() -> None:
    old = sf(1, entity="Google", value=75e9, period="2025", kind="guidance")
    new = sf(2, entity="Google", value=85e9, previous=75e9, period="2025", kind="guidance")
    other = sf(3, entity="Meta", value=75e9, period="2025")
    d = select_digest([old, new, other], W10)
    (google,) = [ln for ln in d.lines if ln.entity == "Google"]
    assert google.value == 85e9 and {s.item_id for s in google.sources} == {"item-1", "item-2"}
    assert "from $75B" in line_view(google, "en").text
    assert [ln.entity for ln in d.lines].count("Meta") == 1  # another company's $75B stays


def test_a_story_repeating_its_figure_ranks_it_higher() -> None:
    once = sf(1, entity="Micron", metric="revenue", value=8e9)
    twice = [
        sf(2, entity="SK Hynix", metric="revenue", value=7e9, sentence="lead"),
        sf(3, entity="SK Hynix", metric="revenue", value=7e9, sentence="table"),
    ]
    twice[1] = twice[1].model_copy(update={"item_id": "item-2"})
    d = select_digest([once, *twice], W10)
    assert [ln.entity for ln in d.lines] == ["SK Hynix", "Micron"]
    assert d.lines[0].mentions == 2 and d.lines[1].mentions == 1


def _same_item(s: StoredFigure, item: str) -> StoredFigure:
    return s.model_copy(update={"item_id": item, "item_url": f"https://news.example/{item}"})


def test_a_move_stated_with_its_level_shares_its_line() -> None:
    said = "Alibaba Cloud revenue rose 34% year over year to 39.8 billion yuan"
    level = _same_item(
        sf(1, entity="Alibaba", metric="revenue", value=39.8e9, unit="CNY", sentence=said), "a"
    )
    move = _same_item(
        sf(
            2,
            entity="Alibaba",
            metric="revenue",
            value=34,
            unit="percent",
            is_change=True,
            change_basis="yoy",
            sentence=said,
        ),
        "a",
    )
    d = select_digest([level, move], W10)
    assert len(d.lines) == 1 and d.lines[0].move == 34 and d.total == 1
    assert "revenue ¥39.8B (2026), up 34% year over year" in line_view(d.lines[0], "en").text
    assert "同比增长 34%" in line_view(d.lines[0], "zh").text
    # a move said in another sentence (or by another company) keeps its own line
    apart = _same_item(
        move.model_copy(
            update={"figure": move.figure.model_copy(update={"sentence": "Shares rose."})}
        ),
        "a",
    )
    assert select_digest([level, apart], W10).shown == 2
    other = _same_item(
        move.model_copy(update={"figure": move.figure.model_copy(update={"entity": "Tencent"})}),
        "a",
    )
    assert select_digest([level, other], W10).shown == 2


def test_an_earlier_value_that_lost_its_scale_shows_no_move() -> None:
    lost = sf(1, entity="Meta", value=72e9, previous=66.0)  # "$72B, up from $66" (66B)
    view = line_view(select_digest([lost], W10).lines[0], "en")
    assert "from" not in view.text and "%" not in view.text
    kept = sf(2, entity="Meta", value=72e9, previous=66e9)
    assert "up 9.09% from $66B" in line_view(select_digest([kept], W10).lines[0], "en").text


def test_a_folded_move_takes_its_twin_under_another_label_along() -> None:
    said = "Cambricon revenue rose 43.5% to 1.6 billion yuan"
    level = _same_item(
        sf(1, entity="Cambricon", metric="revenue", value=1.6e9, unit="CNY", sentence=said), "a"
    )
    move = _same_item(
        sf(
            2,
            entity="Cambricon",
            metric="revenue",
            value=43.5,
            unit="percent",
            is_change=True,
            sentence=said,
        ),
        "a",
    )
    twin = _same_item(
        sf(
            3,
            entity="Cambricon",
            metric="profit",
            value=43.5,
            unit="percent",
            is_change=True,
            sentence=said,
        ),
        "a",
    )
    d = select_digest([level, move, twin], W10)
    assert len(d.lines) == 1 and d.lines[0].move == 43.5
    # a different number of the same sentence keeps its line
    other = _same_item(
        sf(
            4,
            entity="Cambricon",
            metric="profit",
            value=20,
            unit="percent",
            is_change=True,
            sentence=said,
        ),
        "a",
    )
    assert select_digest([level, move, other], W10).shown == 2


def test_a_fact_reported_before_rides_on_no_top_line_and_is_only_still_in_the_news() -> None:
    """Memory applies to the facts a Top line takes along as related clauses exactly as to
    lines: last week's capex is not folded into this week's Amazon Top line as new."""
    history = [fact(7, 200e9)]
    figs = [
        sf(1),  # capex $200B (2026): reported the week before
        sf(2, metric="revenue", value=180e9, period="2026", kind="guidance"),
        sf(3, metric="share_price", value=-8.0, unit="percent", is_change=True, period=None),
    ]
    d = select_digest(figs, W10, history=history)
    shown = [(f.metric, f.value) for ln in d.lines for f in ln.facts]
    assert ("capex", 200e9) not in shown and len(shown) == len(set(shown)) == 2
    assert [(ln.metric, ln.value) for ln in d.still] == [("capex", 200e9)]
    md = render_markdown(d, "en")
    top = md.split("*Still in the news")[0]
    assert "$200B" not in top


def test_an_amount_is_news_even_when_the_move_it_states_was_reported_before() -> None:
    # "Micron expects revenue of $10.7B, up 38 % from $7.75B": the store filed the "+38 %"
    # under an earlier quarter's "+38 %"; the amount was never reported, so the line is new
    said = "Micron expects revenue of $10.7B, up 38% from $7.75B a year earlier."
    old_move = fact(9, 38, entity="Micron", metric="revenue", unit="percent", is_change=True)
    old_move = replace(old_move, period=None)
    level = sf(1, entity="Micron", metric="revenue", value=10.7e9, previous=7.75e9, sentence=said)
    move = sf(2, entity="Micron", metric="revenue", value=38, unit="percent", is_change=True)
    move = move.model_copy(
        update={
            "fact_id": 9,
            "item_id": "item-1",
            "figure": move.figure.model_copy(update={"sentence": said, "period": None}),
        }
    )
    d = select_digest([level, move], W10, history=[old_move])
    assert [(ln.entity, ln.value) for ln in d.lines] == [("Micron", 10.7e9)] and not d.still
    # the move alone, reported again, is still old news
    d = select_digest([move], W10, history=[old_move])
    assert not d.lines and [ln.value for ln in d.still] == [38]
