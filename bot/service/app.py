"""``App``: builds and owns the running service; ``async with App(config) as app`` starts it.

One asyncio loop runs everything:

    store (migrated)  ->  leader election (``leader``: PostgreSQL advisory lock; SQLite: always)
                      ->  APScheduler AsyncIOScheduler jobs (``jobs``: feeds, archive, alerts,
                          digests, prune; the leader's alone) + ``state``: this replica's
                          heartbeat for ``briefbot status``
                      ->  the outbox worker (``worker``): drains every ``outbox_drain_seconds``
                          and at once when alerts or digests were queued
                      ->  the Telegram bot (when BRIEFBOT_TELEGRAM_TOKEN is set)
                      ->  the web page (when ``[web] enabled``)

Time: every job asks ``self.clock`` what is due; the scheduler only decides how often to ask
(and wakes the feeds/digests jobs at the next feed poll / digest slot). A test moves the clock.

Stopping (``__aexit__``): no new job runs; running jobs finish (``jobs_timeout``); the outbox
worker stops claiming, lets in-flight sends finish and puts claimed-but-unsent rows back
(``sends_timeout``; a send still running then is cancelled and its row released); then the bot,
the web page and the store close. Nothing queued is lost: it is in the outbox for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import Config
from bot.deliver.journal import SentJournal
from bot.deliver.worker import build_channels, close_channels
from bot.errors import BriefbotError, ConfigError, StoreError, StoreUnavailable
from bot.secret_key import with_secret_key
from bot.service.clock import Clock, SystemClock, mode_tick, real_time_of
from bot.service.health import Health
from bot.service.jobs import PRUNE_SENT_AFTER, SINGLETON_JOBS, Jobs, JobState
from bot.service.leader import Leader
from bot.service.schedule import next_group_slot
from bot.service.status import (
    JobInfo,
    ServiceState,
    format_startup,
    hostname,
    state_path,
    write_state,
)
from bot.service.worker import Gated, OutboxWorker, wait_tasks
from bot.store.single import ProcessLock, sqlite_path
from bot.store.store import Store

log = logging.getLogger("briefbot.service")

LEADER_SETTLE = 2.0
"""Seconds a new leader waits before sending on LEADER_CHANNELS: the rate windows of the
previous leader's last sends (Telegram counts per second) have passed by then."""
JOBS_TIMEOUT = 20.0  # seconds running jobs get to finish on stop
SENDS_TIMEOUT = 10.0  # seconds in-flight sends get to finish on stop
DB_RETRY_MAX = 5.0  # longest wait between tries to reach the database at start


class StartAborted(BriefbotError):
    """Stopped (a signal) while waiting for the database at start: not a failure."""


@dataclass(frozen=True)
class Intervals:
    """Real seconds between runs of each job (what is *due* is always the clock's business)."""

    feeds: float = 30.0  # check for due feeds (also woken at the earliest next poll)
    alerts: float = 10.0  # evaluate figures stored by any process (also woken after an ingest)
    digests: float = 60.0  # check for due digest slots (also woken at the next slot)
    archive: float = 600.0
    outbox: float = 5.0
    prune: float = 24 * 3600.0
    state: float = 15.0

    @classmethod
    def of(cls, config: Config, tick: float | None = None) -> Intervals:
        s = config.file.schedule
        base = cls(archive=s.archive_rescan_minutes * 60.0, outbox=s.outbox_drain_seconds)
        if tick is None:
            return base
        # test mode: the clock jumps, so look often
        return replace(
            base,
            feeds=tick,
            alerts=tick,
            digests=tick,
            archive=max(tick * 4, 1.0),
            outbox=min(base.outbox, tick),
            state=max(tick, 0.5),
        )


class App:
    """The whole service. ``async with App(config) as app: await app.wait(stop)``."""

    def __init__(
        self,
        config: Config,
        *,
        clock: Clock | None = None,
        intervals: Intervals | None = None,
        telegram: bool | None = None,
        web: bool | None = None,
        state_file: Path | None = None,
        environ: Mapping[str, str] | None = None,
        jobs_timeout: float = JOBS_TIMEOUT,
        sends_timeout: float = SENDS_TIMEOUT,
    ) -> None:
        environ = os.environ if environ is None else environ
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self.intervals = intervals or Intervals.of(config, mode_tick(environ))
        self.want_telegram = bool(config.env.telegram_token) if telegram is None else telegram
        self.want_web = config.file.web.enabled if web is None else web
        self._telegram_app: Any = None  # the running PTB Application (webhook mode feeds it)
        self.state_file = state_file or state_path(config)
        self.jobs_timeout, self.sends_timeout = jobs_timeout, sends_timeout
        self.store: Store = Store.open(config.env.database_url)
        self.lease = config.file.replicas.lease_seconds
        if self.intervals.state > self.lease / 3:  # a heartbeat well within every lease
            self.intervals = replace(self.intervals, state=self.lease / 3)
        self.leader = Leader(config.env.database_url, self.lease, on_change=self._leadership)
        self.replica_id = f"{hostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.replicas = self.store.replicas
        self.health = Health()  # database, telegram, email: up or down since when
        self.scheduler: AsyncIOScheduler | None = None
        self.outbox: OutboxWorker | None = None
        self.started_at = self.clock.now()
        self.failure: BaseException | None = None
        self._stopping = False
        self._store_open = False
        self._process_lock: ProcessLock | None = None
        self._components: list[asyncio.Task[None]] = []
        self._components_stop = asyncio.Event()
        self._fatal = asyncio.Event()
        self._hurry = asyncio.Event()
        self._abort_start = asyncio.Event()
        self._running: set[asyncio.Task[Any]] = set()
        self._jobs: dict[str, JobState] = {}
        self._busy: dict[str, asyncio.Lock] = {}
        self.work: Jobs | None = None  # the job bodies, once started
        self._state_written = 0.0
        self._web_label = "off"
        self._telegram_label = "off (no BRIEFBOT_TELEGRAM_TOKEN)" if not self.want_telegram else ""

    # ---- lifecycle ----------------------------------------------------------------------------

    async def __aenter__(self) -> App:
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        cfg = self.config
        db_file = sqlite_path(cfg.env.database_url)
        if db_file is not None:  # SQLite: one service process per database
            lock = ProcessLock(db_file)
            lock.acquire()
            self._process_lock = lock
        await self._wait_for_store()  # migrations, once the database answers
        self._store_open = True
        self.config = cfg = await with_secret_key(cfg, self.store)
        sock = None
        if self.want_web:
            from bot.web.server import bind_socket

            sock = bind_socket(cfg.env.web_bind)  # fail at start, naming BRIEFBOT_WEB_BIND
            host, port = sock.getsockname()[:2]
            self._web_label = f"http://{host}:{port}"
        await self.leader.start()
        synced = self.leader.is_leader
        if synced:  # the leader's feeds job syncs them on every pass too
            await self.store.feeds.sync_from_config(cfg.file.feeds)
        self.work = Jobs(
            self.store,
            cfg,
            self.clock,
            self.health,
            states=self._jobs,
            running=self._running,
            wake=self.wake,
            kick=self._kick,
            feeds_synced=synced,
        )
        channels = build_channels(cfg)
        journal = SentJournal.open(self.state_file.parent, cfg.env.database_url)
        self.outbox = OutboxWorker(
            self.store,
            channels,
            self.clock,
            self.intervals.outbox,
            lease_seconds=self.lease,
            leading=lambda: self.leader.leading_for() >= LEADER_SETTLE or not self.leader.postgres,
            journal=journal,
            health=self.health,
        )
        self.outbox.start()
        self._start_scheduler()
        if self.want_telegram:
            self._telegram_label = "on (webhook)" if cfg.env.webhook_url else "on (polling)"
            self._spawn("telegram", self._run_telegram, restart=True)
        if sock is not None:
            from bot.web.server import serve_web

            hook = self._feed_webhook if self.want_telegram and cfg.env.webhook_url else None
            self._spawn(
                "web",
                lambda: serve_web(
                    cfg, self.store, self._components_stop, sock=sock, telegram_webhook=hook
                ),
                restart=False,
            )
        await self._log_summary()
        self.write_state()
        await self._beat()

    async def _wait_for_store(self) -> None:
        """Migrate; while the database is unreachable, say so once and retry with backoff (to
        ``DB_RETRY_MAX`` s) until it answers or ``abort_start`` is called."""
        delay, t0, said = 1.0, time.monotonic(), 0.0
        while True:
            try:
                await self.store.upgrade()
            except StoreUnavailable as e:
                dep = self.health.get("database")
                dep.fail(str(e), datetime.now(UTC))
                waited = time.monotonic() - t0
                if said == 0.0 or waited - said >= 60.0:
                    log.warning("%s; retrying in %.0fs", e, delay)
                    said = max(waited, 1e-9)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._abort_start.wait(), delay)
                if self._abort_start.is_set():
                    raise StartAborted("stopped while waiting for the database") from None
                delay = min(delay * 2, DB_RETRY_MAX)
                continue
            secs = self.health.get("database").ok(datetime.now(UTC))
            if secs is not None:
                log.warning("database reachable after %.0f s; starting", secs)
            return

    def abort_start(self) -> None:
        """Stop waiting for the database at start (a signal while waiting)."""
        self._abort_start.set()

    async def wait(self, stop: asyncio.Event) -> None:
        """Until ``stop`` is set or a component failed for good (``self.failure``)."""
        waiters = [asyncio.create_task(stop.wait()), asyncio.create_task(self._fatal.wait())]
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()

    def hurry(self) -> None:
        """Stop waiting for running jobs and sends (a second Ctrl-C)."""
        self._hurry.set()

    @property
    def exit_code(self) -> int:
        return 1 if self.failure is not None else 0

    async def stop(self) -> None:
        if self._stopping:
            return
        self._stopping = True
        t0 = time.monotonic()
        sched = self.scheduler
        if sched is not None and sched.running:
            sched.pause()  # no new runs; shutdown() would cancel the running ones
        if self._running:
            log.warning("stopping: waiting for %d running job(s)", len(self._running))
            late = await wait_tasks(set(self._running), self.jobs_timeout, self._hurry)
            for task in late:
                log.warning(
                    "stopping: cancelling job %s after %.0fs", task.get_name(), self.jobs_timeout
                )
                task.cancel()
            if late:
                await asyncio.wait(late, timeout=5)
        if sched is not None and sched.running:
            sched.shutdown(wait=False)
        if self.outbox is not None:
            await self.outbox.stop(self.sends_timeout, self._hurry)
            await close_channels({k: c.inner for k, c in self._gated().items()})
        self._components_stop.set()
        if self._components:
            _, late_c = await asyncio.wait(set(self._components), timeout=15)
            for task in late_c:
                task.cancel()
            await asyncio.gather(*self._components, return_exceptions=True)
        if sched is not None:  # started: leave a "stopped cleanly" note for `briefbot status`
            self.write_state(stopping=True)
        if self.work is not None:
            self.work.close()
        await self.leader.stop()
        if sched is not None and self._store_open:
            try:
                await self.replicas.gone(self.replica_id)
            except BriefbotError as e:  # its heartbeat just ages out
                log.warning("replica row not removed: %s", e)
        if self._store_open:
            await self.store.__aexit__(None, None, None)
        if self._process_lock is not None:
            self._process_lock.release()
        if sched is None:
            return  # never started (start-up failed): nothing else to report
        log.warning(
            "briefbot stopped in %.1fs (%d message(s) sent this run)",
            time.monotonic() - t0,
            self.outbox.sent if self.outbox else 0,
        )

    def _gated(self) -> dict[str, Gated]:
        chans = self.outbox.channels if self.outbox else {}
        return {k: c for k, c in chans.items() if isinstance(c, Gated)}

    def _kick(self) -> None:
        """Wake the outbox worker (messages were queued)."""
        if self.outbox is not None:
            self.outbox.kick()

    # ---- components (bot, web) ----------------------------------------------------------------

    def _spawn(self, name: str, run: Callable[[], Awaitable[None]], *, restart: bool) -> None:
        async def supervise() -> None:
            delay = 5.0
            while not self._components_stop.is_set():
                try:
                    await run()
                    return
                except asyncio.CancelledError:
                    raise
                except ConfigError as e:
                    self._fail(name, e)
                    return
                except Exception as e:
                    if not restart:
                        self._fail(name, e)
                        return
                    log.error("%s stopped: %s; restarting in %.0fs", name, e, delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._components_stop.wait(), delay)
                delay = min(delay * 2, 300.0)

        self._components.append(asyncio.create_task(supervise(), name=f"briefbot-{name}"))

    def _fail(self, name: str, e: BaseException) -> None:
        log.error("%s failed: %s", name, e)
        self.failure = e
        self._fatal.set()

    async def _run_telegram(self) -> None:
        """The bot runs only while this replica leads: one bot sends, so one send budget (its
        replies wait for the outbox pacer's slots). Long polling: one getUpdates, no 409
        Conflict. Webhook mode: any replica receives updates (the load balancer picks one); one
        that does not lead queues them in the database's inbox, which the leader's bot drains
        (``_feed_webhook``; update ids dedupe). A replica that becomes leader starts the bot,
        one that stops leading stops it."""
        from bot.telegram.app import build_application, run_bot

        webhook = bool(self.config.env.webhook_url)
        while not self._components_stop.is_set():
            if not self.leader.is_leader:
                await self._until(lambda: self.leader.is_leader)
                continue
            stop = asyncio.Event()

            async def watch(stop: asyncio.Event) -> None:
                await self._until(lambda: not self.leader.is_leader)
                stop.set()

            watcher = asyncio.create_task(watch(stop))
            application = build_application(
                self.config, self.store, clock=self.clock.now, pacer=self._telegram_pacer()
            )
            self._telegram_app = application
            inbox = asyncio.create_task(self._drain_inbox(application, stop)) if webhook else None
            try:
                await run_bot(self.config, self.store, stop, application=application)
            finally:
                self._telegram_app = None
                watcher.cancel()
                if inbox is not None:
                    inbox.cancel()

    async def _drain_inbox(self, application: Any, stop: asyncio.Event) -> None:
        """The leader's bot handles the webhook updates other replicas queued (every 0.25 s)."""
        from telegram import Update

        while not stop.is_set():
            settled = self.leader.leading_for() >= LEADER_SETTLE or not self.leader.postgres
            if application.running and settled:
                try:
                    for data in await self.replicas.inbox_take(100):
                        await application.update_queue.put(Update.de_json(data, application.bot))
                except BriefbotError as e:  # the store is down: the next look tries again
                    log.debug("telegram inbox: %s", e)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.25)

    def _telegram_pacer(self) -> Any:
        """The Telegram outbox channel's pacer: command replies share its budget."""
        gated = self._gated().get("telegram")
        return getattr(gated.inner, "pacer", None) if gated is not None else None

    async def _until(self, pred: Callable[[], bool], every: float = 0.2) -> None:
        """Until ``pred()`` or the components stop."""
        while not pred() and not self._components_stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._components_stop.wait(), every)

    def _leadership(self, leading: bool) -> None:
        """A new leader runs the singleton jobs and drains the leader's channels at once."""
        if not leading or self._stopping:
            return
        for job_id in SINGLETON_JOBS:
            self.wake(job_id)
        if self.outbox is not None:
            self.outbox.kick()

    async def _feed_webhook(self, data: dict[str, Any], secret: str | None) -> bool:
        """Webhook mode, on any replica: False if the secret is wrong. The leader's running bot
        gets the update at once; otherwise it waits in the inbox for the leader's bot."""
        from bot.deliver.tokens import same_secret
        from bot.telegram.app import feed_webhook, webhook_secret

        if not same_secret(secret, webhook_secret(self.config)):
            return False
        app = self._telegram_app
        if app is not None and app.running and self.leader.is_leader:
            return await feed_webhook(app, data, secret)
        update_id = data.get("update_id")
        if isinstance(update_id, int):  # (anything else is no update: nothing to handle)
            await self.replicas.inbox_put(update_id, data)
        return True

    # ---- scheduler ----------------------------------------------------------------------------

    def _start_scheduler(self) -> None:
        iv, work = self.intervals, self.work
        assert work is not None
        sched = AsyncIOScheduler(event_loop=asyncio.get_running_loop(), timezone=UTC)
        now = datetime.now(UTC)
        jobs: list[tuple[str, str, str, float, float, Callable[[], Awaitable[None]]]] = [
            ("feeds", "poll due feeds, extract, alert", f"every {_secs(iv.feeds)} + at next poll",
             iv.feeds, 0, work.run_feeds),
            ("archive", "re-scan the archive folder", f"every {_secs(iv.archive)}",
             iv.archive, 0, work.run_archive),
            ("alerts", "evaluate new figures (stored by any process)",
             f"every {_secs(iv.alerts)} + after an ingest", iv.alerts, iv.alerts, work.run_alerts),
            ("digests", "queue due weekly digests", f"every {_secs(iv.digests)} + at next slot",
             iv.digests, 0, work.run_digests),
            ("prune", f"delete sent rows older than {PRUNE_SENT_AFTER.days}d",
             f"every {_secs(iv.prune)}", iv.prune, min(60.0, iv.prune), work.run_prune),
            ("state", "heartbeat for `briefbot status`", f"every {_secs(iv.state)}",
             iv.state, iv.state, self.run_state),
        ]  # fmt: skip
        for job_id, what, every, seconds, first, fn in jobs:
            self._jobs[job_id] = JobState(what, every)
            self._busy[job_id] = asyncio.Lock()
            sched.add_job(
                self._wrap(job_id, fn),
                IntervalTrigger(seconds=seconds, timezone=UTC),
                id=job_id,
                name=job_id,
                next_run_time=now + timedelta(seconds=first),
                coalesce=True,  # missed runs: one run, not a burst
                max_instances=2,  # a second instance returns at once (see _wrap): no warnings
                misfire_grace_time=None,
            )
        sched.start()
        self.scheduler = sched

    def _wrap(
        self, job_id: str, fn: Callable[[], Awaitable[None]]
    ) -> Callable[[], Awaitable[None]]:
        busy, st = self._busy[job_id], self._jobs[job_id]

        async def run() -> None:
            if busy.locked() or self._stopping:
                return
            if job_id in SINGLETON_JOBS and not self.leader.is_leader:
                return  # another replica leads
            async with busy:
                task = asyncio.current_task()
                if task is not None:
                    task.set_name(f"job-{job_id}")
                    self._running.add(task)
                try:
                    await fn()
                    st.last_error = None
                    if self.work is not None:
                        await self.work.store_back(job_id)
                except asyncio.CancelledError:
                    raise
                except StoreError as e:  # one line per outage, not one per job run
                    st.last_error = str(e)
                    if self.health.get("database").fail(str(e), datetime.now(UTC), job_id):
                        log.warning("%s; jobs paused until it answers", e)
                    else:
                        log.debug("job %s: %s", job_id, e)
                except BriefbotError as e:
                    st.last_error = str(e)
                    log.error("job %s failed: %s", job_id, e)
                except Exception as e:
                    st.last_error = f"{type(e).__name__}: {e}"
                    log.exception("job %s crashed", job_id)
                finally:
                    st.runs += 1
                    st.last_run = self.clock.now()
                    if task is not None:
                        self._running.discard(task)
                    if time.monotonic() - self._state_written > 1.0:
                        self.write_state()  # `briefbot status` sees fresh next-run times

        return run

    def wake(self, job_id: str, at: datetime | None = None) -> None:
        """Run ``job_id`` at clock time ``at`` (default now) if that is sooner than planned."""
        sched = self.scheduler
        if sched is None or self._stopping:
            return
        job = sched.get_job(job_id)
        if job is None:
            return
        real = datetime.now(UTC) if at is None else real_time_of(self.clock, at)
        if job.next_run_time is None or real < job.next_run_time:
            job.modify(next_run_time=max(real, datetime.now(UTC)))

    def jobs(self) -> list[JobInfo]:
        """The jobs with their next run times (the clock's times), for the summary and status."""
        out = []
        sched = self.scheduler
        real_now, clock_now = datetime.now(UTC), self.clock.now()
        for job_id, st in self._jobs.items():
            job = sched.get_job(job_id) if sched is not None else None
            nxt = None
            if job is not None and job.next_run_time is not None:
                nxt = clock_now + (job.next_run_time - real_now)
            out.append(
                JobInfo(
                    job_id, st.what, st.every, nxt, st.next_due, st.last_run, st.last_error, st.runs
                )
            )
        ob = self.outbox
        if ob is not None:
            every = timedelta(seconds=self.intervals.outbox)
            nxt = ob.last_run + every if ob.last_run and not self._stopping else None
            out.append(
                JobInfo(
                    "outbox",
                    "send queued messages",
                    f"every {_secs(every.total_seconds())} + when queued",
                    nxt,
                    None,
                    ob.last_run,
                    ob.last_error,
                    ob.runs,
                )
            )
        return out

    async def run_state(self) -> None:
        self.write_state()
        await self._beat()

    async def _beat(self) -> None:
        """This replica's heartbeat row (``briefbot status`` lists the live ones)."""
        await self.replicas.beat(
            self.replica_id,
            host=hostname(),
            pid=os.getpid(),
            started_at=self.started_at,
            leader=self.leader.is_leader,
            info={
                "web": self._web_label,
                "telegram": self._telegram_label,
                "sent": self.outbox.sent if self.outbox else 0,
            },
        )

    def write_state(self, *, stopping: bool = False) -> None:
        state = ServiceState(
            pid=os.getpid(),
            host=hostname(),
            started_at=self.started_at,
            heartbeat=datetime.now(UTC),
            clock_now=self.clock.now(),
            clock=_clock_label(self.clock),
            telegram=self._telegram_label,
            web=self._web_label,
            channels=tuple(self._gated()),
            jobs=tuple(self.jobs()),
            sent=self.outbox.sent if self.outbox else 0,
            stopping=stopping,
            health=tuple(self._health_view()),
        )
        self._state_written = time.monotonic()
        try:
            write_state(self.state_file, state)
        except OSError as e:
            log.warning("state file %s not written: %s", self.state_file, e)

    def _health_view(self) -> list[dict[str, Any]]:
        """The database and every sending channel, up unless seen failing."""
        for name in ("database", *(c for c in self._gated() if c != "file")):
            self.health.get(name)
        return self.health.to_json()

    async def _log_summary(self) -> None:
        subs, by_channel = await self.store.subscribers.active_by_channel()
        feeds = [f for f in await self.store.feeds.list() if f.enabled]
        groups = await self.store.subscribers.slot_groups()
        self._jobs["digests"].next_due = next_group_slot(self.clock.now(), groups)
        log.warning(
            "%s",
            format_startup(
                feeds=len(feeds),
                subscribers=subs,
                by_channel=by_channel,
                telegram=self._telegram_label,
                web=self._web_label,
                channels=tuple(self._gated()),
                jobs=self.jobs(),
                clock=_clock_label(self.clock),
                now=self.clock.now(),
            ),
        )


def _clock_label(clock: Clock) -> str:
    return "system" if isinstance(clock, SystemClock) else f"TEST {clock!r}"


def _secs(s: float) -> str:
    if s >= 3600 and s % 3600 == 0:
        return f"{s / 3600:g}h"
    if s >= 60 and s % 60 == 0:
        return f"{s / 60:g}m"
    return f"{s:g}s"
