"""SQLite: one ``briefbot run`` per database; a second one says so in one line and exits 1."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.service.clock import ManualClock
from bot.store.single import AlreadyRunning
from tests.service.conftest import load, project, running, start_briefbot, wait_for


async def test_second_app_on_the_same_sqlite_file_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, archive=False)
    config = load(root)
    clock = ManualClock(datetime(2026, 2, 9, tzinfo=UTC))
    async with running(config, clock):
        with pytest.raises(AlreadyRunning, match=r"another `briefbot run` \(pid \d+\)"):
            async with running(config, clock):
                pass
    async with running(config, clock):  # released at stop: the next start is fine
        pass


def test_second_briefbot_run_exits_1_with_one_line(tmp_path: Path) -> None:
    root = project(tmp_path, archive=False)
    env = {"BRIEFBOT_WEB_BIND": "127.0.0.1:0"}
    first = start_briefbot(root, "run", env=env)
    try:
        wait_for((root / ".briefbot" / "service.json").exists, 60, "the state file", first)
        e = {k: v for k, v in __import__("os").environ.items() if not k.startswith("BRIEFBOT_")}
        second = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=root, env={**e, **env},
                                capture_output=True, text=True, timeout=60)  # fmt: skip
        assert second.returncode == 1, second.stderr
        lines = [x for x in second.stderr.splitlines() if x.strip()]
        assert len(lines) == 1, second.stderr
        assert f"pid {first.popen.pid}" in lines[0] and "one service process" in lines[0]
        assert first.alive()
    finally:
        assert first.stop() == 0, first.text()
