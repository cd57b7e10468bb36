"""Fault benchmark: a weekly digest fan-out through the real service while a dependency fails.

    .venv/bin/python benchmarks/faults.py                          # 300 + 300 subscribers
    .venv/bin/python benchmarks/faults.py --telegram 1000 --email 1000 --outage 10
    .venv/bin/python benchmarks/faults.py --only db-down,tg-502

For each fault, ``service.app.App`` (in this process, on a running test clock) sends the week's
digest to ``--telegram`` chats (a chart photo and a text: 2 messages each) and ``--email``
addresses (1 mail each) through loopback ``FaultProxy``s in front of PostgreSQL, aiosmtpd and
the Bot API fake (``tests/faults/rig.py``). The fault starts after ``--after`` deliveries and
lasts ``--outage`` seconds. Printed per fault:

    duplicates   messages a chat or address got more than once (want 0)
    missing      messages never delivered (want 0)
    resume s     seconds from the end of the fault to the next delivery
    done s       seconds from the end of the fault to the last delivery (compare the baseline:
                 the same fan-out with no fault, from the same moment)
    retried      outbox rows that needed more than one attempt
    log lines    WARNING-and-up lines from the start of the fault to the end of the fan-out

The Telegram rate is raised to ``--telegram-rate`` (default 100/s; the fake has no flood limit
here) so that a run takes seconds, not minutes. PostgreSQL: ``BRIEFBOT_TEST_PG`` (default
postgresql://postgres@127.0.0.1:5432/test); a private database is made for each fault.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import create_pg_database, drop_pg_database  # noqa: E402
from tests.faults.rig import CHAT0, Rig  # noqa: E402
from tests.faults.test_disk import DiskLimit, page_count  # noqa: E402


@dataclass
class Result:
    fault: str
    duplicates: int
    missing: int
    resume: float | None
    done: float | None
    lines: int
    exited: bool
    attempts: int  # rows that needed more than one attempt


@dataclass
class Fault:
    name: str
    pg: bool
    begin: Callable[[Rig], Awaitable[None]]
    end: Callable[[Rig], Awaitable[None]]
    restart: bool = False  # stop the service during the fault, start it after
    at_start: bool = False  # the fault is on before the service starts


async def _noop(rig: Rig) -> None:
    return None


def _db_refuse(hard: bool) -> Callable[[Rig], Awaitable[None]]:
    async def begin(rig: Rig) -> None:
        assert rig.db is not None
        rig.db.refuse(hard=hard)

    return begin


async def _db_restore(rig: Rig) -> None:
    assert rig.db is not None
    await rig.db.restore()


def _smtp(mode: str) -> Callable[[Rig], Awaitable[None]]:
    async def begin(rig: Rig) -> None:
        assert rig.mail is not None
        if mode == "refused":
            rig.mail.refuse()
        else:
            rig.smtp.mode = mode

    return begin


async def _smtp_end(rig: Rig) -> None:
    assert rig.mail is not None
    rig.smtp.mode = "ok"
    await rig.mail.restore()


def _tg(mode: str) -> Callable[[Rig], Awaitable[None]]:
    async def begin(rig: Rig) -> None:
        assert rig.tg is not None
        if mode == "refused":
            rig.tg.refuse()
        elif mode == "502":
            rig.api.fail(None, "502", times=None)
        else:
            rig.api.fail("sendMessage", "502", times=None)

    return begin


async def _tg_end(rig: Rig) -> None:
    assert rig.tg is not None
    with rig.api._lock:
        rig.api._failures.clear()
    await rig.tg.restore()


_disk: dict[int, DiskLimit] = {}


async def _disk_full(rig: Rig) -> None:
    assert rig.app is not None
    limit = _disk.setdefault(id(rig), DiskLimit(rig.app.store.engine))
    limit.pages = await page_count(rig)
    await rig.app.store.engine.dispose()


async def _disk_freed(rig: Rig) -> None:
    _disk[id(rig)].pages = None


FAULTS = [
    Fault("none (baseline)", False, _noop, _noop),
    Fault("db-restart", True, _db_refuse(hard=True), _db_restore),
    Fault("db-down", True, _db_refuse(hard=False), _db_restore),
    Fault("db-down-at-start", True, _db_refuse(hard=False), _db_restore, at_start=True),
    Fault("db-down+restart", True, _db_refuse(hard=False), _db_restore, restart=True),
    Fault("smtp-refused", False, _smtp("refused"), _smtp_end),
    Fault("smtp-421", False, _smtp("421"), _smtp_end),
    Fault("smtp-451", False, _smtp("451"), _smtp_end),
    Fault("tg-502", False, _tg("502"), _tg_end),
    Fault("tg-502-part2", False, _tg("502-second"), _tg_end),
    Fault("tg-refused", False, _tg("refused"), _tg_end),
    Fault("disk-full", False, _disk_full, _disk_freed),
]


async def run_fault(f: Fault, args: argparse.Namespace, tmp: Path) -> Result:
    pg_url = await create_pg_database() if f.pg else None
    try:
        async with Rig(
            tmp / f.name,
            pg_url=pg_url,
            telegram=args.telegram,
            email=args.email,
            telegram_rate=args.telegram_rate,
        ) as rig:
            t0 = time.monotonic()
            if f.at_start:
                await f.begin(rig)
                await rig.start(wait=False)
                await asyncio.sleep(args.outage)
                await f.end(rig)
                back = time.monotonic()
                while not rig.started():
                    await asyncio.sleep(0.05)
                await rig.ready(timeout=120)
                rig.slot()
            else:
                await rig.start()
                await rig.ready(timeout=120)
                rig.slot()
                await rig.delivered(args.after, timeout=300)
                t0 = time.monotonic()
                await f.begin(rig)
                if f.restart:
                    await asyncio.sleep(args.outage / 2)
                    await rig.stop()
                    await asyncio.sleep(args.outage / 2)
                    await f.end(rig)
                    await rig.start()
                else:
                    await asyncio.sleep(args.outage)
                    await f.end(rig)
                back = time.monotonic()
            try:
                last = await rig.all_delivered(timeout=args.timeout)
            except AssertionError:
                last = None
            tg, mail = rig.telegram_counts(), rig.mail_counts()
            dup = sum(max(n - 2, 0) for n in tg.values()) + sum(
                max(n - 1, 0) for n in mail.values()
            )
            dup += sum(max(n - 1, 0) for n in rig.photo_counts().values())
            missing = sum(max(2 - tg.get(CHAT0 + i, 0), 0) for i in range(args.telegram))
            missing += sum(max(1 - mail.get(f"r{i}@example.com", 0), 0) for i in range(args.email))
            first = rig.first_delivery_after(back)
            exited = not rig.running()
            from bot.store.store import Store

            async with Store.open(rig.direct_url) as store:
                retried = sum(e.attempts > 1 for e in await store.outbox.entries())
            lines = rig.log_lines(t0)
            return Result(
                f.name,
                dup,
                missing,
                None if first is None else max(first - back, 0.0),
                None if last is None else max(last - 0.3 - back, 0.0),
                lines,
                exited,
                retried,
            )
    finally:
        if pg_url is not None:
            await drop_pg_database(pg_url)


def fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--telegram", type=int, default=300)
    ap.add_argument("--email", type=int, default=300)
    ap.add_argument("--outage", type=float, default=5.0, help="seconds each fault lasts")
    ap.add_argument("--after", type=int, default=50, help="deliveries before the fault")
    ap.add_argument("--telegram-rate", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--only", help="comma-separated fault names")
    args = ap.parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger().addHandler(logging.NullHandler())  # counted, not printed
    logging.getLogger("bot").setLevel(logging.WARNING)
    logging.getLogger("briefbot").setLevel(logging.WARNING)
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # a proxy's cut connections
    wanted = set(args.only.split(",")) if args.only else None
    print(
        f"digest fan-out: {args.telegram} Telegram chats (2 messages each) + {args.email} "
        f"addresses; fault after {args.after} deliveries, lasting {args.outage:g} s"
    )
    print(f"{'fault':<18} {'duplicates':>10} {'missing':>8} {'resume s':>9} {'done s':>7} "
          f"{'log lines':>9} {'retried':>7}  exited")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for f in FAULTS:
            if wanted is not None and f.name not in wanted:
                continue
            r = await run_fault(f, args, Path(tmp))
            print(
                f"{r.fault:<18} {r.duplicates:>10} {r.missing:>8} {fmt(r.resume):>9} "
                f"{fmt(r.done):>7} {r.lines:>9} {r.attempts:>7}  {'YES' if r.exited else 'no'}",
                flush=True,
            )


if __name__ == "__main__":
    asyncio.run(main())
