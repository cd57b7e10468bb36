"""Rules in the wave-2 units: power (GW), compute (EFLOPS), GPU counts, percentage points, and
figures without an exact value ("several billion"), which never cross a threshold.

The figures come from the real extractor on real sentence shapes, so a rule is tested against
what Briefbot stores, not against hand-built values.
"""

from __future__ import annotations

import pytest

from bot.errors import RuleError
from bot.extract import extract
from bot.models import StoredFigure
from bot.rules.amounts import parse_threshold
from bot.rules.evaluate import evaluate
from bot.rules.parse import parse_rule
from tests.rules.conftest import NOW, RATES, stored

SENTENCES = [
    "OpenAI will build at least 10 gigawatts of AI data centers.",  # 1e10 W
    "The Abilene campus will draw 1.2 GW.",  # 1.2e9 W
    "Meta's Prometheus cluster needs 500 MW.",  # 5e8 W
    "全国智能算力规模达到 280 EFLOPS。",  # 2.8e20 FLOPS
    "xAI says Colossus is powered by 200,000 NVIDIA H100 GPUs.",  # 2e5 GPUs
    "The startup trained its model on 16,000 Nvidia H100 GPUs.",  # 1.6e4 GPUs
    "Nvidia's gross margin rose 5.5 percentage points.",  # 5.5 pp
    "Intel's gross margin fell 225 basis points.",  # -2.25 pp
    "Apple's revenue rose 8%.",  # 8 percent
    "Microsoft will invest several billion dollars in the region.",  # vague
    "阿里巴巴将投资数十亿元。",  # vague
]


@pytest.fixture(scope="module")
def figures() -> list[StoredFigure]:
    out: list[StoredFigure] = []
    for text in SENTENCES:
        for f in extract(text):
            out.append(stored(f, id=len(out) + 1))
    return out


def fired(text: str, figures: list[StoredFigure]) -> list[float]:
    rule = parse_rule(text, canonical=lambda _: None)
    return sorted(a.figure.value for a in evaluate([rule], figures, rates=RATES, now=NOW))


def test_the_sentences_give_the_figures_the_rules_need(figures: list[StoredFigure]) -> None:
    by_unit: dict[str, list[float]] = {}
    for sf in figures:
        by_unit.setdefault(sf.figure.unit, []).append(sf.figure.value)
    assert sorted(by_unit["W"]) == [5e8, 1.2e9, 1e10]
    assert by_unit["FLOPS"] == [2.8e20]
    assert sorted(by_unit["count"]) == [16_000, 200_000]
    assert sorted(by_unit["percentage_points"]) == [-2.25, 5.5]
    assert {sf.figure.qualifier for sf in figures if sf.figure.unit in ("USD", "CNY")} == {"vague"}


@pytest.mark.parametrize(
    ("rule", "values"),
    [
        ("power_capacity > 1 GW", [1.2e9, 1e10]),
        ("power_capacity >= 1200 MW", [1.2e9, 1e10]),
        ("power_capacity < 1GW", [5e8]),
        ("power > 5 gigawatts", [1e10]),
        ("compute_capacity >= 100 EFLOPS", [2.8e20]),
        ("算力 > 300 EFLOPS", []),
        ("gpus >= 100k", [200_000]),
        ("gpus > 10000", [16_000, 200_000]),
        ("any change >= 5 pp", [5.5]),
        ("any change <= -200 bp", [-2.25]),
        ("revenue change >= 5 pp", []),  # Apple's 8 % is percent, not points
        ("revenue change >= 5%", [8.0]),  # and points never answer a percent rule
    ],
)
def test_rules_in_the_new_units(
    figures: list[StoredFigure], rule: str, values: list[float]
) -> None:
    assert fired(rule, figures) == pytest.approx(values)


def test_vague_figures_never_cross_a_threshold(figures: list[StoredFigure]) -> None:
    assert fired("any > 0 USD", figures) == []
    assert fired("any > 0 CNY", figures) == []
    assert fired("investment >= 1", figures) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 GW", (1e9, "W")),
        ("500 MW", (5e8, "W")),
        ("1.2 gigawatts", (1.2e9, "W")),
        ("1 吉瓦", (1e9, "W")),
        ("10 EFLOPS", (1e19, "FLOPS")),
        ("5 pp", (5.0, "percentage_points")),
        ("25 bp", (0.25, "percentage_points")),
        ("50 basis points", (0.5, "percentage_points")),
        ("3x", (3.0, "times")),
        ("100k", (1e5, None)),
        ("30 亿令吉", (3e9, "MYR")),
    ],
)
def test_thresholds_in_the_new_units(text: str, expected: tuple[float, str | None]) -> None:
    value, unit = parse_threshold(text)
    assert (value, unit) == (pytest.approx(expected[0]), expected[1])


@pytest.mark.parametrize(
    ("text", "unit", "change"),
    [
        ("power_capacity > 1 GW", "W", False),
        ("power_capacity > 1000000000", "W", False),
        ("gpus >= 100k", "count", False),
        ("compute_capacity >= 10 EFLOPS", "FLOPS", False),
        ("revenue change >= 5 pp", "percentage_points", True),
        ("any >= 5 pp", "percentage_points", True),
    ],
)
def test_parse_units_and_change(text: str, unit: str, change: bool) -> None:
    rule = parse_rule(text, canonical=lambda _: None)
    assert (rule.unit, rule.change) == (unit, change)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("power_capacity > 5B USD", "power_capacity is in W"),
        ("gpus > 1 GW", "gpus is in count"),
        ("capex > 1 GW", "capex is money"),
    ],
)
def test_wrong_units_say_what_to_write(text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_rule(text, canonical=lambda _: None)
