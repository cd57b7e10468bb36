"""bot.digest.rank: the reader's order, term by term, with named weights."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.digest.model import DigestLine, Source
from bot.digest.rank import DEFAULT, Weights, importance, in_headline, metric_class

WHEN = datetime(2026, 2, 4, tzinfo=UTC)


def src(n: int, outlet: str) -> Source:
    return Source(
        item_id=f"i{n}", title=f"t{n}", url=None, lang="en", published=WHEN, outlet=outlet
    )


def line(**kw: object) -> DigestLine:
    base: dict[str, object] = dict(
        key="k", entity="Meta", metric="capex", value=30e9, unit="USD", usd_value=30e9
    )
    base.update(kw)
    base.setdefault("sources", (src(1, "feed-a"),))
    return DigestLine(**base)  # type: ignore[arg-type]


def test_core_facts_outrank_a_bigger_aggregate_and_an_estimate() -> None:
    bond = line(metric="borrowing", value=30e9, usd_value=30e9)
    guidance = line(entity="Alphabet", metric="other", kind="guidance", usd_value=91e9)
    aggregate = line(entity="Big Tech", value=500e9, usd_value=500e9, kind="aggregate")
    estimate = line(value=146e9, usd_value=146e9, kind="estimate")
    anonymous = line(entity=None, value=900e9, usd_value=900e9)
    assert importance(bond) > importance(aggregate)
    assert importance(bond) > importance(estimate)
    assert importance(bond) > importance(anonymous)
    assert metric_class(guidance) == DEFAULT.metric_other  # guidance on "other" is not core
    assert metric_class(replace(guidance, metric="capex")) == DEFAULT.core


def test_share_moves_of_five_percent_rank_above_other_metrics_below_core() -> None:
    drop = line(metric="share_price", value=-11, unit="percent", is_change=True, usd_value=None)
    small = replace(drop, value=-3)
    revenue = line(metric="revenue", value=50e9, usd_value=50e9)
    core = line(value=1e9, usd_value=1e9)
    assert importance(core) > importance(drop) > importance(revenue) > importance(small)


def test_more_outlets_rank_higher_up_to_the_cap() -> None:
    one = line()
    two = line(sources=(src(1, "a"), src(2, "b")))
    same_outlet = line(sources=(src(1, "a"), src(2, "a")))
    many = line(sources=tuple(src(n, f"o{n}") for n in range(9)))
    assert importance(two) - importance(one) == pytest.approx(DEFAULT.outlet)
    assert importance(same_outlet) == importance(one)
    assert importance(many) - importance(one) == pytest.approx(
        DEFAULT.outlet * (DEFAULT.max_outlets - 1)
    )


def test_updates_and_unknown_entities() -> None:
    assert importance(line(update_from=25e9)) - importance(line()) == pytest.approx(DEFAULT.update)
    assert importance(line()) - importance(line(entity_known=False)) == pytest.approx(
        DEFAULT.unknown_entity
    )


def test_weights_are_parameters() -> None:
    flat = Weights(core=0, share_move=0, other_metric=0, size=0, outlet=0)
    assert importance(line(), flat) == 0
    assert importance(line(kind="estimate"), flat) == -DEFAULT.estimate


def test_a_figure_from_a_headline_ranks_higher() -> None:
    body = Source(
        item_id="i1",
        title="SK hynix posts record quarter",
        url=None,
        lang="en",
        published=WHEN,
        sentence="Operating profit rose to 9.2 trillion won.",
    )
    head = replace(body, title="SK hynix Q2 operating profit hits 9.2 trillion won", sentence="")
    head = replace(head, sentence=head.title)
    revenue = line(metric="operating_income", sources=(body,))
    headline = line(metric="operating_income", sources=(head,))
    assert importance(headline) - importance(revenue) == pytest.approx(DEFAULT.headline)


def test_a_headline_figure_counts_whichever_mention_of_the_item_comes_first() -> None:
    # the item's first mention is in the body; its headline states the figure too
    title = "Meta raises 2026 capex guidance to $125–145 billion"
    body = "Meta raised its 2026 capital expenditure guidance to between $125 billion and $145B."
    source = Source(item_id="i1", title=title, url=None, lang="en", published=WHEN, sentence=body)
    told = line(value=145e9, usd_value=145e9, sources=(source,))
    twice = replace(told, said=frozenset({("i1", body), ("i1", title)}))
    assert not in_headline(told) and in_headline(twice)
    assert importance(twice) - importance(told) == pytest.approx(DEFAULT.headline)
    # another item's headline stating the same words does not make it this item's headline
    other = replace(told, said=frozenset({("i1", body), ("i2", title)}))
    assert not in_headline(other)


def test_a_percent_that_is_not_a_move_ranks_below_the_move() -> None:
    level = DigestLine(key="a", entity="Meta", metric="revenue", value=40, unit="percent")
    move = DigestLine(
        key="b", entity="Meta", metric="revenue", value=40, unit="percent", is_change=True
    )
    assert importance(move) - importance(level) == Weights().percent_level


def test_a_number_that_cannot_be_its_metrics_value_earns_no_line() -> None:
    from bot.digest.rank import earns_line

    def line(metric: str, value: float, unit: str, change: bool = False) -> DigestLine:
        return DigestLine(
            key="k", entity="Meta", metric=metric, value=value, unit=unit, is_change=change
        )

    assert earns_line(line("capex", 135e9, "USD"))
    assert not earns_line(line("capex", 40, "percent"))  # a share of something, not capex
    assert earns_line(line("capex", 40, "percent", change=True))  # a move
    assert earns_line(line("share_price", 612.5, "USD"))
    assert not earns_line(line("share_price", 44.7e9, "USD"))  # another metric's number
    assert not earns_line(line("other", 3e9, "USD"))
    assert not earns_line(replace(line("capex", 1e9, "USD"), entity=None))


def test_a_figure_of_a_period_long_past_ranks_lower() -> None:
    from bot.digest.rank import is_stale

    news = datetime(2025, 10, 30, tzinfo=UTC)
    quarter = line(period="2025-Q3", newest=news)
    background = line(period="2018", newest=news)
    last_year = line(period="2024", newest=news)  # ended 10 months before: still news
    fiscal = line(period="FY2025", newest=news)  # a fiscal label is never read as older
    assert is_stale(background) and not is_stale(quarter)
    assert not is_stale(last_year) and not is_stale(fiscal) and not is_stale(line())
    assert importance(quarter) - importance(background) == pytest.approx(DEFAULT.stale)
    assert is_stale(last_year, months=6)


def test_an_amount_too_small_for_its_metric_earns_no_line() -> None:
    from bot.digest.rank import earns_line

    eps = line(metric="profit", value=1.57, usd_value=1.57)  # a per-share number
    assert not earns_line(eps)
    assert earns_line(line(metric="profit", value=793e6, usd_value=793e6))
    assert earns_line(line(metric="share_price", value=612.5, usd_value=None))


def test_the_config_names_every_weight() -> None:
    import tomllib
    from dataclasses import fields
    from pathlib import Path

    from bot.config import RankConfig

    shipped = tomllib.loads((Path(__file__).parents[2] / "config/briefbot.toml").read_text())[
        "digests"
    ]["rank"]
    assert set(shipped) == {f.name for f in fields(Weights)}
    assert RankConfig(**shipped).weights() == DEFAULT
