"""The service's outbox worker: drains the outbox every few seconds and when kicked.

It sees the outbox through ``_WorkerOutbox``, which remembers the rows it claimed and has not
settled, so a stop can put them back (``stop``: stop claiming, let in-flight sends finish within
a timeout, release the rest). Every replica sends email; the channels in ``LEADER_CHANNELS`` are
drained by the leader alone. The sending itself is ``bot.deliver.worker.drain``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from bot.deliver.channel import Channel, Deferred
from bot.deliver.journal import SentJournal
from bot.deliver.worker import default_worker_id, drain, replay
from bot.errors import BriefbotError, StoreError
from bot.models import OutboxEntry
from bot.service.clock import Clock
from bot.service.health import Health
from bot.store.outbox import Claim, OutboxRepo, new_token
from bot.store.store import Store

log = logging.getLogger("briefbot.service")

LEADER_CHANNELS = frozenset({"telegram", "file"})
"""Outbox channels only the leader drains: one Telegram send budget, one ``digests/`` folder."""


# ---- the outbox worker -------------------------------------------------------------------------


class _WorkerOutbox(OutboxRepo):
    """The outbox as this worker sees it: remembers the rows it claimed and has not settled (so
    a stop can put them back), and claims nothing once closing. Leases run on the database's
    clock (PostgreSQL) and last ``lease_seconds``."""

    def __init__(self, repo: OutboxRepo, lease_seconds: float = 300.0) -> None:
        super().__init__(repo.engine, repo.policy, db_clock=True, lease_seconds=lease_seconds)
        self.closing = False
        self.held: dict[int, tuple[str, OutboxEntry]] = {}
        self.orphans: set[str] = set()  # tokens of claims whose answer was lost

    async def release_orphans(self, now: datetime) -> int:
        n = 0
        for token in sorted(self.orphans):
            n += await self.release_token(token, now)
            self.orphans.discard(token)
        return n

    async def claim(
        self,
        worker_id: str,
        limit: int,
        lease_seconds: float,
        now: datetime,
        channels: Sequence[str] | None = None,
        exclude: Collection[int] = (),
        token: str | None = None,
    ) -> Claim:
        if self.closing:
            return Claim("", [])
        # drain excludes the rows it still has in flight and renews their leases, so a row held
        # here is never claimed again (a send slower than the lease, a clock jump)
        token = token or new_token(worker_id)
        try:
            got = await super().claim(
                worker_id, limit, lease_seconds, now, channels, exclude, token=token
            )
        except StoreError:  # it may have committed: its rows are released once the store is back
            self.orphans.add(token)
            raise
        for e in got.entries:
            if e.id is not None:
                self.held[e.id] = (got.token, e)
        return got

    async def mark_sent(self, ids: Sequence[int], now: datetime) -> int:
        n = await super().mark_sent(ids, now)
        for i in ids:
            self.held.pop(i, None)
        return n

    async def mark_retry(
        self,
        entry: OutboxEntry,
        token: str,
        error: str,
        now: datetime,
        retry_after: float | None = None,
        rand: Callable[[], float] = random.random,
        parts_sent: int | None = None,
    ) -> datetime | None:
        nxt = await super().mark_retry(
            entry, token, error, now, retry_after, rand, parts_sent=parts_sent
        )
        self._settled(entry)  # not when the store failed: the row is released later
        return nxt

    async def mark_deferred(
        self, entry: OutboxEntry, token: str, until: datetime, now: datetime
    ) -> None:
        await super().mark_deferred(entry, token, until, now)
        self._settled(entry)

    async def mark_dead(self, entry: OutboxEntry, token: str, error: str, now: datetime) -> None:
        await super().mark_dead(entry, token, error, now)
        self._settled(entry)

    def _settled(self, entry: OutboxEntry) -> None:
        if entry.id is not None:
            self.held.pop(entry.id, None)

    async def release_held(self, now: datetime, sent: Collection[int] = ()) -> int:
        """Claimed rows never sent go back to pending, due now, without using an attempt.

        ``sent``: ids that did go out (their "sent" is not recorded yet): never released, they
        stay claimed until the journal's replay records them."""
        held = [(t, e) for i, (t, e) in self.held.items() if i not in sent]
        for token, entry in held:
            await self.mark_deferred(entry, token, now, now)
        return len(held)


class Gated:
    """A channel that stops starting sends once the worker closes (the row is deferred)."""

    def __init__(self, inner: Channel, closing: Callable[[], bool]) -> None:
        self.name = inner.name
        self.inner, self.closing = inner, closing

    async def send(self, entry: OutboxEntry, message: Any) -> None:
        if self.closing():
            raise Deferred("service stopping", retry_after=1.0)
        await self.inner.send(entry, message)

    async def aclose(self) -> None:
        await self.inner.aclose()


class OutboxWorker:
    """Drains the outbox every ``every`` seconds and whenever ``kick()`` is called.

    Replicas: every replica sends email; the channels in ``LEADER_CHANNELS`` are drained only
    while ``leading()`` (one Telegram send budget, one local ``digests/`` folder)."""

    def __init__(
        self,
        store: Store,
        channels: Mapping[str, Channel],
        clock: Clock,
        every: float,
        *,
        lease_seconds: float = 300.0,
        leading: Callable[[], bool] = lambda: True,
        journal: SentJournal | None = None,
        health: Health | None = None,
    ) -> None:
        self.store, self.clock, self.every = store, clock, every
        self.lease_seconds, self.leading = lease_seconds, leading
        self.journal = journal or SentJournal.memory()
        self.health = health or Health()
        self._probes: dict[str, float] = {}
        self.repo = _WorkerOutbox(store.outbox, lease_seconds)
        self.channels: dict[str, Channel] = {
            name: Gated(ch, lambda: self.repo.closing) for name, ch in channels.items()
        }
        self.worker_id = default_worker_id()
        self.sent = 0
        self.last_run: datetime | None = None
        self.last_error: str | None = None
        self.runs = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="briefbot-outbox")

    def kick(self) -> None:
        self._wake.set()

    async def _loop(self) -> None:
        while not self.repo.closing:
            self._wake.clear()
            await self.drain_once()
            if self.repo.closing:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.every)

    async def drain_once(self) -> None:
        try:
            # what went out is recorded first: a claim released below may hold sent rows too
            await replay(self.repo, self.journal, self.clock.now())
            if self.repo.held:  # left claimed by a drain the store failed: due again now
                await self.repo.release_held(self.clock.now(), sent=self.journal.pending)
            if self.journal.tokens:  # claims a stopped process could not put back
                self.repo.orphans |= self.journal.tokens
            if self.repo.orphans:
                done = sorted(self.repo.orphans)
                await self.repo.release_orphans(self.clock.now())
                self.journal.claims_released([t for t in done if t in self.journal.tokens])
            leading = self.leading()
            channels = {
                k: c for k, c in self.channels.items() if leading or k not in LEADER_CHANNELS
            }
            rep = await drain(
                self.repo,
                channels,
                self.store.subscribers,
                now=self.clock.now,
                worker_id=self.worker_id,
                lease_seconds=self.lease_seconds,
                journal=self.journal,
                health=self.health,
                probes=self._probes,
            )
        except StoreError as e:  # nothing claimed: the next run tries again
            self.last_error = str(e)
            if self.health.get("database").fail(str(e), datetime.now(UTC), "outbox"):
                log.warning("%s; sending paused", e)
            return
        except BriefbotError as e:
            self.last_error = str(e)
            log.error("outbox: drain failed: %s", e)
            return
        except Exception as e:
            self.last_error = f"{type(e).__name__}: {e}"
            log.exception("outbox: drain crashed")
            return
        finally:
            self.runs += 1
            self.last_run = self.clock.now()
        self.sent += rep.sent
        self.last_error = rep.store_error
        if rep.store_error is None:
            secs = self.health.get("database").ok(datetime.now(UTC), "outbox")
            if secs is not None:
                log.warning("database back after %.0f s; sending resumed", secs)
        if rep.claimed:
            log.info("%s", rep.summary())
        for err in rep.errors:
            log.debug("outbox: %s", err)
        for err in rep.dead_errors[:5]:
            log.warning("outbox: %s", err)
        if len(rep.dead_errors) > 5:
            log.warning("outbox: … and %d more message(s) dead", rep.dead - 5)

    async def stop(self, timeout: float, hurry: asyncio.Event | None = None) -> None:
        """Stop claiming; let in-flight sends finish within ``timeout``; release the rest."""
        self.repo.closing = True
        self._wake.set()
        task = self._task
        if task is not None:
            late = await wait_tasks({task}, timeout, hurry)
            if late:
                log.warning("outbox: sends still running after %.0fs; cancelling them", timeout)
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        try:
            n = await self.repo.release_held(self.clock.now(), sent=self.journal.pending)
        except BriefbotError as e:  # the next start puts them back (the journal keeps the claims)
            left = {t for i, (t, _) in self.repo.held.items() if i not in self.journal.pending}
            for token in sorted(left | self.repo.orphans):
                self.journal.claim_left(token)
            log.warning(
                "outbox: %d claimed message(s) not put back (%s); the next start does",
                len(self.repo.held),
                e,
            )
            n = 0
        if n:
            log.warning("outbox: %d claimed message(s) put back for the next start", n)
        if self.journal.pending:
            try:
                await replay(self.repo, self.journal, self.clock.now())
            except BriefbotError as e:
                log.warning(
                    "outbox: %d sent message(s) not yet recorded (%s); kept in %s, recorded "
                    "at the next start",
                    len(self.journal.pending),
                    e,
                    self.journal.path or "memory (lost: no journal file)",
                )
        self.journal.close()


async def wait_tasks(
    tasks: set[asyncio.Task[Any]], timeout: float, hurry: asyncio.Event | None = None
) -> set[asyncio.Task[Any]]:
    """Wait up to ``timeout`` for ``tasks`` (less if ``hurry`` is set); returns the unfinished."""
    pending = {t for t in tasks if not t.done()}
    deadline = time.monotonic() + timeout
    hurried = asyncio.create_task((hurry or asyncio.Event()).wait())
    try:
        while pending and not hurried.done():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            done, _ = await asyncio.wait(
                pending | {hurried}, timeout=left, return_when=asyncio.FIRST_COMPLETED
            )
            pending -= done
    finally:
        hurried.cancel()
    return pending
