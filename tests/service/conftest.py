"""Helpers for the service tests: a scratch project, a fast App on a moved clock, a subprocess.

In-process tests run ``service.app.App`` with a ``ManualClock`` and short check intervals: the test
moves the clock and waits for the effect. Subprocess tests run ``python -m bot run`` in a
scratch project copy with ``BRIEFBOT_TEST_CLOCK`` (a ``FileClock``) so they can move its time.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config, load_config
from bot.service.app import App, Intervals
from bot.service.clock import Clock
from tests.conftest import ROOT
from tests.fakes.feed_server import FeedServer
from tests.fakes.smtp import FakeSMTP

FAST = Intervals(
    feeds=0.05, alerts=0.05, digests=0.05, archive=0.3, outbox=0.05, prune=3600.0, state=1.0
)


def project(
    tmp_path: Path,
    *,
    archive: bool = True,
    feeds: Sequence[tuple[str, int | None]] = (),
    channels: Sequence[str] = ("file", "telegram", "email"),
    web: bool = False,
    **schedule: Any,
) -> Path:
    """A scratch project: the shipped config (edited) and archive (or an empty one)."""
    root = tmp_path / "proj"
    shutil.copytree(ROOT / "config", root / "config")
    if archive:
        shutil.copytree(ROOT / "archive", root / "archive")
    else:
        (root / "archive").mkdir()
    path = root / "config" / "briefbot.toml"
    text = path.read_text(encoding="utf-8")
    for key, value in schedule.items():
        v = f'"{value}"' if isinstance(value, str) else str(value)
        text, n = re.subn(rf"(?m)^{key} = .*$", f"{key} = {v}", text)
        assert n == 1, key
    chans = ", ".join(f'"{c}"' for c in channels)
    text = text.replace('enabled = ["file", "telegram", "email"]', f"enabled = [{chans}]")
    text = text.replace("[web]\nenabled = true", f"[web]\nenabled = {str(web).lower()}")
    for url, minutes in feeds:
        text += f'\n[[feeds]]\nurl = "{url}"\nname = "{url.rsplit("/", 1)[-1]}"\nlang = "en"\n'
        if minutes is not None:
            text += f"poll_minutes = {minutes}\n"
    path.write_text(text, encoding="utf-8")
    return root


def load(root: Path, **env: str) -> Config:
    environ = {"BRIEFBOT_DATABASE_URL": f"sqlite:///{root / 'briefbot.db'}", **env}
    return load_config(environ, root / "config" / "briefbot.toml")


async def until(pred: Callable[[], Any], timeout: float = 10.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while True:
        got = pred()
        if asyncio.iscoroutine(got):
            got = await got
        if got:
            return
        assert time.monotonic() < deadline, f"timed out waiting for {what or pred}"
        await asyncio.sleep(0.02)


async def runs_of(app: App, job: str, n: int = 3, timeout: float = 10.0) -> None:
    """Wait until ``job`` has run ``n`` more times (the clock's new time has been seen)."""

    def count() -> int:
        if job == "outbox":
            assert app.outbox is not None
            return app.outbox.runs
        return app._jobs[job].runs

    start = count()
    await until(lambda: count() >= start + n, timeout, f"{n} runs of {job}")


@asynccontextmanager
async def running(config: Config, clock: Clock, **kw: Any) -> AsyncIterator[App]:
    kw.setdefault("intervals", FAST)
    kw.setdefault("telegram", False)
    kw.setdefault("web", False)
    kw.setdefault("state_file", config.root / ".briefbot" / "service.json")
    async with App(config, clock=clock, **kw) as app:
        yield app


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=UTC)


@pytest.fixture
def smtp() -> Iterator[FakeSMTP]:
    with FakeSMTP() as server:
        yield server


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


# ---- subprocess ---------------------------------------------------------------------------------


@dataclass
class Proc:
    popen: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        if self.alive():
            self.popen.send_signal(sig)
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            raise AssertionError(
                f"briefbot did not stop within {timeout}s:\n{self.text()}"
            ) from None


def start_briefbot(root: Path, *args: str, env: dict[str, str], name: str = "run") -> Proc:
    """``python -m bot ARGS`` in ``root`` with only the given BRIEFBOT_* variables."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    e.update(env)
    e["PYTHONUNBUFFERED"] = "1"
    log = root / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=root,
            env=e,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Proc(popen, log)


def wait_for(pred: Callable[[], Any], timeout: float, what: str, proc: Proc | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        got = pred()
        if got:
            return got
        if proc is not None and not proc.alive():
            raise AssertionError(f"briefbot exited ({proc.popen.returncode}) while waiting "
                                 f"for {what}:\n{proc.text()}")  # fmt: skip
        if time.monotonic() > deadline:
            extra = f"\n{proc.text()}" if proc is not None else ""
            raise AssertionError(f"timed out waiting for {what}{extra}")
        time.sleep(0.05)


def rss(entries: Sequence[tuple[str, str, str, datetime]]) -> bytes:
    """An RSS 2.0 document from (guid, title, body, published) tuples."""
    from email.utils import format_datetime

    items = "".join(
        f'<item><title>{t}</title><guid isPermaLink="false">{g}</guid>'
        f"<link>https://news.example.com/{g}</link>"
        f"<pubDate>{format_datetime(p)}</pubDate><description>{b}</description></item>"
        for g, t, b, p in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://news.example.com/</link><description>d</description>{items}"
        "</channel></rss>"
    ).encode()
