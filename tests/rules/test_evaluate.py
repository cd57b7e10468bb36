"""evaluate / group_same_fact / backtest / match_text against the seed briefing's figures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import RuleError
from bot.models import Figure, Rule, StoredFigure
from bot.rules.evaluate import backtest, evaluate, group_same_fact, match_text
from bot.rules.parse import parse_rule
from tests.rules.conftest import NOW, PUBLISHED, RATES, stored


def fired(text: str, figures: list[StoredFigure], **kw: object) -> list[tuple[str | None, str]]:
    rule = parse_rule(text, canonical=lambda _: None)
    alerts = evaluate([rule], figures, rates=RATES, now=NOW, **kw)  # type: ignore[arg-type]
    return sorted((a.figure.entity, a.figure.metric) for a in alerts)


def test_capex_over_100b_usd_fires_for_meta_only(figures: list[StoredFigure]) -> None:
    assert fired("capex > 100B USD", figures) == [("Meta", "capex")]


def test_any_over_400b_cny_converts_meta_and_keeps_bytedance_out(
    figures: list[StoredFigure],
) -> None:
    # Meta 135e9 USD / 0.1385 = ~975e9 CNY > 400e9; ByteDance 160e9 CNY < 400e9.
    assert fired("any > 400B CNY", figures) == [("Alibaba", "investment"), ("Meta", "capex")]
    alert = next(
        a
        for a in evaluate([parse_rule("any > 400B CNY")], figures, rates=RATES, now=NOW)
        if a.figure.entity == "Meta"
    )
    assert alert.unit == "CNY"
    assert alert.value == pytest.approx(135e9 / 0.1385)


def test_share_price_fall_fires_for_oracle_only(figures: list[StoredFigure]) -> None:
    assert fired("share_price <= -20%", figures) == [("Oracle", "share_price")]


def test_change_rule_fires_on_microsoft_yoy(figures: list[StoredFigure]) -> None:
    assert fired("capex change >= 50%", figures) == [("Microsoft", "capex")]


def test_change_rule_derives_change_from_previous(figures: list[StoredFigure]) -> None:
    # Tesla 8.5B -> 20B is +135 %; Alibaba 380B -> 480B is +26 %.
    rule = parse_rule("any change >= 50%")
    alerts = evaluate([rule], figures, rates=RATES, now=NOW)
    by_entity = {a.figure.entity: a for a in alerts}
    assert set(by_entity) == {"Tesla", "Microsoft"}
    assert by_entity["Tesla"].derived_change
    assert by_entity["Tesla"].value == pytest.approx((20 - 8.5) / 8.5 * 100)


def test_stated_conversion_is_preferred_to_rates(figures: list[StoredFigure]) -> None:
    # ByteDance states "about $23 billion"; rates would give 22.16B.
    assert fired("ByteDance capex >= 23B USD", figures) == [("ByteDance", "capex")]


def test_unitless_money_is_usd(figures: list[StoredFigure]) -> None:
    assert fired("Meta capex >= 50B", figures) == [("Meta", "capex")]
    # 59.7e9 CNY is ~8.3e9 USD: above 8B, below 9B.
    assert fired("Tencent capex > 8B", figures) == [("Tencent", "capex")]
    assert fired("Tencent capex > 9B", figures) == []


def test_entity_rule_and_zero_threshold(figures: list[StoredFigure]) -> None:
    assert fired("Oracle borrowing > 0", figures) == [("Oracle", "borrowing")]


def test_lower_bound_qualifier_sits_just_above_its_value(figures: list[StoredFigure]) -> None:
    assert fired("users > 10M", figures) == [("Dola", "users")]
    assert fired("Tesla spending > 20B USD", figures) == [("Tesla", "spending")]
    assert fired("Tesla spending == 20B USD", figures) == []
    assert fired("Tesla spending <= 20B USD", figures) == []
    # "up to" counts as its value.
    assert fired("Meta capex == 135B USD", figures) == [("Meta", "capex")]
    assert fired("Meta capex < 135B USD", figures) == []


def test_level_rules_ignore_change_figures(figures: list[StoredFigure]) -> None:
    assert ("Microsoft", "share_price") not in fired("any < 0", figures)
    assert fired("Microsoft capex > 1B", figures) == [("Microsoft", "capex")]


def test_unknown_currency_never_fires(figures: list[StoredFigure]) -> None:
    assert fired("capex > 1 EUR", figures) == []  # no EUR rate given


def test_entity_resolved_through_canonical(figures: list[StoredFigure]) -> None:
    rule = parse_rule("微软 capex > 1B", canonical=lambda _: None)
    lexicon = {"微软": "Microsoft"}
    alerts = evaluate([rule], figures, rates=RATES, now=NOW, canonical=lexicon.get)
    assert [a.figure.entity for a in alerts] == ["Microsoft"]
    assert evaluate([rule], figures, rates=RATES, now=NOW, canonical=lambda _: None) == []


def test_entity_match_is_case_insensitive(figures: list[StoredFigure]) -> None:
    assert fired("oracle borrowing > 0", figures) == [("Oracle", "borrowing")]


def test_dedupe_across_two_passes(figures: list[StoredFigure]) -> None:
    rule = parse_rule("capex > 100B USD").model_copy(update={"id": 7})
    first = evaluate([rule], figures, rates=RATES, now=NOW)
    assert [a.key for a in first] == ["rule-7:meta|capex|2026|lvl|USD|1.35e+11"]
    seen = {a.key: a.fired_at for a in first}
    later = NOW + timedelta(days=30)
    assert evaluate([rule], figures, rates=RATES, already_fired=seen, now=later) == []
    # A re-stated value within 1 % is the same fact; a changed value fires again.
    restated = [stored(_meta(135.5e9), id=50, item="other-outlet")]
    assert evaluate([rule], restated, rates=RATES, already_fired=seen, now=later) == []
    raised = [stored(_meta(150e9), id=51, item="later-item")]
    again = evaluate([rule], raised, rates=RATES, already_fired=seen, now=later)
    assert [a.figure.value for a in again] == [150e9]


def test_one_pass_fires_each_key_once(figures: list[StoredFigure]) -> None:
    rule = parse_rule("capex > 100B USD")
    twice = evaluate([rule, rule], figures, rates=RATES, now=NOW)
    assert len(twice) == 1


def test_same_fact_from_two_items_is_one_alert(figures: list[StoredFigure]) -> None:
    other = stored(
        _meta(135e9),
        id=99,
        item="feed-entry-1",
        title="Meta to spend up to $135bn",
        url="https://news.example/meta",
        published=PUBLISHED + timedelta(hours=3),
    )
    alerts = evaluate([parse_rule("capex > 100B USD")], [*figures, other], rates=RATES, now=NOW)
    assert len(alerts) == 1
    assert [sf.item_id for sf in alerts[0].figures] == ["briefing-en", "feed-entry-1"]


def test_group_same_fact() -> None:
    a = stored(_meta(135e9), id=1, item="a", published=PUBLISHED + timedelta(hours=1))
    b = stored(_meta(134e9), id=2, item="b", published=PUBLISHED)  # within 1 %
    c = stored(_meta(100e9), id=3, item="c")  # another value: another fact
    d = stored(_meta(135e9, period="2024"), id=4, item="d")  # two years before
    groups = group_same_fact([a, b, c, d])
    assert sorted(tuple(sf.id for sf in g) for g in groups) == [(2, 1), (3,), (4,)]


def test_cooldown_holds_back_new_values_within_window(figures: list[StoredFigure]) -> None:
    rule = parse_rule("Meta capex > 100B USD every 7d").model_copy(update={"id": 3})
    first = evaluate([rule], figures, rates=RATES, now=NOW)
    seen = {a.key: a.fired_at for a in first}
    new_value = [stored(_meta(150e9), id=60, item="x")]
    soon = NOW + timedelta(days=2)
    assert evaluate([rule], new_value, rates=RATES, already_fired=seen, now=soon) == []
    after = NOW + timedelta(days=8)
    assert len(evaluate([rule], new_value, rates=RATES, already_fired=seen, now=after)) == 1
    # Without a cooldown the new value fires at once.
    plain = rule.model_copy(update={"cooldown_s": None})
    assert len(evaluate([plain], new_value, rates=RATES, already_fired=seen, now=soon)) == 1


def test_cooldown_within_one_pass() -> None:
    rule = parse_rule("Meta capex > 1B every 7d")
    two = [stored(_meta(135e9), id=1), stored(_meta(40e9, period="2025-Q4"), id=2)]
    assert len(evaluate([rule], two, rates=RATES, now=NOW)) == 1


def test_paused_rule_does_not_fire(figures: list[StoredFigure]) -> None:
    rule = parse_rule("capex > 100B USD").model_copy(update={"paused": True})
    assert evaluate([rule], figures, rates=RATES, now=NOW) == []


def test_keyword_rules(figures: list[StoredFigure]) -> None:
    plain = parse_rule('keyword "oracle"')
    pattern = parse_rule(r"keyword /\$\d+ billion/")
    alerts = evaluate([plain, pattern], figures, rates=RATES, now=NOW)
    assert sorted(a.figure.entity or "" for a in alerts if a.rule is plain) == ["Oracle", "Oracle"]
    # "$37.5 billion" (Microsoft) has a decimal point, so /\$\d+ billion/ skips it.
    assert {a.figure.entity for a in alerts if a.rule is pattern} == {
        "Meta",
        "Tesla",
        "ByteDance",
        "Oracle",
    }


def test_stored_rule_with_bad_regex_is_skipped(figures: list[StoredFigure]) -> None:
    bad = Rule(text="keyword /(a)\\1/", kind="keyword", keyword="(a)\\1", regex=True)
    good = parse_rule("capex > 100B USD")
    assert len(evaluate([bad, good], figures, rates=RATES, now=NOW)) == 1


def test_match_text() -> None:
    assert match_text(parse_rule('keyword "SK Hynix"'), "Samsung and sk hynix say supply is tight")
    assert match_text(parse_rule(r"keyword /HBM\d/"), "HBM4 ramps in 2026")
    assert not match_text(parse_rule(r"keyword /HBM\d/"), "hbm4 ramps")
    assert match_text(parse_rule(r"keyword /HBM\d/i"), "hbm4 ramps")
    with pytest.raises(ValueError):
        match_text(parse_rule("capex > 1B"), "capex")


def test_match_text_hostile_regex_on_100k_input_returns() -> None:
    rule = Rule(text="keyword /(a+)+$/", kind="keyword", keyword="(a+)+$", regex=True)
    assert match_text(rule, "a" * 100_000 + "!") is False
    with pytest.raises(RuleError):
        match_text(Rule(text="k", kind="keyword", keyword="(?=x)", regex=True), "x")


def test_backtest(figures: list[StoredFigure]) -> None:
    history = [
        stored(
            _meta(v * 1e9, period=str(2020 + i)),
            id=100 + i,
            published=PUBLISHED - timedelta(days=400 - 50 * i),
        )
        for i, v in enumerate([50, 80, 110, 120, 130])
    ]
    result = backtest(parse_rule("Meta capex > 100B USD"), [*figures, *history], rates=RATES)
    assert result.hits == 4
    assert [a.figure.value for a in result.last] == [135e9, 130e9, 120e9]
    assert result.last[0].fired_at == PUBLISHED


def _meta(value: float, period: str = "2026") -> Figure:
    return Figure(
        entity="Meta",
        metric="capex",
        value=value,
        unit="USD",
        qualifier="up_to",
        period=period,
        sentence=f"Meta capex up to ${value / 1e9:g} billion",
    )


def test_once_per_fact_across_labels_periods_and_weeks(figures: list[StoredFigure]) -> None:
    rule = parse_rule("capex > 100B USD").model_copy(update={"id": 7})
    first = evaluate([rule], figures, rates=RATES, now=NOW)
    seen = {a.key: a.fired_at for a in first}
    weeks_later = NOW + timedelta(days=21)
    relabelled = [
        stored(
            _meta(135e9, period="FY2026").model_copy(update={"metric": "investment"}),
            id=60,
            item="week-4-outlet",
        ),
        stored(_meta(134.5e9, period=None).model_copy(update={"metric": "spending"}), id=61),
    ]
    any_rule = parse_rule("any > 100B USD").model_copy(update={"id": 7})
    assert evaluate([any_rule], relabelled, rates=RATES, already_fired=seen, now=weeks_later) == []


def test_an_alert_on_a_changed_figure_carries_the_previous_value() -> None:
    from datetime import UTC, datetime

    from bot.facts import Fact

    old = Fact(
        id=1,
        entity="Meta",
        metric="capex",
        value=115e9,
        unit="USD",
        period="2026",
        is_change=False,
        kind="actual",
        first_published=datetime(2026, 1, 5, tzinfo=UTC),
    )
    raised = [stored(_meta(135e9), id=70)]
    rule = parse_rule("capex > 100B USD")
    (alert,) = evaluate([rule], raised, rates=RATES, now=NOW, history=[old])
    assert alert.update_from == 115e9
    (plain,) = evaluate([rule], raised, rates=RATES, now=NOW)
    assert plain.update_from is None
