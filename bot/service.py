"""``briefbot run``: one asyncio process around APScheduler's AsyncIOScheduler.

Jobs call ``bot.pipeline`` functions. SIGINT/SIGTERM stop the scheduler, let the running job
finish, close the store and exit 0.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import pipeline
from bot.config import Config
from bot.errors import BriefbotError
from bot.store.store import Store

log = logging.getLogger("briefbot.service")


async def _pass(store: Store, config: Config) -> None:
    try:
        rep = await pipeline.run_once(store, config, now=datetime.now(UTC))
        if rep.rows_added:
            log.info(
                "pass: %d new items, %d figures, %d alerts, digests %s",
                rep.ingest.new_items,
                rep.ingest.figures,
                rep.alerts.fired,
                rep.digest.periods,
            )
    except BriefbotError as e:
        log.error("pass failed: %s", e)


async def serve(config: Config, *, stop: asyncio.Event | None = None) -> int:
    """Run until ``stop`` is set or a SIGINT/SIGTERM arrives; returns the exit code."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with Store.open(config.env.database_url) as store:
        scheduler = AsyncIOScheduler(timezone=config.file.schedule.timezone)
        scheduler.add_job(
            _pass,
            "interval",
            args=[store, config],
            minutes=config.file.schedule.archive_rescan_minutes,
            next_run_time=datetime.now(UTC),
            id="archive-pass",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(config.file.schedule.missed_digest_grace_hours * 3600) or None,
        )
        scheduler.start()
        for job in scheduler.get_jobs():
            log.warning("briefbot running: job %s next at %s", job.id, job.next_run_time)
        try:
            await stop.wait()
        finally:
            scheduler.shutdown(wait=False)
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
    log.warning("briefbot stopped")
    return 0
