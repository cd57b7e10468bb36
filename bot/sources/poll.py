"""One polling pass over the feeds: due feeds -> fetch -> parse -> items, feed state recorded.

``poll_feeds(repo, now=..., allow_private=..., default_poll_minutes=...)`` fetches every due feed
concurrently (bounded globally and per host), parses each 200 body off the event loop (a worker
thread by default, or ``parse_executor`` such as a process pool), and records each feed's new
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
import time
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
    parse_executor: Executor | None = None,
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
    executor: Executor | None,
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
    loop = asyncio.get_running_loop()
    future: Any = (
        loop.run_in_executor(executor, job) if executor is not None else asyncio.to_thread(job)
    )
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
