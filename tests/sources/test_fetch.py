"""Fetcher against a real HTTP server on 127.0.0.1: politeness, limits, redirects, SSRF guard."""

from __future__ import annotations

import asyncio
import gzip
import time
import tracemalloc
from collections.abc import AsyncIterator
from email.utils import formatdate

import pytest

from bot import __version__
from bot.sources.fetch import (
    Fetcher,
    FetchOptions,
    _Slots,
    address_problem,
    make_client,
    parse_retry_after,
)
from tests.fakes.feed_server import FeedServer, Route
from tests.sources.helpers import entries, rss

BODY = rss(entries(3))


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with make_client(allow_private=True) as client:
        yield Fetcher(client, allow_private=True)


async def test_user_agent_and_conditional_get(feed_server: FeedServer, fetcher: Fetcher) -> None:
    url = feed_server.route("/f", Route(body=BODY))
    first = await fetcher.fetch(url)
    assert first.status == 200 and first.body == BODY and first.etag and first.last_modified
    req = feed_server.hits("/f")[0]
    assert req.headers["user-agent"] == f"Briefbot/{__version__} (+https://github.com/briefbot)"
    assert "gzip" in req.headers["accept-encoding"]
    again = await fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert again.status == 304 and again.not_modified and again.body is None and again.ok
    assert feed_server.hits("/f")[1].headers["if-none-match"] == first.etag
    by_date = await fetcher.fetch(url, last_modified=first.last_modified)
    assert by_date.not_modified


async def test_gzip_and_deflate(feed_server: FeedServer, fetcher: Fetcher) -> None:
    for path, route in (
        ("/gz", Route(body=BODY, gzip=True)),
        ("/df", Route(body=BODY, deflate=True)),
    ):
        r = await fetcher.fetch(feed_server.route(path, route))
        assert r.body == BODY and r.headers["content-encoding"] in ("gzip", "deflate")


async def test_redirects(feed_server: FeedServer, fetcher: Fetcher) -> None:
    target = feed_server.route("/new", Route(body=BODY))
    feed_server.route("/p301", Route.redirect("/new", 301))
    feed_server.route("/p308", Route.redirect(target, 308))
    feed_server.route("/t302", Route.redirect("/new", 302))
    feed_server.route("/chain", Route.redirect("/p301", 308))
    feed_server.route("/mixed", Route.redirect("/t302", 301))
    feed_server.route("/loop", Route.redirect("/loop", 302))
    r = await fetcher.fetch(feed_server.url("/p301"))
    assert r.body == BODY and r.permanent_url == target and r.final_url == target
    assert (await fetcher.fetch(feed_server.url("/p308"))).permanent_url == target
    assert (await fetcher.fetch(feed_server.url("/chain"))).permanent_url == target
    temp = await fetcher.fetch(feed_server.url("/t302"))
    assert temp.body == BODY and temp.permanent_url is None
    mixed = await fetcher.fetch(feed_server.url("/mixed"))
    assert mixed.permanent_url == feed_server.url("/t302")  # only the permanent part
    loop = await fetcher.fetch(feed_server.url("/loop"))
    assert loop.error == "more than 5 redirects" and not loop.ok


async def test_errors_and_retry_after(feed_server: FeedServer, fetcher: Fetcher) -> None:
    assert (await fetcher.fetch(feed_server.url("/missing"))).error == "HTTP 404 Not Found"
    gone = await fetcher.fetch(feed_server.route("/gone", Route.error(410)))
    assert gone.status == 410 and not gone.ok
    boom = await fetcher.fetch(feed_server.route("/boom", Route.error(500)))
    assert boom.error == "HTTP 500 Internal Server Error"
    busy = await fetcher.fetch(feed_server.route("/busy", Route.error(429, retry_after="120")))
    assert busy.status == 429 and busy.retry_after == 120
    later = formatdate(time.time() + 3600, usegmt=True)
    unavailable = await fetcher.fetch(
        feed_server.route("/503", Route.error(503, retry_after=later))
    )
    assert unavailable.retry_after is not None and 3500 < unavailable.retry_after <= 3600
    assert parse_retry_after("soon") is None and parse_retry_after("-5") == 0
    assert parse_retry_after(str(10**9)) == 7 * 24 * 3600


async def test_timeouts_slow_and_trickling(feed_server: FeedServer) -> None:
    slow = feed_server.route("/slow", Route(body=BODY, delay=5))
    trickle = feed_server.route("/trickle", Route(body=b"x" * 100_000, trickle=0.1))
    opts = FetchOptions(timeout=0.5, read_timeout=5)
    async with make_client(allow_private=True, options=opts) as client:
        f = Fetcher(client, allow_private=True, options=opts)
        t = time.monotonic()
        results = await asyncio.gather(f.fetch(slow), f.fetch(trickle))
        assert time.monotonic() - t < 1.5
    assert all(r.error and "timed out" in r.error for r in results)


async def test_oversized_body_is_cut_with_warning(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    big = b"<rss>" + b"x" * (11 * 1024 * 1024)
    r = await fetcher.fetch(feed_server.route("/big", Route(body=big)))
    assert r.truncated and r.body is not None and len(r.body) == 10 * 1024 * 1024
    assert any("larger than 10 MB" in w for w in r.warnings)


async def test_gzip_bomb_is_cut_without_inflating_it(feed_server: FeedServer) -> None:
    bomb = gzip.compress(b"\0" * (40 * 1024 * 1024), 6)  # 40 MB -> ~40 KB
    feed_server.route(
        "/bomb", Route(body=bomb, headers={"Content-Encoding": "gzip"}, conditional=False)
    )
    opts = FetchOptions(max_bytes=1024 * 1024)
    async with make_client(allow_private=True, options=opts) as client:
        tracemalloc.start()
        r = await Fetcher(client, allow_private=True, options=opts).fetch(feed_server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert r.truncated and r.body is not None and len(r.body) == 1024 * 1024
    assert peak < 16 * 1024 * 1024


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1:{port}/f", "loopback"),
        ("http://10.1.2.3/f", "private"),
        ("http://192.168.0.10/f", "private"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://[::1]:{port}/f", "loopback"),
        ("http://[::ffff:127.0.0.1]/f", "loopback"),
        ("http://localhost:{port}/f", "loopback"),
        ("http://0.0.0.0/f", "unspecified"),
    ],
)
async def test_ssrf_guard_refuses_private_addresses(
    feed_server: FeedServer, url: str, kind: str
) -> None:
    feed_server.route("/f", Route(body=BODY))
    async with make_client(allow_private=False) as client:
        r = await Fetcher(client, allow_private=False).fetch(url.format(port=feed_server.port))
    assert r.error and r.error.startswith("refused:") and kind in r.error
    assert "BRIEFBOT_ALLOW_PRIVATE_FEEDS" in r.error
    assert feed_server.requests == []


async def test_ssrf_guard_checks_every_address_and_the_connection(feed_server: FeedServer) -> None:
    feed_server.route("/f", Route(body=BODY))

    async def mixed(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.5"]

    async with make_client(allow_private=False, resolver=mixed) as client:
        r = await Fetcher(client, allow_private=False, resolver=mixed).fetch("http://feeds.test/f")
    assert r.error and "10.0.0.5" in r.error and "private" in r.error

    answers = iter([["93.184.216.34"], ["127.0.0.1"], ["127.0.0.1"]])

    async def rebinding(host: str, port: int) -> list[str]:  # public when checked, then loopback
        return next(answers)

    url = f"http://rebind.test:{feed_server.port}/f"
    async with make_client(allow_private=False, resolver=rebinding) as client:
        r = await Fetcher(client, allow_private=False, resolver=rebinding).fetch(url)
    assert r.error and "refused" in r.error and "loopback" in r.error
    assert feed_server.requests == []
    async with make_client(allow_private=False) as client:
        ftp = await Fetcher(client, allow_private=False).fetch("ftp://example.com/feed")
    assert ftp.error and "not an http(s) URL" in ftp.error


def test_address_classification() -> None:
    assert address_problem("8.8.8.8") is None
    assert address_problem("2606:4700:4700::1111") is None
    assert address_problem("100.64.0.1") == "reserved"  # carrier-grade NAT is not public
    assert address_problem("fe80::1") == "link-local"
    assert address_problem("fc00::1") == "private"


async def test_concurrency_global_and_per_host() -> None:
    hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    with FeedServer(hosts=hosts) as srv:
        srv.route("/s", Route(body=BODY, delay=0.2))
        urls = [srv.url(f"/s?{i}", host=h) for h in hosts for i in range(4)]
        async with make_client(allow_private=True) as client:
            f = Fetcher(client, allow_private=True, max_concurrency=20, per_host=2)
            results = await asyncio.gather(*(f.fetch(u) for u in urls))
        assert all(r.ok for r in results)
        assert all(srv.peak_in_flight[h] == 2 for h in hosts), srv.peak_in_flight
        srv.clear()
        async with make_client(allow_private=True) as client:
            f = Fetcher(client, allow_private=True, max_concurrency=1, per_host=2)
            await asyncio.gather(*(f.fetch(u) for u in urls[:6]))
        assert max(srv.peak_in_flight.values()) == 1


async def test_feeds_on_one_host_reuse_its_connections() -> None:
    hosts = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    with FeedServer(hosts=hosts) as srv:
        srv.route("/s", Route(body=BODY))
        urls = [srv.url(f"/s?{i}", host=hosts[i % 3]) for i in range(60)]
        async with make_client(allow_private=True, max_connections=4) as client:
            f = Fetcher(client, allow_private=True, max_concurrency=4, per_host=2)
            results = await asyncio.gather(*(f.fetch(u) for u in urls))
        assert all(r.ok and r.body == BODY for r in results)
        # 3 hosts x at most 2 connections each (plus a few replaced when the pool of 4 is
        # full), not one connection per feed
        assert srv.connections <= 8, srv.connections
        assert max(srv.peak_in_flight.values()) <= 2


async def test_slots_limits_stickiness_and_cancellation() -> None:
    slots = _Slots(2, 1)
    order: list[str] = []
    running: dict[str, int] = {}
    peak = 0

    async def job(host: str, tag: str) -> None:
        nonlocal peak
        await slots.acquire(host)
        try:
            running[host] = running.get(host, 0) + 1
            peak = max(peak, sum(running.values()))
            assert running[host] <= 1
            order.append(tag)
            await asyncio.sleep(0.01)
        finally:
            running[host] -= 1
            slots.release(host)

    jobs = [job(h, f"{h}{i}") for i in range(3) for h in "abc"]
    await asyncio.gather(*jobs)
    assert peak == 2
    # a and b start; a freed slot goes to the same host's next job, so c waits until a or b
    # has no more work, and each host's jobs run back to back on "its" slot.
    assert order[:2] == ["a0", "b0"] and order.index("c0") >= 4, order
    assert slots.free == 2 and not slots.running and not slots.waiting

    # A waiter that is cancelled gives up its place; a granted-then-cancelled one its slot.
    await slots.acquire("x")
    await slots.acquire("y")
    waiter = asyncio.ensure_future(slots.acquire("z"))
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    granted = asyncio.ensure_future(slots.acquire("z"))
    await asyncio.sleep(0)
    slots.release("x")  # hands the slot to z ...
    granted.cancel()  # ... whose task is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await granted
    slots.release("y")
    assert slots.free == 2 and not slots.running and not slots.waiting
