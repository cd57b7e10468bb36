"""A parse in a worker process returns a ``_PackedFeed``; unpickled, it is the very ParsedFeed
the worker made: equal, with Items of equal pydantic state, on both feed corpora."""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing as mp
import os
import pickle
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.models import Item
from bot.sources.feeds import FeedEntry, ParsedFeed, parse_feed
from bot.sources.poll import (
    _ITEM_FIELDS,
    BrokenParseWorker,
    ParsePool,
    _PackedFeed,
    _unpacked,
    poll_feeds,
)
from bot.store.feeds import FeedRepo
from bot.store.store import Store
from tests.fakes.feed_server import FeedServer, Route
from tests.sources.helpers import DATA, SHARED, entries, rss

NOW = datetime(2026, 2, 5, tzinfo=UTC)


class Sub(Item):
    """Not an Item exactly: sent the generic way."""


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_file() and p.suffix not in (".py", ".tsv"))


def _roundtrip(parsed: ParsedFeed) -> ParsedFeed:
    return _unpacked(pickle.loads(pickle.dumps(_PackedFeed(parsed), pickle.HIGHEST_PROTOCOL)))


def _assert_same(got: ParsedFeed, want: ParsedFeed) -> None:
    assert type(got) is ParsedFeed
    assert got == want
    assert got.__dict__.keys() == want.__dict__.keys()
    for a, b in zip(got.entries, want.entries, strict=True):
        assert type(a) is FeedEntry and type(a.item) is Item
        assert a.item.__getstate__() == b.item.__getstate__()
        assert a.item.model_fields_set == b.item.model_fields_set
        assert hash(a.item) == hash(b.item)
        assert a.item.model_dump() == b.item.model_dump()
        assert a.item.published.tzinfo == b.item.published.tzinfo
        assert pickle.loads(pickle.dumps(a.item)) == b.item
        with pytest.raises(ValueError):  # still frozen
            a.item.title = "x"  # type: ignore[misc]


def _parse(path: Path, want_html: bool) -> ParsedFeed:
    return parse_feed(
        path.read_bytes(),
        {},
        f"https://f.example.com/{path.name}",
        feed_key=path.name,
        fetched_at=NOW,
        want_html=want_html,
    )


@pytest.mark.parametrize("path", _files(DATA), ids=lambda p: p.name)
def test_packed_roundtrip_on_our_corpus(path: Path) -> None:
    for want_html in (False, True):
        parsed = _parse(path, want_html)
        _assert_same(_roundtrip(parsed), parsed)


def test_packed_roundtrip_on_shared_corpus() -> None:
    files = _files(SHARED)
    if not files:
        pytest.skip(f"{SHARED} is absent")
    for path in files:
        parsed = _parse(path, True)
        _assert_same(_roundtrip(parsed), parsed)


def test_packed_keeps_a_partial_fields_set_and_falls_back_for_other_models() -> None:
    item = Item(id="i", source="s", title="t", published=NOW, lang="en", text="t")
    parsed = ParsedFeed(title="f", entries=[FeedEntry(item=item, identity="guid:i")])
    _assert_same(_roundtrip(parsed), parsed)

    odd = Sub(id="j", source="s", title="t", published=NOW, lang="en", text="t")
    parsed = ParsedFeed(entries=[FeedEntry(item=item, identity="a"), FeedEntry(odd, "b")])
    back = _roundtrip(parsed)
    assert back == parsed and type(back.entries[1].item) is Sub


def test_unpack_knows_every_field() -> None:
    # _unpack fills FeedEntry and Item instances field by field: a new field must be added there
    assert [f.name for f in dataclasses.fields(FeedEntry)] == ["item", "identity", "html"]
    assert tuple(Item.model_fields) == _ITEM_FIELDS


def test_unpacked_passes_a_parsed_feed_through() -> None:
    parsed = ParsedFeed(title="x")
    assert _unpacked(parsed) is parsed
    assert _unpacked(_PackedFeed(parsed)) is parsed  # a thread executor: never pickled


async def _poll(store: Store, feed_server: FeedServer, executor: object) -> list[Item]:
    repo = FeedRepo(store.engine)
    for k in range(3):
        url = feed_server.route(f"/{k}.xml", Route(body=rss(entries(4, f"e{k}"))))
        await repo.add(url, allow_private=True)
    report = await poll_feeds(
        repo,
        now=NOW,
        allow_private=True,
        default_poll_minutes=30,
        only_due=False,
        parse_executor=executor,  # type: ignore[arg-type]
    )
    assert not report.failed and len(report.items) == 12
    return sorted(report.items, key=lambda i: i.id)


async def test_poll_with_a_process_pool_gives_the_same_items(
    store: Store, feed_server: FeedServer, tmp_path: Path
) -> None:
    inline = await _poll(store, feed_server, None)
    store2 = Store.open(f"sqlite:///{tmp_path / 'b.db'}")
    await store2.upgrade()
    store3 = Store.open(f"sqlite:///{tmp_path / 'c.db'}")
    await store3.upgrade()
    store4 = Store.open(f"sqlite:///{tmp_path / 'd.db'}")
    await store4.upgrade()
    try:
        with ProcessPoolExecutor(1, mp_context=mp.get_context("forkserver")) as pool:
            pooled = await _poll(store2, feed_server, pool)
        with ThreadPoolExecutor(1) as threads:
            threaded = await _poll(store3, feed_server, threads)
        with ParsePool(2) as parse_pool:
            ours = await _poll(store4, feed_server, parse_pool)
    finally:
        await store2.close()
        await store3.close()
        await store4.close()
    assert pooled == inline == threaded == ours
    for a, b, c in zip(pooled, inline, ours, strict=True):
        assert a.__getstate__() == b.__getstate__() == c.__getstate__()


def _crash(code: int) -> None:
    os._exit(code)


def _fail(msg: str) -> None:
    raise ValueError(msg)


async def test_parse_pool_runs_jobs_reports_errors_and_survives_a_dead_worker() -> None:
    with ParsePool(2) as pool:
        assert len(pool.pids) == 2 and all(pool.pids)
        assert await asyncio.gather(*(pool.run(abs, -i) for i in range(20))) == list(range(20))
        with pytest.raises(ValueError, match="bad feed"):
            await pool.run(_fail, "bad feed")
        # A worker that dies fails its own job only; the pool replaces it and goes on.
        crash = pool.run(_crash, 3)
        with pytest.raises(BrokenParseWorker):
            await crash
        assert await asyncio.gather(*(pool.run(abs, -i) for i in range(10))) == list(range(10))
        # A job whose caller gave up (a timeout) does not hold up the next ones.
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(pool.run(time.sleep, 1.0), 0.05)
        assert await asyncio.wait_for(pool.run(abs, -7), 5) == 7
        # At most three jobs per worker are handed over; the rest wait in the pool, unpickled.
        jobs = [asyncio.ensure_future(pool.run(time.sleep, 0.05)) for _ in range(10)]
        await asyncio.sleep(0.01)
        assert sum(len(w.pending) for w in pool._workers) <= 6 and len(pool._queue) >= 4
        await asyncio.gather(*jobs)
    with pytest.raises(RuntimeError, match="closed"):
        await pool.run(abs, 1)
