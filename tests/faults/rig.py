"""A fan-out under faults: the real service (``App``) sends the weekly digest to Telegram
and email subscribers through ``FaultProxy``s in front of PostgreSQL, SMTP and the Bot API fake.

    async with Rig(tmp_path, pg_url=url, telegram=20, email=20) as rig:
        await rig.start()            # the App runs (its own task); ``rig.app``
        rig.slot()                   # the clock reaches Monday 08:00: digests are queued
        await rig.delivered(10)      # wait for 10 deliveries (Telegram parts + mails)
        rig.db.refuse(); ...; await rig.db.restore()
        await rig.all_delivered()    # every chat 2 messages (chart + text), every address 1 mail
        rig.check_exactly_once()

Log records (WARNING and up, the service's default level) are collected in ``rig.records``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.service.app import App
from bot.store.store import Store
from tests.fakes.smtp import FakeSMTP
from tests.fakes.telegram_api import FakeBotAPI
from tests.faults.proxy import FaultProxy, pg_url_via
from tests.service.conftest import FAST, load, project, utc

SUNDAY = utc(2026, 2, 8, 23, 0)  # the seed briefing is 2026-W06
SLOT = utc(2026, 2, 9, 8, 0, 5)  # Monday 08:00 UTC: every subscriber's digest is due
CHAT0 = 700_000


class RunningClock:
    """Test time that runs at the real rate from wherever ``set`` put it (retry times, leases
    and probes come due as in production)."""

    def __init__(self, start: datetime) -> None:
        self.set(start)

    def set(self, when: datetime) -> None:
        self._base, self._t0 = when, time.monotonic()

    def now(self) -> datetime:
        return self._base + timedelta(seconds=time.monotonic() - self._t0)

    def __repr__(self) -> str:
        return f"RunningClock({self.now().isoformat()})"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[float, logging.LogRecord, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        lines = text.count("\n") + 1
        if record.exc_info:
            lines += len(logging.Formatter().formatException(record.exc_info).splitlines())
        self.records.append((time.monotonic(), record, lines))


@dataclass
class Rig:
    tmp_path: Path
    pg_url: str | None = None  # None: SQLite
    telegram: int = 20
    email: int = 20
    telegram_rate: int | None = None  # [channels] telegram_global_per_second (default 30)
    app: App | None = None
    clock: RunningClock = field(default_factory=lambda: RunningClock(SUNDAY))
    api: FakeBotAPI = field(default_factory=FakeBotAPI)
    smtp: FakeSMTP = field(default_factory=FakeSMTP)
    db: FaultProxy | None = None
    tg: FaultProxy | None = None
    mail: FaultProxy | None = None
    exits: list[BaseException | None] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _log: _Collect = field(default_factory=_Collect)

    async def __aenter__(self) -> Rig:
        self.api.start()
        self.smtp.start()
        self.tg = await FaultProxy("127.0.0.1", int(self.api.url.rsplit(":", 1)[1])).start()
        self.mail = await FaultProxy(self.smtp.host, self.smtp.port).start()
        if self.pg_url is not None:
            from sqlalchemy.engine import make_url

            u = make_url(self.pg_url)
            self.db = await FaultProxy(u.host or "127.0.0.1", u.port or 5432).start()
        extra = {}
        if self.telegram_rate is not None:
            extra["telegram_global_per_second"] = self.telegram_rate
        self.root = project(self.tmp_path, channels=("file", "telegram", "email"), **extra)
        self.url = (
            pg_url_via(self.pg_url, self.db)
            if self.pg_url is not None and self.db is not None
            else f"sqlite:///{self.root / 'briefbot.db'}"
        )
        self.direct_url = self.pg_url or self.url
        async with Store.open(self.direct_url) as store:
            for i in range(self.telegram):
                await store.subscribers.create(
                    SUNDAY, telegram_chat_id=CHAT0 + i, channels=["telegram"]
                )
            for i in range(self.email):
                await store.subscribers.create(
                    SUNDAY, email=f"r{i}@example.com", email_confirmed=True, channels=["email"]
                )
        logging.getLogger().addHandler(self._log)
        return self

    async def __aexit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self._log)
        await self.stop()
        for p in (self.tg, self.mail, self.db):
            if p is not None:
                await p.close()
        self.api.stop()
        self.smtp.stop()

    # ---- the service ---------------------------------------------------------------------

    def config(self) -> Any:
        return load(
            self.root,
            BRIEFBOT_DATABASE_URL=self.url,
            BRIEFBOT_TELEGRAM_TOKEN=self.api.token,
            BRIEFBOT_TELEGRAM_BASE_URL=f"http://127.0.0.1:{self.tg.port if self.tg else 0}",
            BRIEFBOT_SMTP_HOST="127.0.0.1",
            BRIEFBOT_SMTP_PORT=str(self.mail.port if self.mail else 0),
        )

    async def start(self, *, wait: bool = True) -> None:
        """Run the App in a task until ``stop``; ``wait``: until it has started."""
        self._stop = asyncio.Event()
        started = asyncio.Event()
        self.app = App(
            self.config(),
            clock=self.clock,
            intervals=FAST,
            telegram=False,
            web=False,
            state_file=self.root / ".briefbot" / "service.json",
            sends_timeout=5.0,
        )
        app = self.app

        async def run() -> None:
            try:
                async with app:
                    started.set()
                    await app.wait(self._stop)
                self.exits.append(app.failure)
            except BaseException as e:
                self.exits.append(e)
                raise

        self._task = asyncio.create_task(run())
        if wait:
            await asyncio.wait({self._task, asyncio.create_task(started.wait())},
                               return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
            assert started.is_set(), f"the service did not start: {self.exits}"

    async def stop(self) -> None:
        if self._task is None:
            return
        if self.app is not None:
            self.app.abort_start()
        self._stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._task, 60)
        self._task = None

    async def ready(self, timeout: float = 30.0) -> None:
        """The seed briefing is in the store (the week's digest has something to say)."""
        assert self.app is not None
        app = self.app

        async def built() -> bool:
            with contextlib.suppress(Exception):
                return bool(await app.store.digest_built("2026-W06"))
            return False

        deadline = time.monotonic() + timeout
        while not await built():
            assert time.monotonic() < deadline, "the seed briefing was not ingested"
            await asyncio.sleep(0.05)

    def started(self) -> bool:
        return any(r.getMessage().startswith("briefbot started") for _, r, _ in self._log.records)

    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def slot(self) -> None:
        self.clock.set(SLOT)

    # ---- what arrived --------------------------------------------------------------------

    def telegram_counts(self) -> Counter[int]:
        return Counter(r.chat_id for r in self.api.delivered() if r.chat_id is not None)

    def photo_counts(self) -> Counter[int]:
        return Counter(
            r.chat_id for r in self.api.delivered() if r.method == "sendPhoto" and r.chat_id
        )

    def mail_counts(self) -> Counter[str]:
        return Counter(a for m in self.smtp.messages for a in m.rcpt_tos)

    def deliveries(self) -> int:
        return len(self.api.delivered()) + len(self.smtp.messages)

    def expected(self) -> int:
        return 2 * self.telegram + self.email

    async def delivered(self, n: int, timeout: float = 30.0) -> None:
        await self._until(lambda: self.deliveries() >= n, timeout, f"{n} deliveries")

    async def all_delivered(self, timeout: float = 40.0) -> float:
        """Wait until every message arrived; returns the time of the last one (monotonic)."""
        await self._until(lambda: self.deliveries() >= self.expected(), timeout, "every message")
        await asyncio.sleep(0.3)  # a duplicate would show up now
        return time.monotonic()

    def first_delivery_after(self, t: float) -> float | None:
        tg = [r.t for r in self.api.delivered() if r.t >= t]
        mail = [m.at for m in self.smtp.messages if m.at >= t]
        return min(tg + mail, default=None)

    async def _until(self, pred: Any, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not pred():
            if self._task is not None and self._task.done():
                raise AssertionError(f"the service exited while waiting for {what}: {self.exits}")
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out waiting for {what}: {self.deliveries()}/{self.expected()} "
                    f"delivered; log:\n{self.log_text()}"
                )
            await asyncio.sleep(0.05)

    def check_exactly_once(self) -> None:
        tg, photos, mail = self.telegram_counts(), self.photo_counts(), self.mail_counts()
        want_tg = {CHAT0 + i: 2 for i in range(self.telegram)}
        assert dict(tg) == want_tg, f"telegram: {_diff(tg, want_tg)}"
        assert dict(photos) == {CHAT0 + i: 1 for i in range(self.telegram)}
        want_mail = {f"r{i}@example.com": 1 for i in range(self.email)}
        assert dict(mail) == want_mail, f"email: {_diff(mail, want_mail)}"

    # ---- the log -------------------------------------------------------------------------

    def log_lines(self, since: float = 0.0, until: float | None = None) -> int:
        end = until if until is not None else float("inf")
        return sum(n for t, r, n in self._log.records if since <= t <= end and _counted(r))

    def log_text(self, since: float = 0.0) -> str:
        return "\n".join(
            f"{r.levelname} {r.name}: {r.getMessage()}"
            for t, r, _ in self._log.records
            if t >= since
        )


def _counted(r: logging.LogRecord) -> bool:
    """Outage lines: not the start-up summary or the stop lines."""
    msg = r.getMessage()
    return not msg.startswith(("briefbot started", "briefbot stopped"))


def _diff(got: Counter[Any], want: dict[Any, int]) -> str:
    dup = {k: v for k, v in got.items() if v > want.get(k, 0)}
    missing = {k: v - got.get(k, 0) for k, v in want.items() if got.get(k, 0) < v}
    return f"duplicates {len(dup)} {list(dup.items())[:5]}, missing {len(missing)}"
