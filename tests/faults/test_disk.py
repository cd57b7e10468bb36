"""SQLite on a full disk (``PRAGMA max_page_count`` at the database's current size) in the middle
of a digest fan-out, then space freed: each message goes out once, the service never exits and
resumes within 10 s, in at most 10 log lines."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from tests.faults.rig import Rig

RECOVER_S = 10.0
MAX_LINES = 10


class DiskLimit:
    """Every connection of ``engine`` checked out while ``pages`` is set may not grow the
    database past that many pages (SQLite answers "database or disk is full") and may not write
    in place either (``query_only``: on a full disk the WAL cannot grow, so no write succeeds)."""

    def __init__(self, engine: Any) -> None:
        self.pages: int | None = None
        event.listen(engine.sync_engine, "checkout", self._checkout)

    def _checkout(self, dbapi_conn: Any, *_: Any) -> None:
        cur = dbapi_conn.cursor()
        if self.pages is None:
            cur.execute("PRAGMA max_page_count = 1073741823")
            cur.execute("PRAGMA query_only = OFF")
        else:
            cur.execute(f"PRAGMA max_page_count = {self.pages}")
            cur.execute("PRAGMA query_only = ON")
        cur.close()


async def page_count(rig: Rig) -> int:
    import sqlite3

    path = rig.url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA page_count").fetchone()[0])


async def test_full_disk_mid_fanout_then_freed(tmp_path: Path) -> None:
    async with Rig(tmp_path, telegram=20, email=20) as rig:
        await rig.start()
        assert rig.app is not None
        limit = DiskLimit(rig.app.store.engine)
        await rig.ready()
        rig.slot()
        await rig.delivered(6)
        t0 = time.monotonic()
        limit.pages = await page_count(rig)
        await rig.app.store.engine.dispose()  # pooled connections take the limit
        await asyncio.sleep(4)
        limit.pages = None
        back = time.monotonic()
        await rig.all_delivered()
        rig.check_exactly_once()
        assert rig.running()
        text = rig.log_text(t0)
        assert rig.log_lines(t0) <= MAX_LINES, text
        async with rig.app.store.engine.connect():
            pass
        st = await rig.app.store.outbox.status(rig.clock.now())
        deadline = back + RECOVER_S
        while st.total("sent") != st.total():
            assert time.monotonic() < deadline, st.counts
            await asyncio.sleep(0.1)
            st = await rig.app.store.outbox.status(rig.clock.now())
