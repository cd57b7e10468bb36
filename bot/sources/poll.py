"""One polling pass over the feeds: due feeds -> fetch -> parse -> items, feed state recorded.

``poll_feeds(repo, now=..., allow_private=..., default_poll_minutes=...)`` fetches every due feed
concurrently (bounded globally and per host), parses each 200 body off the event loop (a worker
thread by default, or ``parse_executor``: a ``ParsePool`` of worker processes, or any
``concurrent.futures.Executor``), and records each feed's new
poll state in one transaction at the end. Each feed is isolated: a timeout, a hostile document
or a bug in one feed becomes that feed's error and never stops or delays the others.

Storing the items is the caller's job (``Store.upsert_items(report.items)``), as is alerting.
For the backlog of a newly added feed: ``report.first_poll_item_ids`` are all items of feeds
that had their first successful fetch in this pass, and ``report.backlog_item_ids`` the subset
that must not alert (published before the feed was added, or undated), except the newest
``backlog_alert_newest`` of each such feed.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing as mp
import os
import pickle
import socket
import struct
import time
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, cast

import httpx

from bot.models import Item, Lang
from bot.sources.feeds import FeedEntry, ParsedFeed, parse_feed
from bot.sources.fetch import Fetcher, FetchOptions, FetchResult, Resolver, make_client
from bot.store.feeds import FeedOutcome, FeedRepo, FeedRow

PARSE_TIMEOUT = 60.0


@dataclass
class FeedResult:
    feed_id: int
    url: str
    name: str | None = None
    status: int | None = None
    new_url: str | None = None
    error: str | None = None
    entries: int = 0
    not_modified: bool = False
    disabled: bool = False
    first_poll: bool = False
    warnings: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class PollReport:
    items: list[Item] = field(default_factory=list)
    results: list[FeedResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    first_poll_item_ids: set[str] = field(default_factory=set)
    backlog_item_ids: set[str] = field(default_factory=set)
    item_feed: dict[str, int] = field(default_factory=dict)  # item id -> feed id
    html: dict[str, str] = field(default_factory=dict)  # item id -> sanitized HTML (keep_html)
    elapsed: float = 0.0

    @property
    def failed(self) -> list[FeedResult]:
        return [r for r in self.results if r.error]

    def summary(self) -> str:
        n = len(self.results)
        nm = sum(r.not_modified for r in self.results)
        return (
            f"{n} feeds polled: {n - len(self.failed) - nm} fetched, {nm} not modified, "
            f"{len(self.failed)} failed; {len(self.items)} entries in {self.elapsed:.1f} s"
        )


@dataclass
class FeedItems:
    """One feed's items of this pass, as handed to ``on_items``."""

    feed: FeedRow
    items: list[Item]
    first_poll: bool = False
    backlog_ids: set[str] = field(default_factory=set)
    html: dict[str, str] = field(default_factory=dict)


ItemSink = Callable[[FeedItems], Awaitable[None]]


def split_backlog(row: FeedRow, items: list[Item], newest: int = 0) -> set[str]:
    """Ids of a first-polled feed's items that must not alert (pure): entries not newer than
    the feed's subscription, or undated, except the ``newest`` most recent ones."""
    keep: set[str] = set()
    if newest > 0:
        dated = sorted(items, key=lambda i: i.published, reverse=True)
        keep = {i.id for i in dated[:newest]}
    added = row.added_at
    backlog = set()
    for i in items:
        if i.id in keep:
            continue
        if i.date_is_fallback or added is None or i.published <= added:
            backlog.add(i.id)
    return backlog


async def poll_feeds(
    repo: FeedRepo,
    *,
    now: datetime,
    allow_private: bool,
    default_poll_minutes: int,
    only_due: bool = True,
    client: httpx.AsyncClient | None = None,
    max_concurrency: int = 20,
    per_host: int = 2,
    on_progress: Callable[[int, int], None] | None = None,
    options: FetchOptions | None = None,
    parse_executor: Executor | ParsePool | None = None,
    resolver: Resolver | None = None,
    backlog_alert_newest: int = 0,
    keep_html: bool = False,
    on_items: ItemSink | None = None,
    feeds: list[FeedRow] | None = None,
) -> PollReport:
    """Poll due (or all enabled, or the given) feeds once; see the module docstring.

    ``on_items(FeedItems)``, when given, receives each feed's items (with its backlog ids) as
    soon as they are parsed, and the report keeps no items or item ids at all, so memory stays
    flat however many feeds and entries there are (``report.items``, ``first_poll_item_ids``,
    ``backlog_item_ids``, ``item_feed`` and ``html`` stay empty).
    """
    started = time.monotonic()
    if feeds is None:
        feeds = await repo.due(now) if only_due else [f for f in await repo.list() if f.enabled]
    report = PollReport()
    own_client = client is None
    if client is None:
        client = make_client(
            allow_private=allow_private,
            options=options,
            # Not more: httpcore scans every pooled connection (two syscalls each) per request.
            max_connections=max_concurrency,
            resolver=resolver,
        )
    fetcher = Fetcher(
        client,
        allow_private=allow_private,
        options=options,
        max_concurrency=max_concurrency,
        per_host=per_host,
        resolver=resolver,
    )
    outcomes: list[tuple[FeedRow, FeedOutcome]] = []
    done = 0
    total = len(feeds)

    async def one(row: FeedRow) -> None:
        nonlocal done
        try:
            result, outcome, parsed = await _poll_one(fetcher, row, now, parse_executor, keep_html)
        except Exception as e:  # a bug must not stop the other feeds
            msg = f"internal error: {type(e).__name__}: {e}"
            result = FeedResult(feed_id=row.id, url=row.url, name=row.name, error=msg)
            outcome, parsed = FeedOutcome(status=None, ok=False, error=msg), None
        if parsed is not None:
            items = parsed.items
            batch = FeedItems(row, items, result.first_poll)
            if result.first_poll:
                batch.backlog_ids = split_backlog(row, items, backlog_alert_newest)
            if keep_html:
                batch.html = {e.item.id: e.html for e in parsed.entries if e.html}
            if on_items is not None:
                try:
                    await on_items(batch)
                except Exception as e:
                    # Not stored: keep no validators, so the next poll fetches it whole again.
                    result.error = f"storing entries failed: {type(e).__name__}: {e}"
                    outcome = FeedOutcome(status=result.status, ok=False, error=result.error)
            else:
                report.items.extend(items)
                report.item_feed.update((i.id, row.id) for i in items)
                if batch.first_poll:
                    report.first_poll_item_ids.update(i.id for i in items)
                    report.backlog_item_ids |= batch.backlog_ids
                report.html.update(batch.html)
        outcomes.append((row, outcome))
        report.results.append(result)
        report.warnings.extend(f"{row.url}: {w}" for w in result.warnings)
        if result.error:
            report.warnings.append(f"{row.url}: {result.error}")
        done += 1
        if on_progress is not None:
            on_progress(done, total)

    try:
        await asyncio.gather(*(one(row) for row in feeds))
    finally:
        if own_client:
            await client.aclose()
    await repo.record_results(outcomes, now=now, default_poll_minutes=default_poll_minutes)
    for result in report.results:
        moved = result.new_url and not result.disabled
        if moved and not await repo.set_url(result.feed_id, result.new_url or ""):
            report.warnings.append(
                f"{result.url}: moved permanently to {result.new_url}, which is already "
                "another feed; kept the old URL"
            )
            result.new_url = None
    report.elapsed = time.monotonic() - started
    return report


async def _poll_one(
    fetcher: Fetcher,
    row: FeedRow,
    now: datetime,
    executor: Executor | ParsePool | None,
    keep_html: bool,
) -> tuple[FeedResult, FeedOutcome, ParsedFeed | None]:
    fetched: FetchResult = await fetcher.fetch(
        row.url, etag=row.etag, last_modified=row.last_modified
    )
    result = FeedResult(
        feed_id=row.id,
        url=row.url,
        name=row.name,
        status=fetched.status,
        new_url=fetched.permanent_url if fetched.permanent_url != row.url else None,
        not_modified=fetched.not_modified,
        warnings=list(fetched.warnings),
        elapsed=fetched.elapsed,
    )
    if not fetched.ok:
        result.error = fetched.error or f"HTTP {fetched.status}"
        result.disabled = fetched.status == 410
        outcome = FeedOutcome(
            status=fetched.status,
            ok=False,
            error=result.error,
            retry_after=fetched.retry_after,
            gone=result.disabled,
        )
        return result, outcome, None
    if fetched.not_modified or fetched.body is None:
        outcome = FeedOutcome(
            status=fetched.status,
            ok=True,
            not_modified=True,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
        )
        return result, outcome, None
    url = result.new_url or row.url
    job = partial(
        parse_feed if executor is None else _parse_packed,
        fetched.body,
        fetched.headers,
        fetched.final_url,
        feed_key=row.key,
        fetched_at=now,
        source="feed:" + url,
        lang=cast(Lang | None, row.lang),
        want_html=keep_html,
    )
    future: Any
    if executor is None:
        future = asyncio.to_thread(job)
    elif isinstance(executor, ParsePool):
        future = executor.run(job)
    else:
        future = asyncio.get_running_loop().run_in_executor(executor, job)
    try:
        parsed: ParsedFeed = _unpacked(await asyncio.wait_for(future, PARSE_TIMEOUT))
    except TimeoutError:
        parsed = ParsedFeed(error=f"parsing took longer than {PARSE_TIMEOUT:g} s; skipped")
    result.warnings.extend(parsed.warnings)
    if parsed.error:
        result.error = parsed.error
        return result, FeedOutcome(status=fetched.status, ok=False, error=parsed.error), None
    result.entries = len(parsed.entries)
    result.first_poll = row.last_success is None
    # A cut body is not the document the validators name: fetch it whole again next time.
    outcome = FeedOutcome(
        status=fetched.status,
        ok=True,
        etag=None if fetched.truncated else fetched.etag,
        last_modified=None if fetched.truncated else fetched.last_modified,
        entries=len(parsed.entries),
    )
    return result, outcome, parsed


# ---- results of a parse in another process -------------------------------------------------------
#
# Unpickling 50 pydantic Items the generic way (copyreg + BaseModel.__setstate__ per item) is a
# good part of the event loop process's work per feed. A parse in a worker process therefore
# returns a _PackedFeed, which pickles its items as tuples of field values and unpickles them
# straight into the same state BaseModel.__setstate__ would set (the same objects, equal and
# with equal __getstate__()); anything unexpected in an item's state sends the ParsedFeed as is.

_ITEM_FIELDS = tuple(Item.model_fields)
_ITEM_STATE = frozenset(
    {"__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"}
)


class _PackedFeed:
    __slots__ = ("parsed",)

    def __init__(self, parsed: ParsedFeed) -> None:
        self.parsed = parsed

    def __reduce__(self) -> tuple[Any, ...]:
        parsed = self.parsed
        all_fields = set(_ITEM_FIELDS)
        rows = []
        for e in parsed.entries:
            state = e.item.__getstate__()
            values = state.get("__dict__")
            if (
                type(e.item) is not Item
                or state.keys() != _ITEM_STATE
                or state["__pydantic_extra__"] is not None
                or state["__pydantic_private__"] is not None
                or not isinstance(values, dict)
                or tuple(values) != _ITEM_FIELDS
            ):
                return (_unpacked, (parsed,))
            fields_set = state["__pydantic_fields_set__"]
            rows.append(
                (
                    tuple(values.values()),
                    None if fields_set == all_fields else fields_set,
                    e.identity,
                    e.html,
                )
            )
        meta = ParsedFeed(**{**parsed.__dict__, "entries": []})
        return (_unpack, (meta, rows))


def _parse_packed(*args: Any, **kwargs: Any) -> _PackedFeed:
    return _PackedFeed(parse_feed(*args, **kwargs))


def _unpacked(result: ParsedFeed | _PackedFeed) -> ParsedFeed:
    return result.parsed if isinstance(result, _PackedFeed) else result


def _unpack(
    meta: ParsedFeed, rows: list[tuple[tuple[Any, ...], set[str] | None, str, str | None]]
) -> ParsedFeed:
    new = object.__new__
    setattr_ = object.__setattr__
    fields = _ITEM_FIELDS
    all_fields = frozenset(fields)
    append = meta.entries.append
    for values, fields_set, identity, html in rows:
        item = new(Item)
        setattr_(item, "__dict__", dict(zip(fields, values, strict=True)))
        setattr_(
            item, "__pydantic_fields_set__", set(all_fields if fields_set is None else fields_set)
        )
        setattr_(item, "__pydantic_extra__", None)
        setattr_(item, "__pydantic_private__", None)
        entry = new(FeedEntry)  # a frozen dataclass, filled as pickle would
        setattr_(entry, "__dict__", {"item": item, "identity": identity, "html": html})
        append(entry)
    return meta


# ---- a pool of parse processes driven by the event loop ------------------------------------------

_HEAD = struct.Struct(">QQ")  # payload length, job number
_PER_WORKER = 3  # jobs handed to a worker at a time: the one it parses and the next two


class BrokenParseWorker(RuntimeError):
    """The worker process running a job died (or its result could not be read)."""


class ParsePool:
    """Worker processes for ``poll_feeds(parse_executor=...)``, driven from the event loop.

    Each worker has its own socket pair; a job and its result are length-prefixed pickles
    written and read by the event loop. Unlike ``ProcessPoolExecutor`` (a manager thread, a
    feeder thread, queues and locks for every job), handing a body over and getting its items
    back costs the event loop's process little more than the pickling. Jobs wait in the pool
    (not pickled) until a worker has room, at most ``_PER_WORKER`` at a time. A worker that dies
    fails only its own jobs (``BrokenParseWorker``) and is replaced. Use within one event loop::

        with ParsePool(4) as pool:
            await poll_feeds(..., parse_executor=pool)
    """

    def __init__(self, workers: int | None = None, *, mp_context: Any = None) -> None:
        self._ctx = mp_context or mp.get_context(
            "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        )
        self._workers = [_Worker(self._ctx) for _ in range(workers or os.cpu_count() or 1)]
        self._queue: deque[tuple[asyncio.Future[Any], Callable[..., Any], Any, Any]] = deque()
        self._jobs = itertools.count()
        self._closed = False

    @property
    def pids(self) -> list[int]:
        return [w.proc.pid or 0 for w in self._workers]

    async def run(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)`` in a worker process (``fn`` and the values pickled)."""
        if self._closed:
            raise RuntimeError("ParsePool is closed")
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append((fut, fn, args, kwargs))
        self._pump()
        try:
            return await fut
        finally:
            fut.cancel()  # if still queued, it is skipped; if running, its result is dropped

    def _pump(self) -> None:
        """Hand queued jobs to the least busy workers with room (replacing dead workers)."""
        if not self._queue:
            return
        for i, worker in enumerate(self._workers):
            if worker.dead:
                worker.close()
                worker = self._workers[i] = _Worker(self._ctx)
            if worker.writer is None:
                worker.connect(self._pump)
        ready = [w for w in self._workers if w.writer is not None and not w.dead]
        while self._queue and ready:
            worker = min(ready, key=lambda w: len(w.pending))
            if len(worker.pending) >= _PER_WORKER:
                return
            fut, fn, args, kwargs = self._queue.popleft()
            if not fut.done():
                worker.send(next(self._jobs), fut, fn, args, kwargs)

    def close(self) -> None:
        self._closed = True
        for w in self._workers:
            w.close()
        for fut, *_ in self._queue:
            fut.cancel()
        self._queue.clear()

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> ParsePool:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


class _Worker:
    def __init__(self, ctx: Any) -> None:
        self.sock, child = socket.socketpair()
        try:
            self.proc = ctx.Process(target=_worker_main, args=(child,), daemon=True)
            self.proc.start()
        finally:
            child.close()
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self.connecting: asyncio.Task[None] | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.reading: asyncio.Task[None] | None = None
        self.dead = False

    def connect(self, on_ready: Callable[[], None]) -> None:
        if self.connecting is None:
            self.connecting = asyncio.ensure_future(self._connect(on_ready))

    async def _connect(self, on_ready: Callable[[], None]) -> None:
        try:
            reader, writer = await asyncio.open_unix_connection(sock=self.sock)
        except OSError:
            self.dead = True
        else:
            self.writer = writer
            self.reading = asyncio.create_task(self._read(reader, on_ready))
        on_ready()

    def send(
        self, job: int, fut: asyncio.Future[Any], fn: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        assert self.writer is not None
        try:
            blob = pickle.dumps((fn, args, kwargs), pickle.HIGHEST_PROTOCOL)
        except Exception as e:
            fut.set_exception(e)
            return
        self.pending[job] = fut
        self.writer.write(_HEAD.pack(len(blob), job))
        self.writer.write(blob)

    async def _read(self, reader: asyncio.StreamReader, on_ready: Callable[[], None]) -> None:
        problem = "the parse worker process died"
        try:
            while True:
                size, job = _HEAD.unpack(await reader.readexactly(_HEAD.size))
                data = await reader.readexactly(size)
                fut = self.pending.pop(job, None)
                if fut is not None and not fut.done():
                    try:
                        ok, value = pickle.loads(data)
                    except Exception as e:
                        fut.set_exception(BrokenParseWorker(f"unreadable result: {e!r}"))
                    else:
                        if ok:
                            fut.set_result(value)
                        else:
                            fut.set_exception(value)
                on_ready()
        except (asyncio.IncompleteReadError, OSError) as e:
            problem += f" ({type(e).__name__})"
        finally:
            self.dead = True
            for fut in self.pending.values():
                if not fut.done():
                    fut.set_exception(BrokenParseWorker(problem))
            self.pending.clear()
            on_ready()

    def close(self) -> None:
        self.dead = True
        for task in (self.connecting, self.reading):
            if task is not None:
                task.cancel()
        if self.writer is not None:
            self.writer.close()
        else:
            self.sock.close()
        self.proc.join(2)  # the worker exits at the end of its input
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(2)


def _worker_main(sock: socket.socket) -> None:
    """A parse worker: read a job, run it, write its result back, until the pool hangs up."""
    with sock, sock.makefile("rb") as rfile:
        while True:
            head = rfile.read(_HEAD.size)
            if len(head) < _HEAD.size:
                return
            size, job = _HEAD.unpack(head)
            data = rfile.read(size)
            if len(data) < size:
                return
            try:
                fn, args, kwargs = pickle.loads(data)
                out: tuple[bool, Any] = (True, fn(*args, **kwargs))
            except BaseException as e:  # the job's own error goes back to its caller
                out = (False, e)
            try:
                blob = pickle.dumps(out, pickle.HIGHEST_PROTOCOL)
            except Exception as e:
                blob = pickle.dumps((False, RuntimeError(f"result not picklable: {e!r}")))
            try:
                sock.sendall(_HEAD.pack(len(blob), job) + blob)
            except OSError:
                return
