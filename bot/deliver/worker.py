"""Drain the outbox: claim due rows, send each through its channel, record the outcome.

``drain`` keeps a window of claimed rows in flight, in one lane per channel (a paced channel
never holds up another's rows; a lane with nothing due looks again every ``LANE_POLL`` seconds
while another lane works, so rows queued meanwhile do not wait for the drain to end): a
producer claims batches (with a lease) while ``concurrency`` consumers send. Rows for the same recipient in a batch go in order by one
consumer; pacing (``bot.deliver.pacing``) keeps the rates. "Sent" is recorded in small groups
right after sending (a crash re-sends at most the rows claimed and not yet marked: the rows in
flight). Every other outcome is recorded at once.

Leases: the rows claimed and not yet recorded are "held". ``drain`` never claims a held row
again (the claim excludes them: a send slower than the lease or a clock jump would otherwise
send it twice), renews their leases while they are in flight (a heartbeat every third of the
lease, and before a send whose lease looks spent), and does not send a row whose lease another
worker took over (``DrainReport.lost``: that worker sends it). The outcomes:

    sent                -> sent                 Deferred      -> pending, no attempt used
    RetryLater          -> pending, backoff     RecipientGone -> dead; subscriber blocked and
    Bounce              -> dead; bounce counted;                 their pending rows dead
                           at the limit email off and pending email rows dead
    PermanentFailure    -> dead                 other errors  -> pending, backoff (then dead)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.deliver.channel import Bounce, Channel, Deferred, RecipientGone
from bot.deliver.journal import SentJournal
from bot.errors import (
    BriefbotError,
    DeliveryError,
    PermanentFailure,
    RetryLater,
    StoreError,
)
from bot.models import OutboxEntry
from bot.outbox import OutboxStatus, decode_message
from bot.service.health import Health

if TYPE_CHECKING:
    from bot.config import Config
    from bot.store.outbox import OutboxRepo
    from bot.store.subscribers import SubscriberRepo

log = logging.getLogger(__name__)
PROBE_EVERY = 2.0  # seconds between probes of a channel that is down
LANE_POLL = 0.5  # seconds between the claims of a lane with nothing due while another works


@dataclass
class DrainReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    deferred: int = 0
    dead: int = 0
    blocked_subscribers: int = 0
    disabled_emails: int = 0
    dropped_rows: int = 0
    lost: int = 0  # claimed, then taken over by another worker before being sent
    unrecorded: int = 0  # sent, "sent" not yet in the store (kept in the journal)
    store_error: str | None = None  # the store's last error in this drain, if any
    seconds: float = 0.0
    sent_by_channel: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    dead_errors: list[str] = field(default_factory=list)  # the notes of rows gone dead

    def summary(self) -> str:
        rate = self.sent / self.seconds if self.seconds > 0 else 0.0
        return (
            f"outbox: {self.sent} sent, {self.retried} to retry, {self.deferred} deferred, "
            f"{self.dead} dead ({self.claimed} claimed, {self.seconds:.1f}s, {rate:.0f}/s)"
        )


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _clock(now: datetime | Callable[[], datetime]) -> Callable[[], datetime]:
    """``now`` as a clock: a fixed start time advances with the monotonic clock."""
    if callable(now):
        return now
    t0 = time.monotonic()
    return lambda: now + timedelta(seconds=time.monotonic() - t0)


async def drain(
    outbox: OutboxRepo,
    channels: Mapping[str, Channel],
    subscribers: SubscriberRepo | None = None,
    *,
    now: datetime | Callable[[], datetime],
    batch: int = 100,
    worker_id: str | None = None,
    lease_seconds: float = 300.0,
    concurrency: int = 32,
    max_rows: int | None = None,
    flush_every: float = 0.1,
    journal: SentJournal | None = None,
    health: Health | None = None,
    probes: dict[str, float] | None = None,
    record_timeout: float = 10.0,
) -> DrainReport:
    """Send every row due at ``now`` (and rows that come due while draining) on ``channels``.

    Stops when a claim finds nothing due (or after ``max_rows``). ``now`` is a datetime (it
    then advances with the monotonic clock, so retry times stay honest) or a clock function.
    Leases of the rows in flight are renewed every ``lease_seconds / 3`` (real seconds).

    ``health`` (kept by the caller across drains) turns on the circuit breaker: while a
    channel is down, one row at a time probes it every ``PROBE_EVERY`` seconds and the others
    wait without using an attempt. ``journal`` keeps the sent ids the store does not have yet (see ``bot.deliver.journal``):
    what it holds is recorded before the first claim (a StoreError if that fails: nothing is
    claimed then). A store that fails mid-drain stops the claiming; the rows in hand are still
    sent, and their "sent" is retried with backoff until the end of the drain. What is still
    unrecorded then stays in a file journal (``report.unrecorded``) for the next drain; with no
    file journal they are retried for ``record_timeout`` seconds, then a StoreError.
    """
    clock = _clock(now)
    journal = journal or SentJournal.memory()
    await replay(outbox, journal, clock())
    run = _Run(
        outbox,
        channels,
        subscribers,
        clock,
        worker_id or default_worker_id(),
        lease_seconds,
        journal,
        health or Health(),
        probes if health is not None else None,
    )
    t0 = time.monotonic()
    reserved = 0  # rows claimed or being claimed, against ``max_rows``
    working: set[str] = set()  # lanes whose last claim found rows: an idle lane polls meanwhile
    starting = set(channels)  # lanes before their first claim's answer

    async def lane(names: list[str]) -> None:
        """Claim and send the rows of these channels: each channel has a lane of its own, so a
        paced channel (Telegram at 30/s) never holds up the others' rows or slots."""
        queue: asyncio.Queue[list[tuple[str, OutboxEntry]] | None] = asyncio.Queue()
        room = asyncio.Semaphore(max(batch * 2, 1))  # rows claimed but not yet finished

        async def produce() -> None:
            nonlocal reserved
            try:
                while max_rows is None or reserved < max_rows:
                    want = batch if max_rows is None else min(batch, max_rows - reserved)
                    chans = [c for c in run.claimable() if c in names]
                    if not chans:
                        break
                    reserved += want
                    for _ in range(want):
                        await room.acquire()
                    try:
                        got = await outbox.claim(
                            run.worker_id,
                            want,
                            lease_seconds,
                            clock(),
                            channels=chans,
                            exclude=run.held_ids(),
                        )
                    except StoreError as e:  # the rows in hand still go out; claim no more
                        reserved -= want
                        run.store_failed(e)
                        break
                    reserved -= want - len(got.entries)
                    for _ in range(want - len(got.entries)):
                        room.release()
                    starting.discard(names[0])
                    if not got.entries:
                        working.discard(names[0])
                        if working or starting:  # rows of this channel may be queued meanwhile
                            await asyncio.sleep(LANE_POLL)
                            continue
                        break
                    working.add(names[0])
                    run.hold(got.token, got.entries)
                    run.report.claimed += len(got.entries)
                    for group in _by_recipient(got.entries):
                        queue.put_nowait([(got.token, run.resumed(e)) for e in group])
            finally:
                working.discard(names[0])
                starting.discard(names[0])
                for _ in range(concurrency):
                    queue.put_nowait(None)

        async def consume() -> None:
            while (group := await queue.get()) is not None:
                for token, entry in group:
                    try:
                        await run.deliver(token, entry)
                    except StoreError as e:  # its outcome not recorded: the lease brings it back
                        run.store_failed(e)
                    finally:
                        room.release()

        await asyncio.gather(produce(), *(consume() for _ in range(concurrency)))

    stop = asyncio.Event()
    flusher = asyncio.create_task(run.flush_loop(flush_every, stop))
    heartbeat = asyncio.create_task(run.renew_loop(max(lease_seconds / 3, 0.01), stop))
    try:
        await asyncio.gather(*(lane([name]) for name in channels))
    finally:
        stop.set()
        await asyncio.gather(flusher, heartbeat, return_exceptions=True)
        await run.flush()
    if journal.pending and journal.path is None:
        deadline = time.monotonic() + record_timeout
        delay = 0.2
        while journal.pending and time.monotonic() < deadline:
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
            await run.flush()
        if journal.pending:
            raise StoreError(
                f"{len(journal.pending)} message(s) sent but not recorded as sent: "
                f"{run.report.store_error}"
            )
    run.report.unrecorded = len(journal.pending)
    run.report.seconds = time.monotonic() - t0
    return run.report


async def replay(outbox: OutboxRepo, journal: SentJournal, now: datetime) -> None:
    """Record what ``journal`` holds (sent ids, parts sent) in the store; StoreError if not."""
    if journal.pending_progress:
        done = dict(journal.pending_progress)
        await outbox.set_parts_sent(done)
        journal.progress_recorded(done)
    if journal.pending:
        ids = list(journal.pending)
        journal.sync()
        await outbox.mark_sent(ids, now)
        journal.recorded(ids)


def _by_recipient(entries: list[OutboxEntry]) -> list[list[OutboxEntry]]:
    groups: dict[tuple[str, str], list[OutboxEntry]] = {}
    for e in entries:
        groups.setdefault((e.channel, e.recipient), []).append(e)
    return list(groups.values())


class _Run:
    def __init__(
        self,
        outbox: OutboxRepo,
        channels: Mapping[str, Channel],
        subscribers: SubscriberRepo | None,
        clock: Callable[[], datetime],
        worker_id: str,
        lease_seconds: float,
        journal: SentJournal,
        health: Health,
        probes: dict[str, float] | None = None,
    ) -> None:
        self.outbox, self.channels, self.subscribers = outbox, channels, subscribers
        self.clock, self.worker_id, self.lease_seconds = clock, worker_id, lease_seconds
        self.journal, self.health = journal, health
        self.report = DrainReport()
        self._sent_token: dict[int, str] = {}  # sent, not yet recorded: id -> claim token
        self._gone: set[int] = set()
        self._no_email: set[int] = set()
        self._mailed: list[int] = []  # subscribers an email reached: bounce count resets
        # rows claimed and not yet recorded (sent ones until flushed), by claim token
        self._held: dict[str, set[int]] = {}
        self._lease: dict[str, datetime] = {}  # token -> its lease end, by our clock
        self._lost: set[int] = set()  # taken over by another worker: not ours to send
        self._renewing = asyncio.Lock()
        self._flushing = asyncio.Lock()
        self._flush_delay = 0.0  # backoff after a failed flush (seconds)
        self._flush_after = 0.0  # monotonic time before which no flush is tried
        # the circuit breaker (``_may_send``) is on when the caller keeps probes across drains
        self.probe_at: dict[str, float] | None = probes

    def resumed(self, entry: OutboxEntry) -> OutboxEntry:
        """The entry with the parts this process knows went out (the store may lag behind)."""
        done = self.journal.pending_progress.get(entry.id or 0, 0)
        return entry.model_copy(update={"parts_sent": done}) if done > entry.parts_sent else entry

    # ---- the store's health ----------------------------------------------------------------

    def store_failed(self, e: BaseException) -> None:
        self.report.store_error = str(e)
        if self.health.get("database").fail(str(e), _real_now(), "outbox"):
            log.warning(
                "%s; sending goes on, %d sent message(s) wait to be recorded (kept in the journal)",
                _cut(str(e)),
                len(self.journal.pending),
            )

    def store_ok(self) -> None:
        secs = self.health.get("database").ok(_real_now(), "outbox")
        if secs is not None:
            log.warning("database back after %.0f s; sent messages recorded", secs)

    # ---- leases ----------------------------------------------------------------------------

    def held_ids(self) -> set[int]:
        return {i for ids in self._held.values() for i in ids}

    def hold(self, token: str, entries: list[OutboxEntry]) -> None:
        self._held[token] = ids = {e.id for e in entries if e.id is not None}
        self._lost -= ids  # lost once, claimed again after its new holder let it go
        self._lease[token] = self.clock() + timedelta(seconds=self.lease_seconds)

    def _release(self, token: str, ids: list[int]) -> None:
        held = self._held.get(token)
        if held is None:
            return
        held.difference_update(ids)
        if not held:
            del self._held[token]
            self._lease.pop(token, None)

    async def _renew(self, token: str) -> None:
        ids = self._held.get(token, set()) - self._lost
        if not ids:
            return
        until = self.clock() + timedelta(seconds=self.lease_seconds)
        still = await self.outbox.extend_lease(token, ids, until)
        if token in self._held:
            self._lease[token] = until
        # settled meanwhile, or taken over by another worker (its lease ran out: we stalled, or
        # the clock jumped): not ours to send; a send already running just finishes. They stay
        # held (excluded from our claims) until their send is over.
        gone = (ids & self._held.get(token, set())) - still
        if gone:
            log.warning("outbox: %d claimed row(s) no longer held (taken over)", len(gone))
            self._lost |= gone

    async def _still_ours(self, token: str, entry_id: int) -> bool:
        """Before a send: renew the lease first if it looks spent (the clock jumped, or the
        heartbeat fell behind); False if the row was taken over meanwhile."""
        lease = self._lease.get(token)
        if lease is not None and lease - self.clock() < timedelta(seconds=self.lease_seconds / 4):
            async with self._renewing:
                lease = self._lease.get(token)
                left = None if lease is None else lease - self.clock()
                if left is not None and left < timedelta(seconds=self.lease_seconds / 4):
                    await self._renew(token)
        return entry_id not in self._lost

    async def renew_loop(self, every: float, stop: asyncio.Event) -> None:
        """The heartbeat: renew the leases of every row held, every ``every`` seconds."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)
            if stop.is_set():
                return
            async with self._renewing:
                for token in list(self._held):
                    try:
                        await self._renew(token)
                    except BriefbotError as e:  # the store is down: the next beat tries again
                        log.warning("outbox: could not renew leases: %s", e)

    # ---- sending ---------------------------------------------------------------------------

    async def deliver(self, token: str, entry: OutboxEntry) -> None:
        assert entry.id is not None
        if not await self._still_ours(token, entry.id):
            self.report.lost += 1
            self._release(token, [entry.id])
            return
        sent = False
        try:
            sent = await self._deliver(token, entry)
        finally:
            if not sent:  # recorded (or failed to be): no longer in flight
                self._release(token, [entry.id])

    async def _deliver(self, token: str, entry: OutboxEntry) -> bool:
        """Send one row; True if it went out (``flush`` records it), else its outcome is
        recorded already."""
        assert entry.id is not None
        policy = self.outbox.policy
        if entry.attempts > policy.max_attempts:
            await self._dead(token, entry, f"gave up after {entry.attempts - 1} attempts")
            return False
        # claimed before its subscriber was blocked / their email disabled in this run
        if entry.subscriber_id in self._gone:
            await self._dead(token, entry, "dropped: subscriber blocked")
            return False
        if entry.channel == "email" and entry.subscriber_id in self._no_email:
            await self._dead(token, entry, "dropped: email disabled after hard bounces")
            return False
        channel = self.channels[entry.channel]
        try:
            message = decode_message(entry.payload)
        except ValueError as e:
            await self._dead(token, entry, f"unreadable payload: {e}")
            return False
        if not self._may_send(entry.channel):
            self.report.deferred += 1
            until = self.clock() + timedelta(seconds=PROBE_EVERY)
            await self.outbox.mark_deferred(entry, token, until, self.clock())
            return False
        try:
            await channel.send(entry, message)
        except BriefbotError as e:
            parts = e.parts_sent if isinstance(e, DeliveryError) else None
            if parts is not None and parts > entry.parts_sent:
                self.journal.progress(entry.id, parts)
            if isinstance(e, RetryLater) and not isinstance(e, Deferred):
                self._channel_failed(entry.channel, e)
                if self.probe_at is not None and not self.health.get(entry.channel).up:
                    # the channel is down, not this message: wait for the next probe
                    e = Deferred(str(e), retry_after=PROBE_EVERY)
                    e.parts_sent = parts
            await self._outcome(token, entry, e, parts)
        except Exception as e:  # a bug in an adapter: retry with backoff, then dead
            log.exception("outbox %s: unexpected error from %s channel", entry.key, entry.channel)
            self.report.retried += 1
            self._note(entry, e)
            await self.outbox.mark_retry(entry, token, f"{type(e).__name__}: {e}", self.clock())
        else:
            self.journal.sent(entry.id)
            self._sent_token[entry.id] = token
            self.report.sent += 1
            self.report.sent_by_channel[entry.channel] += 1
            if entry.channel == "email" and entry.subscriber_id is not None:
                self._mailed.append(entry.subscriber_id)
            await self._channel_ok(entry.channel)
            if len(self._sent_token) >= 100 and time.monotonic() >= self._flush_after:
                await self.flush()
            return True
        return False

    async def _outcome(
        self, token: str, entry: OutboxEntry, e: BriefbotError, parts: int | None
    ) -> None:
        """Record a send that did not (wholly) go out."""
        if isinstance(e, Deferred):
            self.report.deferred += 1
            until = self.clock() + timedelta(seconds=e.retry_after or 1.0)
            await self.outbox.mark_deferred(entry, token, until, self.clock())
        elif isinstance(e, RetryLater):
            self.report.retried += 1
            self._note(entry, e)
            nxt = await self.outbox.mark_retry(
                entry, token, str(e), self.clock(), e.retry_after, parts_sent=parts
            )
            if parts is not None and entry.id is not None:
                self.journal.progress_recorded({entry.id: parts})
            if nxt is None:
                self.report.dead += 1
        elif isinstance(e, RecipientGone):
            await self._dead(token, entry, str(e))
            await self._recipient_gone(entry, str(e))
        elif isinstance(e, Bounce):
            await self._dead(token, entry, str(e))
            await self._bounce(entry, str(e))
        elif isinstance(e, PermanentFailure):
            await self._dead(token, entry, str(e))
        else:  # another Briefbot error from an adapter: retry with backoff, then dead
            self.report.retried += 1
            self._note(entry, e)
            await self.outbox.mark_retry(entry, token, str(e), self.clock(), parts_sent=parts)

    def _may_send(self, channel: str) -> bool:
        """While a channel is down one send at a time probes it (every ``PROBE_EVERY`` s); the
        other rows wait without using an attempt."""
        if self.probe_at is None or self.health.get(channel).up:
            return True
        now = time.monotonic()
        if now < self.probe_at.get(channel, 0.0):
            return False
        self.probe_at[channel] = now + PROBE_EVERY
        return True

    def claimable(self) -> list[str]:
        """The channels to claim rows for now: those up, and those down whose probe is due."""
        probes, now = self.probe_at, time.monotonic()
        if probes is None:
            return list(self.channels)
        return [c for c in self.channels if self.health.get(c).up or now >= probes.get(c, 0.0)]

    def _channel_failed(self, channel: str, e: BaseException) -> None:
        dep = self.health.get(channel)
        if dep.fail(str(e), _real_now()):
            if self.probe_at is not None:
                self.probe_at[channel] = time.monotonic() + PROBE_EVERY
            log.warning(
                "%s down since %s: %s; messages wait in the outbox and are retried",
                channel,
                _hms(dep.down_since),
                _cut(str(e)),
            )

    async def _channel_ok(self, channel: str) -> None:
        dep = self.health.get(channel)
        if dep.up and not dep.failures:
            return
        secs = dep.ok(_real_now())
        if secs is None:
            return
        waiting = "?"
        with contextlib.suppress(BriefbotError):
            st = await self.outbox.status(self.clock(), recent=0)
            waiting = str(
                sum(
                    n
                    for (state, ch), n in st.counts.items()
                    if ch == channel and state in ("pending", "sending")
                )
            )
        log.warning("%s back after %.0f s, %s message(s) waiting", channel, secs, waiting)
        with contextlib.suppress(BriefbotError):  # what failed in the outage goes out now
            since = self.clock() - timedelta(seconds=secs + 60)
            await self.outbox.retry_now(channel, since, self.clock())

    async def _dead(self, token: str, entry: OutboxEntry, error: str) -> None:
        self.report.dead += 1
        self._note(entry, error)
        if len(self.report.dead_errors) < 20:
            self.report.dead_errors.append(f"{entry.key}: {error}")
        await self.outbox.mark_dead(entry, token, error, self.clock())

    async def _recipient_gone(self, entry: OutboxEntry, error: str) -> None:
        if entry.subscriber_id is None:
            return
        self._gone.add(entry.subscriber_id)
        if self.subscribers is not None:
            await self.subscribers.mark_blocked(entry.subscriber_id, self.clock())
        self.report.blocked_subscribers += 1
        self.report.dropped_rows += await self.outbox.drop_pending_for_subscriber(
            entry.subscriber_id, f"dropped: subscriber blocked ({error})", self.clock()
        )

    async def _bounce(self, entry: OutboxEntry, error: str) -> None:
        if entry.subscriber_id is None or self.subscribers is None:
            return
        if await self.subscribers.record_bounce(entry.subscriber_id, self.clock()):
            self._no_email.add(entry.subscriber_id)
            self.report.disabled_emails += 1
            self.report.dropped_rows += await self.outbox.drop_pending_for_subscriber(
                entry.subscriber_id,
                f"dropped: email disabled after repeated hard bounces ({error})",
                self.clock(),
                channel="email",
            )

    def _note(self, entry: OutboxEntry, error: object) -> None:
        if len(self.report.errors) < 20:
            self.report.errors.append(f"{entry.key}: {error}")

    async def flush(self) -> bool:
        """Record what went out; False if the store failed (kept for the next try, later)."""
        async with self._flushing:
            ids = list(self.journal.pending)
            parts = dict(self.journal.pending_progress)
            mailed = list(self._mailed)
            if not ids and not parts and not mailed:
                return True
            try:
                self.journal.sync()
                if parts:
                    await self.outbox.set_parts_sent(parts)
                    self.journal.progress_recorded(parts)
                if ids:
                    await self.outbox.mark_sent(ids, self.clock())
                    self.journal.recorded(ids)
                    for i in ids:
                        token = self._sent_token.pop(i, None)
                        if token is not None:
                            self._release(token, [i])
                if mailed and self.subscribers is not None:
                    await self.subscribers.reset_bounces(sorted(set(mailed)))
                del self._mailed[: len(mailed)]
            except StoreError as e:
                self.store_failed(e)
                self._flush_delay = min(max(self._flush_delay * 2, 0.25), 2.0)
                self._flush_after = time.monotonic() + self._flush_delay
                return False
            except OSError as e:  # the journal's disk: the store write is what matters
                log.error("outbox: journal %s not written: %s", self.journal.path, e)
                return False
            self._flush_delay = self._flush_after = 0.0
            self.store_ok()
            return True

    async def flush_loop(self, every: float, stop: asyncio.Event) -> None:
        """Record sent rows every ``every`` seconds (after a failure: with backoff, to 2 s)
        until ``stop``; never ends on an error."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)
            if stop.is_set() or time.monotonic() < self._flush_after:
                continue
            try:
                await self.flush()
            except Exception:  # a bug: keep the loop (the final flush tries again)
                log.exception("outbox: recording sent messages failed")


def _real_now() -> datetime:
    return datetime.now(UTC)


def _hms(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%SZ") if t is not None else "?"


def _cut(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def build_channels(config: Config) -> dict[str, Channel]:
    """The file channel always; Telegram when a token is set; email when an SMTP host is set
    (each also only if listed in ``[channels] enabled``)."""
    from bot.deliver.file import FileChannel

    enabled = set(config.file.channels.enabled)
    out: dict[str, Channel] = {"file": FileChannel(config.digests_path)}
    env = config.env
    if env.telegram_token and "telegram" in enabled:
        from bot.deliver.telegram import TelegramChannel

        out["telegram"] = TelegramChannel.create(
            env.telegram_token,
            env.telegram_base_url,
            global_rate=config.file.channels.telegram_global_per_second,
            chat_rate=config.file.channels.telegram_per_chat_per_second,
        )
    if env.smtp_host and "email" in enabled:
        from bot.deliver.email import EmailChannel, SmtpSettings

        out["email"] = EmailChannel(SmtpSettings.from_env(env))
    return out


async def close_channels(channels: Mapping[str, Channel]) -> None:
    for ch in channels.values():
        await ch.aclose()


async def outbox_status(outbox: OutboxRepo, now: datetime) -> OutboxStatus:
    """For ``briefbot outbox status``: print ``bot.outbox.format_status(status, now)``."""
    return await outbox.status(now)


async def retry_dead(outbox: OutboxRepo, now: datetime, channel: str | None = None) -> int:
    """For ``briefbot outbox retry-dead``: dead rows back to pending; returns how many."""
    return await outbox.retry_dead(now, channel=channel)
