"""A threshold rule fires on a fact when ONE mention of it satisfies the whole rule: company,
metric, kind, alert grade, unit and threshold all read from the same mention (issues 13, 15)."""

from __future__ import annotations

from datetime import timedelta

from bot.models import Figure, StoredFigure
from bot.rules.evaluate import backtest, evaluate
from bot.rules.parse import parse_rule
from tests.rules.conftest import NOW, PUBLISHED, RATES, stored


def _amazon(sentence: str, n: int, **kw: object) -> StoredFigure:
    fields: dict[str, object] = dict(
        entity="Amazon",
        metric="capex",
        value=200e9,
        unit="USD",
        usd_value=200e9,
        period="2026",
        kind="plan",
    )
    fields.update(kw)
    fig = Figure(sentence=sentence, **fields)  # type: ignore[arg-type]
    return stored(fig, id=n, item=f"item-{n}", published=PUBLISHED + timedelta(hours=n))


ESTIMATE = "Analysts expect Amazon to spend $200 billion on capex in 2026."
SPENDING = "Amazon's spending will reach $200 billion in 2026, the company said."
PLAN = "Amazon said it will spend $200 billion on capital expenditures in 2026."
HEDGED = "Amazon's capex could reach $200 billion in 2026."


def _fire(text: str, figures: list[StoredFigure]) -> list[tuple[str, ...]]:
    rule = parse_rule(text, canonical=lambda _: None)
    return [
        tuple(sf.item_id for sf in a.figures)
        for a in evaluate([rule], figures, rates=RATES, now=NOW)
    ]


def test_a_later_plain_mention_fires_the_fact_an_earlier_estimate_reported_first() -> None:
    first = _amazon(ESTIMATE, 1, kind="estimate")
    later = _amazon(PLAN, 2)
    assert _fire("capex > 50B USD", [first]) == []
    # the fact fires, led by the mention that satisfied the rule, every source listed
    assert _fire("capex > 50B USD", [first, later]) == [("item-2", "item-1")]


def test_a_later_mention_under_the_rules_metric_fires_when_the_first_has_another_label() -> None:
    spending = _amazon(SPENDING, 1, metric="spending")
    capex = _amazon(PLAN, 2)
    assert _fire("capex > 50B USD", [spending]) == []
    assert _fire("capex > 50B USD", [spending, capex]) == [("item-2", "item-1")]
    assert _fire("spending > 50B USD", [spending, capex]) == [("item-1", "item-2")]


def test_parts_of_the_rule_are_never_joined_from_different_mentions() -> None:
    # the capex mention is hedged (not alert-grade), the plain one is about spending: no one
    # mention says "Amazon capex of $200B" plainly
    hedged = _amazon(HEDGED, 1)
    spending = _amazon(SPENDING, 2, metric="spending")
    assert _fire("capex > 50B USD", [hedged, spending]) == []
    # an estimate under the rule's metric and a plain figure of another company's amount
    est = _amazon(ESTIMATE, 3, kind="estimate")
    other = _amazon(PLAN.replace("Amazon", "Contoso"), 4, entity="Contoso")
    assert _fire("Amazon capex > 50B USD", [est, other]) == []
    # nor the amount of one mention with the threshold unit of another: a vague mention and
    # a change of the same fact never carry another mention's amount over the threshold
    vague = _amazon("Amazon will spend billions on capex in 2026.", 5, qualifier="vague")
    assert _fire("capex > 50B USD", [vague]) == []


def test_an_estimate_aggregate_or_vague_mention_alone_never_fires() -> None:
    est = _amazon(ESTIMATE, 1, kind="estimate")
    agg = _amazon("Big Tech will spend $200 billion on capex in 2026.", 2, kind="aggregate")
    vague = _amazon("Amazon plans capex of several hundred billion dollars.", 3, qualifier="vague")
    for fig in (est, agg, vague):
        assert _fire("capex > 50B USD", [fig]) == [], fig.figure.sentence
    # a rule asking for estimates takes the estimate
    assert _fire("capex > 50B USD kind:estimate", [est]) == [("item-1",)]


def test_the_fact_fires_once_whichever_mention_leads_and_backtest_dates_it_first_published() -> (
    None
):
    first = _amazon(ESTIMATE, 1, kind="estimate")
    later = _amazon(PLAN, 2)
    rule = parse_rule("capex > 50B USD", canonical=lambda _: None)
    fired = evaluate([rule], [first, later], rates=RATES, now=NOW)
    assert len(fired) == 1
    already = {a.key: NOW for a in fired}
    again = _amazon("Amazon's capex plan of $200 billion for 2026 stands.", 3)
    assert (
        evaluate([rule], [first, later, again], rates=RATES, already_fired=already, now=NOW) == []
    )
    bt = backtest(rule, [first, later], rates=RATES)
    assert bt.hits == 1 and bt.alerts[0].fired_at == first.published
    assert bt.alerts[0].figure.kind == "plan"
