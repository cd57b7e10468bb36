"""Idempotent ingest (issue 17): concurrent stores of one item, items with their figures."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.models import Figure
from bot.sources.archive import load_folder
from bot.store import schema as t
from bot.store.store import Store
from tests.conftest import SEED

FIG = Figure(entity="Meta", metric="capex", value=135e9, unit="USD", qualifier="up_to")


async def _count(store: Store, table: object) -> int:
    async with store.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar() or 0)


async def test_twenty_concurrent_stores_of_one_item(db_url: str) -> None:
    """Twenty stores (twenty engines: like twenty processes) of one new item at once: no error,
    one row, its figures written exactly once, and exactly one store reports it as new."""
    item = load_folder(SEED).items[1]
    async with Store.open(db_url) as first:
        stores = [Store.open(db_url) for _ in range(20)]
        try:
            results = await asyncio.gather(
                *(s.store_items([(item, [FIG, FIG.model_copy(update={"value": 2.0})])])
                  for s in stores)
            )  # fmt: skip
        finally:
            for s in stores:
                await s.close()
        assert sum(len(r.new) for r in results) == 1
        assert sum(r.unchanged for r in results) == 19
        assert await _count(first, t.items) == 1
        assert await _count(first, t.figures) == 2


async def test_concurrent_upsert_items_never_raise(db_url: str) -> None:
    """The select-then-insert this replaced raised UniqueViolation for 18 of 20 such stores."""
    items = load_folder(SEED).items
    stores = [Store.open(db_url) for _ in range(20)]
    try:
        await stores[0].upgrade()
        await asyncio.gather(*(s.counts() for s in stores))  # connected: the stores race
        results = await asyncio.gather(*(s.upsert_items(items) for s in stores))
        assert sum(len(r.new) for r in results) == len(items)
        assert await _count(stores[0], t.items) == len(items)
    finally:
        for s in stores:
            await s.close()


async def test_items_and_figures_are_one_transaction(store: Store) -> None:
    """A failure while writing figures rolls the item back too: no item is left without its
    figures (the next ingest sees it as new and stores both)."""
    item = load_folder(SEED).items[1]
    bad = FIG.model_copy(update={"metric": None})  # NOT NULL metric: the figure insert fails
    try:
        await store.store_items([(item, [FIG, bad])])
    except Exception:
        pass
    else:
        raise AssertionError("the bad figure was stored")
    assert await _count(store, t.items) == 0
    res = await store.store_items([(item, [FIG])])
    assert [i.id for i in res.new] == [item.id]
    assert await _count(store, t.figures) == 1


async def test_changed_item_replaces_figures_once(store: Store) -> None:
    item = load_folder(SEED).items[1]
    await store.store_items([(item, [FIG, FIG])])
    changed = item.model_copy(update={"text": item.text + " More.", "content_hash": "x"})
    res = await store.store_items([(changed, [FIG])])
    assert res.changed == [changed]
    again = await store.store_items([(changed, [FIG, FIG, FIG])])  # same hash: untouched
    assert again.unchanged == 1 and again.changed == []
    assert await _count(store, t.figures) == 1


async def test_quiet_backlog_is_stored_on_figures(store: Store) -> None:
    items = load_folder(SEED).items
    await store.store_items([(items[0], [FIG]), (items[1], [FIG])], quiet={items[1].id})
    async with store.engine.connect() as conn:
        rows = dict((await conn.execute(select(t.figures.c.item_id, t.figures.c.quiet))).all())
    assert rows == {items[0].id: False, items[1].id: True}
