"""Alert-grade figures (``bot.rules.confidence``): each rule on a sentence written for it."""

from __future__ import annotations

import pytest

from bot.errors import RuleError
from bot.models import Figure, StoredFigure
from bot.rules.confidence import alert_grade
from bot.rules.evaluate import backtest, evaluate
from bot.rules.parse import parse_rule
from tests.rules.conftest import NOW, PUBLISHED, RATES


def _fig(sentence: str, value: float, **kw: object) -> Figure:
    fields: dict[str, object] = dict(
        entity="Contoso", metric="capex", unit="USD", usd_value=value, kind="actual"
    )
    fields.update(kw)
    return Figure(sentence=sentence, value=value, **fields)  # type: ignore[arg-type]


def _stored(n: int, fig: Figure) -> StoredFigure:
    return StoredFigure(id=n, figure=fig, item_id=f"item-{n}", published=PUBLISHED)


# ---- a known company ------------------------------------------------------------------------


def test_a_name_found_only_by_its_shape_does_not_alert() -> None:
    sentence = "Fabrikam Holdings will spend $60 billion on capex next year."
    assert alert_grade(_fig(sentence, 60e9, entity="Fabrikam Holdings"))
    assert not alert_grade(_fig(sentence, 60e9, entity="Fabrikam Holdings", entity_known=False))
    shaped = [_stored(1, _fig(sentence, 60e9, entity="Fabrikam Holdings", entity_known=False))]
    assert _capex_alerts("capex > 50B USD", shaped) == []
    assert _capex_alerts("Fabrikam Holdings capex > 50B USD", shaped) == [60e9]


# ---- the metric in the amount's own clause --------------------------------------------------


def test_an_amount_whose_clause_has_its_own_subject_does_not_take_another_clauses_metric() -> None:
    en = "Contoso lifted its capex guidance to $90 billion, its total costs will be $160 billion."
    assert alert_grade(_fig(en, 90e9))
    assert not alert_grade(_fig(en, 160e9))
    zh = "该公司将资本支出上调至900亿美元,全年营运费用预估为1,600亿美元。"
    assert alert_grade(_fig(zh, 90e9, lang="zh"))
    assert not alert_grade(_fig(zh, 160e9, lang="zh"))


def test_a_clause_that_only_continues_the_previous_one_keeps_its_metric() -> None:
    en = "Contoso's capex rose 40%, to $70 billion, up from $50 billion a year earlier."
    assert alert_grade(_fig(en, 70e9))
    assert alert_grade(_fig(en, 50e9))
    zh = "该公司资本支出同比增长40%,至700亿美元。"
    assert alert_grade(_fig(zh, 70e9, lang="zh"))


def test_the_metric_given_by_the_figures_own_words_or_a_raising_verb_stands() -> None:
    # No word for the metric in the sentence: a role or a verb gave it; nothing to contradict.
    assert alert_grade(_fig("Contoso raised $12 billion in one year.", 12e9, metric="funding"))
    zh = "该公司发行了100亿美元债券,随后又融资200亿美元,用于数据中心。"
    assert alert_grade(_fig(zh, 20e9, metric="borrowing", lang="zh"))


def test_moves_are_not_held_to_their_clause() -> None:
    zh = "公司资本支出为300亿美元,同比增长60%。"
    move = _fig(zh, 60, unit="percent", is_change=True, usd_value=None, lang="zh")
    assert alert_grade(move)


# ---- no one else's expectation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Contoso's capex was $61 billion, while the market expected $58 billion.", 58e9),
        ("Capex came in at $61 billion vs. $58 billion expected.", 58e9),
        ("Capex reached $61 billion, beating the Street's target of $58 billion.", 58e9),
        ("Capex of $61 billion topped analysts' consensus of about $58 billion.", 58e9),
        ("该公司资本支出610亿美元,市场普遍预料约为580亿美元。", 58e9),
    ],
)
def test_an_expectation_bound_to_the_amount_is_not_the_companys_number(
    sentence: str, value: float
) -> None:
    assert not alert_grade(_fig(sentence, value))
    assert alert_grade(_fig(sentence, 61e9))


def test_a_forecast_by_someone_else_earlier_in_the_sentence_is_not_the_companys() -> None:
    zh = "我们上调盈利预测,预计该公司2026年资本支出为800亿元。"
    assert not alert_grade(_fig(zh, 80e9, unit="CNY", kind="guidance", lang="zh"))
    en = "Analysts expect Contoso to spend about $80 billion on capex this year."
    assert not alert_grade(_fig(en, 80e9, kind="guidance"))
    turned = "Analysts expected $70 billion, but Contoso reported capex of $80 billion."
    assert alert_grade(_fig(turned, 80e9))


def test_the_companys_own_forecast_words_are_not_an_expectation() -> None:
    assert alert_grade(_fig("Contoso expects capex of $80 billion in 2026.", 80e9, kind="guidance"))
    zh = "该公司预计2026年资本支出将达到800亿美元。"
    assert alert_grade(_fig(zh, 80e9, kind="guidance", lang="zh"))


# ---- stated, not hedged ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Contoso said its capex could reach $90 billion if demand holds.",
        "The deal sees capex potentially exceeding $90 billion in coming years.",
        "该公司全年资本支出有望突破900亿美元。",
        "该公司资本支出或许能挑战900亿美元。",
    ],
)
def test_a_hedged_amount_is_nobodys_number_yet(sentence: str) -> None:
    assert not alert_grade(_fig(sentence, 90e9))


@pytest.mark.parametrize(
    "sentence",
    [
        "To deliver 9 GW it would need 3 million GPUs, or $90 billion of capex for that order alone.",
        "To keep up, Contoso needs to spend $90 billion on capex next year.",
        "为了兑现承诺,该公司需要采购约300万块GPU,仅这一单的资本支出就高达900亿美元。",
    ],
)
def test_an_amount_a_need_frames_is_a_requirement_not_a_number_spent(sentence: str) -> None:
    assert not alert_grade(_fig(sentence, 90e9))


def test_a_need_before_a_turn_to_what_was_done_does_not_hold_the_amount() -> None:
    turned = "Contoso said it needs to spend more, but it reported capex of $90 billion."
    assert alert_grade(_fig(turned, 90e9))
    assert alert_grade(_fig("数据中心需要大量电力,该公司资本支出达900亿美元。", 90e9, lang="zh"))


def test_a_projected_amount_named_by_its_participle_is_an_expectation() -> None:
    en = (
        "Contoso plans $90 billion of capex, nearly double its projected 2025 capex of $50 billion."
    )
    assert not alert_grade(_fig(en, 50e9, period="2025", kind="guidance"))
    assert alert_grade(_fig(en, 90e9, period="2026", kind="plan"))
    # the company's own verb is its guidance
    assert alert_grade(_fig("Contoso projected capex of $90 billion.", 90e9, kind="guidance"))


def test_a_month_named_may_is_no_hedge() -> None:
    assert alert_grade(_fig("In May Contoso lifted capex to $90 billion.", 90e9))


# ---- a level, not a difference ------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Contoso will spend $60 billion more on capex than last year.", 60e9),
        ("Contoso's capex came in $60 billion above estimates.", 60e9),
        ("Contoso's capex of $90 billion, $60 billion above the Street, was a record.", 60e9),
        ("Contoso plans to invest $95 billion, a $60 billion hike from 2025.", 60e9),
        ("Contoso raised its capex by $60 billion this year.", 60e9),
        ("Contoso's capex increase of $60 billion surprised investors.", 60e9),
        ("该公司资本开支比去年多出600亿美元。", 60e9),
        ("该公司资本开支增加了600亿美元。", 60e9),
        ("Contoso Cloud is on target for $90 billion, $60 billion ahead of Fabrikam.", 60e9),
    ],
)
def test_a_difference_is_not_a_level(sentence: str, value: float) -> None:
    assert not alert_grade(_fig(sentence, value))
    # a move stated as a change is a change rule's business, not held here
    assert alert_grade(_fig(sentence, value, is_change=True, unit="USD"))


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Contoso's capex of $90 billion, $60 billion above the Street, was a record.", 90e9),
        ("Contoso plans to invest $95 billion, a $60 billion hike from 2025.", 95e9),
        ("Contoso raised capex by $30 billion to $90 billion.", 90e9),
        ("Contoso's capex will reach $90 billion in 2026, up from $70 billion.", 90e9),
        ("Contoso's capex will reach $90 billion in 2026, up from $70 billion.", 70e9),
        ("该公司资本开支增加至900亿美元。", 90e9),
        ("Contoso spent $90 billion over the year.", 90e9),
        ("xAI says Colossus is powered by 200,000 GPUs.", 2e5),
        ("Contoso's capex came in at $90 billion above estimates of $85 billion.", 90e9),
    ],
)
def test_a_level_beside_a_difference_or_a_preposition_stays_a_level(
    sentence: str, value: float
) -> None:
    assert alert_grade(_fig(sentence, value))


def test_a_ceiling_under_a_hedge_anywhere_before_it_is_no_number() -> None:
    hedged = "Contoso could, some analysts say, spend as much as $90 billion on capex in 2026."
    assert not alert_grade(_fig(hedged, 90e9, qualifier="up_to"))
    said = "Contoso said it would spend up to $90 billion on capex in 2026."
    assert alert_grade(_fig(said, 90e9, qualifier="up_to"))  # reported guidance, no hedge
    turned = "Rivals may follow, but Contoso will spend as much as $90 billion on capex."
    assert alert_grade(_fig(turned, 90e9, qualifier="up_to"))


# ---- in the rules -------------------------------------------------------------------------


def _capex_alerts(text: str, figures: list[StoredFigure]) -> list[float]:
    rule = parse_rule(text, canonical=lambda _: None)
    return sorted(a.figure.value for a in evaluate([rule], figures, rates=RATES, now=NOW))


def test_rules_fire_on_alert_grade_figures_unless_they_ask_for_any() -> None:
    sentence = (
        "Contoso lifted its capex guidance to $90 billion, its total costs will be $160 billion."
    )
    figures = [_stored(1, _fig(sentence, 90e9)), _stored(2, _fig(sentence, 160e9))]
    assert _capex_alerts("capex > 50B USD", figures) == [90e9]
    assert _capex_alerts("capex > 50B USD confidence:any", figures) == [90e9, 160e9]
    assert backtest(parse_rule("capex > 50B USD"), figures, rates=RATES).hits == 1


def test_one_plain_mention_of_a_fact_is_enough() -> None:
    hedged = _fig("Contoso's capex could reach $90 billion.", 90e9, period="2026")
    plain = _fig("Contoso will spend $90 billion on capex in 2026.", 90e9, period="2026")
    assert _capex_alerts("capex > 50B USD", [_stored(1, hedged)]) == []
    assert _capex_alerts("capex > 50B USD", [_stored(1, hedged), _stored(2, plain)]) == [90e9]


def test_a_difference_or_a_hedged_ceiling_never_fires_a_threshold_rule() -> None:
    diff = _fig("Contoso will spend $60 billion more on capex than last year.", 60e9)
    ceiling = _fig(
        "If demand holds, Contoso could, analysts say, spend as much as $90 billion on capex.",
        90e9,
        qualifier="up_to",
    )
    figures = [_stored(1, diff), _stored(2, ceiling)]
    assert _capex_alerts("capex > 50B USD", figures) == []
    assert _capex_alerts("capex > 50B USD kind:any", figures) == []


def test_a_rule_asking_for_estimates_takes_expectation_wording() -> None:
    sentence = "Capex came in at $61 billion vs. $58 billion expected."
    est = _stored(1, _fig(sentence, 58e9, kind="estimate"))
    assert _capex_alerts("capex > 50B USD kind:estimate", [est]) == [58e9]


def test_confidence_option_parses() -> None:
    assert parse_rule("capex > 50B USD").confidence == "high"
    assert parse_rule("capex > 50B USD confidence:any").confidence == "any"
    rule = parse_rule("Meta capex >= 50B conf:low kind:estimate every 7d")
    assert (rule.confidence, rule.kinds, rule.cooldown_s) == ("any", ("estimate",), 7 * 86400)
    with pytest.raises(RuleError, match="confidence"):
        parse_rule("capex > 50B USD confidence:maybe")
    with pytest.raises(RuleError, match="one confidence"):
        parse_rule("capex > 50B USD confidence:any confidence:high")
