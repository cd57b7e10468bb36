"""Fact identity (bot.facts): tolerance, periods, units, labels, changes, estimates, updates."""

from __future__ import annotations

from dataclasses import replace
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
        ("FY2026-Q2", "2025-Q4", True),  # Microsoft's fiscal Q2 is October-December
        ("FY2026-Q1", "2026-Q1", True),  # a calendar fiscal year
        ("FY2026-Q1", "2024-Q4", False),  # more than a year before
        ("FY2026-Q1", "2026-Q2", False),  # after it
        ("2026-Q1", "2025-Q4", False),  # two calendar quarters
        ("FY2026", "2025", True),  # Nvidia's fiscal 2026 is mostly 2025
        ("FY2026", "2027", False),
        ("FY2026", "2026-Q1", False),
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
    assert not same_fact(fid(), fid(period="2028"))  # years further apart
    assert not same_fact(fid(period="2026-Q1"), fid(period="2026-Q2"))  # flat quarters


def test_a_level_with_a_mislabelled_period_is_still_the_same_fact() -> None:
    """One company, one amount: "2026" and "next year" read as 2027, the report quarter for the
    year's plan, a month for its quarter — measured: such pairs were one labelled fact 9 in 10."""
    assert same_fact(fid(), fid(period="2027"))
    assert same_fact(fid(period="2026"), fid(period="2025-Q4"))
    assert same_fact(fid(period="2025-09"), fid(period="2025-Q3"))
    assert same_fact(fid(period="2025-Q2"), fid(period="2025-H1"))
    assert same_fact(fid(period="three-year"), fid(period="2025"))
    assert not same_fact(fid(period="2026"), fid(period="2024-Q3"))
    assert not same_fact(fid(period="FY2026-Q1"), fid(period="FY2026-Q3"))
    move = dict(metric="revenue", value=10, unit="percent", is_change=True)
    assert not same_fact(fid(period="2026", **move), fid(period="2027", **move))  # moves: strict


def test_changes_need_their_metric_and_match_only_the_level_they_are_the_move_of() -> None:
    up = fid(metric="revenue", value=10, unit="percent", is_change=True, period=None)
    assert not same_fact(up, fid(metric="share_price", value=10, unit="percent", is_change=True))
    assert same_fact(up, fid(metric="other", value=10, unit="percent", is_change=True))
    assert not same_fact(up, fid(metric="revenue", value=10e9))  # a level is not a move
    # a bare percent of revenue can only be its move; a margin ("other") is not
    assert same_fact(up, fid(metric="revenue", value=10, unit="percent", period=None))
    assert not same_fact(up, fid(metric="other", value=10, unit="percent", period=None))
    # "capex ¥24.2B, down from ¥29.9B" states the move "-19 %" (to half a point)
    level = fid(metric="capex", value=24.2e9, unit="CNY", previous=29.9e9, period="2025")
    assert same_fact(fid(metric="capex", value=-19, unit="percent", is_change=True), level)
    assert not same_fact(fid(metric="capex", value=-25, unit="percent", is_change=True), level)
    # shares and market value move together
    shares = fid(metric="share_price", value=425, unit="percent", is_change=True, period=None)
    assert same_fact(shares, fid(metric="market_value", value=425, unit="percent", is_change=True))
    assert not same_fact(
        shares, fid(entity="Meta", metric="share_price", value=425, unit="percent", is_change=True)
    )


def test_an_estimate_of_the_same_value_is_the_same_fact() -> None:
    """Measured on the dev split: an "estimate" and a company figure of one value and entity
    were one labelled fact 9 times in 10 (the kind is the extractor's guess); the line then
    shows the company's word (bot.digest.select._kind)."""
    assert same_fact(fid(), fid(kind="estimate"))
    assert same_fact(fid(kind="estimate"), fid(kind="estimate", metric="spending"))
    assert same_fact(fid(kind="guidance"), fid(kind="plan"))
    assert not same_fact(fid(), fid(kind="estimate", value=190e9))


def test_updates_same_subject_other_value() -> None:
    new = fid(entity="Alphabet", value=93e9, period="2025", kind="guidance")
    old = fid(entity="Alphabet", value=85e9, period="2025", kind="guidance")
    assert updates(new, old) and not updates(new, new)
    assert not updates(new, fid(entity="Alphabet", value=85e9, period="2024"))
    assert not updates(new, fid(entity="Alphabet", metric="revenue", value=85e9, period="2025"))
    assert not updates(fid(kind="estimate"), fid(value=100e9))
    assert updates(fid(period=None, value=480e9), fid(period=None, value=380e9))
    assert not updates(fid(period=None, value=150e9), fid(value=100e9))  # one period unknown
    assert updates(fid(period="FY2026", value=150e9), fid(value=100e9))
    assert not updates(fid(value=187e9), fid(value=35.8e9))  # 5×: another quantity
    up = dict(metric="share_price", unit="percent", is_change=True, period=None)
    assert not updates(fid(value=88, **up), fid(value=40, **up))  # another move


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
            _sf(5, 6, period="2028"),
        ]
    )
    assert [[sf.id for sf in g] for g in groups] == [[1, 2, 3], [4], [5]]


def test_a_deal_is_one_fact_whichever_side_a_mention_files_it_under() -> None:
    nvidia = _sf(
        1,
        2,
        entity="Nvidia",
        metric="investment",
        value=100e9,
        sentence="Nvidia is making a $100 billion investment in OpenAI.",
    )
    openai = _sf(
        2,
        3,
        entity="OpenAI",
        metric="funding",
        value=100e9,
        sentence="The ChatGPT maker gets up to $100 billion.",
        counterparty="Nvidia",
    )
    bytedance = _sf(
        3,
        4,
        entity="ByteDance",
        value=160e9,
        unit="CNY",
        period="2026",
        sentence="字節跳動明年資本開支1600億元",
    )
    chips = _sf(
        4,
        5,
        entity="Nvidia",
        metric="spending",
        value=160e9,
        unit="CNY",
        sentence="字节跳动计划明年将AI投资提升至1,600亿元，采购英伟达芯片",
    )
    meta = _sf(5, 6, entity="Meta", value=100e9, sentence="Meta will spend $100 billion.")
    xai = _sf(8, 8, entity="xAI", metric="borrowing", value=12.5e9, sentence="xAI borrows $12.5B.")
    musk = _sf(
        9,
        9,
        entity="Tesla",
        metric="borrowing",
        value=12.5e9,
        sentence="The round includes up to $12.5 billion in debt.",
    )
    musk = musk.model_copy(update={"item_title": "Elon Musk's xAI raises $20 billion"})
    moves = [
        _sf(
            6,
            7,
            entity="SK Hynix",
            metric="share_price",
            value=5,
            unit="percent",
            is_change=True,
            sentence="SK Hynix and Samsung rose 5%.",
        ),
        _sf(
            7,
            7,
            entity="Samsung",
            metric="share_price",
            value=5,
            unit="percent",
            is_change=True,
            sentence="SK Hynix and Samsung rose 5%.",
        ),
    ]
    groups = cluster([nvidia, openai, bytedance, chips, meta, *moves, xai, musk])
    assert [[sf.id for sf in g] for g in groups] == [[1, 2], [3, 4], [5], [6], [7], [8, 9]]


def test_aggregates_are_one_subject_and_bare_numbers_meet_their_money() -> None:
    big = fid(entity="Big Tech", kind="aggregate", value=650e9)
    four = fid(entity="Amazon + Google + Meta + Microsoft", kind="aggregate", value=650e9)
    assert same_fact(big, four) and not same_fact(big, fid(value=650e9))
    bare = fid(entity="ByteDance", value=160e9, unit="count", period="2026")
    assert same_fact(bare, fid(entity="ByteDance", value=160e9, unit="CNY"))
    assert not same_fact(bare, fid(entity="Meta", value=160e9, unit="CNY"))


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


def test_a_name_is_found_as_a_whole_word_only() -> None:
    from bot.facts import _has_word

    assert _has_word("nvidia and openai sign a deal", "openai")
    assert _has_word("deal: openai.", "openai")
    assert not _has_word("openai_x signs", "openai")
    assert not _has_word("the openais of this world", "openai")
    assert _has_word("腾讯 和 阿里", "阿里")
    assert not _has_word("腾讯和阿里巴巴", "阿里")  # a CJK character is a word character, as in \w
    assert _has_word("xx openai yy openai", "openai")
    assert not _has_word("", "openai")


def test_an_amount_is_never_already_reported_by_an_earlier_percent_move() -> None:
    # "ByteDance capex ¥160B in 2026, up from ¥150B" states a move of +6.7 %; an earlier
    # "+6.4 %" of ByteDance (within the half point) did not report the amount
    earlier = _fact(
        1, 6.4, 1, entity="ByteDance", metric="other", unit="percent", is_change=True, period=None
    )
    level = fid(entity="ByteDance", value=160e9, unit="CNY", previous=150e9, period="2026")
    assert level.move is not None and abs(level.move - earlier.value) <= 0.5
    assert same_fact(earlier.fid, level)  # one source's level and its move: one fact
    assert match(level, [earlier]) is None  # but the amount is news
    known = _fact(2, 160e9, 1, entity="ByteDance", unit="CNY", period="2026")
    assert match(level, [earlier, known]) == known  # the amount itself, reported earlier
    # a percent level of revenue is its move, remembered as one
    rev = _fact(3, 85, 1, metric="revenue", unit="percent", is_change=True, period=None)
    rev = replace(rev, entity="Amazon")
    assert match(fid(metric="revenue", value=85, unit="percent", period=None), [rev]) == rev
