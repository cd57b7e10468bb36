"""Alerts driven by the store (issue 17): figures stored by any process alert, exactly once."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot import pipeline
from bot.outbox import decode_message
from bot.service.clock import ManualClock
from bot.sources.archive import load_folder
from bot.store import schema as t
from bot.store.store import Store
from tests.service.conftest import load, project, running, start_briefbot, until, wait_for

TEXT = "Amazon plans capex of $150 billion this year, Andy Jassy said."


def _briefing(folder: Path, name: str = "2026-02-05-wire.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(TEXT, encoding="utf-8")
    return path


async def test_figures_stored_by_another_process_alert_once(tmp_path: Path, db_url: str) -> None:
    root = project(tmp_path, archive=False)
    config = load(root, BRIEFBOT_DATABASE_URL=db_url)
    clock = ManualClock(datetime.now(UTC))
    async with running(config, clock) as app:
        other = Store.open(db_url)  # its own engine and connections: another process's view
        try:
            items = load_folder(_briefing(tmp_path / "extra")).items
            rep = await pipeline.store_items(other, config, items)
            assert rep.new_items == 1 and rep.figures >= 1
        finally:
            await other.close()

        async def alert_rows() -> list[str]:
            rows = await app.store.outbox.entries(channel="file")
            return [decode_message(e.payload).text for e in rows if e.key.startswith("alert:")]

        await until(alert_rows, 15, "the alert queued by the running service")
        [text] = await alert_rows()
        assert "Amazon" in text
        async with app.store.engine.connect() as conn:
            left = await conn.execute(
                select(func.count()).where(t.figures.c.evaluated_at.is_(None))
            )
            assert left.scalar() == 0  # every figure marked evaluated
        runs = app._jobs["alerts"].runs
        await until(lambda: app._jobs["alerts"].runs >= runs + 3, 10, "three more alert passes")
        assert len(await alert_rows()) == 1  # evaluated once: no second alert


def test_briefbot_ingest_while_run_is_up_alerts(tmp_path: Path) -> None:
    """The issue's case: ``briefbot ingest`` in another process while ``briefbot run`` is up
    (before, those items never alerted: only the ingesting process evaluated alerts)."""
    root = project(tmp_path, archive=False)
    env = {"BRIEFBOT_WEB_BIND": "127.0.0.1:0"}
    proc = start_briefbot(root, "run", env=env)
    try:
        wait_for((root / ".briefbot" / "service.json").exists, 60, "the state file", proc)
        extra = _briefing(tmp_path / "extra")
        e = {k: v for k, v in __import__("os").environ.items() if not k.startswith("BRIEFBOT_")}
        got = subprocess.run([sys.executable, "-m", "bot", "ingest", "--archive", str(extra)],
                             cwd=root, env={**e, **env}, capture_output=True, text=True,
                             timeout=120)  # fmt: skip
        assert got.returncode == 0, got.stderr
        assert "1 new" in got.stdout
        log = root / "digests" / "alerts.log"
        wait_for(lambda: log.exists() and "Amazon" in log.read_text(encoding="utf-8"), 60,
                 "the alert in digests/alerts.log", proc)  # fmt: skip
    finally:
        assert proc.stop() == 0, proc.text()
    lines = [x for x in log.read_text(encoding="utf-8").splitlines() if "alert:" in x]
    assert len(lines) == 1 and "Amazon capex $150B" in lines[0], lines
