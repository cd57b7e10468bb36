"""poll_feeds + FeedRepo end to end: real HTTP on 127.0.0.1, real stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

import bot.sources.poll as poll_mod
from bot.config import FeedConfig
from bot.errors import SourceError
from bot.sources.fetch import FetchOptions
from bot.sources.poll import poll_feeds
from bot.store.feeds import BACKOFF_CAP, FeedRepo, backoff_delay, format_status_table
from bot.store.store import Store
from tests.fakes.feed_server import FeedServer, Route
from tests.sources.helpers import DATA, entries, rss

T0 = datetime(2026, 2, 5, 12, 0, tzinfo=UTC)


async def poll(repo: FeedRepo, now: datetime = T0, **kw: object) -> poll_mod.PollReport:
    kw.setdefault("only_due", False)
    return await poll_feeds(
        repo,
        now=now,
        allow_private=True,
        default_poll_minutes=30,
        **kw,  # type: ignore[arg-type]
    )


async def test_repoll_stores_nothing_new_and_304_costs_no_parse(
    store: Store, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = FeedRepo(store.engine)
    await repo.add(
        feed_server.route("/a.xml", Route(body=rss(entries(5)))), name="A", allow_private=True
    )
    await repo.add(
        feed_server.route("/plain.xml", Route(body=rss(entries(3, "p")), conditional=False)),
        allow_private=True,
    )
    first = await poll(repo)
    assert len(first.items) == 8 and not first.warnings
    assert len((await store.upsert_items(first.items)).new) == 8

    parses = []
    real = poll_mod.parse_feed
    monkeypatch.setattr(
        poll_mod, "parse_feed", lambda *a, **k: parses.append(a[2]) or real(*a, **k)
    )
    second = await poll(repo, T0 + timedelta(minutes=30))
    by_url = {r.url: r for r in second.results}
    a = by_url[feed_server.url("/a.xml")]
    assert a.status == 304 and a.not_modified and a.entries == 0
    assert parses == [feed_server.url("/plain.xml")]  # the 304 was not parsed
    assert feed_server.hits("/a.xml")[-1].headers["if-none-match"]
    again = await store.upsert_items(second.items)  # the feed without validators: 200 again
    assert again.new == [] and again.changed == [] and again.unchanged == 3
    row = await repo.get(feed_server.url("/a.xml"))
    assert row and row.last_status == 304 and row.failures == 0 and row.entries == 5
    assert row.next_poll == T0 + timedelta(minutes=60)


async def test_reorder_republish_change_and_new(store: Store, feed_server: FeedServer) -> None:
    repo = FeedRepo(store.engine)
    items = entries(4)
    url = feed_server.route("/f", Route(body=rss(items)))
    await repo.add(url, allow_private=True)
    await store.upsert_items((await poll(repo)).items)

    async def serve_and_store(body: bytes):
        feed_server.route("/f", Route(body=body))
        return await store.upsert_items((await poll(repo)).items)

    res = await serve_and_store(rss(list(reversed(items))))
    assert (len(res.new), len(res.changed), res.unchanged) == (0, 0, 4)
    res = await serve_and_store(rss(items).replace(b"04 Feb 2026", b"05 Feb 2026"))
    assert (len(res.new), len(res.changed)) == (0, 0)
    edited = [(items[0][0], items[0][1], "Company 0 now spends $7 billion."), *items[1:]]
    res = await serve_and_store(rss(edited))
    assert len(res.changed) == 1 and res.new == [] and "$7 billion" in res.changed[0].text
    res = await serve_and_store(rss([("fresh", "New entry", "Revenue $1 billion."), *edited]))
    assert [i.title for i in res.new] == ["New entry"] and res.changed == []
    assert (await store.counts())["items"] == 5


async def test_permanent_redirect_updates_url_temporary_does_not(
    store: Store, feed_server: FeedServer
) -> None:
    repo = FeedRepo(store.engine)
    new = feed_server.route("/new.xml", Route(body=rss(entries(3))))
    old = feed_server.route("/old.xml", Route.redirect("/new.xml", 301))
    temp = feed_server.route("/temp.xml", Route.redirect("/other.xml", 302))
    feed_server.route("/other.xml", Route(body=rss(entries(2, "o"))))
    await repo.add(old, name="Moved", allow_private=True)
    await repo.add(temp, allow_private=True)
    report = await poll(repo)
    await store.upsert_items(report.items)
    assert {r.new_url for r in report.results} == {new, None}
    assert await repo.get(old) is None
    moved = await repo.get(new)
    assert moved and moved.name == "Moved"
    assert await repo.get(temp) is not None
    status = {s["url"]: s for s in await repo.status()}
    assert status[new]["entries"] == 3 and status[temp]["entries"] == 2
    # The next poll goes straight to the new URL.
    feed_server.clear()
    await poll(repo, T0 + timedelta(hours=1))
    assert not feed_server.hits("/old.xml") and feed_server.hits("/new.xml")


async def test_gone_disables_and_re_adding_enables(store: Store, feed_server: FeedServer) -> None:
    repo = FeedRepo(store.engine)
    url = feed_server.route("/gone", Route.error(410))
    await repo.add(url, allow_private=True)
    report = await poll_feeds(repo, now=T0, allow_private=True, default_poll_minutes=30)
    assert report.results[0].disabled
    row = await repo.get(url)
    assert (
        row and not row.enabled and row.next_poll is None and "disabled" in (row.last_error or "")
    )
    assert await repo.due(T0 + timedelta(days=30)) == []
    row = await repo.add(url, allow_private=True)
    assert row.enabled and row.failures == 0


async def test_retry_after_sets_next_poll(store: Store, feed_server: FeedServer) -> None:
    repo = FeedRepo(store.engine)
    await repo.add(
        feed_server.route("/busy", Route.error(429, retry_after="7200")), allow_private=True
    )
    await repo.add(
        feed_server.route("/down", Route.error(503, retry_after="60")), allow_private=True
    )
    await poll(repo)
    busy, down = await repo.list()
    assert busy.last_status == 429 and busy.next_poll == T0 + timedelta(hours=2)
    assert down.next_poll == T0 + timedelta(minutes=30)  # Retry-After shorter than the interval
    assert [f.url for f in await repo.due(T0 + timedelta(minutes=31))] == [down.url]


async def test_backoff_grows_caps_and_recovers(store: Store, feed_server: FeedServer) -> None:
    repo = FeedRepo(store.engine)
    url = feed_server.route(
        "/flaky",
        Route.sequence(*[Route.error(500)] * 4, Route(body=rss(entries(2)))),
    )
    await repo.add(url, poll_minutes=20, allow_private=True)
    now, waits = T0, []
    for _ in range(4):
        await poll_feeds(repo, now=now, allow_private=True, default_poll_minutes=30)
        row = await repo.get(url)
        assert row and row.next_poll
        waits.append(row.next_poll - now)
        assert await repo.due(row.next_poll - timedelta(seconds=1)) == []
        now = row.next_poll
    assert waits == [timedelta(minutes=m) for m in (20, 40, 80, 160)]
    row = await repo.get(url)
    assert row and row.failures == 4 and row.last_error == "HTTP 500 Internal Server Error"
    report = await poll_feeds(repo, now=now, allow_private=True, default_poll_minutes=30)
    assert len(report.items) == 2
    row = await repo.get(url)
    assert row and row.failures == 0 and row.last_error is None and row.last_success == now
    assert row.next_poll == now + timedelta(minutes=20)
    assert backoff_delay(12, timedelta(minutes=30)) == BACKOFF_CAP
    assert backoff_delay(3, timedelta(hours=12)) == timedelta(hours=12)


async def test_oversized_gzip_and_wrong_charsets(store: Store, feed_server: FeedServer) -> None:
    repo = FeedRepo(store.engine)
    big = rss(entries(400))
    await repo.add(feed_server.route("/big", Route(body=big)), allow_private=True)
    await repo.add(feed_server.route("/gz", Route(body=big, gzip=True)), allow_private=True)
    gb = (DATA / "gb2312_decl.xml").read_bytes()
    await repo.add(
        feed_server.route("/gb", Route(body=gb, content_type="application/rss+xml; charset=utf-8")),
        allow_private=True,
    )
    b5 = (DATA / "big5_nodecl.xml").read_bytes()
    await repo.add(
        feed_server.route("/b5", Route(body=b5, content_type="text/xml")), allow_private=True
    )
    opts = FetchOptions(max_bytes=len(big) // 2)
    report = await poll(repo, options=opts)
    by = {r.url.rsplit("/", 1)[1]: r for r in report.results}
    assert any("larger than" in w for w in by["big"].warnings)
    assert 100 < by["big"].entries < 400 and by["big"].error is None
    assert feed_server.hits("/gz")[0].headers["accept-encoding"].startswith("gzip")
    assert by["gz"].entries == 0 or by["gz"].warnings  # gzip is decoded then cut the same way
    texts = " ".join(i.text for i in report.items)
    assert "腾讯公司今天公布" in texts and "台積電公布第三季營收" in texts
    ok = await poll(repo, T0 + timedelta(hours=1), options=FetchOptions())
    assert {r.url.rsplit("/", 1)[1]: r.entries for r in ok.results}["gz"] == 400


async def test_ssrf_refused_unless_allowed(store: Store, feed_server: FeedServer) -> None:
    repo = FeedRepo(store.engine)
    for url in (
        "http://127.0.0.1/f",
        "http://10.0.0.8/f",
        "http://169.254.169.254/x",
        "http://[::1]/f",
        "http://localhost/f",
        "file:///etc/passwd",
    ):
        with pytest.raises(SourceError, match="refused"):
            await repo.add(url, allow_private=False)
    assert await repo.list() == []
    url = feed_server.route("/f", Route(body=rss(entries(1))))
    await repo.add(url, allow_private=True)
    report = await poll_feeds(repo, now=T0, allow_private=False, default_poll_minutes=30)
    assert report.results[0].error and "loopback" in report.results[0].error
    assert feed_server.requests == [] and report.items == []
    row = await repo.get(url)
    assert row and row.failures == 1 and "refused" in (row.last_error or "")


async def test_bad_feeds_never_delay_or_stop_the_others(store: Store) -> None:
    repo = FeedRepo(store.engine)
    hosts = ["127.0.0.1", "127.0.0.2"]
    with FeedServer(hosts=hosts) as srv:
        srv.route("/slow", Route(body=rss(entries(2)), delay=20))
        srv.route("/trickle", Route(body=rss(entries(50)), trickle=0.2))
        srv.route("/laughs", Route(body=(DATA / "attack_billion_laughs.xml").read_bytes()))
        deep = rss(entries(1)).replace(b"&lt;p&gt;", b"<div>" * 100_000, 1)
        srv.route("/deep", Route(body=deep))
        srv.route("/boom", Route.error(500))
        srv.route(
            "/html", Route(body=b"<html><body>not a feed</body></html>", content_type="text/html")
        )
        for i in range(6):
            srv.route(f"/good{i}", Route(body=rss(entries(3, f"g{i}-"))))
        bad = ["/slow", "/trickle", "/laughs", "/deep", "/boom", "/html", "/missing"]
        for n, path in enumerate(bad + [f"/good{i}" for i in range(6)]):
            await repo.add(srv.url(path, host=hosts[n % 2]), allow_private=True)
        t = time.monotonic()
        report = await poll(repo, options=FetchOptions(timeout=1.5))
        wall = time.monotonic() - t
    assert wall < 4, wall
    res = {r.url.rsplit("/", 1)[1]: r for r in report.results}
    for i in range(6):
        assert res[f"good{i}"].ok and res[f"good{i}"].entries == 3
        assert res[f"good{i}"].elapsed < 1.5  # never waited for the 1.5 s timeouts of the bad ones
    assert "timed out" in (res["slow"].error or "") and "timed out" in (res["trickle"].error or "")
    # Deep nesting is cut, not refused: the entry stays (issue 16).
    assert res["deep"].entries == 1 and any("nested deeper" in w for w in res["deep"].warnings)
    assert res["laughs"].ok and res["laughs"].entries == 2
    assert res["boom"].error and res["missing"].error and res["html"].error
    assert len(report.items) == 6 * 3 + 2 + 1
    assert sum(f.failures for f in await repo.list()) == 5  # slow, trickle, boom, html, missing


async def test_backlog_of_a_new_feed_does_not_alert(store: Store, feed_server: FeedServer) -> None:
    repo = FeedRepo(store.engine)
    old = [("o1", "Old one", "x"), ("o2", "Old two", "y")]
    body = rss(old).replace(b"Wed, 04 Feb 2026 01:00:00 GMT", b"Thu, 05 Feb 2026 13:00:00 GMT")
    url = feed_server.route("/f", Route(body=body))
    await repo.add(url, allow_private=True, now=T0)  # added at 12:00; o2 is dated 13:00
    first = await poll(repo, T0 + timedelta(hours=2))
    assert first.first_poll_item_ids == {i.id for i in first.items}
    backlog = {i.title for i in first.items if i.id in first.backlog_item_ids}
    assert backlog == {"Old one"}
    feed_id = (await repo.list())[0].id
    assert all(first.item_feed[i.id] == feed_id for i in first.items)
    feed_server.route("/f", Route(body=rss([("n1", "News", "z"), *old])))
    second = await poll(repo, T0 + timedelta(hours=3))
    assert second.first_poll_item_ids == set() and second.backlog_item_ids == set()
    # Configurable: the newest N entries of a new feed may alert.
    other = feed_server.route("/g", Route(body=rss(entries(5))))
    await repo.add(other, allow_private=True, now=T0 + timedelta(days=30))
    third = await poll(
        repo, T0 + timedelta(days=30), backlog_alert_newest=2, feeds=[await repo.get(other)]
    )
    assert len(third.first_poll_item_ids) == 5 and len(third.backlog_item_ids) == 3


async def test_status_contract_table_config_sync_and_items_sink(
    store: Store, feed_server: FeedServer
) -> None:
    repo = FeedRepo(store.engine)
    url = feed_server.route("/a", Route(body=rss(entries(2))))
    rows = await repo.sync_from_config(
        [
            FeedConfig(url=url, name="Alpha", lang="en", poll_minutes=15),
            FeedConfig(url=feed_server.url("/none")),
        ]
    )
    assert [r.name for r in rows] == ["Alpha", None]
    assert len(await repo.sync_from_config([FeedConfig(url=url, name="Alpha")])) == 1
    assert len(await repo.list()) == 2
    got = []

    async def sink(batch: poll_mod.FeedItems) -> None:
        assert batch.first_poll and batch.backlog_ids <= {i.id for i in batch.items}
        got.extend(batch.items)

    progress: list[tuple[int, int]] = []
    report = await poll_feeds(
        repo,
        now=T0,
        allow_private=True,
        default_poll_minutes=30,
        on_items=sink,
        on_progress=lambda d, t: progress.append((d, t)),
    )
    assert report.items == [] and report.first_poll_item_ids == set()
    assert len(got) == 2 and progress[-1] == (2, 2)
    await store.upsert_items(got)
    status = await repo.status()
    for s in status:
        line = json.dumps(s)
        assert set(json.loads(line)) >= {
            "url",
            "name",
            "last_status",
            "last_success",
            "failures",
            "next_poll",
            "entries",
            "last_error",
        }
    alpha = next(s for s in status if s["name"] == "Alpha")
    assert alpha["entries"] == 2 and alpha["last_status"] == 200 and alpha["failures"] == 0
    assert alpha["next_poll"] == (T0 + timedelta(minutes=15)).isoformat()
    table = format_status_table(status)
    assert "Alpha" in table and "HTTP 404 Not Found" in table
    assert format_status_table([]).startswith("No feeds")
    assert await repo.remove(url) and not await repo.remove(url)


async def test_a_failing_sink_keeps_no_validators(store: Store, feed_server: FeedServer) -> None:
    repo = FeedRepo(store.engine)
    url = feed_server.route("/a", Route(body=rss(entries(2))))
    await repo.add(url, allow_private=True)

    async def broken(batch: poll_mod.FeedItems) -> None:
        raise RuntimeError("database is down")

    report = await poll(repo, on_items=broken)
    assert "storing entries failed" in (report.results[0].error or "")
    row = await repo.get(url)
    assert row and row.etag is None and row.failures == 1
    again = await poll(repo, T0 + timedelta(hours=1))  # fetched whole, not 304
    assert len(again.items) == 2
    row = await repo.get(url)
    assert row and row.etag
    await repo.clear_validators([row.id])
    row = await repo.get(url)
    assert row and row.etag is None and row.last_modified is None
