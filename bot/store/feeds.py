"""Feed subscriptions and their poll state (the ``feeds`` table). Shares the store's engine.

``FeedRepo(engine)`` adds, removes and lists feeds, says which are due, and records what each
fetch gave: ETag/Last-Modified for the next conditional GET, last status, last success,
consecutive failures, the next poll time (interval on success; exponential backoff capped at
``BACKOFF_CAP`` on failure, never sooner than a Retry-After), 410 Gone disables.

Items of a feed are stored with ``source = "feed:<url>"``; ``status()`` counts them per feed, and
``set_url`` (a permanent redirect) moves them to the new URL with the feed.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import FeedConfig
from bot.errors import SourceError
from bot.store import schema as t
from bot.store.conn import Guard, aware, now_utc

BACKOFF_CAP = timedelta(hours=6)
SOURCE_PREFIX = "feed:"


@dataclass(frozen=True)
class FeedRow:
    id: int
    url: str
    name: str | None = None
    lang: str | None = None
    poll_minutes: int | None = None
    enabled: bool = True
    etag: str | None = None
    last_modified: str | None = None
    last_status: int | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    failures: int = 0
    next_poll: datetime | None = None
    entries: int = 0  # entries in the last document parsed
    added_at: datetime | None = None

    @property
    def source(self) -> str:
        """``Item.source`` of this feed's items."""
        return SOURCE_PREFIX + self.url

    @property
    def key(self) -> str:
        """Scope of this feed's item ids: stable while the row lives, also across redirects."""
        return f"feed-{self.id}"

    @property
    def display_name(self) -> str:
        return self.name or self.url


@dataclass(frozen=True)
class FeedOutcome:
    """What one poll of one feed gave (built by ``sources.poll``)."""

    status: int | None
    ok: bool
    not_modified: bool = False
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    entries: int | None = None
    retry_after: float | None = None
    gone: bool = False


def backoff_delay(failures: int, interval: timedelta, cap: timedelta = BACKOFF_CAP) -> timedelta:
    """Wait after ``failures`` consecutive failures: the interval, doubling each time, capped
    (at the interval itself when that is longer than the cap)."""
    if failures <= 0:
        return interval
    factor = 2 ** min(failures - 1, 30)
    return min(interval * factor, max(cap, interval))


def next_state(
    row: FeedRow, outcome: FeedOutcome, *, now: datetime, default_poll_minutes: int
) -> dict[str, Any]:
    """The row's new poll-state columns after ``outcome`` (pure)."""
    interval = timedelta(minutes=row.poll_minutes or default_poll_minutes)
    state: dict[str, Any] = {"last_status": outcome.status}
    if outcome.ok:
        state.update(
            failures=0,
            last_success=now,
            last_error=None,
            next_poll=now + interval,
            etag=outcome.etag if outcome.etag or not outcome.not_modified else row.etag,
            last_modified=(
                outcome.last_modified
                if outcome.last_modified or not outcome.not_modified
                else row.last_modified
            ),
        )
        if outcome.entries is not None:
            state["entries"] = outcome.entries
        return state
    failures = row.failures + 1
    delay = backoff_delay(failures, interval)
    if outcome.retry_after:
        delay = max(delay, timedelta(seconds=outcome.retry_after))
    state.update(failures=failures, last_error=outcome.error, next_poll=now + delay)
    if outcome.gone:
        state.update(
            enabled=False,
            next_poll=None,
            last_error=f"{outcome.error or 'HTTP 410 Gone'}: feed disabled (add it again to resume)",
        )
    return state


def _row(r: Any) -> FeedRow:
    return FeedRow(
        id=r["id"],
        url=r["url"],
        name=r["name"],
        lang=r["lang"],
        poll_minutes=r["poll_minutes"],
        enabled=bool(r["enabled"]),
        etag=r["etag"],
        last_modified=r["last_modified"],
        last_status=r["last_status"],
        last_success=aware(r["last_success"]),
        last_error=r["last_error"],
        failures=r["failures"] or 0,
        next_poll=aware(r["next_poll"]),
        entries=r["entries"] or 0,
        added_at=aware(r["added_at"]),
    )


def normalize_url(url: str) -> str:
    return url.strip().split("#", 1)[0]


class FeedRepo:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    # ---- subscriptions -----------------------------------------------------------------------

    async def add(
        self,
        url: str,
        name: str | None = None,
        lang: str | None = None,
        poll_minutes: int | None = None,
        *,
        allow_private: bool,
        now: datetime | None = None,
        check_dns: bool = True,
    ) -> FeedRow:
        """Subscribe (idempotent: an existing feed gets the given fields and is re-enabled).

        Raises ``SourceError`` (``UnsafeURL``) for a non-http(s) URL or a private address; a host
        that does not resolve now is accepted (the fetch reports it).
        """
        from bot.sources.fetch import UnsafeURL, check_url, check_url_syntax

        url = normalize_url(url)
        check_url_syntax(url, allow_private=allow_private)
        if check_dns and not allow_private:
            try:
                await check_url(url, allow_private=False)
            except UnsafeURL:
                raise
            except SourceError:
                pass  # does not resolve now; fetches will say so
        if lang is not None and lang not in ("en", "zh"):
            raise SourceError(f"feed language {lang!r} is not supported (use en or zh)")
        if poll_minutes is not None and poll_minutes < 1:
            raise SourceError("poll interval must be at least 1 minute")
        async with self._begin() as conn:
            found = (
                (await conn.execute(select(t.feeds).where(t.feeds.c.url == url))).mappings().first()
            )
            if found is None:
                await conn.execute(
                    t.feeds.insert().values(
                        url=url,
                        name=name,
                        lang=lang,
                        poll_minutes=poll_minutes,
                        enabled=True,
                        failures=0,
                        entries=0,
                        added_at=now or now_utc(),
                    )
                )
            else:
                values: dict[str, Any] = {}
                if name is not None:
                    values["name"] = name
                if lang is not None:
                    values["lang"] = lang
                if poll_minutes is not None:
                    values["poll_minutes"] = poll_minutes
                if not found["enabled"]:
                    values.update(enabled=True, failures=0, next_poll=None)
                if values:
                    await conn.execute(
                        update(t.feeds).where(t.feeds.c.id == found["id"]).values(**values)
                    )
        row = await self.get(url)
        assert row is not None
        return row

    async def remove(self, url: str) -> bool:
        """Unsubscribe; stored items stay."""
        async with self._begin() as conn:
            res = await conn.execute(delete(t.feeds).where(t.feeds.c.url == normalize_url(url)))
            return bool(res.rowcount)

    async def get(self, url: str) -> FeedRow | None:
        async with self._connect() as conn:
            r = (
                (await conn.execute(select(t.feeds).where(t.feeds.c.url == normalize_url(url))))
                .mappings()
                .first()
            )
        return _row(r) if r else None

    async def list(self) -> list[FeedRow]:
        async with self._connect() as conn:
            rows = (await conn.execute(select(t.feeds).order_by(t.feeds.c.id))).mappings().all()
        return [_row(r) for r in rows]

    async def due(self, now: datetime) -> builtins.list[FeedRow]:
        """Enabled feeds whose next poll time has come (or that were never polled)."""
        q = (
            select(t.feeds)
            .where(t.feeds.c.enabled.is_(True))
            .where((t.feeds.c.next_poll.is_(None)) | (t.feeds.c.next_poll <= now))
            .order_by(t.feeds.c.next_poll.is_not(None), t.feeds.c.next_poll, t.feeds.c.id)
        )
        async with self._connect() as conn:
            rows = (await conn.execute(q)).mappings().all()
        return [_row(r) for r in rows]

    async def sync_from_config(
        self, feeds: Sequence[FeedConfig], *, allow_private: bool = True
    ) -> builtins.list[FeedRow]:
        """Make sure every configured feed exists (name/lang/interval from the config); feeds
        added at run time are left alone. Config feeds are trusted by default (the fetch-time
        SSRF guard still applies)."""
        out = []
        for f in feeds:
            out.append(
                await self.add(
                    f.url,
                    f.name,
                    f.lang,
                    f.poll_minutes,
                    allow_private=allow_private,
                    check_dns=False,
                )
            )
        return out

    # ---- poll state --------------------------------------------------------------------------

    async def record_result(
        self, row: FeedRow, outcome: FeedOutcome, *, now: datetime, default_poll_minutes: int
    ) -> FeedRow:
        await self.record_results(
            [(row, outcome)], now=now, default_poll_minutes=default_poll_minutes
        )
        return (await self.get_by_id(row.id)) or row

    async def record_results(
        self,
        results: Sequence[tuple[FeedRow, FeedOutcome]],
        *,
        now: datetime,
        default_poll_minutes: int,
    ) -> None:
        """Apply many outcomes in one transaction (one statement per distinct column set)."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row, outcome in results:
            state = next_state(row, outcome, now=now, default_poll_minutes=default_poll_minutes)
            bound = {"p_id": row.id, **{f"p_{k}": v for k, v in state.items()}}
            groups.setdefault(tuple(sorted(state)), []).append(bound)
        if not groups:
            return
        async with self._begin() as conn:
            for cols, params in groups.items():
                stmt = (
                    update(t.feeds)
                    .where(t.feeds.c.id == bindparam("p_id"))
                    .values({c: bindparam(f"p_{c}") for c in cols})
                )
                await conn.execute(stmt, params)

    async def get_by_id(self, feed_id: int) -> FeedRow | None:
        async with self._connect() as conn:
            r = (
                (await conn.execute(select(t.feeds).where(t.feeds.c.id == feed_id)))
                .mappings()
                .first()
            )
        return _row(r) if r else None

    async def set_url(self, feed_id: int, new_url: str) -> bool:
        """Move a feed to ``new_url`` (after a permanent redirect), with its stored items.
        False when another feed already has that URL."""
        new_url = normalize_url(new_url)
        async with self._begin() as conn:
            taken = (
                await conn.execute(select(t.feeds.c.id).where(t.feeds.c.url == new_url))
            ).scalar()
            if taken is not None:
                return taken == feed_id
            old = (
                await conn.execute(select(t.feeds.c.url).where(t.feeds.c.id == feed_id))
            ).scalar()
            if old is None:
                return False
            await conn.execute(update(t.feeds).where(t.feeds.c.id == feed_id).values(url=new_url))
            await conn.execute(
                update(t.items)
                .where(t.items.c.source == SOURCE_PREFIX + old)
                .values(source=SOURCE_PREFIX + new_url)
            )
        return True

    async def clear_validators(self, feed_ids: Sequence[int]) -> None:
        """Forget ETag/Last-Modified (e.g. when storing a pass's items failed), so the next
        poll fetches those feeds whole instead of getting 304 for entries never stored."""
        if not feed_ids:
            return
        async with self._begin() as conn:
            await conn.execute(
                update(t.feeds)
                .where(t.feeds.c.id.in_(list(feed_ids)))
                .values(etag=None, last_modified=None)
            )

    async def disable(self, url: str, reason: str | None = None) -> bool:
        async with self._begin() as conn:
            values: dict[str, Any] = {"enabled": False, "next_poll": None}
            if reason:
                values["last_error"] = reason
            res = await conn.execute(
                update(t.feeds).where(t.feeds.c.url == normalize_url(url)).values(**values)
            )
            return bool(res.rowcount)

    async def status(self) -> builtins.list[dict[str, Any]]:
        """One dict per feed: the ``briefbot feeds status --format json`` contract (url, name,
        last_status, last_success, failures, next_poll, entries, last_error), then extras
        (enabled, poll_minutes, parsed: entries in the last document)."""
        rows = await self.list()
        async with self._connect() as conn:
            counts = dict(
                (
                    await conn.execute(
                        select(t.items.c.source, func.count())
                        .where(t.items.c.source.like(SOURCE_PREFIX + "%"))
                        .group_by(t.items.c.source)
                    )
                )
                .tuples()
                .all()
            )
        return [
            {
                "url": r.url,
                "name": r.name,
                "last_status": r.last_status,
                "last_success": r.last_success.isoformat() if r.last_success else None,
                "failures": r.failures,
                "next_poll": r.next_poll.isoformat() if r.next_poll else None,
                "entries": int(counts.get(r.source, 0)),
                "last_error": r.last_error,
                "enabled": r.enabled,
                "poll_minutes": r.poll_minutes,
                "parsed": r.entries,
            }
            for r in rows
        ]

    # ---- plumbing ----------------------------------------------------------------------------

    def _begin(self) -> Guard:
        return Guard(self.engine, begin=True)

    def _connect(self) -> Guard:
        return Guard(self.engine, begin=False)


def format_status_table(rows: Sequence[dict[str, Any]]) -> str:
    """``status()`` rows as a plain-text table for people (pure)."""
    if not rows:
        return "No feeds. Add one with: briefbot feeds add URL"
    headers = ["feed", "status", "last success", "fail", "next poll", "entries", "last error"]
    table = []
    for r in rows:
        status = "off" if not r.get("enabled", True) else str(r["last_status"] or "-")
        table.append(
            [
                _cut(r["name"] or r["url"], 40),
                status,
                _short_time(r["last_success"]),
                str(r["failures"]),
                _short_time(r["next_poll"]) if r.get("enabled", True) else "disabled",
                str(r["entries"]),
                _cut(r["last_error"] or "", 50),
            ]
        )
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in table:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _cut(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _short_time(iso: str | None) -> str:
    if not iso:
        return "-"
    return iso[:16].replace("T", " ")
