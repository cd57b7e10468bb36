"""The service's scheduled jobs, each a ``pipeline`` call; the ``App`` schedules them.

    feeds    poll the feeds that are due (each its own interval), then evaluate alerts for the
             new items and wake the outbox
    archive  re-scan the archive folder (new files: extract, alert)
    alerts   evaluate the figures no alert pass has seen, whoever stored them
    digests  queue the weekly digest of every subscriber whose local send time has passed
             (batched by slot group, not per subscriber)
    prune    delete old sent outbox rows, old update ids and old web rate-limit hits

These are the singleton jobs: on PostgreSQL only the leader runs them (``SINGLETON_JOBS``).
Time: every job asks the clock what is due; the scheduler only decides how often to ask.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot import pipeline
from bot.config import Config
from bot.errors import BriefbotError, StoreError
from bot.models import Period
from bot.service.clock import Clock
from bot.service.health import Health
from bot.service.schedule import due_groups, next_group_slot
from bot.store import ratelimits
from bot.store.feeds import FeedRow
from bot.store.store import Store

log = logging.getLogger("briefbot.service")

PRUNE_SENT_AFTER = timedelta(days=30)
SINGLETON_JOBS = frozenset({"feeds", "archive", "alerts", "digests", "prune"})
"""Jobs only the leader runs (every replica runs ``state``: its heartbeat)."""


@dataclass
class JobState:
    """A scheduled job as ``briefbot status`` shows it."""

    what: str
    every: str
    runs: int = 0
    last_run: datetime | None = None
    last_error: str | None = None
    next_due: datetime | None = None


class Jobs:
    """The job bodies and what they keep between runs (feeds in flight, digest slots seen).

    ``states``: the App's job states (``next_due`` is set here); ``running``: the App's set of
    running tasks (a stop waits for them); ``wake(job, at)``: run a job sooner; ``kick()``: wake
    the outbox worker."""

    def __init__(
        self,
        store: Store,
        config: Config,
        clock: Clock,
        health: Health,
        *,
        states: dict[str, JobState],
        running: set[asyncio.Task[Any]],
        wake: Callable[[str, datetime | None], None],
        kick: Callable[[], None],
        feeds_synced: bool = False,
    ) -> None:
        self.store, self.config, self.clock, self.health = store, config, clock, health
        self._jobs, self._running = states, running
        self.wake, self.kick = wake, kick
        self.grace = timedelta(hours=config.file.schedule.missed_digest_grace_hours)
        self._ingest = asyncio.Lock()
        self._polling: dict[int, asyncio.Task[None]] = {}  # feed id -> its poll in flight
        self._not_before: dict[int, datetime] = {}  # feed id -> next poll (state not saved)
        self._feeds_synced = feeds_synced
        self._alert_reports: list[tuple[pipeline.IngestReport, datetime]] = []
        self._alerting: asyncio.Task[None] | None = None
        self._alert_lock = asyncio.Lock()
        self._rule_warned: set[str] = set()
        self._parse_pool: Any = None  # a ParsePool when [polling] parse_workers > 0
        self._digests_seen: set[tuple[tuple[str, int, str], str]] = set()
        self._archive_missing_logged = False
        if config.file.polling.parse_workers > 0:
            from bot.sources.poll import ParsePool

            self._parse_pool = ParsePool(config.file.polling.parse_workers)

    def close(self) -> None:
        if self._parse_pool is not None:
            self._parse_pool.close()

    async def store_back(self, job_id: str) -> None:
        """After a job (or feed poll, alert pass) that failed on the store works again: end
        the outage with one line."""
        dep = self.health.get("database")
        if dep.up and not dep.failures:
            return
        secs = dep.ok(datetime.now(UTC), job_id)
        if secs is None:
            return
        waiting = "?"
        with contextlib.suppress(BriefbotError):
            st = await self.store.outbox.status(self.clock.now(), recent=0)
            waiting = str(st.total("pending") + st.total("sending"))
        log.warning(
            "database back after %.0f s; jobs resumed, %s message(s) waiting", secs, waiting
        )

    async def run_feeds(self) -> None:
        """Start a poll of every due feed not being polled already, each on its own (a feed
        that hangs costs its own timeout only); alerts follow each feed's items."""
        now = self.clock.now()
        busy = set(self._polling)
        due = [
            f
            for f in await self.store.feeds.due(now)
            if f.id not in busy and self._not_before.get(f.id, now) <= now
        ]
        if due and not self._feeds_synced:
            await self.store.feeds.sync_from_config(self.config.file.feeds)
            self._feeds_synced = True
        for row in due:
            task = asyncio.create_task(self._poll_feed(row, now), name=f"feed-{row.id}")
            self._polling[row.id] = task
            self._running.add(task)
        nxt = min(
            (
                max(f.next_poll, self._not_before.get(f.id, f.next_poll))
                for f in await self.store.feeds.list()
                if f.enabled and f.next_poll is not None and f.id not in self._polling
            ),
            default=None,
        )
        self._jobs["feeds"].next_due = nxt
        if nxt is not None:
            self.wake("feeds", nxt)

    async def _poll_feed(self, row: FeedRow, now: datetime) -> None:
        minutes = row.poll_minutes or self.config.file.schedule.feed_poll_minutes
        # whatever happens (even poll state that cannot be saved): not again before its interval
        self._not_before[row.id] = now + timedelta(minutes=minutes)
        try:
            rep = await pipeline.ingest_feeds(
                self.store,
                self.config,
                now=now,
                only_due=True,
                parse_pool=self._parse_pool,
                feeds=[row],
                store_lock=self._ingest,
                sync=False,
            )
            for w in rep.warnings:
                log.warning("feeds: %s", w)
            if rep.files and (rep.new_items or rep.changed_items):
                log.info(
                    "feeds: %s: %d new item(s), %d changed, %d figure(s)",
                    row.name or row.url,
                    rep.new_items,
                    rep.changed_items,
                    rep.figures,
                )
            if rep.item_ids:
                self._alerts_due(rep, now)
            self._not_before.pop(row.id, None)  # its poll state is saved: the store decides
            await self.store_back("feed-poll")
        except StoreError as e:
            if self.health.get("database").fail(str(e), datetime.now(UTC), "feed-poll"):
                log.warning("%s; jobs paused until it answers", e)
        except Exception:
            log.exception("feeds: polling %s crashed", row.url)
        finally:
            self._polling.pop(row.id, None)
            task = asyncio.current_task()
            if task is not None:
                self._running.discard(task)

    def _alerts_due(self, rep: pipeline.IngestReport, now: datetime) -> None:
        """One alert pass after new items, however many feeds brought them (coalesced)."""
        self._alert_reports.append((rep, now))
        if self._alerting is None or self._alerting.done():
            self._alerting = asyncio.create_task(self._alert_loop(), name="alerts")
            self._running.add(self._alerting)

    async def _alert_loop(self) -> None:
        try:
            while self._alert_reports:
                reps, self._alert_reports = self._alert_reports, []
                merged = pipeline.IngestReport()
                for r, _ in reps:
                    merged.item_ids += r.item_ids
                    merged.quiet_item_ids |= r.quiet_item_ids
                try:
                    async with self._ingest:
                        await self._after_ingest(merged, reps[-1][1])
                    await self.store_back("alerts")
                except StoreError as e:
                    if self.health.get("database").fail(str(e), datetime.now(UTC), "alerts"):
                        log.warning("%s; jobs paused until it answers", e)
                except BriefbotError as e:
                    log.error("alerts failed: %s", e)
                except Exception:
                    log.exception("alerts crashed")
        finally:
            task = asyncio.current_task()
            if task is not None:
                self._running.discard(task)

    async def run_archive(self) -> None:
        if not self.config.archive_path.is_dir():
            if not self._archive_missing_logged:
                log.warning("archive: folder %s not found; not scanning", self.config.archive_path)
                self._archive_missing_logged = True
            return
        now = self.clock.now()
        async with self._ingest:
            rep = await pipeline.ingest_archive(self.store, self.config)
            for w in rep.warnings:
                log.warning("archive: %s", w)
            for e in rep.errors:
                log.error("archive: %s", e)
            if rep.item_ids:
                log.info(
                    "archive: %d new item(s), %d changed, %d figure(s)",
                    rep.new_items,
                    rep.changed_items,
                    rep.figures,
                )
                await self._after_ingest(rep, now)

    async def _after_ingest(self, rep: pipeline.IngestReport, now: datetime) -> None:
        await self.run_alerts(now)
        await self._archive_digests(now)

    async def run_alerts(self, now: datetime | None = None) -> None:
        """Evaluate the figures no alert pass has seen, whoever stored them (store-driven)."""
        async with self._alert_lock:
            alerts = await pipeline.evaluate_alerts(
                self.store, self.config, now=now or self.clock.now()
            )
        for w in alerts.warnings:
            if w not in self._rule_warned:  # a broken rule: once per run, not once per pass
                self._rule_warned.add(w)
                log.warning("alerts: %s", w)
        if alerts.queued:
            log.info("alerts: %d fired, %d message(s) queued", alerts.fired, alerts.queued)
            self.kick()

    async def _archive_digests(self, now: datetime) -> None:
        """Write the archive digest (digests/) of new periods, and again of this week and last
        week (their items still arrive)."""
        have = {Period.of(p.date()) for p in await self.store.item_periods()}
        current = Period.of(now.date())
        previous = Period.of(now.date() - timedelta(days=7))
        todo = [
            p
            for p in sorted(have, key=lambda p: p.key)
            if p in (current, previous) or not await self.store.digest_built(p.key)
        ]
        if todo:
            rep = await pipeline.build_digests(self.store, self.config, periods=todo, force=True)
            log.info("digests: wrote %s", ", ".join(rep.periods))

    async def run_digests(self) -> None:
        """Due slots come from the distinct slot groups (a query), not from every subscriber."""
        now = self.clock.now()
        groups = await self.store.subscribers.slot_groups()
        due = {(g, p.key) for g, p, _ in due_groups(groups, now, self.grace)}
        if due - self._digests_seen:
            # the outbox key digest:<period>:sub-<id>:<channel> makes a repeat a no-op
            queued = await pipeline.enqueue_due_digests(self.store, self.config, now=now)
            self._digests_seen |= due
            if queued:
                log.info("digests: %d message(s) queued for %d slot group(s)", queued, len(due))
                self.kick()
        self._digests_seen = due  # forget slots past their grace
        nxt = next_group_slot(now, groups)
        self._jobs["digests"].next_due = nxt
        if nxt is not None:
            self.wake("digests", nxt)

    async def run_prune(self) -> None:
        n = await self.store.outbox.prune_sent(self.clock.now() - PRUNE_SENT_AFTER)
        if n:
            log.info("outbox: pruned %d sent row(s)", n)
        await self.store.replicas.prune_updates(datetime.now(UTC) - timedelta(days=2))
        await ratelimits.prune(self.store.engine, datetime.now(UTC) - timedelta(days=2))
