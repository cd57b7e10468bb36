"""Level rules never fire on a difference: the extractor marks it a change (``is_change``),
and a rule on levels compares levels only. Sentences written for the rule."""

from __future__ import annotations

from datetime import date

import pytest

from bot.extract import extract
from bot.extract.keyfig import key_figures
from bot.models import StoredFigure
from bot.rules.confidence import alert_grade
from bot.rules.evaluate import evaluate
from bot.rules.parse import parse_rule
from tests.rules.conftest import NOW, PUBLISHED, RATES


def _alerts(rule: str, text: str) -> list[float]:
    figs = key_figures(extract(text, published=date(2026, 2, 9), rates=RATES), text)
    stored = [
        StoredFigure(id=i, figure=f, item_id=f"item-{i}", published=PUBLISHED)
        for i, f in enumerate(figs, 1)
    ]
    parsed = parse_rule(rule, canonical=lambda _: None)
    return sorted(a.figure.value for a in evaluate([parsed], stored, rates=RATES, now=NOW))


@pytest.mark.parametrize(
    "text",
    [
        "Meta will spend $60 billion more on capex than it did last year.",
        "Microsoft's capex came in $55 billion higher than a year earlier.",
        "腾讯今年资本开支比去年多出600亿美元。",
        "阿里巴巴資本開支較去年高出600億美元。",
    ],
)
def test_a_difference_fires_no_level_rule(text: str) -> None:
    assert _alerts("capex > 50B USD", text) == []
    assert _alerts("capex > 50B USD confidence:any", text) == []
    figs = extract(text, published=date(2026, 2, 9))
    assert figs and all(f.is_change for f in figs if f.unit == "USD")
    # marked by the extractor, the figure is no longer held back as a level read wrongly
    assert all(alert_grade(f) for f in figs if f.unit == "USD")


@pytest.mark.parametrize(
    "text",
    [
        "Meta will spend $60 billion on capex this year.",
        "腾讯今年资本开支为600亿美元。",
    ],
)
def test_a_level_still_fires(text: str) -> None:
    assert _alerts("capex > 50B USD", text) == [60e9]
