"""The store keeps fact identity: same fact -> same id across items, labels and reopening."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Figure, Item
from bot.store.store import Store


def item(n: int, day: int) -> Item:
    return Item(
        id=f"item-{n}",
        source=f"feed-{n}",
        title=f"t{n}",
        published=datetime(2026, 2, day, tzinfo=UTC),
        lang="en",
        text="x",
        content_hash=f"h{n}",
    )


def fig(**kw: object) -> Figure:
    base: dict[str, object] = dict(
        entity="Amazon", metric="capex", value=200e9, unit="USD", period="2026"
    )
    base.update(kw)
    return Figure(**base)  # type: ignore[arg-type]


async def test_facts_are_assigned_and_remembered(store: Store) -> None:
    await store.upsert_items([item(1, 10), item(2, 3), item(3, 12)])
    a = await store.replace_figures("item-1", [fig(), fig(entity="Meta", value=135e9)])
    b = await store.replace_figures("item-2", [fig(metric="investment", period="FY2026")])
    c = await store.replace_figures("item-3", [fig(value=201e9, period=None), fig(value=300e9)])
    amazon = a[0].fact_id
    assert amazon is not None and b[0].fact_id == amazon and c[0].fact_id == amazon
    assert len({a[1].fact_id, c[1].fact_id, amazon}) == 3
    facts = {f.id: f for f in await store.facts()}
    # the earliest mention (item 2, published on the 3rd) dates the fact
    assert facts[amazon].first_published == datetime(2026, 2, 3, tzinfo=UTC)
    before = await store.facts(first_before=datetime(2026, 2, 11, tzinfo=UTC))
    assert {f.id for f in before} == {amazon, a[1].fact_id}
    assert [f.entity for f in await store.facts(entities=["meta"])] == ["Meta"]
    stored = {sf.id: sf.fact_id for sf in await store.figures()}
    assert stored[a[0].id] == amazon  # read back from the figures table

    # a re-extraction (content changed) keeps pointing at the same fact
    again = await store.replace_figures("item-1", [fig(metric="spending")])
    assert again[0].fact_id == amazon


async def test_fact_ids_survive_reopening(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'f.db'}"
    async with Store.open(url) as s:
        await s.upsert_items([item(1, 2)])
        [first] = await s.replace_figures("item-1", [fig()])
    async with Store.open(url) as s:
        await s.upsert_items([item(2, 20)])
        [later] = await s.replace_figures("item-2", [fig(metric="other", value=199e9)])
    assert later.fact_id == first.fact_id is not None
