from __future__ import annotations

from pathlib import Path

from bot.models import Figure
from bot.sources.archive import load_folder
from bot.store import db
from bot.store.store import Store
from tests.conftest import SEED


async def test_items_stored_once(store: Store) -> None:
    items = load_folder(SEED).items
    first = await store.upsert_items(items)
    assert len(first.new) == 2
    second = await store.upsert_items(items)
    assert second.new == [] and second.changed == [] and second.unchanged == 2
    assert (await store.counts())["items"] == 2
    got = {i.id: i for i in await store.items()}
    assert got[items[0].id] == items[0]


async def test_changed_item_is_updated_and_figures_replaced(store: Store) -> None:
    item = load_folder(SEED).items[1]
    await store.upsert_items([item])
    fig = Figure(entity="Meta", metric="capex", value=135e9, unit="USD", qualifier="up_to")
    stored = await store.replace_figures(item.id, [fig, fig.model_copy(update={"value": 1.0})])
    assert [s.figure.value for s in stored] == [135e9, 1.0]
    changed = item.model_copy(update={"text": item.text + " More.", "content_hash": "x"})
    res = await store.upsert_items([changed])
    assert res.changed == [changed]
    again = await store.replace_figures(item.id, [fig])
    assert [s.figure for s in again] == [fig.model_copy(update={"item_id": item.id})]
    assert (await store.counts())["figures"] == 1


async def test_rules_and_alert_dedupe(store: Store) -> None:
    rid = await store.ensure_rule("capex > 100B USD")
    assert await store.ensure_rule("capex > 100B USD") == rid
    assert await store.record_alerts([("k1", rid, "fact", None)]) == 1
    assert await store.record_alerts([("k1", rid, "fact", None)]) == 0
    assert set(await store.fired([rid])) == {"k1"}


async def test_upgrade_is_idempotent(db_url: str) -> None:
    async with Store.open(db_url) as s:
        await s.upgrade()
        assert await db.current_revision(s.engine) is not None
    async with Store.open(db_url) as s:
        assert (await s.counts())["items"] == 0


async def test_missing_database_folder_is_a_clear_error(tmp_path: Path) -> None:
    import pytest

    from bot.errors import StoreError

    with pytest.raises(StoreError, match="does not exist"):
        Store.open(f"sqlite:///{tmp_path / 'nope' / 'x.db'}")
