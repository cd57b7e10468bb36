"""What every command shares: the consoles, the commands' "now", progress bars, problems."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from bot.cli.terminal import SafeConsole
from bot.errors import BriefbotError

out = SafeConsole(soft_wrap=True)
err = SafeConsole(stderr=True, soft_wrap=True)


class UsageError(BriefbotError):
    """A command line that cannot be run (exit 2)."""


def now_utc() -> datetime:
    """The commands' "now": real UTC time, or the test clock when ``BRIEFBOT_TEST_CLOCK`` is set
    (replays and subprocess tests move it, as they do for ``briefbot run``)."""
    from bot.service.clock import clock_from_env

    return clock_from_env(os.environ).now()


@contextmanager
def progress_bars(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A pipeline Progress callback drawing one rich bar per step (on stderr, TTY only)."""
    if not enabled or not err.is_terminal:
        yield lambda step, done, total: None
        return
    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
    ) as bars:
        tasks: dict[str, Any] = {}

        def update(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bars.add_task(step, total=total)
            bars.update(tasks[step], completed=done, total=total)

        yield update


def report_problems(warnings: Sequence[str], errors: Sequence[str]) -> int:
    """Print warnings and errors, one line each; exit 1 when a source could not be read."""
    for w in warnings:
        err.print(f"warning: {w}")
    for e in errors:
        err.print(f"error: {e}")
    return 1 if errors else 0
