"""The ``kind:`` filter: alerts fire on a company's own numbers unless a rule asks for more."""

from __future__ import annotations

import pytest

from bot.errors import RuleError
from bot.models import Figure, StoredFigure
from bot.rules.evaluate import evaluate
from bot.rules.parse import parse_rule
from tests.rules.conftest import NOW, PUBLISHED, RATES


def _stored(n: int, **kw: object) -> StoredFigure:
    fields: dict[str, object] = dict(metric="capex", unit="USD", value=150e9, usd_value=150e9)
    fields.update(kw)
    fig = Figure(sentence=f"sentence {n}", **fields)  # type: ignore[arg-type]
    return StoredFigure(id=n, figure=fig, item_id=f"item-{n}", published=PUBLISHED)


@pytest.fixture
def mixed() -> list[StoredFigure]:
    return [
        _stored(1, entity="Meta", kind="actual", period="2025"),
        _stored(2, entity="Amazon", kind="guidance", period="2026"),
        _stored(3, entity="Google", kind="plan", period="2026"),
        _stored(4, entity="Microsoft", kind="estimate", period="FY2026"),
        _stored(5, entity="Big Tech", kind="aggregate", period="2026", value=400e9),
        _stored(6, entity="Oracle", kind="hypothetical", period="2027"),
        _stored(7, entity=None, kind="actual", period="2026", value=200e9),
    ]


def _entities(text: str, figures: list[StoredFigure]) -> list[str | None]:
    rule = parse_rule(text, canonical=lambda _: None)
    return sorted(a.figure.entity or "-" for a in evaluate([rule], figures, rates=RATES, now=NOW))


def test_default_fires_on_actual_guidance_and_plan_of_a_named_company(
    mixed: list[StoredFigure],
) -> None:
    assert _entities("capex > 100B USD", mixed) == ["Amazon", "Google", "Meta"]


def test_kind_estimate_asks_for_estimates_only(mixed: list[StoredFigure]) -> None:
    assert _entities("capex > 100B USD kind:estimate", mixed) == ["Microsoft"]


def test_several_kinds_and_any(mixed: list[StoredFigure]) -> None:
    assert _entities("capex > 100B USD kind:aggregate,hypothetical", mixed) == [
        "Big Tech",
        "Oracle",
    ]
    assert len(_entities("capex > 100B USD kind:any", mixed)) == 7


def test_entity_rule_with_kind(mixed: list[StoredFigure]) -> None:
    assert _entities("Microsoft capex > 100B kind:estimate", mixed) == ["Microsoft"]
    assert _entities("Microsoft capex > 100B", mixed) == []


@pytest.mark.parametrize(
    ("text", "kinds", "cooldown"),
    [
        ("capex > 100B USD kind:estimate", ("estimate",), None),
        ("capex > 100B USD kind:estimate,guidance every 7d", ("estimate", "guidance"), 604800),
        ("capex > 100B kind:all", ("any",), None),
        ("capex > 100B KIND: plan", ("plan",), None),
        ("capex > 100B USD", None, None),
    ],
)
def test_parse_kinds(text: str, kinds: tuple[str, ...] | None, cooldown: int | None) -> None:
    rule = parse_rule(text)
    assert rule.kinds == kinds and rule.cooldown_s == cooldown
    assert rule.metric == "capex" and rule.threshold == 100e9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("capex > 1B kind:estimat", "did you mean 'estimate'"),
        ("capex > 1B kind:", "missing kind"),
        ("capex > 1B kind:plan kind:actual", "one kind: filter"),
        ("capex > 1B kind:banana", "unknown kind"),
    ],
)
def test_kind_errors_say_what_to_fix(text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_rule(text)
