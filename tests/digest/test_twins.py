"""One number shown twice is one line (select.fold_twins, pure): Top lines and the facts riding
on them included, with memory ("already reported") unchanged."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.digest import select_digest
from bot.digest.select import digest_facts
from bot.models import Period, StoredFigure
from tests.digest.seed import story_figure

W05 = Period.parse("2026-W05")
DAY = datetime(2026, 1, 29, 9, tzinfo=UTC)


def sf(n: int, entity: str, metric: str, value: float, **kw: object) -> StoredFigure:
    kw.setdefault("unit", "USD")
    kw.setdefault("period", "2026")
    return story_figure(n, entity, metric, value, published=DAY, **kw)  # type: ignore[arg-type]


def shown(figs: list[StoredFigure]) -> list[tuple[str | None, str, float, bool]]:
    d = select_digest(figs, W05)
    return [(f.entity, f.metric, f.value, f.is_change) for ln in d.lines for f in ln.facts]


def test_one_share_move_labelled_with_two_periods_by_two_outlets_is_one_line() -> None:
    figs = [
        sf(1, "Acme", "capex", 120e9),
        sf(2, "Acme", "share_price", 10.0, unit="percent", is_change=True, period="2025-Q4"),
        sf(3, "Acme", "share_price", 10.0, unit="percent", is_change=True, period="2026"),
    ]
    moves = [s for s in shown(figs) if s[1] == "share_price"]
    assert len(moves) == 1
    (line,) = [ln for ln in digest_facts(figs, W05) if ln.metric == "share_price"]
    assert {s.item_id for s in line.sources} == {"item-2", "item-3"}  # both outlets kept


def test_a_money_rise_the_size_of_the_level_is_the_level_read_twice() -> None:
    """ "Acme raises capex to $85B" read as a rise of $85B beside "capex $85B": one line."""
    figs = [
        sf(1, "Acme", "capex", 85e9, period="2025"),
        sf(2, "Acme", "capex", 85e9, is_change=True, period=None),
    ]
    assert shown(figs) == [("Acme", "capex", 85e9, False)]


def test_one_sentences_percent_read_under_two_labels_is_one_line_but_two_sentences_stay_two() -> (
    None
):
    same = [
        sf(1, "Acme", "revenue", 35.0, unit="percent", is_change=True, period=None, sentence="s"),
        sf(2, "Acme", "backlog", 35.0, unit="percent", is_change=True, period=None, sentence="s"),
    ]
    same[1] = same[1].model_copy(update={"item_id": "item-1"})  # one item, one sentence
    assert len(shown(same)) == 1
    apart = [
        sf(1, "Acme", "revenue", 35.0, unit="percent", is_change=True, period=None),
        sf(2, "Acme", "profit", 35.0, unit="percent", is_change=True, period=None),
    ]
    assert len(shown(apart)) == 2  # revenue +35 % and profit +35 %: a coincidence, two facts


def test_different_companies_and_different_values_are_never_folded() -> None:
    figs = [
        sf(1, "Acme", "share_price", 10.0, unit="percent", is_change=True, period=None),
        sf(2, "Globex", "share_price", 10.0, unit="percent", is_change=True, period=None),
        sf(3, "Acme", "share_price", 12.0, unit="percent", is_change=True, period="2026"),
    ]
    assert len(shown(figs)) == 3


def test_one_articles_percent_move_restated_under_another_label_is_one_line() -> None:
    """ "RPO, a key measure of future cloud revenue, rose 359 %" read as revenue, and "RPO rose
    359 % year over year" as backlog, in one article: one number, one line. The same move in two
    articles under two labels stays two (revenue +35 % and profit +35 % can both be true)."""
    one = [
        sf(1, "Acme", "revenue", 359.0, unit="percent", is_change=True, period=None, sentence="a"),
        sf(2, "Acme", "backlog", 359.0, unit="percent", is_change=True, period=None, sentence="b"),
    ]
    one[1] = one[1].model_copy(update={"item_id": "item-1"})  # one item, two sentences
    assert len(shown(one)) == 1
    share = [
        sf(1, "Acme", "revenue", 8.0, unit="percent", is_change=True, period=None, sentence="a"),
        sf(2, "Acme", "share_price", 8.0, unit="percent", is_change=True, period=None),
    ]
    share[1] = share[1].model_copy(update={"item_id": "item-1"})
    assert len(shown(share)) == 2  # a share move is not the revenue's move
    periods = [
        sf(1, "Acme", "revenue", 12.0, unit="percent", is_change=True, period="2025-Q1"),
        sf(2, "Acme", "profit", 12.0, unit="percent", is_change=True, period="2025-Q2"),
    ]
    periods[1] = periods[1].model_copy(update={"item_id": "item-1"})
    assert len(shown(periods)) == 2  # two quarters: two facts
