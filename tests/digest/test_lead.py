"""An item's lead (its first sentence after the headline that states a figure) ranks its facts
higher: bot.digest.select.lead_sentences, bot.digest.rank's ``lead`` weight."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.digest import select_digest
from bot.digest.rank import DEFAULT, Weights
from bot.digest.select import lead_sentences
from bot.models import Figure, Period, StoredFigure

W10 = Period.parse("2026-W10")
MON = datetime(2026, 3, 2, 9, tzinfo=UTC)
TITLE = "Oracle sells bonds as AI build-out accelerates"
LEAD = "Oracle sold $18 billion of bonds on Tuesday to fund its data centres."
LATER = "The company spent $21 billion on capital expenditure in the last fiscal year."
TEXT = f"{TITLE}\n\n{LEAD} Analysts were surprised. {LATER}"


def sf(
    n: int, sentence: str, *, item: str = "item-1", title: str = TITLE, **kw: object
) -> StoredFigure:
    start = TEXT.find(sentence) if sentence in TEXT else 0
    base: dict[str, object] = dict(
        entity="Oracle",
        metric="borrowing",
        value=18e9,
        unit="USD",
        usd_value=18e9,
        sentence=sentence,
        span=(start, start + 5),
    )
    base.update(kw)
    return StoredFigure(
        id=n,
        figure=Figure(**base),  # type: ignore[arg-type]
        item_id=item,
        item_title=title,
        item_source="feed-a",
        published=MON,
    )


def test_the_lead_is_the_first_body_sentence_that_states_a_figure() -> None:
    bond = sf(1, LEAD)
    capex = sf(2, LATER, metric="capex", value=21e9, usd_value=21e9, period="FY2025")
    headline = sf(3, TITLE, span=(0, 5), metric="other", value=1.0, unit="count")
    assert lead_sentences([capex, headline, bond]) == {("item-1", LEAD)}
    # an item whose body repeats its headline: the repeat is still the headline
    again = sf(4, TITLE, span=(len(TITLE) + 2, len(TITLE) + 9), item="item-2")
    assert lead_sentences([again]) == frozenset()


def test_the_leads_figure_ranks_above_the_same_kind_of_figure_told_later() -> None:
    bond = sf(1, LEAD)
    capex = sf(2, LATER, metric="capex", value=21e9, usd_value=21e9, period="FY2026")
    lines = {ln.metric: ln for ln in select_digest([capex, bond], W10).lines}
    flat = {
        ln.metric: ln for ln in select_digest([capex, bond], W10, weights=Weights(lead=0)).lines
    }
    assert lines["borrowing"].lead and not lines["capex"].lead
    assert lines["borrowing"].score - flat["borrowing"].score == pytest.approx(DEFAULT.lead)
    assert lines["capex"].score == flat["capex"].score
    assert [ln.metric for ln in select_digest([capex, bond], W10).lines] == ["borrowing", "capex"]
    assert [ln.metric for ln in flat.values()] == ["capex", "borrowing"]  # by size alone
