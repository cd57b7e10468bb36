"""Feed ingestion benchmark: Briefbot's poller against "the simple way".

Serves N feeds x M entries (default 1,000 x 50, ~23 KB each) from a local HTTP server running in
its own process on 50 loopback addresses (127.0.0.1-50, so the 2-per-host limit is realistic),
then measures, in this process:

* cold pass: every feed new -- fetch (20 concurrent, 2 per host) + parse + poll state recorded
  (SQLite), parsing in a pool of worker processes (``--workers``, pre-started; a
  ``bot.sources.poll.ParsePool``, which ``poll_feeds`` drives from the event loop -- earlier
  versions of this benchmark used a ``concurrent.futures.ProcessPoolExecutor``, whose manager
  and feeder threads cost the polling process ~0.6 ms per feed);
* warm pass: the same feeds again -- every one answers 304 Not Modified;
* peak memory of a cold pass (tracemalloc, parsing in a thread so it is all counted) at N/4 and N
  feeds -- items are handed to a sink as they come (``on_items``), as an ingest would store
  them, so memory should not grow with the number of feeds;
* the simple way: ``feedparser.parse(url)`` for each feed in turn, on the first ``--baseline``
  feeds (default 100), scaled to N;
* the same cold pass and simple way again with a simulated network round trip
  (``--latency-ms``, default 100 ms per response), which is what real feeds look like.

Run: ``.venv/bin/python benchmarks/ingest.py`` (about a minute; ``--quick`` for a smoke run).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.sources.feeds import parse_feed  # noqa: E402
from bot.sources.poll import FeedItems, ParsePool, PollReport, poll_feeds  # noqa: E402
from bot.store.feeds import FeedRepo, FeedRow  # noqa: E402
from bot.store.store import Store  # noqa: E402
from tests.fakes.feed_server import FeedServer, Route  # noqa: E402

HOSTS = [f"127.0.0.{i}" for i in range(1, 51)]
T0 = datetime(2026, 2, 5, 12, 0, tzinfo=UTC)


def make_feed(k: int, n: int) -> bytes:
    items = []
    for i in range(n):
        items.append(
            f"<item><title>Company {k}-{i} lifts capex to ${i + 10} billion</title>"
            f"<link>https://news{k}.example.com/story/{i}</link>"
            f'<guid isPermaLink="false">{k}-{i}</guid>'
            f"<pubDate>Mon, 02 Feb 2026 {i % 24:02d}:{k % 60:02d}:00 GMT</pubDate>"
            "<description><![CDATA[<p>Company said on Monday it will spend as much as "
            f"<b>${i + 10} billion</b> on data centres this year, up 66% year over year.</p>"
            f"<p>Revenue rose to {i + 30}.5 billion yuan (about ${i % 9 + 1}.2 billion). "
            f'<a href="/more/{i}">More</a></p>]]></description></item>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {k}</title><link>https://news{k}.example.com/</link>"
        f"<description>Benchmark feed {k}</description>{''.join(items)}</channel></rss>"
    ).encode()


def feed_url(port: int, k: int) -> str:
    return f"http://{HOSTS[k % len(HOSTS)]}:{port}/feed/{k}.xml"


# ---- the server process -------------------------------------------------------------------------


def _serve(n_feeds: int, n_entries: int, latency: float, ready: Any, stop: Any) -> None:
    bodies = {f"/feed/{k}.xml": make_feed(k, n_entries) for k in range(n_feeds)}

    def route(path: str) -> Route | None:
        body = bodies.get(path)
        return Route(body=body, delay=latency) if body is not None else None

    with FeedServer(hosts=HOSTS, fallback=route, record=False) as srv:
        ready.send(srv.port)
        stop.wait()


class ServerProcess:
    def __init__(self, n_feeds: int, n_entries: int, latency: float) -> None:
        ctx = mp.get_context("fork")
        self.stop = ctx.Event()
        recv, send = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(
            target=_serve, args=(n_feeds, n_entries, latency, send, self.stop), daemon=True
        )
        self.proc.start()
        self.port: int = recv.recv()

    def close(self) -> None:
        self.stop.set()
        self.proc.join(10)


# ---- passes -------------------------------------------------------------------------------------


async def new_repo(tmp: Path, name: str, port: int, n: int) -> tuple[Store, FeedRepo]:
    store = Store.open(f"sqlite:///{tmp / name}")
    await store.upgrade()
    repo = FeedRepo(store.engine)
    for k in range(n):
        await repo.add(feed_url(port, k), allow_private=True, now=T0, check_dns=False)
    return store, repo


async def one_pass(
    repo: FeedRepo, feeds: list[FeedRow], executor: ParsePool | None
) -> tuple[float, int, PollReport]:
    count = 0

    async def sink(batch: FeedItems) -> None:
        nonlocal count
        count += len(batch.items)

    t = time.perf_counter()
    report = await poll_feeds(
        repo,
        now=T0,
        allow_private=True,
        default_poll_minutes=30,
        only_due=False,
        feeds=feeds,
        parse_executor=executor,
        on_items=sink,
    )
    return time.perf_counter() - t, count, report


async def memory_pass(tmp: Path, port: int, n: int) -> int:
    store, repo = await new_repo(tmp, f"mem{n}.db", port, n)
    feeds = await repo.list()
    tracemalloc.start()
    try:
        await one_pass(repo, feeds, None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await store.close()
    return peak


def simple_way(port: int, n: int) -> float:
    t = time.perf_counter()
    for k in range(n):
        d = feedparser.parse(feed_url(port, k))
        assert d.entries, d.get("bozo_exception")
    return time.perf_counter() - t


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu(pids: list[int]) -> list[float]:
    return [
        time.process_time(),
        *(sum(_cpu_seconds(p) for p in ps) for ps in ([pids[0]], pids[1:])),
    ]


def _warm_up() -> int:
    return len(parse_feed(make_feed(0, 2), {}, "https://x/", feed_key="w", fetched_at=T0).entries)


# ---- main ---------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> None:
    n, m, b = args.feeds, args.entries, args.baseline
    print(f"Briefbot feed ingestion benchmark: {n} feeds x {m} entries, {os.cpu_count()} CPUs")
    print(f"feed size {len(make_feed(1, m)) / 1024:.1f} KB; server in its own process")
    ctx = mp.get_context("forkserver")
    with (
        tempfile.TemporaryDirectory() as tmpdir,
        ParsePool(args.workers, mp_context=ctx) as pool,
    ):
        tmp = Path(tmpdir)
        await asyncio.gather(*(pool.run(_warm_up) for _ in range(args.workers * 4)))
        server = ServerProcess(n, m, 0.0)
        try:
            store, repo = await new_repo(tmp, "bench.db", server.port, n)
            feeds = await repo.list()
            # CPU of this process, the server and the parse workers, so that a run on a busy
            # machine still says what a feed costs.
            pids = [server.proc.pid or 0, *pool.pids]
            cpu0 = _cpu(pids)
            cold, items, rep = await one_pass(repo, feeds, pool)
            cpu_main, cpu_server, cpu_workers = (
                b - a for a, b in zip(cpu0, _cpu(pids), strict=True)
            )
            assert items == n * m and not rep.failed, rep.warnings[:3]
            feeds = await repo.list()
            warm, warm_items, rep = await one_pass(repo, feeds, pool)
            assert warm_items == 0 and all(r.not_modified for r in rep.results)
            await store.close()
            c = time.process_time()
            base = simple_way(server.port, b)
            base_cpu = time.process_time() - c
            base_scaled = base * n / b
            mem_small = await memory_pass(tmp, server.port, n // 4)
            mem_full = await memory_pass(tmp, server.port, n)
        finally:
            server.close()
        print()
        print("localhost, no network latency:")
        print(f"  cold pass  {cold:7.2f} s  {items / cold:9.0f} items/s  ({items} items, all new)")
        print(
            f"  cold pass CPU per feed: {cpu_main * 1e3 / n:.2f} ms this process (fetch, "
            f"poll), {cpu_workers * 1e3 / n:.2f} ms parse workers, {cpu_server * 1e3 / n:.2f} ms "
            f"server; {(cpu_main + cpu_workers) * 1e3 / n:.2f} ms ours"
        )
        print(f"  warm pass  {warm:7.2f} s  (all {n} feeds 304 Not Modified)")
        print(
            f"  simple way {base_scaled:7.2f} s  {n * m / base_scaled:9.0f} items/s  "
            f"(sequential feedparser.parse(url): {b} feeds took {base:.2f} s, scaled x{n / b:g})"
        )
        print(
            f"  cold pass is {base_scaled / cold:.1f}x the simple way "
            f"(simple way CPU: {base_cpu * 1e3 / b:.2f} ms per feed, this process)"
        )
        print(
            f"  peak traced memory of a cold pass: {mem_small / 2**20:.1f} MB at {n // 4} feeds, "
            f"{mem_full / 2**20:.1f} MB at {n} feeds (items streamed to a sink)"
        )

        if args.latency_ms > 0:
            lat = args.latency_ms / 1000
            server = ServerProcess(n, m, lat)
            try:
                store, repo = await new_repo(tmp, "lat.db", server.port, n)
                cold_l, items_l, rep = await one_pass(repo, await repo.list(), pool)
                assert items_l == n * m and not rep.failed
                await store.close()
                bl = max(10, b // 4)
                base_l = simple_way(server.port, bl) * n / bl
            finally:
                server.close()
            print()
            print(f"with a simulated network round trip of {args.latency_ms:g} ms per response:")
            print(f"  cold pass  {cold_l:7.2f} s  {items_l / cold_l:9.0f} items/s")
            print(f"  simple way {base_l:7.2f} s  (first {bl} feeds, scaled x{n / bl:g})")
            print(f"  cold pass is {base_l / cold_l:.1f}x the simple way")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"process max RSS {rss:.0f} MB (includes the interpreter, SQLite and tracemalloc runs)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--entries", type=int, default=50)
    ap.add_argument("--baseline", type=int, default=100, help="feeds for the simple way")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--latency-ms", type=float, default=100)
    ap.add_argument("--quick", action="store_true", help="100 feeds, for a smoke run")
    args = ap.parse_args()
    if args.quick:
        args.feeds, args.baseline = 100, 20
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
