"""``briefbot run``: the long-running service (``service.app.App``) with signal handling.

SIGINT/SIGTERM: stop taking new work, let running jobs and in-flight sends finish (or put the
unsent rows back) within a timeout, close everything, exit 0. A second signal cuts the waiting
short. The exit code is 1 only when a component failed for good (e.g. the web port is taken).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Mapping

from bot.config import Config
from bot.service.app import App, Intervals, StartAborted
from bot.service.clock import Clock, clock_from_env, mode_tick

log = logging.getLogger("briefbot.service")


async def serve(
    config: Config,
    *,
    stop: asyncio.Event | None = None,
    clock: Clock | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run until ``stop`` is set or SIGINT/SIGTERM arrives; returns the exit code."""
    environ = os.environ if environ is None else environ
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    app: App | None = None
    signals = 0

    def on_signal(sig: signal.Signals) -> None:
        nonlocal signals
        signals += 1
        if signals == 1:
            log.warning("%s received: stopping (finishing in-flight work)", sig.name)
            stop.set()
        elif app is not None:
            log.warning("%s received again: stopping now", sig.name)
            app.hurry()

    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, on_signal, sig)
            installed.append(sig)
        except (NotImplementedError, RuntimeError):  # not the main thread / not supported
            pass
    try:
        clock = clock or clock_from_env(environ)
        tick = mode_tick(environ)
        if tick is not None:
            log.warning("TEST MODE: clock %r, checking what is due every %gs", clock, tick)
        app = App(config, clock=clock, intervals=Intervals.of(config, tick), environ=environ)
        aborter = asyncio.create_task(_abort_on(stop, app))
        try:
            async with app:
                await app.wait(stop)
        except StartAborted:
            log.warning("stopped while waiting for the database")
            return 0
        finally:
            aborter.cancel()
        return app.exit_code
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def _abort_on(stop: asyncio.Event, app: App) -> None:
    await stop.wait()
    app.abort_start()
