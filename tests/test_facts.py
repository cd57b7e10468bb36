"""Fact identity (bot.facts): tolerance, periods, units, labels, changes, estimates, updates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.facts import (
    Fact,
    FactId,
    cluster,
    match,
    norm_period,
    periods_compatible,
    previous_of,
    same_fact,
    updates,
    values_close,
)
from bot.models import Figure, StoredFigure


def fid(**kw: object) -> FactId:
    base: dict[str, object] = dict(
        entity="Amazon", metric="capex", value=200e9, unit="USD", period="2026"
    )
    base.update(kw)
    return FactId.of(Figure(**base))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("2026", "2026", True),
        ("2026", "FY2026", True),
        ("FY2026", "fy 2026", True),
        ("2026", None, True),
        (None, None, True),
        ("2026", "2025", False),
        ("2026", "2026-Q1", False),
        ("FY2026-Q1", "2026-Q1", False),  # a fiscal quarter is not the calendar one
        ("2025-Q1-Q3", "2025", False),
    ],
)
def test_period_compatibility(a: str | None, b: str | None, same: bool) -> None:
    assert periods_compatible(a, b) is same
    assert periods_compatible(b, a) is same


def test_norm_period_folds_fiscal_years_only() -> None:
    assert norm_period("FY2026") == "2026" and norm_period("CY2025") == "2025"
    assert norm_period("fy2026-q1") == "FY2026-Q1" and norm_period("  ") is None


def test_value_tolerance_is_one_percent_of_the_larger() -> None:
    assert values_close(200e9, 201.9e9) and values_close(-10, -10.1)
    assert not values_close(200e9, 203e9) and not values_close(10, -10)
    assert same_fact(fid(value=200e9), fid(value=201e9))
    assert not same_fact(fid(value=200e9), fid(value=205e9))


def test_metric_label_and_case_do_not_split_a_level() -> None:
    assert same_fact(fid(), fid(metric="investment", entity="amazon ", period="FY2026"))
    assert same_fact(fid(), fid(metric="other", period=None))


def test_unit_entity_and_period_split() -> None:
    assert not same_fact(fid(), fid(unit="CNY"))
    assert not same_fact(fid(), fid(entity="Meta"))
    assert not same_fact(fid(), fid(period="2027"))


def test_changes_need_their_metric_and_never_match_levels() -> None:
    up = fid(metric="revenue", value=10, unit="percent", is_change=True, period=None)
    assert not same_fact(up, fid(metric="share_price", value=10, unit="percent", is_change=True))
    assert same_fact(up, fid(metric="other", value=10, unit="percent", is_change=True))
    level = fid(metric="revenue", value=10, unit="percent", period=None)
    assert not same_fact(up, level)


def test_an_estimate_is_never_the_company_number() -> None:
    assert not same_fact(fid(), fid(kind="estimate"))
    assert same_fact(fid(kind="estimate"), fid(kind="estimate", metric="spending"))
    assert same_fact(fid(kind="guidance"), fid(kind="plan"))


def test_updates_same_subject_other_value() -> None:
    new = fid(entity="Alphabet", value=93e9, period="2025", kind="guidance")
    old = fid(entity="Alphabet", value=85e9, period="2025", kind="guidance")
    assert updates(new, old) and not updates(new, new)
    assert not updates(new, fid(entity="Alphabet", value=85e9, period="2024"))
    assert not updates(new, fid(entity="Alphabet", metric="revenue", value=85e9, period="2025"))
    assert not updates(fid(kind="estimate"), fid(value=100e9))


def test_key_round_trip() -> None:
    f = Figure(entity="Meta", metric="capex", value=135e9, unit="USD", period="2026")
    assert FactId.from_key(f.key) == FactId.of(f)
    assert FactId.from_key("not a key") is None


def _sf(n: int, day: int, **kw: object) -> StoredFigure:
    base: dict[str, object] = dict(entity="Amazon", metric="capex", value=200e9, unit="USD")
    base.update(kw)
    return StoredFigure(
        id=n,
        figure=Figure(**base),  # type: ignore[arg-type]
        item_id=f"i{n}",
        published=datetime(2026, 2, day, tzinfo=UTC),
    )


def test_cluster_merges_labels_and_outlets_in_publication_order() -> None:
    groups = cluster(
        [
            _sf(3, 5, metric="investment", period="FY2026"),
            _sf(1, 2, period="2026"),
            _sf(2, 3, metric="spending"),
            _sf(4, 4, value=100e9),
            _sf(5, 6, period="2027"),
        ]
    )
    assert [[sf.id for sf in g] for g in groups] == [[1, 2, 3], [4], [5]]


def _fact(n: int, value: float, day: int, **kw: object) -> Fact:
    base: dict[str, object] = dict(
        id=n,
        entity="Alphabet",
        metric="capex",
        value=value,
        unit="USD",
        period="2025",
        is_change=False,
        kind="guidance",
        first_published=datetime(2025, 7, day, tzinfo=UTC),
    )
    base.update(kw)
    return Fact(**base)  # type: ignore[arg-type]


def test_match_and_previous_of() -> None:
    history = [_fact(1, 75e9, 1), _fact(2, 85e9, 20), _fact(3, 30e9, 2, metric="revenue")]
    new = fid(entity="Alphabet", value=92e9, low=91e9, period="2025", kind="guidance")
    assert match(new, history) is None
    prev = previous_of(new, history)
    assert prev is not None and prev.value == 85e9  # the most recent earlier value
    assert match(fid(entity="alphabet", value=85.3e9, period=None), history) == history[1]


def test_a_stated_conversion_bridges_units() -> None:
    from bot.models import Conversion

    yuan = fid(
        entity="ByteDance", value=160e9, unit="CNY", conversion=Conversion(value=23e9, unit="USD")
    )
    dollars = fid(entity="ByteDance", value=23.1e9, unit="USD", metric="investment")
    assert same_fact(yuan, dollars) and same_fact(dollars, yuan)
    assert not same_fact(yuan, fid(entity="ByteDance", value=25e9, unit="USD"))
    assert not same_fact(
        fid(entity="ByteDance", value=160e9, unit="CNY"), dollars
    )  # no rate guessed
